import { describe, expect, it } from 'vitest';
import { humanAge } from '../../console/src/human-time.js';

const now = new Date('2026-03-04T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

describe('humanAge', () => {
  it('says how long ago in the largest unit that reads naturally', () => {
    expect(humanAge(ago(10), now)).toBe('just now');
    expect(humanAge(ago(5 * 60), now)).toBe('5 min ago');
    expect(humanAge(ago(3 * 3600), now)).toBe('3 h ago');
    expect(humanAge(ago(40 * 3600), now)).toBe('40 h ago');
    expect(humanAge(ago(3 * 86_400), now)).toBe('3 d ago');
  });
  it('says "in" for a time ahead', () => {
    expect(humanAge(ago(-4 * 3600), now)).toBe('in 4 h');
  });
});
