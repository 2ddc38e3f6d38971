import { sql } from 'kysely';
import type { Importer } from '../platform/index.ts';
import type { Db, Q } from './tables.ts';
import { GSS_CODE, importCsv, lastOfEach, type CsvKind, type ImportOptions, type ImportResult } from './import-file.ts';

export interface MpRow {
  constituencyCode: string;
  constituencyName: string | null;
  name: string;
  party: string | null;
  partyName: string | null;
  partyColour: string | null;
  twfyId: string | null;
  twfyUrl: string | null;
  parliamentId: string | null;
  startDate: string | null;
}

/** Open Innovations' column names first, then the plain ones people use in their own sheets. */
const columns = {
  code: ['PCON24CD', 'PCON25CD', 'code', 'constituency code', 'gss code'],
  constituency: ['PCON24NM', 'PCON25NM', 'constituency', 'constituency name'],
  mp: ['MP', 'mp name', 'member', 'name'],
  party: ['Party', 'party abbreviation'],
  partyName: ['Party name'],
  partyColour: ['Party bg', 'party colour', 'colour'],
  twfyId: ['TheyWorkForYou ID', 'twfy id', 'twfyid'],
  twfyUrl: ['TheyWorkForYou URI', 'TheyWorkForYou URL', 'twfy url', 'twfy uri'],
  parliamentId: ['ID', 'parliament id', 'member id'],
  startDate: ['Start date', 'start'],
} as const;

const WEB_ADDRESS = /^https?:\/\/[^\s"<>]+$/i;
const COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export const mpsKind: CsvKind<keyof typeof columns, MpRow> = {
  label: 'mps',
  expected: 'an MPs CSV (columns PCON24CD, PCON24NM, MP, Party..., or code, constituency, mp, party)',
  columns,
  required: ['code', 'mp'],
  batchSize: 1000,
  read(field) {
    const constituencyCode = field('code').toUpperCase();
    if (!GSS_CODE.test(constituencyCode)) return { reject: `constituency code "${constituencyCode.slice(0, 20)}" is not like E14001279` };
    const name = field('mp');
    if (name === '') return { reject: 'the MP’s name is empty' };
    const twfyId = field('twfyId') || null;
    if (twfyId && !/^\d+$/.test(twfyId)) return { reject: `TheyWorkForYou ID "${twfyId.slice(0, 20)}" is not a number` };
    let twfyUrl = field('twfyUrl') || null;
    if (twfyUrl && !WEB_ADDRESS.test(twfyUrl)) return { reject: `TheyWorkForYou URI "${twfyUrl.slice(0, 40)}" is not a web address` };
    if (!twfyUrl && twfyId) twfyUrl = `https://www.theyworkforyou.com/mp/${twfyId}`;
    const start = field('startDate');
    const startDate = start === '' ? null : /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+Z?)?$/.exec(start)?.[1];
    if (startDate === undefined || (startDate && Number.isNaN(Date.parse(startDate)))) return { reject: `Start date "${start.slice(0, 30)}" is not a date` };
    const colour = field('partyColour');
    return {
      constituencyCode,
      constituencyName: field('constituency') || null,
      name,
      party: field('party') || null,
      partyName: field('partyName') || null,
      partyColour: COLOUR.test(colour) ? colour.toLowerCase() : null,
      twfyId,
      twfyUrl,
      parliamentId: field('parliamentId') || null,
      startDate,
    };
  },
  write: (db, batch) => upsertMps(db, batch),
  async afterLoad(db): Promise<Record<string, number>> {
    const row = await sql<{ n: string }>`
      select count(*) as n from mps m join constituencies c on c.code = m.constituency_code where c.valid_votes is null`.execute(db);
    const without = Number(row.rows[0]?.n ?? 0);
    return without > 0 ? { 'constituencies without election results yet': without } : {};
  },
};

/**
 * Inserts or replaces MPs by constituency. A constituency not yet known (results not loaded) is
 * created with its name, so pages and lookups work in any import order.
 */
export async function upsertMps(q: Q, batch: MpRow[]): Promise<void> {
  const rows = lastOfEach(batch, (r) => r.constituencyCode);
  const col = <T>(pick: (r: MpRow) => T) => rows.map(pick);
  await sql`
    insert into mps (constituency_code, name, party, party_name, party_colour, twfy_id, twfy_url, parliament_id, start_date, updated_at)
    select v.*, now() from unnest(
      ${col((r) => r.constituencyCode)}::text[], ${col((r) => r.name)}::text[], ${col((r) => r.party)}::text[],
      ${col((r) => r.partyName)}::text[], ${col((r) => r.partyColour)}::text[], ${col((r) => r.twfyId)}::text[],
      ${col((r) => r.twfyUrl)}::text[], ${col((r) => r.parliamentId)}::text[], ${col((r) => r.startDate)}::date[]
    ) as v(constituency_code, name, party, party_name, party_colour, twfy_id, twfy_url, parliament_id, start_date)
    on conflict (constituency_code) do update set
      name = excluded.name, party = excluded.party, party_name = excluded.party_name, party_colour = excluded.party_colour,
      twfy_id = excluded.twfy_id, twfy_url = excluded.twfy_url, parliament_id = excluded.parliament_id,
      start_date = excluded.start_date, updated_at = excluded.updated_at`.execute(q);
  const named = rows.filter((r) => r.constituencyName);
  if (named.length > 0) {
    await sql`
      insert into constituencies (code, name)
      select * from unnest(${named.map((r) => r.constituencyCode)}::text[], ${named.map((r) => r.constituencyName)}::text[])
      on conflict (code) do nothing`.execute(q);
  }
}

/** Loads sitting MPs by constituency. */
export function importMps(db: Db, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  return importCsv(db, file, mpsKind, options);
}

export const mpsImporter: Importer = {
  description: 'MPs by constituency CSV',
  run: (ctx, file) => importMps(ctx.db, file),
};
