import { describe, expect, it } from 'vitest';
import { retryWhileDatabaseUnavailable } from './retry-while-database-unavailable.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('retryWhileDatabaseUnavailable', () => {
  it('tries again while the database is out of reach and returns the first success', async () => {
    let tries = 0;
    const result = await retryWhileDatabaseUnavailable(async () => {
      tries++;
      if (tries < 3) throw refused();
      return 'recorded';
    }, { firstWaitMs: 1 });
    expect({ result, tries }).toEqual({ result: 'recorded', tries: 3 });
  });

  it('throws any other error at once', async () => {
    let tries = 0;
    const wrong = new Error('duplicate key value violates unique constraint');
    await expect(retryWhileDatabaseUnavailable(async () => {
      tries++;
      throw wrong;
    }, { firstWaitMs: 1 })).rejects.toBe(wrong);
    expect(tries).toBe(1);
  });

  it('gives up once the outage outlasts its window', async () => {
    let tries = 0;
    await expect(retryWhileDatabaseUnavailable(async () => {
      tries++;
      throw refused();
    }, { firstWaitMs: 5, withinMs: 40 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(tries).toBeGreaterThan(1);
    expect(tries).toBeLessThan(6);
  });
});
