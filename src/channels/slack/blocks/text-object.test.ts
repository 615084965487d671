import { describe, expect, it } from 'vitest';
import { mrkdwn, plain } from './text-object.js';

describe('mrkdwn', () => {
  it('is a mrkdwn text object cut to 3000 characters unless told otherwise', () => {
    expect(mrkdwn('*hi*')).toEqual({ type: 'mrkdwn', text: '*hi*' });
    expect(mrkdwn('x'.repeat(3001)).text).toHaveLength(3000);
    expect(mrkdwn('x'.repeat(3000)).text).toBe('x'.repeat(3000));
    expect(mrkdwn('x'.repeat(50), 10).text).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('plain', () => {
  it('is a plain_text object with emoji, cut to 150 characters unless told otherwise', () => {
    expect(plain('Order #W1')).toEqual({ type: 'plain_text', text: 'Order #W1', emoji: true });
    expect(plain('y'.repeat(151)).text).toHaveLength(150);
    expect(plain('y'.repeat(80), 75).text).toHaveLength(75);
  });
});
