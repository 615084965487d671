import { expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/test-db.js';
import { createInProcessQueue } from './in-process-queue.js';
import { writeOutbox } from '../domain/events/write-outbox.js';
import { registerOutboxHandlers, relayOutbox, type OutboxEvent } from './outbox-relay.js';

describeEachDb('outbox relay', (ctx) => {
  it('relays committed events once, to the handlers of their topic', async () => {
    const queue = createInProcessQueue();
    const seen: OutboxEvent[] = [];
    registerOutboxHandlers(queue, {
      'order.created': [async (e) => void seen.push(e)],
    });
    await queue.start();
    await ctx.db.transaction(async (tx) => {
      await writeOutbox(tx, 'order.created', { orderId: '#W1' });
      await writeOutbox(tx, 'other.topic', { x: 1 });
    });
    await expect(
      ctx.db.transaction(async (tx) => {
        await writeOutbox(tx, 'order.created', { orderId: '#W2' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow();

    expect(await relayOutbox(ctx.db, queue)).toBe(2);
    expect(await relayOutbox(ctx.db, queue)).toBe(0);
    await queue.drain();
    expect(seen.map((e) => e.payload)).toEqual([{ orderId: '#W1' }]);
    await queue.close();
  });
});
