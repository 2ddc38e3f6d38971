import { sql } from 'kysely';
import type { Q } from '../tables.ts';
import type { SeatChoice } from './tables.ts';

export interface ListSeat {
  code: string;
  name: string;
  regionName: string | null;
  mp: { name: string; party: string | null } | null;
  firstParty: string | null;
  secondParty: string | null;
  majority: number | null;
  validVotes: number | null;
  marginality: number | null;
  /** Among all seats with results: 1 for the most marginal. */
  nationalRank: number | null;
  chosen: Exclude<SeatChoice, 'excluded'>;
}

/** A list's seats (those not taken off), with their MP and 2024 result. */
export async function seatsOfList(q: Q, listId: number): Promise<ListSeat[]> {
  return seatsWhere(q, listId);
}

/** Every constituency, with its MP and 2024 result (chosen: 'rule' means nothing here). */
export async function everySeat(q: Q): Promise<Array<Omit<ListSeat, 'chosen'>>> {
  return seatsWhere(q, null);
}

async function seatsWhere(q: Q, listId: number | null): Promise<ListSeat[]> {
  const from = listId === null ? sql`constituencies c` : sql`target_list_seats s join constituencies c on c.code = s.constituency_code`;
  const where = listId === null ? sql`true` : sql`s.list_id = ${listId} and s.chosen <> 'excluded'`;
  const { rows } = await sql<{
    code: string;
    name: string;
    region_name: string | null;
    mp_name: string | null;
    mp_party: string | null;
    member_name: string | null;
    first_party: string | null;
    second_party: string | null;
    majority: number | null;
    valid_votes: number | null;
    marginality: number | null;
    national_rank: number | null;
    chosen: 'rule' | 'hand';
  }>`
    select c.code, c.name, c.region_name, m.name as mp_name, m.party as mp_party, c.member_name, c.first_party, c.second_party,
      c.majority, c.valid_votes, c.marginality, r.national_rank, ${listId === null ? sql`'rule'` : sql`s.chosen`} as chosen
    from ${from}
    left join mps m on m.constituency_code = c.code
    left join (select code, rank() over (order by marginality)::int as national_rank from constituencies where marginality is not null) r on r.code = c.code
    where ${where}
    order by c.marginality nulls last, c.name`.execute(q);
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    regionName: r.region_name,
    mp: r.mp_name ? { name: r.mp_name, party: r.mp_party } : r.member_name ? { name: r.member_name, party: r.first_party } : null,
    firstParty: r.first_party,
    secondParty: r.second_party,
    majority: r.majority,
    validVotes: r.valid_votes,
    marginality: r.marginality,
    nationalRank: r.national_rank,
    chosen: r.chosen,
  }));
}

export interface Candidate {
  personId: string;
  name: string;
  party: string | null;
  electionId: string;
  electionDate: string | null;
  elected: boolean | null;
  cancelledPoll: boolean;
}

/** Candidates standing in a seat, the latest election first. */
export async function candidatesIn(q: Q, code: string): Promise<Candidate[]> {
  const rows = await q
    .selectFrom('candidates')
    .select(['dc_person_id', 'person_name', 'party_name', 'election_id', sql<string | null>`to_char(election_date, 'YYYY-MM-DD')`.as('election_date'), 'elected', 'cancelled_poll'])
    .where('constituency_code', '=', code)
    .orderBy('election_date', 'desc')
    .orderBy('party_name')
    .orderBy('person_name')
    .limit(200)
    .execute();
  return rows.map((r) => ({ personId: r.dc_person_id, name: r.person_name, party: r.party_name, electionId: r.election_id, electionDate: r.election_date, elected: r.elected, cancelledPoll: r.cancelled_poll }));
}

