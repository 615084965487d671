import { describe, expect, it } from 'vitest';
import { fieldsSection } from './fields-section.js';

type Field = { type: string; text: string };

describe('fieldsSection', () => {
  it('renders each pair as a bold label over its value', () => {
    expect(fieldsSection([['Status', 'shipped'], ['Total', '$12.00']])).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Status*\nshipped' },
        { type: 'mrkdwn', text: '*Total*\n$12.00' },
      ],
    });
  });

  it('shows a dash for an empty value so the column does not collapse', () => {
    const fields = fieldsSection([['Note', '']]).fields as Field[];
    expect(fields[0]?.text).toBe('*Note*\n—');
  });

  it('keeps the first ten fields, the most Slack accepts', () => {
    const pairs = Array.from({ length: 12 }, (_, i): [string, string] => [`F${i}`, String(i)]);
    const fields = fieldsSection(pairs).fields as Field[];
    expect(fields).toHaveLength(10);
    expect(fields[9]?.text).toBe('*F9*\n9');
  });

  it('cuts a long field to 2000 characters', () => {
    const fields = fieldsSection([['Address', 'z'.repeat(2500)]]).fields as Field[];
    expect(fields[0]?.text).toHaveLength(2000);
  });
});
