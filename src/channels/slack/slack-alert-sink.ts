import type { WebClient } from '@slack/web-api';
import type { AlertSink, AnomalyAlert } from '../../anomaly/alert-sink.js';
import type { Db } from '../../db/db.js';
import { alertMessage } from './blocks/alert-message.js';
import { attachSlackAlertMessage, insertSlackAlert, type NewSlackAlert, type StoredSlackAlert } from './slack-alert-store.js';
import { followSlackThread } from './slack-thread-registry.js';

/**
 * Posts alerts (held orders, anomalies, exceptions) to the alerts channel with one button per
 * suggested action; each button opens an approval in the alert's thread. An alert whose
 * dedupe key was posted before is not posted again.
 */
export interface SlackAlertSink extends AlertSink {
  /** The anomaly detector's entry point. */
  raise(alert: AnomalyAlert): Promise<void>;
  /** Any module's entry point; returns the stored alert with where it was posted. */
  post(alert: NewSlackAlert): Promise<StoredSlackAlert>;
}

/** An anomaly alert in the alerts channel's terms. */
export function fromAnomalyAlert(alert: AnomalyAlert): NewSlackAlert {
  return {
    subject: alert.title === alert.subject ? alert.subject : `${alert.title} — ${alert.subject}`,
    severity: alert.severity,
    reasons: alert.reasons,
    actions: alert.suggestedActions.map((a) => ({ label: a.label, tool: a.tool, args: a.args })),
    dedupeKey: alert.dedupeKey,
  };
}

export function createSlackAlertSink(deps: { db: Db; client: WebClient; channel: string | undefined; log?: (m: string) => void }): SlackAlertSink {
  async function post(alert: NewSlackAlert): Promise<StoredSlackAlert> {
    const { alert: stored, created } = await insertSlackAlert(deps.db, alert);
    if (!created && stored.ts) return stored;
    if (!deps.channel) {
      deps.log?.(`alert ${stored.id} (${alert.subject}) kept but not posted: SLACK_ALERTS_CHANNEL is not set`);
      return stored;
    }
    const res = await deps.client.chat.postMessage({ channel: deps.channel, ...alertMessage(stored) });
    const ts = res.ts!;
    await attachSlackAlertMessage(deps.db, stored.id, deps.channel, ts);
    await followSlackThread(deps.db, { channel: deps.channel, threadTs: ts });
    return { ...stored, channel: deps.channel, ts };
  }
  return {
    post,
    async raise(alert) {
      await post(fromAnomalyAlert(alert));
    },
  };
}
