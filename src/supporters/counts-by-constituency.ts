import { sql } from 'kysely';
import type { Handle } from '../platform/index.ts';
import { liveConsentCondition } from './consent.ts';
import { supportersQ } from './tables.ts';

export interface ConstituencySupporterCounts {
  constituencyCode: string;
  /** People on record there (not erased, not merged into another record). */
  supporters: number;
  /** Of those, people with a live consent to hear from the coalition or any group. */
  withLiveConsent: number;
}

/**
 * Supporters per constituency, for targeting: counts only, no one named. With `since`, only the
 * records made since then (a seat's new supporters in a week).
 */
export async function countsByConstituency(handle: Handle, options: { since?: Date } = {}): Promise<ConstituencySupporterCounts[]> {
  const since = options.since ? sql`and p.created_at >= ${options.since}` : sql``;
  const { rows } = await sql<ConstituencySupporterCounts>`
    select p.constituency_code as "constituencyCode", count(*)::int as supporters,
      count(*) filter (where exists (select 1 from consents where consents.person_id = p.id and ${liveConsentCondition}))::int as "withLiveConsent"
    from people p
    where p.constituency_code is not null and p.erased_at is null and p.merged_into_id is null ${since}
    group by p.constituency_code order by p.constituency_code`.execute(supportersQ(handle));
  return rows;
}
