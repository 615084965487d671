import { describe, expect, it } from 'vitest';
import { plainDate, slackDate } from './slack-date.js';

describe('slackDate', () => {
  it('renders a date token in epoch seconds with a UTC minute fallback', () => {
    expect(slackDate('2024-03-05T14:07:09.999Z')).toBe('<!date^1709647629^{date_short_pretty} {time}|2024-03-05 14:07 UTC>');
  });

  it('reads offsets into UTC', () => {
    expect(slackDate('2024-03-05T16:07:09+02:00')).toBe('<!date^1709647629^{date_short_pretty} {time}|2024-03-05 14:07 UTC>');
  });

  it('shows an unparseable value as escaped text', () => {
    expect(slackDate('<soon>')).toBe('&lt;soon&gt;');
  });
});

describe('plainDate', () => {
  it('gives the same UTC minute as the fallback of slackDate', () => {
    expect(plainDate('2024-03-05T14:07:09Z')).toBe('2024-03-05 14:07 UTC');
  });

  it('returns an unparseable value unchanged', () => {
    expect(plainDate('<soon>')).toBe('<soon>');
  });
});
