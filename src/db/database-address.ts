import { join } from 'node:path';

/** Where a DATA_DIR holder serves its database to other orderops processes (pg connection parameters). */
export interface DatabaseAddress {
  /** The absolute path of the directory holding the Unix socket `.s.PGSQL.<port>`. */
  host: string;
  port: number;
}

/** The socket file a `pg` client opens for `address`. */
export function socketFileOf(address: DatabaseAddress): string {
  return join(address.host, `.s.PGSQL.${address.port}`);
}
