import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { findGroupById } from '../../coalition/index.ts';
import type { Db, Tx } from '../tables.ts';
import { connectToGroups, upsertPersonThrough } from '../people.ts';
import { parsedBatches, placesOf, validRows, type ParsedBatch } from './import-batches.ts';
import { ensurePurpose, ensureWording } from '../consent-purposes.ts';
import { FileProblem, type ImportRow } from './import-rows.ts';
import { getImport, type PeopleImport } from './import-store.ts';

/** Problems kept on the import for its page; the CLI prints every one as it goes. */
const KEPT_PROBLEMS = 200;

export type ImportCounts = Record<
  | 'rows'
  | 'imported'
  | 'rejected'
  | 'created'
  | 'updated'
  | 'consentGiven'
  | 'consentAlreadyGiven'
  | 'consentWithdrawnKept'
  | 'withoutConsent'
  | 'tagsAdded'
  | 'listAdded'
  | 'postcodesNotFound',
  number
>;

export function emptyCounts(): ImportCounts {
  return {
    rows: 0,
    imported: 0,
    rejected: 0,
    created: 0,
    updated: 0,
    consentGiven: 0,
    consentAlreadyGiven: 0,
    consentWithdrawnKept: 0,
    withoutConsent: 0,
    tagsAdded: 0,
    listAdded: 0,
    postcodesNotFound: 0,
  };
}

export interface RunImportOptions {
  /** Opens the file from its beginning (rows already imported are skipped by line number). */
  open: () => Readable;
  delimiter: string;
  batchSize?: number;
  /** Stop after committing this many batches, leaving the import to be resumed (tests; a stop request). */
  stopAfterBatches?: number;
  /** After each committed batch: for progress bars. */
  onBatch?: (progress: { line: number; bytes: number; counts: ImportCounts }) => void;
  onProblem?: (line: number, reason: string) => void;
}

export interface RunImportResult {
  outcome: 'done' | 'stopped' | 'failed';
  counts: ImportCounts;
  error: string | null;
}

interface Context {
  plan: PeopleImport;
  purposeId: number;
  wordingId: number;
  method: string;
  source: string;
  tagIds: Map<string, number>;
}

/**
 * Runs an import in batches. Each batch commits together with the import's progress (the last
 * line done), so a run stopped at any moment resumes after the last committed batch and never
 * applies a row twice; and every write is idempotent (upsert by canonical email, "on conflict do
 * nothing", consent only where none is recorded), so importing the same file again changes nothing.
 */
export async function runImport(db: Db, importId: string, options: RunImportOptions): Promise<RunImportResult> {
  const plan = await getImport(db, importId);
  if (!plan) throw new Error(`No import ${importId}`);
  if (plan.state === 'done') return { outcome: 'done', counts: { ...emptyCounts(), ...plan.counts }, error: null };
  if (!plan.mapping) throw new Error('The import has no column mapping');
  const context = await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('people_imports')
      .set({ state: 'running', error: null, started_at: sql<Date>`coalesce(started_at, now())`, heartbeat_at: new Date() })
      .where('id', '=', importId)
      .execute();
    const group = plan.groupId === null ? null : ((await findGroupById(tx, plan.groupId)) ?? null);
    const purposeId = await ensurePurpose(tx, group);
    const wordingId = await ensureWording(tx, purposeId, plan.wording);
    return {
      plan,
      purposeId,
      wordingId,
      method: `import:${plan.fileName}`.slice(0, 200),
      source: `people import ${plan.id} by ${plan.createdByLabel}`,
      tagIds: new Map<string, number>(),
    } satisfies Context;
  });

  let batches = 0;
  let counts: ImportCounts = { ...emptyCounts(), ...plan.counts };
  try {
    const stream = parsedBatches(options.open(), { delimiter: options.delimiter, mapping: plan.mapping, batchSize: options.batchSize ?? 500, afterLine: plan.linesDone });
    for await (const batch of stream) {
      const committed = await db.transaction().execute((tx) => importBatch(tx, context, batch, options));
      if (committed === 'stopped') return { outcome: 'stopped', counts, error: null };
      if (committed) counts = committed;
      options.onBatch?.({ line: batch.lastLine, bytes: batch.bytes, counts });
      batches++;
      if (options.stopAfterBatches !== undefined && batches >= options.stopAfterBatches) return { outcome: 'stopped', counts, error: null };
    }
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    await db.updateTable('people_imports').set({ state: 'failed', error: error.message, finished_at: new Date() }).where('id', '=', importId).execute();
    return { outcome: 'failed', counts, error: error.message };
  }
  // Done: the uploaded file is personal data we no longer need.
  await db
    .updateTable('people_imports')
    .set({ state: 'done', finished_at: new Date(), heartbeat_at: new Date(), content: null })
    .where('id', '=', importId)
    .where('state', '=', 'running')
    .execute();
  return { outcome: 'done', counts, error: null };
}

/** One batch in one transaction; 'stopped' if the import is no longer running, null if another runner did it. */
async function importBatch(tx: Tx, context: Context, batch: ParsedBatch, options: RunImportOptions): Promise<ImportCounts | 'stopped' | null> {
  const current = await tx
    .selectFrom('people_imports')
    .select(['state', 'lines_done', 'counts', 'problems'])
    .where('id', '=', context.plan.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (current.state !== 'running') return 'stopped';
  const lines = batch.lines.filter((l) => l.line > current.lines_done);
  if (lines.length === 0) return null;

  const counts: ImportCounts = { ...emptyCounts(), ...current.counts };
  const problems = [...current.problems];
  counts.rows += lines.length;
  for (const line of lines) {
    if (!('problem' in line)) continue;
    counts.rejected++;
    options.onProblem?.(line.line, line.problem);
    if (problems.length < KEPT_PROBLEMS) problems.push({ line: line.line, reason: line.problem });
  }

  const rows = validRows(lines).map((l) => l.row);
  const people = await upsertPeople(tx, context, rows, counts);
  await applyTags(tx, context, rows, people, counts);
  await applyListAndTimeline(tx, context, people, counts);
  await applyConsent(tx, context, rows, people, counts);

  await tx
    .updateTable('people_imports')
    .set({ lines_done: batch.lastLine, counts: JSON.stringify(counts), problems: JSON.stringify(problems), heartbeat_at: new Date() })
    .where('id', '=', context.plan.id)
    .execute();
  return counts;
}

/** Person id for each valid row, in order. */
async function upsertPeople(tx: Tx, context: Context, rows: ImportRow[], counts: ImportCounts): Promise<number[]> {
  const places = await placesOf(tx, rows);
  const ids: number[] = [];
  for (const row of rows) {
    const place = row.postcode && row.ukPostcode ? places.get(row.postcode) : undefined;
    if (row.postcode && row.ukPostcode && place?.status !== 'found') counts.postcodesNotFound++;
    const found = place?.status === 'found' ? place : undefined;
    const person = await upsertPersonThrough(
      tx,
      context.plan.groupId,
      {
        email: row.email,
        givenName: row.givenName,
        familyName: row.familyName,
        phone: row.phone,
        postcode: found?.postcode ?? row.postcode,
        constituencyCode: found?.constituencyCode ?? null,
        regionCode: found?.regionCode ?? null,
        countryCode: row.countryCode ?? (row.postcode && row.ukPostcode ? 'GB' : null),
        source: { method: context.method },
      },
      row.createdAt ?? new Date(),
    );
    if (context.plan.groupId !== null) await connectToGroups(tx, person.id, [context.plan.groupId]);
    counts.imported++;
    if (person.created) counts.created++;
    else counts.updated++;
    ids.push(person.id);
  }
  return ids;
}

async function tagIdsFor(tx: Tx, context: Context, names: string[]): Promise<Map<string, number>> {
  const missing = [...new Set(names.map((n) => n.toLowerCase()))].filter((n) => !context.tagIds.has(n));
  if (missing.length > 0) {
    const spelled = new Map(names.map((n) => [n.toLowerCase(), n]));
    await sql`
      insert into tags (name, group_id)
      select name, ${context.plan.groupId}::int from unnest(${missing.map((m) => spelled.get(m)!)}::text[]) as name
      on conflict do nothing`.execute(tx);
    const found = await sql<{ id: number; key: string }>`
      select id, lower(name) as key from tags
      where group_id is not distinct from ${context.plan.groupId}::int and lower(name) = any(${missing}::text[])`.execute(tx);
    for (const row of found.rows) context.tagIds.set(row.key, row.id);
  }
  return context.tagIds;
}

async function applyTags(tx: Tx, context: Context, rows: ImportRow[], people: number[], counts: ImportCounts) {
  const all = [...context.plan.extraTags, ...rows.flatMap((r) => r.tags)];
  if (all.length === 0) return;
  const ids = await tagIdsFor(tx, context, all);
  const pairs = new Set<string>();
  rows.forEach((row, index) => {
    for (const tag of [...context.plan.extraTags, ...row.tags]) pairs.add(`${ids.get(tag.toLowerCase())}:${people[index]}`);
  });
  const tagIds = [...pairs].map((p) => Number(p.split(':')[0]));
  const personIds = [...pairs].map((p) => Number(p.split(':')[1]));
  const added = await sql`
    insert into taggings (tag_id, person_id)
    select * from unnest(${tagIds}::int[], ${personIds}::bigint[])
    on conflict do nothing`.execute(tx);
  counts.tagsAdded += Number(added.numAffectedRows ?? 0);
}

async function applyListAndTimeline(tx: Tx, context: Context, people: number[], counts: ImportCounts) {
  const unique = [...new Set(people)];
  if (unique.length === 0) return;
  if (context.plan.listId !== null) {
    const added = await sql`
      insert into list_members (list_id, person_id)
      select ${context.plan.listId}::int, person_id from unnest(${unique}::bigint[]) as person_id
      where exists (select 1 from lists where id = ${context.plan.listId}::int)
      on conflict do nothing`.execute(tx);
    counts.listAdded += Number(added.numAffectedRows ?? 0);
  }
  // One timeline entry per person per file, however many times the file is imported.
  await sql`
    insert into person_actions (person_id, kind, subject_type, subject_id, group_id, detail)
    select i.person_id, 'import.people', 'people_import_file', ${context.plan.fileSha256}, ${context.plan.groupId}::int,
      ${JSON.stringify({ file: context.plan.fileName, import: context.plan.id })}::jsonb
    from unnest(${unique}::bigint[]) as i(person_id)
    where not exists (
      select 1 from person_actions a
      where a.person_id = i.person_id and a.kind = 'import.people' and a.subject_id = ${context.plan.fileSha256})`.execute(tx);
}

/** When they agreed: the day the organiser states (midnight, London), else the row's join date, else now. */
function agreedAt(context: Context, row: ImportRow): Date | string {
  return context.plan.agreedOn ?? row.createdAt ?? new Date();
}

async function applyConsent(tx: Tx, context: Context, rows: ImportRow[], people: number[], counts: ImportCounts) {
  const subscribedAt = new Map<number, Date | string>();
  rows.forEach((row, index) => {
    if (row.subscribed && !subscribedAt.has(people[index]!)) subscribedAt.set(people[index]!, agreedAt(context, row));
  });
  counts.withoutConsent += new Set(people.filter((id) => !subscribedAt.has(id))).size;
  if (subscribedAt.size === 0) return;
  const ids = [...subscribedAt.keys()];
  const before = await tx.selectFrom('consents').select(['person_id', 'status']).where('purpose_id', '=', context.purposeId).where('person_id', 'in', ids).execute();
  for (const row of before) {
    if (row.status === 'given') counts.consentAlreadyGiven++;
    if (row.status === 'withdrawn') counts.consentWithdrawnKept++;
  }
  const at = ids.map((id) => {
    const value = subscribedAt.get(id)!;
    return typeof value === 'string' ? value : value.toISOString();
  });
  // A date alone (agreed_on) is midnight in London; a timestamp is taken as it is.
  const given = await sql<{ person_id: number }>`
    with input as (
      select person_id, case when at ~ '^\\d{4}-\\d{2}-\\d{2}$' then (at::date::timestamp at time zone 'Europe/London') else at::timestamptz end as at
      from unnest(${ids}::bigint[], ${at}::text[]) as i(person_id, at)
    ),
    recorded as (
      insert into consents (person_id, purpose_id, status, wording_id, method, source, requested_at, given_at)
      select person_id, ${context.purposeId}::int, 'given', ${context.wordingId}::int, ${context.method}, ${context.source}, at, at from input
      on conflict (purpose_id, person_id) do update set
        status = 'given', wording_id = excluded.wording_id, method = excluded.method, source = excluded.source, given_at = excluded.given_at
      -- Consent already given stays as it was; a withdrawal is never overridden by an import.
      where consents.status = 'pending'
      returning person_id, given_at
    )
    insert into consent_events (person_id, purpose_id, event, wording_id, method, source, occurred_at)
    select person_id, ${context.purposeId}::int, 'given', ${context.wordingId}::int, ${context.method}, ${context.source}, given_at from recorded
    returning person_id`.execute(tx);
  counts.consentGiven += given.rows.length;
}
