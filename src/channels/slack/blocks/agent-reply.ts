import { divider, section } from './layout-blocks.js';
import type { Block, SlackMessage } from './slack-message.js';

/** Markdown the model tends to write, turned into Slack's mrkdwn dialect. */
export function markdownToMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/^#{1,6}\s+(.+)$/gm, '*$1*')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<$2|$1>');
}

/** Splits text into section-sized pieces on paragraph or line boundaries. */
function sections(text: string, max = 2900): Block[] {
  const out: Block[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = max;
    out.push(section(rest.slice(0, cut)));
    rest = rest.slice(cut).replace(/^\n+/, '');
  }
  if (rest.trim()) out.push(section(rest));
  return out;
}

/**
 * The agent's reply in a thread: its words first, then compact cards (orders, customers, stock)
 * for the records it talked about. `text` stays the plain reply, for notifications and clients
 * that cannot show blocks.
 */
export function agentReplyMessage(reply: string, cards: SlackMessage[] = []): SlackMessage {
  const cardBlocks = cards.flatMap((c, i) => (i === 0 ? c.blocks : [divider(), ...c.blocks]));
  const blocks = [...sections(markdownToMrkdwn(reply || '(no reply)')), ...(cardBlocks.length ? [divider(), ...cardBlocks] : [])];
  // Slack refuses a message with more than 50 blocks.
  return { text: reply || '(no reply)', blocks: blocks.slice(0, 50) };
}
