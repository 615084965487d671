import type { BriefingSection } from '../../../agent/providers/offline-ops-replies.js';
import { fillSlots, loadPromptSections } from '../../../agent/prompt-library.js';
import { escapeMrkdwn } from '../format/escape-mrkdwn.js';
import { context, header, section } from './layout-blocks.js';
import type { SlackMessage } from './slack-message.js';

const text = (name: string, slots: Record<string, string | number> = {}) => fillSlots(loadPromptSections('slack-daily-briefing').get(name)!, slots);

/** The daily briefing for the alerts channel: a header with the store day, one block per section. */
export function dailyBriefingMessage(briefing: { day: string; hour: number; sections: readonly BriefingSection[] }): SlackMessage {
  const title = text('title', { day: briefing.day });
  const blocks = briefing.sections.map((s) => {
    const note = s.note ?? (s.lines.length === 0 ? text('none') : '');
    const lines = s.lines.map((l) => `\n• ${escapeMrkdwn(l)}`).join('');
    return section(`*${escapeMrkdwn(s.heading)}*${note ? ` ${escapeMrkdwn(note)}` : ''}${lines}`);
  });
  return { text: title, blocks: [header(title), ...blocks, context(escapeMrkdwn(text('footer', { hour: String(briefing.hour).padStart(2, '0') })))] };
}
