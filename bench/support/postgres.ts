import fs from 'node:fs';
import path from 'node:path';
import { migrations } from '../../src/migrations.ts';
import { connectDatabase } from '../../src/platform/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/platform/db/embedded-postgres.ts';
import { migrateDatabase } from '../../src/platform/db/migrate.ts';
import type { Database } from '../../src/schema.ts';

export const benchRoot = path.resolve(import.meta.dirname, '..', '..', '.tmp', 'bench');

export interface BenchDatabase {
  url: string;
  server: EmbeddedPostgres;
  stop(): Promise<void>;
}

/**
 * A fresh embedded PostgreSQL for one benchmark run, with the same settings `npm start` uses
 * (durable commits: synchronous_commit on, fsync on), migrated.
 */
export async function freshDatabase(name: string): Promise<BenchDatabase> {
  const dir = path.join(benchRoot, name);
  fs.rmSync(dir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres({ dataDir: dir, database: 'chorus' });
  const handle = connectDatabase<Database>(server.url, 2, 'bench-migrate');
  await migrateDatabase(handle.db as never, handle.pool, migrations);
  await handle.close();
  return {
    url: server.url,
    server,
    async stop() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
