import { Kysely, PostgresDialect, type PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import type { PlatformTables } from '../../platform/index.ts';
import type { Db, SupportersView } from '../tables.ts';

/**
 * A Kysely that runs every statement on one pooled client, in order. The sender uses it so that
 * all its writes go through the session holding the mailing's lock: if that session dies, the
 * lock is gone and so is every write after it.
 */
export function sessionDb(client: pg.PoolClient): Db {
  const connection = {
    query: (text: string, values: readonly unknown[]) => client.query(text, values as unknown[]),
    release: () => undefined,
  } as unknown as PostgresPoolClient;
  return new Kysely<SupportersView & PlatformTables>({
    dialect: new PostgresDialect({ pool: { connect: async () => connection, end: async () => undefined } }),
  });
}
