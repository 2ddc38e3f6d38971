import { sql } from 'kysely';
import type { Q } from './tables.ts';
import { listPurposes, type Purpose } from './consent.ts';

export interface PurposeWithConsents extends Purpose {
  /** People whose consent to this purpose is given now. */
  live: number;
}

/** The consent purposes of the groups an organiser sees, each with how many people have given it. */
export async function countLiveConsents(q: Q, filter: { groupIds: number[] | 'all' }): Promise<PurposeWithConsents[]> {
  const purposes = await listPurposes(q, { groupIds: filter.groupIds });
  const counts = await sql<{ purpose_id: number; n: number }>`
    select purpose_id, count(*)::int as n from consents where status = 'given' group by purpose_id`.execute(q);
  const live = new Map(counts.rows.map((r) => [r.purpose_id, r.n]));
  return purposes.map((p) => ({ ...p, live: live.get(p.id) ?? 0 }));
}
