import { pageCount, type Handle } from '../platform/index.ts';
import { sql } from 'kysely';
import { politicsQ } from './tables.ts';
import { partyName } from './parties.ts';

export interface MpSummary {
  name: string;
  /** Abbreviation, e.g. "Lab". */
  party: string | null;
  partyName: string | null;
}

export interface Mp extends MpSummary {
  /** True when this is the sitting MP from the MPs file; false when only the 2024 result names them. */
  sitting: boolean;
  twfyUrl: string | null;
  parliamentId: string | null;
  startDate: string | null;
}

export interface ConstituencySummary {
  code: string;
  name: string;
  regionCode: string | null;
  regionName: string | null;
  countryName: string | null;
  mp: Mp | null;
  firstParty: string | null;
  majority: number | null;
  validVotes: number | null;
  /** Majority / valid votes; null until the results are loaded. */
  marginality: number | null;
  /** 1 for the most marginal seat. */
  marginalityRank: number | null;
  /** Where it sits on the hex map, when a layout has been imported. */
  hex: { q: number; r: number } | null;
}

export interface ElectionResult {
  /** As published, e.g. "SNP hold", "Lab gain from Con". */
  text: string | null;
  memberElected: string | null;
  firstParty: string | null;
  secondParty: string | null;
  electorate: number | null;
  validVotes: number | null;
  invalidVotes: number | null;
  majority: number | null;
  votesByParty: Record<string, number>;
}

export interface Constituency extends ConstituencySummary {
  type: string | null;
  /** The 2024 general election result, or null when results have not been imported. */
  result: ElectionResult | null;
  /** How many seats have a marginality (the "of 650" in "the most marginal seat of 650"). */
  rankedSeats: number;
}

interface SummaryRow {
  code: string;
  name: string;
  region_code: string | null;
  region_name: string | null;
  country_name: string | null;
  first_party: string | null;
  majority: number | null;
  valid_votes: number | null;
  marginality: number | null;
  marginality_rank: number | null;
  member_name: string | null;
  mp_name: string | null;
  mp_party: string | null;
  mp_party_name: string | null;
  mp_twfy_url: string | null;
  mp_parliament_id: string | null;
  mp_start_date: string | null;
  hex_q: number | null;
  hex_r: number | null;
}

const summaryColumns = sql`
  c.code, c.name, c.region_code, c.region_name, c.country_name, c.first_party, c.majority, c.valid_votes, c.marginality,
  r.marginality_rank, c.member_name, m.name as mp_name, m.party as mp_party, m.party_name as mp_party_name,
  m.twfy_url as mp_twfy_url, m.parliament_id as mp_parliament_id, to_char(m.start_date, 'YYYY-MM-DD') as mp_start_date,
  h.q as hex_q, h.r as hex_r`;

const summaryFrom = sql`
  constituencies c
  left join mps m on m.constituency_code = c.code
  left join constituency_hexes h on h.constituency_code = c.code
  left join (
    select code, rank() over (order by marginality)::int as marginality_rank from constituencies where marginality is not null
  ) r on r.code = c.code`;

function mpOf(row: SummaryRow): Mp | null {
  if (row.mp_name) {
    return {
      name: row.mp_name,
      party: row.mp_party,
      partyName: row.mp_party_name ?? partyName(row.mp_party),
      sitting: true,
      twfyUrl: row.mp_twfy_url,
      parliamentId: row.mp_parliament_id,
      startDate: row.mp_start_date,
    };
  }
  if (row.member_name) {
    return { name: row.member_name, party: row.first_party, partyName: partyName(row.first_party), sitting: false, twfyUrl: null, parliamentId: null, startDate: null };
  }
  return null;
}

function summaryOf(row: SummaryRow): ConstituencySummary {
  return {
    code: row.code,
    name: row.name,
    regionCode: row.region_code,
    regionName: row.region_name,
    countryName: row.country_name,
    mp: mpOf(row),
    firstParty: row.first_party,
    majority: row.majority,
    validVotes: row.valid_votes,
    marginality: row.marginality,
    marginalityRank: row.marginality_rank,
    hex: row.hex_q !== null && row.hex_r !== null ? { q: row.hex_q, r: row.hex_r } : null,
  };
}

/** One constituency with its MP, 2024 result and marginality rank, or undefined for an unknown code. */
export async function getConstituency(handle: Handle, code: string): Promise<Constituency | undefined> {
  const q = politicsQ(handle);
  const found = await sql<
    SummaryRow & {
      constituency_type: string | null;
      result: string | null;
      second_party: string | null;
      electorate: number | null;
      invalid_votes: number | null;
      votes_by_party: Record<string, number> | null;
      ranked_seats: number;
    }
  >`
    select ${summaryColumns}, c.constituency_type, c.result, c.second_party, c.electorate, c.invalid_votes, c.votes_by_party,
      (select count(*)::int from constituencies where marginality is not null) as ranked_seats
    from ${summaryFrom}
    where c.code = ${code.toUpperCase()}`.execute(q);
  const row = found.rows[0];
  if (!row) return undefined;
  const hasResult = row.valid_votes !== null || row.result !== null;
  return {
    ...summaryOf(row),
    type: row.constituency_type,
    result: hasResult
      ? {
          text: row.result,
          memberElected: row.member_name,
          firstParty: row.first_party,
          secondParty: row.second_party,
          electorate: row.electorate,
          validVotes: row.valid_votes,
          invalidVotes: row.invalid_votes,
          majority: row.majority,
          votesByParty: row.votes_by_party ?? {},
        }
      : null,
    rankedSeats: row.ranked_seats,
  };
}

export type ConstituencySort = 'name' | 'marginality';

export interface ListOptions {
  page?: number;
  perPage?: number;
  sort?: ConstituencySort;
  /** Part of a name (any case), or a whole code. */
  search?: string;
}

export interface ConstituencyPage {
  items: ConstituencySummary[];
  total: number;
  page: number;
  perPage: number;
  totalPages: number;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A page of constituencies, by name or most marginal first, optionally narrowed by a search. */
export async function listConstituencies(handle: Handle, options: ListOptions = {}): Promise<ConstituencyPage> {
  const q = politicsQ(handle);
  const perPage = Math.min(Math.max(1, Math.floor(options.perPage ?? 50)), 1000);
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const search = options.search?.trim() ?? '';
  const where = search ? sql`where c.name ilike ${likePattern(search)} or c.code = ${search.toUpperCase()}` : sql``;
  const order = options.sort === 'marginality' ? sql`c.marginality asc nulls last, c.name` : sql`c.name, c.code`;
  const [rows, count] = await Promise.all([
    sql<SummaryRow>`select ${summaryColumns} from ${summaryFrom} ${where} order by ${order} limit ${perPage} offset ${(page - 1) * perPage}`.execute(q),
    sql<{ n: number }>`select count(*)::int as n from constituencies c ${where}`.execute(q),
  ]);
  const total = count.rows[0]?.n ?? 0;
  return { items: rows.rows.map(summaryOf), total, page, perPage, totalPages: pageCount(total, perPage) };
}

/** Names, MPs and parties of many constituencies at once (for lists of signatures, supporters, targets). */
export async function constituencyNames(handle: Handle, codes: string[]): Promise<Map<string, { name: string; mp: string | null; party: string | null }>> {
  const q = politicsQ(handle);
  const wanted = [...new Set(codes.filter(Boolean).map((c) => c.toUpperCase()))];
  const names = new Map<string, { name: string; mp: string | null; party: string | null }>();
  if (wanted.length === 0) return names;
  const rows = await sql<{ code: string; name: string; mp: string | null; party: string | null }>`
    select c.code, c.name, coalesce(m.name, c.member_name) as mp, case when m.name is null then c.first_party else m.party end as party
    from constituencies c left join mps m on m.constituency_code = c.code
    where c.code = any(${wanted}::text[])`.execute(q);
  for (const row of rows.rows) names.set(row.code, { name: row.name, mp: row.mp, party: row.party });
  return names;
}

/** Region (or, outside England, country) codes with their names, from the constituencies loaded. */
export async function regionNames(handle: Handle): Promise<Map<string, string>> {
  const q = politicsQ(handle);
  const rows = await q
    .selectFrom('constituencies')
    .select(['region_code', 'region_name'])
    .distinct()
    .where('region_code', 'is not', null)
    .where('region_name', 'is not', null)
    .orderBy('region_name')
    .execute();
  return new Map(rows.map((r) => [r.region_code!, r.region_name!]));
}

/** The region (or, outside England, country) code of each constituency asked about. */
export async function regionsOfConstituencies(handle: Handle, codes: string[]): Promise<Map<string, string | null>> {
  const wanted = [...new Set(codes.filter(Boolean).map((c) => c.toUpperCase()))];
  if (wanted.length === 0) return new Map();
  const rows = await politicsQ(handle).selectFrom('constituencies').select(['code', 'region_code']).where('code', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.code, r.region_code]));
}
