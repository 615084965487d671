import { SLASH_COMMAND } from '../action-ids.js';
import { section } from './layout-blocks.js';
import type { SlackMessage } from './slack-message.js';

const LINES = [
  [`${SLASH_COMMAND} order <order id>`, 'one order: status, items, total, tracking'],
  [`${SLASH_COMMAND} stock <sku or product name>`, 'stock per location'],
  [`${SLASH_COMMAND} held`, 'orders on hold and why'],
  [`${SLASH_COMMAND} approvals`, 'approvals waiting for a decision'],
  [`${SLASH_COMMAND} help`, 'this list'],
] as const;

/** What the slash command can do; also the answer to an unknown subcommand. */
export function helpMessage(prefix?: string): SlackMessage {
  const body = LINES.map(([cmd, what]) => `\`${cmd}\` — ${what}`).join('\n');
  return {
    text: `${prefix ? `${prefix}\n` : ''}${LINES.map(([cmd, what]) => `${cmd}: ${what}`).join('\n')}`,
    blocks: [
      ...(prefix ? [section(prefix)] : []),
      section(`${body}\n\nMention me or DM me to ask anything else; risky actions come back here for approval.`),
    ],
  };
}
