/**
 * Small pieces every Block Kit builder here shares: escaping and the limits Slack enforces
 * (a section text holds 3000 characters, a field 2000, a header 150).
 */
export type Block = Record<string, unknown>;

/** A message as chat.postMessage / chat.update take it: blocks plus the notification fallback. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Slack's mrkdwn treats these three characters as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const mrkdwn = (text: string, max = 3000) => ({ type: 'mrkdwn', text: truncate(text, max) });
export const plain = (text: string, max = 150) => ({ type: 'plain_text', text: truncate(text, max), emoji: true });

export const header = (text: string): Block => ({ type: 'header', text: plain(text) });
export const section = (text: string): Block => ({ type: 'section', text: mrkdwn(text) });
export const context = (...texts: string[]): Block => ({ type: 'context', elements: texts.map((t) => mrkdwn(t, 2000)) });
export const divider = (): Block => ({ type: 'divider' });

/** A section of label/value pairs, two columns on desktop; Slack allows ten fields. */
export function fieldsSection(fields: [label: string, value: string][]): Block {
  return {
    type: 'section',
    fields: fields.slice(0, 10).map(([label, value]) => mrkdwn(`*${label}*\n${value === '' ? '—' : value}`, 2000)),
  };
}

/** Who someone is, as Slack should show them: a mention for Slack user ids, the name otherwise. */
export function personLabel(id: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(id) ? `<@${id}>` : escapeMrkdwn(id);
}

/** A time Slack renders in the reader's own time zone, with a UTC fallback. */
export function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(iso);
  const fallback = new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

/** Plain text fallback of the same time, for the notification line. */
export function plainDate(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function formatMoney(amount: number | string, currency = 'USD'): string {
  const n = typeof amount === 'string' ? Number(amount) : amount;
  if (!Number.isFinite(n)) return String(amount);
  const symbol = currency === 'USD' ? '$' : currency === 'EUR' ? '€' : currency === 'GBP' ? '£' : `${currency} `;
  return `${n < 0 ? '-' : ''}${symbol}${Math.abs(n).toFixed(2)}`;
}

/** A JSON-ish value shortened for a field. */
export function shortValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return truncate(JSON.stringify(v), 200);
}
