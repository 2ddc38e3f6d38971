import { sql } from 'kysely';
import type { Importer } from '../../platform/index.ts';
import type { Db, Q } from '../tables.ts';
import { GSS_CODE, importCsv, lastOfEach, type CsvKind, type ImportOptions, type ImportResult } from '../import-file.ts';

export interface CandidateRow {
  ballotPaperId: string;
  personId: string;
  electionId: string;
  electionDate: string | null;
  personName: string;
  partyName: string | null;
  partyId: string | null;
  postLabel: string;
  constituencyCode: string | null;
  elected: boolean | null;
  cancelledPoll: boolean;
}

/**
 * Democracy Club's candidates CSV (candidates.democracyclub.org.uk/data/): its core columns
 * person_id, person_name, election_id, ballot_paper_id, election_date, election_current,
 * party_name, party_id, post_label, cancelled_poll, seats_contested, and the optional gss,
 * post_id and elected. Only UK Parliament ballots (parl.*) are loaded.
 */
const columns = {
  personId: ['person_id'],
  personName: ['person_name'],
  electionId: ['election_id'],
  ballotPaperId: ['ballot_paper_id'],
  electionDate: ['election_date'],
  partyName: ['party_name'],
  partyId: ['party_id'],
  postLabel: ['post_label'],
  cancelledPoll: ['cancelled_poll'],
  gss: ['gss'],
  postId: ['post_id'],
  elected: ['elected'],
} as const;

/** Democracy Club writes booleans as True/False (Python); some tools write true/false or 1/0. */
function yesNo(text: string): boolean | null | undefined {
  const t = text.toLowerCase();
  if (t === '') return null;
  if (t === 'true' || t === '1' || t === 't' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'f' || t === 'no') return false;
  return undefined;
}

export const candidatesKind: CsvKind<keyof typeof columns, CandidateRow> = {
  label: 'candidates',
  expected: 'a Democracy Club candidates CSV (columns person_id, person_name, election_id, ballot_paper_id, party_name, post_label...)',
  columns,
  required: ['personId', 'personName', 'electionId', 'ballotPaperId', 'postLabel'],
  batchSize: 1000,
  read(field) {
    const ballotPaperId = field('ballotPaperId');
    if (!/^parl\.[a-z0-9.-]+$/.test(ballotPaperId)) return { reject: `ballot_paper_id "${ballotPaperId.slice(0, 60)}" is not a UK Parliament ballot (like parl.hendon.2024-07-04)` };
    const personId = field('personId');
    if (!/^\d{1,12}$/.test(personId)) return { reject: `person_id "${personId.slice(0, 20)}" is not a number` };
    const personName = field('personName');
    if (personName === '') return { reject: 'person_name is empty' };
    const postLabel = field('postLabel');
    if (postLabel === '') return { reject: 'post_label is empty' };
    const date = field('electionDate');
    if (date !== '' && (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date)))) return { reject: `election_date "${date.slice(0, 20)}" is not a date like 2024-07-04` };
    const elected = yesNo(field('elected'));
    if (elected === undefined) return { reject: `elected "${field('elected').slice(0, 20)}" is not True or False` };
    const cancelled = yesNo(field('cancelledPoll'));
    if (cancelled === undefined) return { reject: `cancelled_poll "${field('cancelledPoll').slice(0, 20)}" is not True or False` };
    const gss = field('gss').toUpperCase() || field('postId').replace(/^gss:/i, '').toUpperCase();
    return {
      ballotPaperId,
      personId,
      electionId: field('electionId'),
      electionDate: date || null,
      personName,
      partyName: field('partyName') || null,
      partyId: field('partyId') || null,
      postLabel,
      constituencyCode: GSS_CODE.test(gss) ? gss : null,
      elected,
      cancelledPoll: cancelled ?? false,
    };
  },
  write: (db, batch) => upsertCandidates(db, batch),
  async afterLoad(db): Promise<Record<string, number>> {
    const row = await sql<{ n: number }>`select count(*)::int as n from candidates where constituency_code is null`.execute(db);
    const unplaced = row.rows[0]?.n ?? 0;
    return unplaced > 0 ? { 'candidates whose seat is not a known constituency': unplaced } : {};
  },
};

/**
 * Inserts or updates candidacies by ballot and person. A row that has not changed is not touched
 * (its imported_at stays), so importing the same file again changes nothing. A seat given only
 * by its name (post_label) is matched to a known constituency of that name.
 */
export async function upsertCandidates(q: Q, batch: CandidateRow[]): Promise<void> {
  const rows = lastOfEach(batch, (r) => `${r.ballotPaperId} ${r.personId}`);
  const col = <T>(pick: (r: CandidateRow) => T) => rows.map(pick);
  await sql`
    insert into candidates as c (ballot_paper_id, dc_person_id, election_id, election_date, person_name, party_name, party_id, post_label, constituency_code, elected, cancelled_poll)
    select v.ballot_paper_id, v.person_id, v.election_id, v.election_date, v.person_name, v.party_name, v.party_id, v.post_label,
      coalesce(v.constituency_code, (select k.code from constituencies k where lower(k.name) = lower(v.post_label) order by k.code limit 1)),
      v.elected, v.cancelled_poll
    from unnest(
      ${col((r) => r.ballotPaperId)}::text[], ${col((r) => r.personId)}::text[], ${col((r) => r.electionId)}::text[],
      ${col((r) => r.electionDate)}::date[], ${col((r) => r.personName)}::text[], ${col((r) => r.partyName)}::text[],
      ${col((r) => r.partyId)}::text[], ${col((r) => r.postLabel)}::text[], ${col((r) => r.constituencyCode)}::text[],
      ${col((r) => r.elected)}::boolean[], ${col((r) => r.cancelledPoll)}::boolean[]
    ) as v(ballot_paper_id, person_id, election_id, election_date, person_name, party_name, party_id, post_label, constituency_code, elected, cancelled_poll)
    on conflict (ballot_paper_id, dc_person_id) do update set
      election_id = excluded.election_id, election_date = excluded.election_date, person_name = excluded.person_name,
      party_name = excluded.party_name, party_id = excluded.party_id, post_label = excluded.post_label,
      constituency_code = excluded.constituency_code, elected = excluded.elected, cancelled_poll = excluded.cancelled_poll, imported_at = now()
    where (c.election_id, c.election_date, c.person_name, c.party_name, c.party_id, c.post_label, c.constituency_code, c.elected, c.cancelled_poll)
      is distinct from (excluded.election_id, excluded.election_date, excluded.person_name, excluded.party_name, excluded.party_id,
        excluded.post_label, excluded.constituency_code, excluded.elected, excluded.cancelled_poll)`.execute(q);
}

/** Loads candidates per seat from Democracy Club's candidates CSV; run it again as nominations change. */
export function importCandidates(db: Db, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  return importCsv(db, file, candidatesKind, options);
}

export const candidatesImporter: Importer = {
  description: 'Democracy Club candidates CSV (UK Parliament ballots)',
  run: (ctx, file) => importCandidates(ctx.db, file),
};
