import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Handle as Q } from './db/view.ts';

/** One row per setting; values are JSON. Defaults live with the code that reads them. */
export async function readSetting<T>(q: Q, key: string): Promise<T | undefined> {
  const row = await q.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (row.value as T) : undefined;
}

export async function deleteSetting(q: Q, key: string): Promise<void> {
  await q.deleteFrom('settings').where('key', '=', key).execute();
}

export async function writeSetting(q: Q, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await q
    .insertInto('settings')
    .values({ key, value: json, updated_at: new Date() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: new Date() }))
    .execute();
}

/**
 * The signing secret shared by every Chorus process on this database: generated once and kept
 * in the database unless CHORUS_SECRET is set. Never logged.
 */
export async function ensureSecret(q: Q): Promise<string> {
  const candidate = randomBytes(32).toString('base64url');
  await sql`insert into settings (key, value) values ('secret', ${JSON.stringify(candidate)}::jsonb) on conflict (key) do nothing`.execute(q);
  const stored = await readSetting<string>(q, 'secret');
  if (!stored) throw new Error('Could not read the signing secret from the database');
  return stored;
}
