import { sql } from 'kysely';
import { constituencyNames, regionNames } from '../politics/index.ts';
import type { Q } from './tables.ts';
import { countryName } from './countries.ts';

export interface ConstituencyTally {
  code: string;
  name: string;
  mp: string | null;
  count: number;
}

export interface PlaceTally {
  code: string;
  name: string;
  count: number;
}

/** Where a petition's counted signatures come from, largest first, with names. */
export interface Breakdown {
  constituencies: ConstituencyTally[];
  regions: PlaceTally[];
  countries: PlaceTally[];
}

/** From the aggregated counts (never the signatures themselves), named through politics. */
export async function petitionBreakdown(q: Q, petitionId: number): Promise<Breakdown> {
  const rows = await q
    .selectFrom('petition_counts')
    .select(['dimension', 'key', 'count'])
    .where('petition_id', '=', petitionId)
    .where('count', '>', 0)
    .orderBy('count', 'desc')
    .orderBy('key')
    .execute();
  const constituencyCodes = rows.flatMap((r) => (r.dimension === 'constituency' ? [r.key] : []));
  const [constituencies, regions] = await Promise.all([
    constituencyNames(q, constituencyCodes),
    rows.some((r) => r.dimension === 'region') ? regionNames(q) : new Map<string, string>(),
  ]);
  const breakdown: Breakdown = { constituencies: [], regions: [], countries: [] };
  for (const r of rows) {
    if (r.dimension === 'constituency') {
      const place = constituencies.get(r.key);
      breakdown.constituencies.push({ code: r.key, name: place?.name ?? r.key, mp: place?.mp ?? null, count: r.count });
    } else if (r.dimension === 'region') breakdown.regions.push({ code: r.key, name: regions.get(r.key) ?? r.key, count: r.count });
    else breakdown.countries.push({ code: r.key, name: countryName(r.key), count: r.count });
  }
  return breakdown;
}

/** The constituencies with the most signatures (largest first, named), and how many have any. */
export async function topConstituencies(q: Q, petitionId: number, limit: number): Promise<{ top: ConstituencyTally[]; places: number }> {
  const rows = await q
    .selectFrom('petition_counts')
    .select(['key', 'count', sql<string>`count(*) over ()`.as('places')])
    .where('petition_id', '=', petitionId)
    .where('dimension', '=', 'constituency')
    .where('count', '>', 0)
    .orderBy('count', 'desc')
    .orderBy('key')
    .limit(limit)
    .execute();
  const names = await constituencyNames(q, rows.map((r) => r.key));
  return {
    top: rows.map((r) => ({ code: r.key, name: names.get(r.key)?.name ?? r.key, mp: names.get(r.key)?.mp ?? null, count: r.count })),
    places: Number(rows[0]?.places ?? 0),
  };
}

/** Every constituency's counted signatures, by code (for the map, which names them itself). */
export async function constituencyCounts(q: Q, petitionId: number): Promise<Map<string, number>> {
  const rows = await q
    .selectFrom('petition_counts')
    .select(['key', 'count'])
    .where('petition_id', '=', petitionId)
    .where('dimension', '=', 'constituency')
    .where('count', '>', 0)
    .execute();
  return new Map(rows.map((r) => [r.key, r.count]));
}

/** "N people in <constituency> have signed": the constituency's name and its counted signatures. */
export async function constituencyTally(q: Q, petitionId: number, code: string): Promise<PlaceTally | undefined> {
  const [names, row] = await Promise.all([
    constituencyNames(q, [code]),
    q.selectFrom('petition_counts').select('count').where('petition_id', '=', petitionId).where('dimension', '=', 'constituency').where('key', '=', code).executeTakeFirst(),
  ]);
  const place = names.get(code.toUpperCase());
  return place ? { code, name: place.name, count: row?.count ?? 0 } : undefined;
}
