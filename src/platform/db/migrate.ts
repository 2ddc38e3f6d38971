import { Migrator, type Kysely, type Migration } from 'kysely';
import { Logger, runMigrations as runWorkerMigrations } from 'graphile-worker';
import type pg from 'pg';

export type MigrationList = ReadonlyArray<readonly [name: string, migration: Migration]>;

export interface MigrateResult {
  applied: string[];
}

/**
 * Applies our migrations (in name order, under Kysely's lock so several processes can start at
 * once) and graphile-worker's own schema.
 */
export async function migrateDatabase(db: Kysely<unknown>, pool: pg.Pool, migrations: MigrationList): Promise<MigrateResult> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => Object.fromEntries(migrations) },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  await runWorkerMigrations({ pgPool: pool, logger: silentWorkerLogger() });
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

export function silentWorkerLogger(): Logger {
  return new Logger(() => () => undefined);
}
