import { sql } from 'kysely';
import type { Q } from '../schema.ts';
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

interface Row {
  dimension: 'constituency' | 'region' | 'country';
  key: string;
  count: number;
  name: string | null;
  mp: string | null;
}

/** One query over the aggregated counts (never the signatures themselves). */
export async function petitionBreakdown(q: Q, petitionId: number): Promise<Breakdown> {
  const result = await sql<Row>`
    select pc.dimension, pc.key, pc.count,
      case pc.dimension when 'constituency' then c.name when 'region' then r.region_name end as name,
      m.name as mp
    from petition_counts pc
    left join constituencies c on pc.dimension = 'constituency' and c.code = pc.key
    left join mps m on pc.dimension = 'constituency' and m.constituency_code = pc.key
    left join lateral (
      select region_name from constituencies where pc.dimension = 'region' and region_code = pc.key and region_name is not null limit 1
    ) r on true
    where pc.petition_id = ${petitionId} and pc.count > 0
    order by pc.count desc, pc.key`.execute(q);
  const breakdown: Breakdown = { constituencies: [], regions: [], countries: [] };
  for (const r of result.rows) {
    if (r.dimension === 'constituency') breakdown.constituencies.push({ code: r.key, name: r.name ?? r.key, mp: r.mp, count: r.count });
    else if (r.dimension === 'region') breakdown.regions.push({ code: r.key, name: r.name ?? r.key, count: r.count });
    else breakdown.countries.push({ code: r.key, name: countryName(r.key), count: r.count });
  }
  return breakdown;
}

/** "N people in <constituency> have signed": the constituency's name and its counted signatures. */
export async function constituencyTally(q: Q, petitionId: number, code: string): Promise<PlaceTally | undefined> {
  const result = await sql<{ name: string; count: number }>`
    select c.name, coalesce(pc.count, 0)::int as count
    from constituencies c
    left join petition_counts pc on pc.petition_id = ${petitionId} and pc.dimension = 'constituency' and pc.key = c.code
    where c.code = ${code}`.execute(q);
  const row = result.rows[0];
  return row ? { code, name: row.name, count: row.count } : undefined;
}
