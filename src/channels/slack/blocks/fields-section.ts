import type { Block } from './slack-message.js';
import { mrkdwn } from './text-object.js';

/** A section of label/value pairs, two columns on desktop; Slack allows ten fields. */
export function fieldsSection(fields: [label: string, value: string][]): Block {
  return {
    type: 'section',
    fields: fields.slice(0, 10).map(([label, value]) => mrkdwn(`*${label}*\n${value === '' ? '—' : value}`, 2000)),
  };
}
