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

/** "N people in <constituency> have signed": the constituency's name and its counted signatures. */
export async function constituencyTally(q: Q, petitionId: number, code: string): Promise<PlaceTally | undefined> {
  const [names, row] = await Promise.all([
    constituencyNames(q, [code]),
    q.selectFrom('petition_counts').select('count').where('petition_id', '=', petitionId).where('dimension', '=', 'constituency').where('key', '=', code).executeTakeFirst(),
  ]);
  const place = names.get(code.toUpperCase());
  return place ? { code, name: place.name, count: row?.count ?? 0 } : undefined;
}
