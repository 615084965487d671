import { describe, expect, it } from 'vitest';
import { dailyBriefingMessage } from './daily-briefing-message.js';

describe('dailyBriefingMessage', () => {
  const message = dailyBriefingMessage({
    day: 'Thursday 3 December 2026',
    hour: 8,
    sections: [
      { heading: 'On hold (1):', lines: ['#W1: Tee <L> & mug, waiting 2 h 0 min'] },
      { heading: 'Open flags (0):', note: '0 raised since yesterday.', lines: [] },
      { heading: 'Failed jobs (0):', lines: [] },
    ],
  });
  const texts = message.blocks.map((b) => (b.text as { text: string } | undefined)?.text);

  it('heads the message with the store day and gives each section a block of its own', () => {
    expect(message.text).toBe('Morning briefing for Thursday 3 December 2026');
    expect(message.blocks[0]).toMatchObject({ type: 'header' });
    expect(message.blocks.filter((b) => b.type === 'section')).toHaveLength(3);
  });

  it('escapes item text for mrkdwn, keeps a note, and says none for an empty section', () => {
    expect(texts[1]).toBe('*On hold (1):*\n• #W1: Tee &lt;L&gt; &amp; mug, waiting 2 h 0 min');
    expect(texts[2]).toBe('*Open flags (0):* 0 raised since yesterday.');
    expect(texts[3]).toBe('*Failed jobs (0):* none.');
  });

  it('says in its footer when it is posted', () => {
    expect(JSON.stringify(message.blocks.at(-1))).toContain('08:00 store time');
  });
});
