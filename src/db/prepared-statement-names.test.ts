import { describe, expect, it } from 'vitest';
import { isPreparedStatementFault, isPreparedStatementMismatch, PreparedStatementNames } from './prepared-statement-names.js';

describe('PreparedStatementNames', () => {
  it('names a text from its second sighting on, the same name each time', () => {
    const names = new PreparedStatementNames();
    const sql = 'SELECT * FROM orders WHERE id = $1';
    expect(names.nameFor(sql)).toBeUndefined();
    const name = names.nameFor(sql);
    expect(name).toMatch(/^oo0_/);
    expect(names.nameFor(sql)).toBe(name);
    expect(names.nameFor('SELECT 1 WHERE $1::int = 1')).toBeUndefined();
  });

  it('gives no more names than its cap; texts past it run unnamed', () => {
    const names = new PreparedStatementNames({ hotAfter: 1, maxNames: 2 });
    expect(names.nameFor('a $1')).toBeDefined();
    expect(names.nameFor('b $1')).toBeDefined();
    expect(names.nameFor('c $1')).toBeUndefined();
    expect(names.nameFor('a $1')).toBeDefined();
  });

  it('moves every text to a new name on renew', () => {
    const names = new PreparedStatementNames({ hotAfter: 1 });
    const before = names.nameFor('SELECT $1');
    names.renew();
    const after = names.nameFor('SELECT $1');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });

  it('tells a stale plan and a session that disagrees on its statements from other errors', () => {
    const err = (code: string, message: string) => Object.assign(new Error(message), { code });
    const stale = err('0A000', 'cached plan must not change result type');
    const missing = err('26000', 'prepared statement "oo0_x" does not exist');
    const twice = err('42P05', 'prepared statement "oo0_x" already exists');
    expect([stale, missing, twice].map(isPreparedStatementFault)).toEqual([true, true, true]);
    expect([stale, missing, twice].map(isPreparedStatementMismatch)).toEqual([false, true, true]);
    expect(isPreparedStatementFault(err('0A000', 'feature not supported'))).toBe(false);
    expect(isPreparedStatementFault(new Error('cached plan must not change result type'))).toBe(false);
    expect(isPreparedStatementFault(err('23505', 'duplicate key value violates unique constraint'))).toBe(false);
  });
});
