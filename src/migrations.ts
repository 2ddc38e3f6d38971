import { capabilities } from './capabilities.ts';
import type { MigrationList } from './platform/db/migrate.ts';
import { platformMigrations } from './platform/migrations.ts';

/** The platform's and every capability's migrations, applied in name order (names start with a date and sequence). */
export const migrations: MigrationList = [...platformMigrations, ...capabilities.flatMap((c) => c.migrations)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
