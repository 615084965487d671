import { describe, expect, it } from 'vitest';
import { BackendIdleTracker } from './backend-idle-tracker.js';

const message = (type: string, body: number[] | string = []) => {
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  const head = Buffer.alloc(5);
  head.write(type, 0);
  head.writeInt32BE(bytes.length + 4, 1);
  return Buffer.concat([head, bytes]);
};
const ready = (status: 'I' | 'T' | 'E') => message('Z', [status.charCodeAt(0)]);
const parseComplete = message('1');
const commandComplete = message('C', 'INSERT 0 1\0');

describe('BackendIdleTracker', () => {
  it('starts idle and is busy until ReadyForQuery comes back idle', () => {
    const t = new BackendIdleTracker();
    expect(t.idle).toBe(true);
    t.feed(parseComplete);
    expect(t.idle).toBe(false);
    t.feed(Buffer.concat([commandComplete, ready('I')]));
    expect(t.idle).toBe(true);
  });

  it('stays busy inside a transaction and after an error in one', () => {
    const t = new BackendIdleTracker();
    t.feed(Buffer.concat([commandComplete, ready('T')]));
    expect([t.idle, t.status]).toEqual([false, 'T']);
    t.feed(ready('E'));
    expect([t.idle, t.status]).toEqual([false, 'E']);
    t.feed(Buffer.concat([message('C', 'ROLLBACK\0'), ready('I')]));
    expect([t.idle, t.status]).toEqual([true, 'I']);
  });

  it('reads messages split at any byte', () => {
    const stream = Buffer.concat([parseComplete, message('D', [0, 1, 0, 0, 0, 1, 0x31]), commandComplete, ready('T'), commandComplete, ready('I')]);
    for (let size = 1; size <= 7; size++) {
      const t = new BackendIdleTracker();
      const seen: boolean[] = [];
      for (let i = 0; i < stream.length; i += size) {
        t.feed(stream.subarray(i, i + size));
        // Until the first header is whole, nothing has been said yet.
        if (i + size >= 5) seen.push(t.idle);
      }
      expect(t.idle).toBe(true);
      expect(seen.slice(0, -1).every((idle) => !idle)).toBe(true);
    }
  });
});
