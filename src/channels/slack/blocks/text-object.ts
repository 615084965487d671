import { truncate } from '../format/truncate.js';

/*
 * Block Kit text objects, cut to the limits Slack enforces: a section text holds 3000
 * characters, a field or context element 2000, a header 150. Slack rejects the whole message
 * when one text is too long, so cutting is better than failing.
 */
export const mrkdwn = (text: string, max = 3000) => ({ type: 'mrkdwn', text: truncate(text, max) });
export const plain = (text: string, max = 150) => ({ type: 'plain_text', text: truncate(text, max), emoji: true });
