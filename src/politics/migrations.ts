import type { Migration } from 'kysely';

export const politicsMigrations: Array<[string, Migration]> = [];
