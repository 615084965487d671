import { ACTION_IDS } from '../action-ids.js';
import { escapeMrkdwn } from '../format/escape-mrkdwn.js';
import { context, header, section } from './layout-blocks.js';
import type { Block, SlackMessage } from './slack-message.js';

export type AlertSeverity = 'info' | 'warning' | 'critical';

/** An action an alert suggests; pressing its button opens an approval for `tool` with `args`. */
export interface AlertSuggestedAction {
  label: string;
  tool: string;
  args: Record<string, unknown>;
}

/** An alert as the alerts channel shows it. */
export interface SlackAlertView {
  id: string;
  subject: string;
  severity: AlertSeverity;
  reasons: string[];
  actions: AlertSuggestedAction[];
}

const SEVERITY_EMOJI: Record<AlertSeverity, string> = {
  info: ':information_source:',
  warning: ':warning:',
  critical: ':rotating_light:',
};

/** The value carried by an alert button: which alert, which of its actions. */
export function alertButtonValue(alertId: string, index: number): string {
  return `${alertId}#${index}`;
}

export function parseAlertButtonValue(value: string): { alertId: string; index: number } | null {
  const m = /^(.+)#(\d+)$/.exec(value);
  return m ? { alertId: m[1]!, index: Number(m[2]) } : null;
}

/** An alert for the alerts channel: severity, subject, reasons, and one button per suggested action. */
export function alertMessage(alert: SlackAlertView): SlackMessage {
  const reasons = alert.reasons.slice(0, 10).map((r) => `• ${escapeMrkdwn(r)}`).join('\n');
  const blocks: Block[] = [
    header(`${alert.severity.toUpperCase()}: ${alert.subject}`),
    section(`${SEVERITY_EMOJI[alert.severity]} ${reasons || 'no reasons given'}`),
  ];
  if (alert.actions.length > 0) {
    blocks.push({
      type: 'actions',
      block_id: `alert:${alert.id}`,
      elements: alert.actions.slice(0, 5).map((a, i) => ({
        type: 'button',
        action_id: `${ACTION_IDS.alertActionPrefix}${i}`,
        text: { type: 'plain_text', text: a.label.slice(0, 75) },
        value: alertButtonValue(alert.id, i),
      })),
    });
  }
  blocks.push(context(`Alert \`${escapeMrkdwn(alert.id)}\` · each button asks for an approval in this thread`));
  return {
    text: `${alert.severity.toUpperCase()}: ${alert.subject} — ${alert.reasons.join('; ')}`,
    blocks,
  };
}
