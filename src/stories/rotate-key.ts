import fs from 'node:fs';
import { sql } from 'kysely';
import { generateKeyText, isSealed, parseKeyText, sealedBytesPrefix, sealedUnderPattern, type KeyRing } from '../platform/index.ts';
import { SEALED_BYTE_COLUMNS, SEALED_COLUMNS, bytesPurposeOf, purposeOf, type SealedBytesTable, type SealedTable } from './sealed-columns.ts';
import { SEALED_COLUMNS as STORYTELLER_SEALED_COLUMNS } from './storytellers/storytellers.ts';
import { keySourceFor, readKeyFile, storiesKeyRing, writeKeyFile } from './story-keys.ts';
import type { AppContext } from './tables.ts';

const BATCH = 200;

interface SealedColumn {
  column: string;
  purpose: string;
}

/** Every sealed column of the capability, by table, with the purpose its values are sealed for. */
function sealedTables(): Map<string, SealedColumn[]> {
  const tables = new Map<string, SealedColumn[]>();
  const add = (table: string, column: string, purpose: string) => tables.set(table, [...(tables.get(table) ?? []), { column, purpose }]);
  for (const table of Object.keys(SEALED_COLUMNS) as SealedTable[]) for (const column of SEALED_COLUMNS[table]) add(table, column, purposeOf(table, column));
  for (const c of STORYTELLER_SEALED_COLUMNS) add(c.table, c.column, c.purpose);
  return tables;
}

/** Re-seals, a batch a transaction, every value in `table` not sealed under the ring's current key. */
async function resealTable(ctx: AppContext, ring: KeyRing, table: string, sealedColumns: SealedColumn[], say: (line: string) => void): Promise<number> {
  const columns = sealedColumns.map((c) => c.column);
  const purposes = new Map(sealedColumns.map((c) => [c.column, c.purpose]));
  const current = sealedUnderPattern(ring.current.id);
  const stale = sql.join(columns.map((c) => sql`(${sql.ref(c)} is not null and ${sql.ref(c)} not like ${current})`), sql` or `);
  const total = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${stale}`.execute(ctx.db)).rows[0]!.n);
  let done = 0;
  say(`${table}: ${total} to re-seal`);
  for (;;) {
    const batch = await ctx.db.transaction().execute(async (tx) => {
      const rows = await sql<Record<string, string | null> & { id: number }>`
        select id, ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)} where ${stale} order by id limit ${BATCH} for update skip locked`.execute(tx);
      for (const row of rows.rows) {
        const sets = columns.filter((c) => row[c] != null && isSealed(row[c]!)).map((c) => sql`${sql.ref(c)} = ${ring.reseal(row[c]!, purposes.get(c)!)}`);
        if (sets.length > 0) await sql`update ${sql.table(table)} set ${sql.join(sets)} where id = ${row.id}`.execute(tx);
      }
      return rows.rows.length;
    });
    done += batch;
    if (batch > 0) say(`${table}: ${done} of ${total} re-sealed`);
    if (batch < BATCH) return done;
  }
}

/** The same for sealed bytes (photos): a value is stale when its first 8 bytes do not name the current key. */
async function resealBytesTable(ctx: AppContext, ring: KeyRing, table: SealedBytesTable, say: (line: string) => void): Promise<number> {
  const columns = SEALED_BYTE_COLUMNS[table];
  const current = sealedBytesPrefix(ring.current.id);
  const stale = sql.join(columns.map((c) => sql`substring(${sql.ref(c)} from 1 for 8) <> ${current}`), sql` or `);
  const total = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${stale}`.execute(ctx.db)).rows[0]!.n);
  let done = 0;
  say(`${table}: ${total} to re-seal`);
  for (;;) {
    const batch = await ctx.db.transaction().execute(async (tx) => {
      // Photos are large: a few at a time.
      const rows = await sql<Record<string, Buffer> & { id: number }>`
        select id, ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)} where ${stale} order by id limit 20 for update skip locked`.execute(tx);
      for (const row of rows.rows) {
        const sets = columns.map((c) => sql`${sql.ref(c)} = ${ring.resealBytes(row[c]!, bytesPurposeOf(table, c))}`);
        await sql`update ${sql.table(table)} set ${sql.join(sets)} where id = ${row.id}`.execute(tx);
      }
      return rows.rows.length;
    });
    done += batch;
    if (batch > 0) say(`${table}: ${done} of ${total} re-sealed`);
    if (batch < 20) return done;
  }
}

async function resealEverything(ctx: AppContext, ring: KeyRing, say: (line: string) => void): Promise<number> {
  let resealed = 0;
  for (const [table, columns] of sealedTables()) resealed += await resealTable(ctx, ring, table, columns, say);
  for (const table of Object.keys(SEALED_BYTE_COLUMNS) as SealedBytesTable[]) resealed += await resealBytesTable(ctx, ring, table, say);
  return resealed;
}

/**
 * `chorus stories rotate-key`. With the key file (the embedded default): the first run puts a new
 * key at the top of the file (the old one stays below it, still readable), re-seals everything, and
 * then drops the old key; a run stopped part-way resumes with the key already at the top. With
 * STORIES_KEY: set STORIES_KEY to the new key and STORIES_OLD_KEYS to the old, restart Chorus, run
 * this, then remove STORIES_OLD_KEYS. Safe to run again at any point.
 */
export async function rotateStoriesKey(ctx: AppContext, say: (line: string) => void = console.log): Promise<{ resealed: number }> {
  const source = keySourceFor(ctx.config);
  if (source.kind === 'file') {
    const keys = readKeyFile(source.file);
    if (keys.length === 1) {
      const lines = fs.readFileSync(source.file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
      const fresh = generateKeyText();
      writeKeyFile(source.file, [fresh, ...lines]);
      say(`New key ${parseKeyText(fresh, 'new key').id} written to ${source.file}; the old key ${keys[0]!.id} stays readable until every value is re-sealed.`);
    } else {
      say(`Resuming: sealing under ${keys[0]!.id}; ${keys.slice(1).map((k) => k.id).join(', ')} still readable.`);
    }
  }
  const ring = storiesKeyRing(ctx.config);
  let resealed = await resealEverything(ctx, ring, say);
  // A server may have sealed under the old key just before it saw the new file: sweep once more before dropping it.
  await new Promise((resolve) => setTimeout(resolve, source.kind === 'file' ? 1500 : 0));
  resealed += await resealEverything(ctx, ring, () => {});
  if (source.kind === 'file') {
    const lines = fs.readFileSync(source.file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    writeKeyFile(source.file, [lines[0]!]);
    say(`Done: ${resealed} values re-sealed; ${source.file} now holds only key ${ring.current.id}. Back up the new file now: older backups of it cannot open these values.`);
  } else if (ring.ids.length > 1) {
    say(`Done: ${resealed} values re-sealed under ${ring.current.id}. Remove STORIES_OLD_KEYS from the settings and restart Chorus.`);
  } else {
    say(`Done: ${resealed} values re-sealed; everything is under ${ring.current.id}. To rotate, set STORIES_KEY to a new key (openssl rand -base64 32) and STORIES_OLD_KEYS to the current one, restart Chorus and run this again.`);
  }
  return { resealed };
}
