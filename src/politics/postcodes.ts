import type { Handle } from '../platform/index.ts';
import { sql } from 'kysely';
import { isValid, toNormalised } from 'postcode';
import { politicsQ } from './tables.ts';

/** ONS country codes of places with UK-style postcodes that are not in the UK. */
const OUTSIDE_UK_COUNTRIES = new Set(['L93000001', 'M83000003']); // Channel Islands, Isle of Man
const OUTSIDE_UK_AREAS = /^(JE|GY|IM)\d/; // Jersey, Guernsey, Isle of Man
const PSEUDO_CODE = /99999999$/;

export type PostcodePlace =
  | {
      status: 'found';
      /** As published, e.g. "AB10 1AB". */
      postcode: string;
      constituencyCode: string | null;
      constituencyName: string | null;
      /** ONS region (England) or country code (Scotland, Wales, Northern Ireland). */
      regionCode: string | null;
      regionName: string | null;
      latitude: number | null;
      longitude: number | null;
    }
  | { status: 'malformed' | 'unknown' | 'terminated' | 'outside_uk'; postcode: string; message: string };

/** "ab10 1aa", "AB101AA", " Ab10  1aA " → "AB101AA". */
export function compactPostcode(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** The standard written form ("AB10 1AA"), or undefined when the text cannot be a postcode. */
export function normalisePostcode(input: string): string | undefined {
  const compact = compactPostcode(input);
  if (compact.length < 5 || compact.length > 7 || !isValid(compact)) return undefined;
  return toNormalised(compact) ?? undefined;
}

interface Row {
  compact: string;
  postcode: string;
  country_code: string | null;
  region_code: string | null;
  constituency_code: string | null;
  latitude: number | null;
  longitude: number | null;
  terminated_on: string | null;
  constituency_name: string | null;
  constituency_region_code: string | null;
  region_name: string | null;
}

function placeOf(typed: string, row: Row | undefined): PostcodePlace {
  const shown = normalisePostcode(typed) ?? typed.trim();
  if (!row) {
    if (OUTSIDE_UK_AREAS.test(compactPostcode(typed))) {
      return { status: 'outside_uk', postcode: shown, message: `${shown} is outside the UK (Channel Islands or Isle of Man). Choose your country instead of giving a postcode.` };
    }
    return { status: 'unknown', postcode: shown, message: `We could not find the postcode ${shown}. Check it is typed correctly.` };
  }
  if (row.terminated_on) {
    return { status: 'terminated', postcode: row.postcode, message: `${row.postcode} is no longer in use (terminated). Enter your current postcode.` };
  }
  if ((row.country_code && OUTSIDE_UK_COUNTRIES.has(row.country_code)) || OUTSIDE_UK_AREAS.test(row.compact)) {
    return { status: 'outside_uk', postcode: row.postcode, message: `${row.postcode} is outside the UK (Channel Islands or Isle of Man). Choose your country instead of giving a postcode.` };
  }
  const constituencyCode = row.constituency_code && !PSEUDO_CODE.test(row.constituency_code) ? row.constituency_code : null;
  const ownRegion = row.region_code && !PSEUDO_CODE.test(row.region_code) ? row.region_code : null;
  return {
    status: 'found',
    postcode: row.postcode,
    constituencyCode,
    constituencyName: row.constituency_name,
    regionCode: row.constituency_region_code ?? ownRegion,
    regionName: row.region_name,
    latitude: row.latitude,
    longitude: row.longitude,
  };
}

/**
 * Looks up many postcodes in one query. Keys of the result are the inputs exactly as given;
 * each maps to where it is, or why it cannot be used (malformed, unknown, terminated, outside the UK).
 */
export async function resolvePostcodes(handle: Handle, inputs: string[]): Promise<Map<string, PostcodePlace>> {
  const q = politicsQ(handle);
  const result = new Map<string, PostcodePlace>();
  const wanted = new Map<string, string[]>();
  for (const input of new Set(inputs)) {
    if (!normalisePostcode(input)) {
      result.set(input, { status: 'malformed', postcode: input.trim(), message: 'Enter a real UK postcode, like SW1A 1AA' });
      continue;
    }
    const compact = compactPostcode(input);
    wanted.set(compact, [...(wanted.get(compact) ?? []), input]);
  }
  if (wanted.size > 0) {
    const rows = await sql<Row>`
      select p.compact, p.postcode, p.country_code, p.region_code, p.constituency_code, p.latitude, p.longitude,
        p.terminated_on, c.name as constituency_name, c.region_code as constituency_region_code, c.region_name
      from postcodes p left join constituencies c on c.code = p.constituency_code
      where p.compact = any(${[...wanted.keys()]}::text[])`.execute(q);
    const byCompact = new Map(rows.rows.map((r) => [r.compact, r]));
    for (const [compact, originals] of wanted) {
      for (const original of originals) result.set(original, placeOf(original, byCompact.get(compact)));
    }
  }
  return result;
}

/** Looks up one postcode typed in any spacing and case. */
export async function lookupPostcode(handle: Handle, input: string): Promise<PostcodePlace> {
  const q = politicsQ(handle);
  return (await resolvePostcodes(q, [input])).get(input)!;
}

/** A current postcode in each constituency (the first by postcode), with its region: for demo and sample data. */
export async function onePostcodePerConstituency(handle: Handle): Promise<Array<{ postcode: string; constituencyCode: string; regionCode: string | null }>> {
  const rows = await sql<{ postcode: string; constituency_code: string; region_code: string | null }>`
    select distinct on (p.constituency_code) p.postcode, p.constituency_code, coalesce(c.region_code, p.region_code) as region_code
    from postcodes p join constituencies c on c.code = p.constituency_code
    where p.terminated_on is null
    order by p.constituency_code, p.compact`.execute(politicsQ(handle));
  return rows.rows.map((r) => ({ postcode: r.postcode, constituencyCode: r.constituency_code, regionCode: r.region_code }));
}
