import { describe, expect, it } from 'vitest';
import { parseSmsKeyword } from './sms-keyword.js';

describe('parseSmsKeyword', () => {
  it.each(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])('%s stops', (word) => {
    expect(parseSmsKeyword(word)).toBe('stop');
  });
  it.each(['START', 'UNSTOP', 'YES'])('%s starts again', (word) => {
    expect(parseSmsKeyword(word)).toBe('start');
  });
  it.each(['HELP', 'INFO'])('%s asks for help', (word) => {
    expect(parseSmsKeyword(word)).toBe('help');
  });

  it('ignores case, surrounding spaces and trailing full stops or exclamation marks', () => {
    expect(parseSmsKeyword('  stop\n')).toBe('stop');
    expect(parseSmsKeyword('Stop.')).toBe('stop');
    expect(parseSmsKeyword('unstop!!')).toBe('start');
    expect(parseSmsKeyword('help ')).toBe('help');
  });

  it('is null for anything that is not the one word', () => {
    for (const text of ['please stop texting me', 'STOP NOW', 'stopp', 'S T O P', 'where is my order?', '', 'yes please', 'constructor', 'toString']) {
      expect(parseSmsKeyword(text)).toBeNull();
    }
  });
});
