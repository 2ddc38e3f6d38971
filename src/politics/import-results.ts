import { sql } from 'kysely';
import { reevaluateAllRules } from './targets/rules.ts';
import type { Importer } from '../platform/index.ts';
import type { Db, Q } from './tables.ts';
import { GSS_CODE, importCsv, lastOfEach, wholeNumber, type CsvKind, type ImportOptions, type ImportResult } from './import-file.ts';
import { clearPoliticsDemo } from './demo-label.ts';
import { mostMarginal } from './marginality.ts';

export interface ResultRow {
  code: string;
  name: string;
  regionCode: string | null;
  regionName: string | null;
  countryName: string | null;
  type: string | null;
  memberName: string | null;
  result: string | null;
  firstParty: string | null;
  secondParty: string | null;
  electorate: number | null;
  validVotes: number | null;
  invalidVotes: number | null;
  majority: number | null;
  votesByParty: Record<string, number>;
}

const columns = {
  code: ['ONS ID'],
  regionCode: ['ONS region ID'],
  name: ['Constituency name'],
  regionName: ['Region name'],
  countryName: ['Country name'],
  type: ['Constituency type'],
  firstName: ['Member first name'],
  surname: ['Member surname'],
  result: ['Result'],
  firstParty: ['First party'],
  secondParty: ['Second party'],
  electorate: ['Electorate'],
  validVotes: ['Valid votes'],
  invalidVotes: ['Invalid votes'],
  majority: ['Majority'],
} as const;

type Key = keyof typeof columns;
const counts = ['electorate', 'validVotes', 'invalidVotes', 'majority'] as const satisfies readonly Key[];

/** In the House of Commons Library files every column after "Majority" is a party's votes. */
function partyVotes(record: string[], header: string[]): Record<string, number> | { reject: string } {
  const first = header.findIndex((name) => name.trim().toLowerCase() === 'majority') + 1;
  const votes: Record<string, number> = {};
  for (let i = first; i < header.length; i++) {
    const party = header[i]!.trim();
    if (party === '') continue;
    const value = wholeNumber(record[i] ?? '');
    if (value === undefined || (value !== null && value < 0)) return { reject: `${party} "${(record[i] ?? '').slice(0, 20)}" is not a number of votes` };
    if (value !== null) votes[party] = value;
  }
  return votes;
}

export const resultsKind: CsvKind<Key, ResultRow> = {
  label: 'results',
  expected: 'a House of Commons Library general election results by constituency CSV',
  columns,
  required: ['code', 'name', 'validVotes', 'majority'],
  batchSize: 1000,
  read(field, record, header) {
    const code = field('code').toUpperCase();
    if (!GSS_CODE.test(code)) return { reject: `ONS ID "${code.slice(0, 20)}" is not a constituency code (like E14001279)` };
    const name = field('name');
    if (name === '') return { reject: 'Constituency name is empty' };
    const numbers = {} as Record<(typeof counts)[number], number | null>;
    for (const key of counts) {
      const value = wholeNumber(field(key));
      if (value === undefined || (value !== null && value < 0)) return { reject: `${columns[key][0]} "${field(key).slice(0, 20)}" is not a whole number` };
      numbers[key] = value;
    }
    if (numbers.majority !== null && numbers.validVotes !== null && numbers.majority > numbers.validVotes) {
      return { reject: `Majority (${numbers.majority}) is larger than Valid votes (${numbers.validVotes})` };
    }
    const votesByParty = partyVotes(record, header);
    if ('reject' in votesByParty) return { reject: String(votesByParty.reject) };
    const text = (key: Key) => field(key) || null;
    return {
      code,
      name,
      regionCode: text('regionCode')?.toUpperCase() ?? null,
      regionName: text('regionName'),
      countryName: text('countryName'),
      type: text('type'),
      memberName: [field('firstName'), field('surname')].filter(Boolean).join(' ') || null,
      result: text('result'),
      firstParty: text('firstParty'),
      secondParty: text('secondParty'),
      ...numbers,
      votesByParty,
    };
  },
  async write(db, batch) {
    await upsertResults(db, batch);
  },
  async afterLoad(db): Promise<Record<string, string | number>> {
    await clearPoliticsDemo(db);
    const lists = await reevaluateAllRules(db);
    const [seat] = await mostMarginal(db, 1);
    return { ...(seat ? { 'most marginal': `${seat.name} (majority ${seat.majority})` } : {}), ...(lists > 0 ? { 'target lists whose seats were chosen again': lists } : {}) };
  },
};

/** Inserts or replaces constituencies and their result (a constituency listed twice keeps its last row). */
export async function upsertResults(q: Q, batch: ResultRow[]): Promise<void> {
  const rows = lastOfEach(batch, (r) => r.code);
  const col = <T>(pick: (r: ResultRow) => T) => rows.map(pick);
  await sql`
    insert into constituencies (code, name, region_code, region_name, country_name, constituency_type, member_name, result,
      first_party, second_party, electorate, valid_votes, invalid_votes, majority, votes_by_party, updated_at)
    select v.*, now() from unnest(
      ${col((r) => r.code)}::text[], ${col((r) => r.name)}::text[], ${col((r) => r.regionCode)}::text[], ${col((r) => r.regionName)}::text[],
      ${col((r) => r.countryName)}::text[], ${col((r) => r.type)}::text[], ${col((r) => r.memberName)}::text[], ${col((r) => r.result)}::text[],
      ${col((r) => r.firstParty)}::text[], ${col((r) => r.secondParty)}::text[], ${col((r) => r.electorate)}::int[],
      ${col((r) => r.validVotes)}::int[], ${col((r) => r.invalidVotes)}::int[], ${col((r) => r.majority)}::int[],
      ${col((r) => JSON.stringify(r.votesByParty))}::jsonb[]
    ) as v(code, name, region_code, region_name, country_name, constituency_type, member_name, result,
      first_party, second_party, electorate, valid_votes, invalid_votes, majority, votes_by_party)
    on conflict (code) do update set
      name = excluded.name, region_code = excluded.region_code, region_name = excluded.region_name, country_name = excluded.country_name,
      constituency_type = excluded.constituency_type, member_name = excluded.member_name, result = excluded.result,
      first_party = excluded.first_party, second_party = excluded.second_party, electorate = excluded.electorate,
      valid_votes = excluded.valid_votes, invalid_votes = excluded.invalid_votes, majority = excluded.majority,
      votes_by_party = excluded.votes_by_party, updated_at = excluded.updated_at`.execute(q);
}

/** Loads a House of Commons Library results-by-constituency CSV (one row per constituency). */
export function importResults(db: Db, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  return importCsv(db, file, resultsKind, options);
}

export const resultsImporter: Importer = {
  description: 'House of Commons Library general election results by constituency CSV',
  run: (ctx, file) => importResults(ctx.db, file),
};
