import { sql } from 'kysely';
import type { Q } from './tables.ts';
import { partyName } from './parties.ts';

/**
 * How marginal a seat is: its majority as a share of the valid votes (stored, generated, in
 * constituencies.marginality). The smaller the share, the fewer voters need to change their
 * mind, so the more a campaign's pressure counts there.
 */
export function majorityShare(majority: number | null, validVotes: number | null): number | null {
  return majority !== null && validVotes !== null && validVotes > 0 ? majority / validVotes : null;
}

/** 0.000436 → "0.04%", 0.0811 → "8.1%": small shares keep two decimals so they do not read as 0. */
export function formatShare(fraction: number): string {
  const percent = fraction * 100;
  return `${percent.toFixed(percent < 1 ? 2 : 1)}%`;
}

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** "the most marginal seat of 650", "the 2nd most marginal seat of 650". */
export function marginalityRankText(rank: number, of: number): string {
  return `the ${rank === 1 ? '' : `${ordinal(rank)} `}most marginal seat of ${of}`;
}

export interface MarginalSeat {
  code: string;
  name: string;
  majority: number;
  validVotes: number;
  /** Majority / valid votes. */
  marginality: number;
  /** 1 for the most marginal; seats with equal shares share a rank. */
  rank: number;
  firstParty: string | null;
  secondParty: string | null;
  /** The sitting MP, or failing that the member elected. */
  mp: { name: string; party: string | null; partyName: string | null } | null;
}

/** The most marginal seats first: where a campaign's pressure counts most. */
export async function mostMarginal(q: Q, limit: number): Promise<MarginalSeat[]> {
  const rows = await sql<{
    code: string;
    name: string;
    majority: number;
    valid_votes: number;
    marginality: number;
    rank: number;
    first_party: string | null;
    second_party: string | null;
    mp_name: string | null;
    mp_party: string | null;
    mp_party_name: string | null;
  }>`
    select c.code, c.name, c.majority, c.valid_votes, c.marginality, rank() over (order by c.marginality)::int as rank,
      c.first_party, c.second_party, coalesce(m.name, c.member_name) as mp_name,
      case when m.name is null then c.first_party else m.party end as mp_party, m.party_name as mp_party_name
    from constituencies c left join mps m on m.constituency_code = c.code
    where c.marginality is not null
    order by c.marginality, c.name
    limit ${Math.max(0, Math.floor(limit))}`.execute(q);
  return rows.rows.map((r) => ({
    code: r.code,
    name: r.name,
    majority: r.majority,
    validVotes: r.valid_votes,
    marginality: r.marginality,
    rank: r.rank,
    firstParty: r.first_party,
    secondParty: r.second_party,
    mp: r.mp_name ? { name: r.mp_name, party: r.mp_party, partyName: r.mp_party_name ?? partyName(r.mp_party) } : null,
  }));
}
