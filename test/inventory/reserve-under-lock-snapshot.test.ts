import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import { createPostgresDb } from '../../src/db/postgres-db.js';
import { systemActor } from '../../src/domain/actor.js';
import { isDomainError } from '../../src/domain/domain-error.js';
import { reserveUnderLock } from '../../src/domain/inventory/reserve.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-postgres-database.js';
import { insertTestOrder, seedTestCatalog } from '../support/seed-test-catalog.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const actor = systemActor('reserve-snapshot-test');

/** The transaction as reserveUnderLock sees it, with `after` run once its lock statement has returned. */
function afterLock(tx: Db, after: () => Promise<void>): Db {
  let done = false;
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver);
      return async (sql: string, params?: unknown[]) => {
        const result = await target.query(sql, params);
        if (!done && /FOR UPDATE OF l/.test(sql)) {
          done = true;
          await after();
        }
        return result;
      };
    },
  });
}

// Two sessions at once are needed, so this runs on PostgreSQL only (PGlite has one).
describe.skipIf(!POSTGRES_URL)('reserving under the level locks, on PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let db: Db;
  let other: Db;

  beforeAll(async () => {
    scratch = await createScratchDatabase(POSTGRES_URL!, 'orderops_reserve_snapshot');
    db = createPostgresDb(scratch.url, { max: 2 });
    other = createPostgresDb(scratch.url, { max: 1 });
    await migrate(db);
    await seedTestCatalog(db, 'p-snap', [{ sku: 'SNAP-1', price: '10.00', stock: { 'loc-east-wh': 3 } }]);
    await insertTestOrder(db, '#W0000091');
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await other?.close();
    await scratch?.drop();
  });

  it('counts a level row committed after its locks were taken as nothing, since it holds no lock on it', async () => {
    // Committed by another session between the lock statement and the check: unlocked, so another
    // reserver could promise the same units without waiting.
    const arrives = () =>
      other.query(`INSERT INTO inventory_levels (variant_id, location_id, on_hand) VALUES ('v-SNAP-1', 'loc-west-wh', 5)`).then(() => undefined);
    const err = await db
      .transaction((tx) =>
        reserveUnderLock(afterLock(tx, arrives), {
          orderId: '#W0000091',
          actor,
          items: [{ variantId: 'v-SNAP-1', locationId: 'loc-west-wh', quantity: 2, sku: 'SNAP-1' }],
        }),
      )
      .catch((e: unknown) => e);
    expect(isDomainError(err) && err.code === 'insufficient_stock').toBe(true);
    expect((err as Error).message).toBe('Not enough stock available for SNAP-1 at loc-west-wh (wanted 2, available 0)');
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reservations WHERE order_id = '#W0000091'`);
    expect(rows[0]!.n).toBe(0);
  });

  it('reserves on the levels it locked', async () => {
    const ids = await db.transaction((tx) =>
      reserveUnderLock(tx, { orderId: '#W0000091', actor, items: [{ variantId: 'v-SNAP-1', locationId: 'loc-east-wh', quantity: 3 }] }),
    );
    expect(ids).toHaveLength(1);
  });
});
