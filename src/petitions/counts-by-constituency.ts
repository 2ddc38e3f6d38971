import { sql } from 'kysely';
import type { Handle } from '../platform/index.ts';
import { countedSignature } from './states.ts';
import { petitionPath } from './store.ts';
import { petitionsQ } from './tables.ts';

/**
 * Counted signatures per constituency, for targeting: all petitions together, and one seat's
 * signatures petition by petition. Read from the running totals (petition_counts), never count(*).
 */
export interface ConstituencySignatureCounts {
  constituencyCode: string;
  signatures: number;
  /** Petitions with at least one counted signature there. */
  petitions: number;
}

/**
 * With `since`: the counted signatures validated since then (what a seat gained in a week), read
 * from the rows through the validated-at index; without it, the running totals.
 */
export async function countsByConstituency(handle: Handle, options: { since?: Date } = {}): Promise<ConstituencySignatureCounts[]> {
  if (options.since) {
    const { rows } = await sql<ConstituencySignatureCounts>`
      select constituency_code as "constituencyCode", count(*)::int as signatures, count(distinct petition_id)::int as petitions
      from signatures
      where ${countedSignature()} and counted and validated_at >= ${options.since} and constituency_code is not null
      group by constituency_code order by constituency_code`.execute(petitionsQ(handle));
    return rows;
  }
  const { rows } = await sql<ConstituencySignatureCounts>`
    select key as "constituencyCode", sum(count)::int as signatures, count(*) filter (where count > 0)::int as petitions
    from petition_counts where dimension = 'constituency'
    group by key order by key`.execute(petitionsQ(handle));
  return rows;
}

export interface PetitionSignaturesInSeat {
  petitionId: number;
  action: string;
  /** The petition's organiser page. */
  adminPath: string;
  publicPath: string;
  signatures: number;
}

/** One seat's counted signatures on each petition, most first. */
export async function signaturesInConstituency(handle: Handle, constituencyCode: string): Promise<PetitionSignaturesInSeat[]> {
  const rows = await petitionsQ(handle)
    .selectFrom('petition_counts as pc')
    .innerJoin('petitions as p', 'p.id', 'pc.petition_id')
    .select(['p.id', 'p.slug', 'p.action', 'pc.count'])
    .where('pc.dimension', '=', 'constituency')
    .where('pc.key', '=', constituencyCode)
    .where('pc.count', '>', 0)
    .orderBy('pc.count', 'desc')
    .orderBy('p.id')
    .limit(100)
    .execute();
  return rows.map((r) => ({ petitionId: r.id, action: r.action, adminPath: `/admin/petitions/${r.id}`, publicPath: petitionPath(r.id, r.slug), signatures: r.count }));
}
