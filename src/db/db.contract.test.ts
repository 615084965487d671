import { expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/test-db.js';
import { migrate } from './migrate.js';

// The contract every Db implementation must meet; runs on PGlite and, in CI, on PostgreSQL.
describeEachDb('Db contract', (ctx) => {
  it('returns NUMERIC as exact strings, INT8 as numbers, JSONB parsed and arrays as arrays', async () => {
    const { rows } = await ctx.db.query<{ n: string; b: number; j: unknown; a: string[] }>(
      `SELECT 0.1::numeric(14,2) + 0.2::numeric(14,2) AS n, 9007199254740::int8 AS b,
              '{"k":[1,"x"]}'::jsonb AS j, ARRAY['a','b']::text[] AS a`,
    );
    expect(rows[0]).toEqual({ n: '0.30', b: 9007199254740, j: { k: [1, 'x'] }, a: ['a', 'b'] });
  });

  it('binds parameters of every common type', async () => {
    const { rows } = await ctx.db.query<{ s: string; n: string; j: unknown; a: string[] }>(
      'SELECT $1::text AS s, $2::numeric AS n, $3::jsonb AS j, $4::text[] AS a',
      ["it's", '12.34', JSON.stringify({ x: 1 }), ['p', 'q']],
    );
    expect(rows[0]).toEqual({ s: "it's", n: '12.34', j: { x: 1 }, a: ['p', 'q'] });
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await ctx.db.exec('CREATE TABLE IF NOT EXISTS contract_t (v int)');
    await ctx.db.transaction(async (tx) => {
      await tx.query('INSERT INTO contract_t VALUES (1)');
    });
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.query('INSERT INTO contract_t VALUES (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await ctx.db.query<{ v: number }>('SELECT v FROM contract_t ORDER BY v');
    expect(rows.map((r) => r.v)).toEqual([1]);
  });

  it('nests transactions as savepoints: an inner failure keeps the outer work', async () => {
    await ctx.db.exec('CREATE TABLE IF NOT EXISTS contract_n (v int)');
    await ctx.db.transaction(async (tx) => {
      expect(tx.inTransaction).toBe(true);
      await tx.query('INSERT INTO contract_n VALUES (1)');
      await expect(
        tx.transaction(async (inner) => {
          await inner.query('INSERT INTO contract_n VALUES (2)');
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      await tx.transaction(async (inner) => {
        await inner.query('INSERT INTO contract_n VALUES (3)');
      });
    });
    const { rows } = await ctx.db.query<{ v: number }>('SELECT v FROM contract_n ORDER BY v');
    expect(rows.map((r) => r.v)).toEqual([1, 3]);
  });

  it('serialises concurrent increments under row locks without losing any', async () => {
    await ctx.db.exec('CREATE TABLE IF NOT EXISTS contract_c (id int PRIMARY KEY, v int)');
    await ctx.db.query('INSERT INTO contract_c VALUES (1, 0) ON CONFLICT DO NOTHING');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        ctx.db.transaction(async (tx) => {
          const { rows } = await tx.query<{ v: number }>('SELECT v FROM contract_c WHERE id = 1 FOR UPDATE');
          await tx.query('UPDATE contract_c SET v = $1 WHERE id = 1', [rows[0]!.v + 1]);
        }),
      ),
    );
    const { rows } = await ctx.db.query<{ v: number }>('SELECT v FROM contract_c WHERE id = 1');
    expect(rows[0]!.v).toBe(20);
  });

  it('reports affected row counts', async () => {
    await ctx.db.exec('CREATE TABLE IF NOT EXISTS contract_r (v int)');
    await ctx.db.query('INSERT INTO contract_r VALUES (1), (2), (3)');
    const result = await ctx.db.query('UPDATE contract_r SET v = v + 1 WHERE v >= 2');
    expect(result.rowCount).toBe(2);
  });

  it('has every migration applied, and migrating again applies nothing', async () => {
    expect(await migrate(ctx.db)).toEqual([]);
    const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('refuses a duplicate (channel, external id) order', async () => {
    await ctx.db.query(
      `INSERT INTO customers (id, first_name, last_name, email) VALUES ('c1', 'A', 'B', 'a@b.test')`,
    );
    const insert = () =>
      ctx.db.query(
        `INSERT INTO orders (id, customer_id, channel, external_id, status, address1, city, state, country, zip)
         VALUES ($1, 'c1', 'shopify', 'X1', 'pending', 'a', 'b', 'c', 'd', 'e')`,
        [`#W${Math.floor(Math.random() * 1e7)}`],
      );
    await insert();
    await expect(insert()).rejects.toThrow(/duplicate key|unique/i);
  });
});

// LISTEN/NOTIFY: how approval changes travel between orderops processes sharing one database.
describeEachDb('Db contract: listen', (ctx) => {
  /** A queue of payloads heard on a channel, with a wait for the next one. */
  function heard() {
    const payloads: string[] = [];
    const waiters: (() => void)[] = [];
    return {
      payloads,
      handler: (payload: string) => {
        payloads.push(payload);
        waiters.splice(0).forEach((w) => w());
      },
      async until(count: number) {
        while (payloads.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      },
    };
  }

  it('delivers every NOTIFY on the channel, sent from this handle or a transaction, in order', async () => {
    const h = heard();
    const other = heard();
    let listening = 0;
    const unlisten = await ctx.db.listen('contract_events', h.handler, { onListening: () => listening++ });
    const unlistenOther = await ctx.db.listen('contract_other', other.handler);
    expect(listening).toBe(1);
    await ctx.db.query('SELECT pg_notify($1, $2)', ['contract_events', '{"n":1}']);
    await ctx.db.transaction(async (tx) => {
      await tx.query('SELECT pg_notify($1, $2)', ['contract_events', 'two']);
      await tx.query(`NOTIFY contract_events, 'three'`);
    });
    await ctx.db.transaction(async (tx) => {
      await tx.query('SELECT pg_notify($1, $2)', ['contract_events', 'rolled back']);
      throw new Error('undo');
    }).catch(() => undefined);
    await ctx.db.query(`SELECT pg_notify('contract_events', 'four')`);
    await h.until(4);
    expect(h.payloads).toEqual(['{"n":1}', 'two', 'three', 'four']);
    expect(other.payloads).toEqual([]);
    await unlisten();
    await unlistenOther();
  });

  it('stops calling the handler once unlistened', async () => {
    const h = heard();
    const witness = heard();
    const unlisten = await ctx.db.listen('contract_stop', h.handler);
    const unlistenWitness = await ctx.db.listen('contract_stop', witness.handler);
    await ctx.db.query(`SELECT pg_notify('contract_stop', 'a')`);
    await h.until(1);
    await unlisten();
    await ctx.db.query(`SELECT pg_notify('contract_stop', 'b')`);
    await witness.until(2);
    expect(h.payloads).toEqual(['a']);
    await unlistenWitness();
  });

  if (ctx.backend === 'postgres') {
    it('listens again after its connection is killed, and the pool keeps serving', async () => {
      const h = heard();
      const errors: string[] = [];
      let listening = 0;
      let relistened: () => void = () => {};
      const again = new Promise<void>((resolve) => (relistened = resolve));
      const unlisten = await ctx.db.listen('contract_drop', h.handler, {
        onListening: () => {
          listening++;
          if (listening === 2) relistened();
        },
        onError: (err) => errors.push(err.message),
      });
      await ctx.db.query(`SELECT pg_notify('contract_drop', 'before')`);
      await h.until(1);
      const { rows } = await ctx.db.query<{ killed: boolean }>(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
          WHERE datname = current_database() AND query ILIKE 'LISTEN%contract_drop%'`,
      );
      expect(rows.map((r) => r.killed)).toEqual([true]);
      await again;
      expect(errors.length).toBeGreaterThan(0);
      await ctx.db.query(`SELECT pg_notify('contract_drop', 'after')`);
      await h.until(2);
      expect(h.payloads).toEqual(['before', 'after']);
      await unlisten();
    });
  }
});
