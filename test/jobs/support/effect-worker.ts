// A worker (or, with EFFECT_ROLE=serve, the whole service) whose handlers call an outside service
// with an idempotency key: the process the kill -9 tests start and kill. Run with
// `node --import tsx test/jobs/support/effect-worker.ts`; EFFECT_URL is the local effect server.
import { startWorker } from '../../../src/cli/commands/worker.js';
import { loadConfig } from '../../../src/config/config.js';
import { runUntilSignal } from '../../../src/server/run-until-signal.js';
import { startApp, type AppExtension } from '../../../src/server/start-app.js';

const EFFECT_TOPIC = 'test.effect';
const EFFECT_QUEUE = 'test-effect';

const effectUrl = process.env.EFFECT_URL!;

async function perform(key: string): Promise<void> {
  const res = await fetch(effectUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ key }),
  });
  if (!res.ok) throw new Error(`effect ${key}: HTTP ${res.status}`);
}

const effects: AppExtension = async (ctx) => {
  ctx.onOutbox(EFFECT_TOPIC, async (event) => perform(`outbox-${event.id}`), 'test.effect');
  // A second handler of the topic: each keeps its own done marker.
  ctx.onOutbox(EFFECT_TOPIC, async (event) => perform(`outbox-${event.id}-audit`), 'test.effect-audit');
  ctx.queue.register<{ key: string }>(EFFECT_QUEUE, async ({ key }) => perform(key), { concurrency: 4 });
};

const config = loadConfig();
const running = process.env.EFFECT_ROLE === 'serve'
  ? await startApp(config, { extensions: [effects], log: () => undefined })
  : await startWorker(config, [effects]);
runUntilSignal(running);
console.log('effect-worker ready');
