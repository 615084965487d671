import { describe, expect, it } from 'vitest';
import { agentReplyMessage, markdownToMrkdwn } from './agent-reply.js';

describe('agentReplyMessage', () => {
  it('turns Markdown into Slack mrkdwn and keeps the plain reply as fallback', () => {
    expect(markdownToMrkdwn('**Order** #W1 is [here](https://x.example/o) & <ok>')).toBe('*Order* #W1 is <https://x.example/o|here> &amp; &lt;ok&gt;');
    const m = agentReplyMessage('**Done**');
    expect(m.text).toBe('**Done**');
    expect(m.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '*Done*' } }]);
  });

  it('splits a long reply into sections Slack accepts and appends cards after a divider', () => {
    const long = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(30)}`).join('\n');
    const m = agentReplyMessage(long, [{ text: 'card', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'card' } }] }]);
    const sections = m.blocks.filter((b) => b.type === 'section') as { text: { text: string } }[];
    expect(sections.every((s) => s.text.text.length <= 3000)).toBe(true);
    expect(sections.slice(0, -1).map((s) => s.text.text).join('\n')).toBe(long);
    expect(m.blocks.at(-2)).toEqual({ type: 'divider' });
  });
});
