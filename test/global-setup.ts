import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrations } from '../src/migrations.ts';
import { connectDatabase } from '../src/platform/db/database.ts';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrateDatabase } from '../src/platform/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the test cluster's maintenance database. */
    pgAdminUrl: string;
    /** Name of the migrated template every test database is copied from. */
    pgTemplate: string;
  }
}

/**
 * One real PostgreSQL cluster for the whole run (embedded-postgres binaries), with a migrated
 * template database. Each test file copies the template into a database of its own.
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-test-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, database: 'chorus_template' });
  const templateUrl = server.url;
  const handle = connectDatabase(templateUrl, 2);
  await migrateDatabase(handle.db, handle.pool, migrations);
  await handle.close();
  const adminUrl = templateUrl.replace(/\/chorus_template$/, '/postgres');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`alter database chorus_template with is_template true`);
  await admin.end();
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', 'chorus_template');
  return async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
