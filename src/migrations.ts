import { apiMigrations } from './api/migrations.ts';
import { coalitionMigrations } from './coalition/migrations.ts';
import { petitionMigrations } from './petitions/migrations.ts';
import type { MigrationList } from './platform/db/migrate.ts';
import { platformMigrations } from './platform/migrations.ts';
import { politicsMigrations } from './politics/migrations.ts';
import { supporterMigrations } from './supporters/migrations.ts';

/** Every capability's migrations, applied in name order (names start with a date and sequence). */
export const migrations: MigrationList = [...platformMigrations, ...coalitionMigrations, ...politicsMigrations, ...petitionMigrations, ...supporterMigrations, ...apiMigrations].sort(
  ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0),
);
