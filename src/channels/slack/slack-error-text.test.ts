import { describe, expect, it } from 'vitest';
import { slackErrorText } from './slack-error-text.js';

describe('slackErrorText', () => {
  it("names the network cause the SDK's message leaves out", () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const fetchFailed = new TypeError('fetch failed', { cause });
    const sdk = Object.assign(new Error('A request error occurred: fetch failed'), { code: 'slack_webapi_request_error', original: fetchFailed });
    expect(slackErrorText(sdk)).toBe('A request error occurred: fetch failed ← connect ECONNREFUSED 127.0.0.1:9');
  });

  it('keeps a platform error as it is', () => {
    const sdk = Object.assign(new Error('An API error occurred: invalid_auth'), { code: 'slack_webapi_platform_error' });
    expect(slackErrorText(sdk)).toBe('An API error occurred: invalid_auth');
    expect(slackErrorText('plain')).toBe('plain');
  });
});
