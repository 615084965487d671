import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../config/logger.js';
import { slackSdkLogger } from './slack-sdk-logger.js';

function capture(level: 'info' | 'debug' | 'silent') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ LOG_LEVEL: level }, stream), lines };
}

describe('slackSdkLogger', () => {
  it('writes the SDK\'s lines as JSON lines of the service logger, at the level the SDK set', () => {
    const { logger, lines } = capture('info');
    const sdk = slackSdkLogger(logger);
    sdk.setName('web-api:WebClient:0');
    sdk.setLevel(LogLevel.WARN);
    sdk.info('not at warn');
    sdk.warn('http request failed', { status: 503 });
    sdk.error(new Error('socket closed'));
    expect(lines.map((l) => [l.level, l.component, l.name, String(l.msg).split('\n')[0]])).toEqual([
      [40, 'slack-sdk', 'web-api:WebClient:0', 'http request failed {"status":503}'],
      [50, 'slack-sdk', 'web-api:WebClient:0', 'Error: socket closed'],
    ]);
    expect(sdk.getLevel()).toBe(LogLevel.WARN);
  });

  it('never writes below the service\'s own LOG_LEVEL, whatever the SDK asks', () => {
    const info = capture('info');
    const sdk = slackSdkLogger(info.logger);
    sdk.setLevel(LogLevel.DEBUG);
    sdk.debug('wire detail');
    sdk.info('connected');
    expect(info.lines.map((l) => l.msg)).toEqual(['connected']);

    const silent = capture('silent');
    const quiet = slackSdkLogger(silent.logger);
    quiet.setLevel(LogLevel.DEBUG);
    quiet.error('anything');
    expect(silent.lines).toEqual([]);
  });
});
