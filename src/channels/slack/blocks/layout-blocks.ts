import type { Block } from './slack-message.js';
import { mrkdwn, plain } from './text-object.js';

/* The plain Block Kit layout blocks every message here is made of, each within Slack's limits. */
export const header = (text: string): Block => ({ type: 'header', text: plain(text) });
export const section = (text: string): Block => ({ type: 'section', text: mrkdwn(text) });
export const context = (...texts: string[]): Block => ({ type: 'context', elements: texts.map((t) => mrkdwn(t, 2000)) });
export const divider = (): Block => ({ type: 'divider' });
