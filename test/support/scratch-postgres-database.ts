import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from './global-setup.js';

export interface ScratchDatabase {
  /** The new database's address: `adminUrl` with its name. */
  url: string;
  /** Drops it, ending any connection still open on it. */
  drop(): Promise<void>;
}

/**
 * An empty PostgreSQL database of its own on the server at `adminUrl`, for a test that starts
 * orderops processes on one database the way production does (each migrates and opens its pool).
 */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return { url: withDatabase(adminUrl, name), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
