import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';

// Postgres `bigint` (int8) and `numeric` come back as strings by default. Counts in Chorus fit
// easily in a JS number, so parse int8; numeric stays a string where it is used for money-like
// precision (none yet).
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
// `date` columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export interface DatabaseHandle<DB> {
  db: Kysely<DB>;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function connectDatabase<DB>(url: string, poolSize: number, applicationName = 'chorus'): DatabaseHandle<DB> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    application_name: applicationName,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed: Promise<void> | undefined;
  return {
    db,
    pool,
    close() {
      closed ??= db.destroy();
      return closed;
    },
  };
}

/** A query runner: the database or an open transaction. Rules take this so callers can compose. */
export type Queryable<DB> = Kysely<DB> | Transaction<DB>;

/**
 * A query runner over any capability's view of the tables. Platform mechanisms that own their
 * tables (mail, jobs) take this, so a capability calls them with whatever handle it holds.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyQueryable = Queryable<any>;

/** PostgreSQL refused a row because a unique index already holds its key (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
