import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from './escape-mrkdwn.js';

describe('escapeMrkdwn', () => {
  it('escapes the three control characters, ampersand first so entities are not doubled', () => {
    expect(escapeMrkdwn('<@U123> & <!channel> > 1')).toBe('&lt;@U123&gt; &amp; &lt;!channel&gt; &gt; 1');
  });

  it('leaves mrkdwn formatting characters alone', () => {
    expect(escapeMrkdwn('*bold* _it_ ~x~ `code`')).toBe('*bold* _it_ ~x~ `code`');
  });
});
