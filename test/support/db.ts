import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/platform/db/database.ts';
import type { Database } from '../../src/schema.ts';

export interface TestDatabase extends DatabaseHandle<Database> {
  url: string;
  name: string;
  /** Closes connections and drops the database. */
  drop(): Promise<void>;
}

async function asAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

async function newDatabase(template: string, poolSize: number): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await asAdmin((admin) => admin.query(`create database ${name} template ${template}`));
  const url = inject('pgAdminUrl').replace(/\/postgres$/, `/${name}`);
  const handle = connectDatabase<Database>(url, poolSize, 'chorus-test');
  return {
    ...handle,
    url,
    name,
    async drop() {
      await handle.close();
      await asAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** A fresh, migrated database of its own (a copy of the run's template). */
export function createTestDatabase(poolSize = 5): Promise<TestDatabase> {
  return newDatabase(inject('pgTemplate'), poolSize);
}

/**
 * A fresh database with no tables at all, on the run's PostgreSQL server: stands in for the empty
 * database a hosting provider hands over (DATABASE_URL), for `chorus migrate` to fill.
 */
export function createEmptyDatabase(poolSize = 2): Promise<TestDatabase> {
  return newDatabase('template0', poolSize);
}

/** Drops a database while its users are still connected (their connections are cut): the server has lost it. */
export async function dropDatabaseUnderneath(name: string): Promise<void> {
  await asAdmin((admin) => admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
}
