import { describe, expect, it } from 'vitest';
import { capTextForModel } from './cap-text-for-model.js';

describe('capTextForModel', () => {
  it('leaves text within the limit as it is', () => {
    expect(capTextForModel('Where is my order?', 1024)).toBe('Where is my order?');
  });

  it('cuts longer text at a character boundary and says how much was shown', () => {
    const text = `${'é'.repeat(700)}TAIL`;
    const capped = capTextForModel(text, 1001);
    const [shown] = capped.split('\n\n');
    expect(shown).toBe('é'.repeat(500));
    expect(capped).not.toContain('TAIL');
    expect(capped).toMatch(/first 1000 of 1404 bytes/);
    expect(capped).toMatch(/hand it to a person/);
  });
});
