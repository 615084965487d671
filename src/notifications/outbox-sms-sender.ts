import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SmsSender } from './sms-sender.js';

/** The embedded default: each message is a JSON file under DATA_DIR/sms-outbox/, one per idempotency key. */
export function createOutboxSmsSender(dataDir: string): SmsSender {
  const dir = join(dataDir, 'sms-outbox');
  return {
    kind: 'outbox',
    async send(sms) {
      const digest = createHash('sha256').update(sms.idempotencyKey).digest('hex').slice(0, 24);
      const file = join(dir, `${digest}.json`);
      const providerId = `OB${digest}`;
      // The same key twice is the same message: the file already written is the one sent.
      const existing = await readFile(file, 'utf8').catch(() => null);
      if (existing) return { providerId, status: 'sent' };
      await mkdir(dir, { recursive: true });
      await writeFile(file, JSON.stringify({ to: sms.to, body: sms.body, idempotencyKey: sms.idempotencyKey, at: new Date().toISOString() }, null, 2), { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      return { providerId, status: 'sent' };
    },
  };
}
