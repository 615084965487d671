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
