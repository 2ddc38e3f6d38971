import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import type { Handle } from '../platform/index.ts';
import { politicsQ, type Q } from './tables.ts';

/** An NHS trust or integrated care board (ICB), by its ODS code. */
export type NhsOrganisationKind = 'trust' | 'icb';

export interface NhsOrganisation {
  /** The ODS code: "RA7" (a trust), "QJK" or "Z9B2Z" (an ICB). */
  code: string;
  kind: NhsOrganisationKind;
  /** Readable: "Royal Devon University Healthcare NHS Foundation Trust". */
  name: string;
  /** As the Organisation Data Service publishes it (upper case). */
  odsName: string;
  /** The headquarters' postcode, when known. */
  postcode: string | null;
  /** The ICB a trust belongs to (ODS "high level health geography"), when known. */
  icb: { code: string; name: string | null } | null;
  /** Set when the organisation has closed (merged or dissolved); closed ones are not offered in searches. */
  closedOn: string | null;
}

/** One organisation to store, from the shipped list or an ODS file. */
export interface NhsOrganisationRow {
  code: string;
  kind: NhsOrganisationKind;
  odsName: string;
  postcode: string | null;
  icbCode: string | null;
  openedOn: string | null;
  closedOn: string | null;
}

/** An ODS code: three to five letters and digits (trusts "RA7", "R0A", "G6V2S"; ICBs "QJK", "D7T5G"). */
export const ODS_CODE = /^[A-Z0-9]{3,5}$/;

const LOWER_WORDS = new Set(['and', 'of', 'the', 'upon', 'on', 'in', 'for', 'with', 'at', 'super', 'under']);
const UPPER_WORDS = new Set(['NHS', 'ICB', 'UK']);

/**
 * "ROYAL DEVON UNIVERSITY HEALTHCARE NHS FOUNDATION TRUST" → "Royal Devon University Healthcare NHS
 * Foundation Trust"; "NHS STAFFORDSHIRE AND STOKE-ON-TRENT INTEGRATED CARE BOARD" → "NHS Staffordshire
 * and Stoke-on-Trent Integrated Care Board"; "GUY'S AND ST THOMAS' ..." → "Guy's and St Thomas' ...".
 */
export function readableOdsName(published: string): string {
  const words = published.trim().replace(/\s+/g, ' ').split(' ');
  return words
    .map((word, index) =>
      word
        .split('-')
        .map((part, partIndex) => {
          const bare = part.replace(/[^A-Za-z0-9]/g, '');
          if (UPPER_WORDS.has(bare.toUpperCase())) return part.toUpperCase();
          const lower = part.toLowerCase();
          if ((index > 0 || partIndex > 0) && LOWER_WORDS.has(bare.toLowerCase())) return lower;
          return lower.replace(/[a-z]/, (first) => first.toUpperCase());
        })
        .join('-'),
    )
    .join(' ');
}

const SHIPPED_FILE = new URL('./data/nhs-organisations.csv', import.meta.url);

/** The list Chorus ships (src/politics/data/nhs-organisations.csv; sources in data/SOURCES). */
export function shippedNhsOrganisations(): NhsOrganisationRow[] {
  const records = parse(fs.readFileSync(SHIPPED_FILE), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  return records.map((r) => ({
    code: r.code!,
    kind: r.kind as NhsOrganisationKind,
    odsName: r.name!,
    postcode: r.postcode || null,
    icbCode: r.icb_code || null,
    openedOn: null,
    closedOn: null,
  }));
}

/**
 * Inserts or updates organisations by code. Rows from an ODS import replace whatever is there;
 * the shipped list only fills in and refreshes its own rows, never undoing an import.
 */
export async function upsertNhsOrganisations(q: Q, rows: NhsOrganisationRow[], source: 'shipped' | 'import'): Promise<void> {
  const unique = [...new Map(rows.map((r) => [r.code, r])).values()];
  if (unique.length === 0) return;
  const col = <T>(pick: (r: NhsOrganisationRow) => T) => unique.map(pick);
  await sql`
    insert into nhs_organisations as o (code, kind, name, ods_name, postcode, icb_code, opened_on, closed_on, source, updated_at)
    select v.*, ${source}, now() from unnest(
      ${col((r) => r.code)}::text[], ${col((r) => r.kind)}::text[], ${col((r) => readableOdsName(r.odsName))}::text[],
      ${col((r) => r.odsName)}::text[], ${col((r) => r.postcode)}::text[], ${col((r) => r.icbCode)}::text[],
      ${col((r) => r.openedOn)}::date[], ${col((r) => r.closedOn)}::date[]
    ) as v(code, kind, name, ods_name, postcode, icb_code, opened_on, closed_on)
    on conflict (code) do update set
      kind = excluded.kind, name = excluded.name, ods_name = excluded.ods_name,
      postcode = coalesce(excluded.postcode, o.postcode), icb_code = coalesce(excluded.icb_code, o.icb_code),
      opened_on = coalesce(excluded.opened_on, o.opened_on), closed_on = excluded.closed_on,
      source = excluded.source, updated_at = excluded.updated_at
    where (${source} = 'import' or o.source = 'shipped')
      and (o.kind, o.name, o.ods_name, o.postcode, o.icb_code, o.opened_on, o.closed_on, o.source)
        is distinct from (excluded.kind, excluded.name, excluded.ods_name, coalesce(excluded.postcode, o.postcode),
          coalesce(excluded.icb_code, o.icb_code), coalesce(excluded.opened_on, o.opened_on), excluded.closed_on, excluded.source)`.execute(q);
}

/** Loads the shipped list (the migration does this, so every fresh database has it). */
export function loadShippedNhsOrganisations(q: Q): Promise<void> {
  return upsertNhsOrganisations(q, shippedNhsOrganisations(), 'shipped');
}

interface OrganisationRecord {
  code: string;
  kind: NhsOrganisationKind;
  name: string;
  ods_name: string;
  postcode: string | null;
  icb_code: string | null;
  icb_name: string | null;
  closed_on: string | null;
}

function organisationOf(row: OrganisationRecord): NhsOrganisation {
  return {
    code: row.code,
    kind: row.kind,
    name: row.name,
    odsName: row.ods_name,
    postcode: row.postcode,
    icb: row.icb_code ? { code: row.icb_code, name: row.icb_name } : null,
    closedOn: row.closed_on,
  };
}

export interface NhsOrganisationSearch {
  /** Any part of the name (every word must appear, in any order) or the ODS code. */
  query: string;
  /** At most this many (1 to 100; 20 when not given). */
  limit?: number;
  /** Only trusts or only ICBs. */
  kind?: NhsOrganisationKind;
}

const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Open trusts and ICBs whose name holds every word typed (or whose code is what was typed), for
 * a form's picker: names starting with the words first, then the rest, each alphabetically.
 */
export async function findNhsOrganisations(handle: Handle, search: NhsOrganisationSearch): Promise<NhsOrganisation[]> {
  const q = politicsQ(handle);
  const words = search.query.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}'&]+/u).filter(Boolean).slice(0, 8);
  if (words.length === 0) return [];
  const limit = Math.min(Math.max(Math.trunc(search.limit ?? 20), 1), 100);
  const code = search.query.trim().toUpperCase();
  const nameHasWords = sql.join(words.map((w) => sql`o.name ilike ${likePattern(w)}`), sql` and `);
  const rows = await sql<OrganisationRecord>`
    select o.code, o.kind, o.name, o.ods_name, o.postcode, o.icb_code, icb.name as icb_name, o.closed_on::text as closed_on
    from nhs_organisations o left join nhs_organisations icb on icb.code = o.icb_code
    where o.closed_on is null
      and (${search.kind ?? null}::text is null or o.kind = ${search.kind ?? null})
      and (o.code = ${code} or (${nameHasWords}))
    order by o.code = ${code} desc, o.name ilike ${`${words[0]!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} desc,
      o.name ilike ${`nhs ${words[0]!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} desc, o.name
    limit ${limit}`.execute(q);
  return rows.rows.map(organisationOf);
}

/** One trust or ICB by its ODS code (in any case), closed ones included; undefined when unknown. */
export async function getNhsOrganisation(handle: Handle, code: string): Promise<NhsOrganisation | undefined> {
  const wanted = code.trim().toUpperCase();
  if (!ODS_CODE.test(wanted)) return undefined;
  const rows = await sql<OrganisationRecord>`
    select o.code, o.kind, o.name, o.ods_name, o.postcode, o.icb_code, icb.name as icb_name, o.closed_on::text as closed_on
    from nhs_organisations o left join nhs_organisations icb on icb.code = o.icb_code
    where o.code = ${wanted}`.execute(politicsQ(handle));
  const row = rows.rows[0];
  return row ? organisationOf(row) : undefined;
}

/** Every open trust and ICB by name (for a form's list of choices), A to Z. */
export async function listNhsOrganisations(handle: Handle): Promise<Array<Pick<NhsOrganisation, 'code' | 'kind' | 'name'>>> {
  const rows = await sql<{ code: string; kind: NhsOrganisationKind; name: string }>`
    select code, kind, name from nhs_organisations where closed_on is null order by name`.execute(politicsQ(handle));
  return rows.rows;
}
