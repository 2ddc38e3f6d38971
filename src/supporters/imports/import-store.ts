import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Q } from '../tables.ts';
import type { PeopleScope } from '../segments/compile-segment.ts';
import { storedMapping, type ColumnMapping } from './import-mapping.ts';
import type { ImportState } from './tables.ts';

/** Everything an import needs to know about itself, whichever way it runs. */
export interface PeopleImport {
  id: string;
  source: 'web' | 'cli';
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  groupId: number | null;
  wording: string;
  agreedOn: string | null;
  extraTags: string[];
  listId: number | null;
  mapping: ColumnMapping | null;
  state: ImportState;
  report: ImportReport | null;
  linesDone: number;
  counts: Record<string, number>;
  problems: Array<{ line: number; reason: string }>;
  error: string | null;
  createdByLabel: string;
  createdAt: Date;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
}

/** A dry run: what would happen, and which rows are wrong. */
export interface ImportReport {
  rows: number;
  valid: number;
  bad: number;
  wouldCreate: number;
  wouldUpdate: number;
  duplicatesInFile: number;
  withConsent: number;
  withoutConsent: number;
  consentAlreadyGiven: number;
  consentWithdrawnKept: number;
  postcodesNotFound: number;
  newTags: string[];
  problems: Array<{ line: number; reason: string }>;
  duplicates: Array<{ line: number; firstLine: number }>;
  lastLine: number;
  fileError: string | null;
}

/** Import states in which the import still has work to do (for the resume sweep). */
export const UNFINISHED_STATES: ImportState[] = ['queued', 'running'];

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

type Row = {
  id: string;
  source: 'web' | 'cli';
  file_name: string;
  file_sha256: string;
  file_bytes: number;
  group_id: number | null;
  wording: string;
  agreed_on: string | null;
  extra_tags: string[];
  list_id: number | null;
  mapping: unknown;
  state: ImportState;
  report: unknown;
  lines_done: number;
  counts: Record<string, number>;
  problems: Array<{ line: number; reason: string }>;
  error: string | null;
  created_by_label: string;
  created_at: Date;
  finished_at: Date | null;
  heartbeat_at: Date | null;
};

function toImport(row: Row): PeopleImport {
  return {
    id: row.id,
    source: row.source,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    fileBytes: Number(row.file_bytes),
    groupId: row.group_id,
    wording: row.wording,
    agreedOn: row.agreed_on,
    extraTags: row.extra_tags,
    listId: row.list_id,
    mapping: row.mapping ? storedMapping.parse(row.mapping) : null,
    state: row.state,
    report: (row.report as ImportReport | null) ?? null,
    linesDone: row.lines_done,
    counts: row.counts,
    problems: row.problems,
    error: row.error,
    createdByLabel: row.created_by_label,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    heartbeatAt: row.heartbeat_at,
  };
}

const columns = [
  'id',
  'source',
  'file_name',
  'file_sha256',
  'file_bytes',
  'group_id',
  'wording',
  'agreed_on',
  'extra_tags',
  'list_id',
  'mapping',
  'state',
  'report',
  'lines_done',
  'counts',
  'problems',
  'error',
  'created_by_label',
  'created_at',
  'finished_at',
  'heartbeat_at',
] as const;

export interface NewImport {
  source: 'web' | 'cli';
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  content: Buffer | null;
  groupId: number | null;
  wording: string;
  agreedOn: string | null;
  extraTags: string[];
  listId: number | null;
  mapping: ColumnMapping | null;
  createdBy: number | null;
  createdByLabel: string;
}

export async function createImport(q: Q, props: NewImport): Promise<string> {
  const row = await q
    .insertInto('people_imports')
    .values({
      source: props.source,
      file_name: props.fileName,
      file_sha256: props.fileSha256,
      file_bytes: props.fileBytes,
      content: props.content,
      group_id: props.groupId,
      wording: props.wording,
      agreed_on: props.agreedOn,
      extra_tags: props.extraTags,
      list_id: props.listId,
      mapping: props.mapping ? JSON.stringify(props.mapping) : null,
      created_by: props.createdBy,
      created_by_label: props.createdByLabel,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function getImport(q: Q, id: string): Promise<PeopleImport | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await q.selectFrom('people_imports').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? toImport(row as Row) : undefined;
}

/** An unfinished CLI import of the same file with the same consent: rerunning the command resumes it. */
export async function findResumableImport(q: Q, props: Pick<NewImport, 'fileSha256' | 'groupId' | 'wording'>): Promise<PeopleImport | undefined> {
  const row = await q
    .selectFrom('people_imports')
    .select(columns)
    .where('file_sha256', '=', props.fileSha256)
    .where('source', '=', 'cli')
    .where('state', 'in', ['queued', 'running', 'failed'])
    .where(sql<boolean>`group_id is not distinct from ${props.groupId}`)
    .where('wording', '=', props.wording)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row ? toImport(row as Row) : undefined;
}

export async function importContent(q: Q, id: string): Promise<Buffer | null> {
  const row = await q.selectFrom('people_imports').select('content').where('id', '=', id).executeTakeFirst();
  return row?.content ?? null;
}

/** Recent imports the viewer may see: all for admins, their groups' for organisers. */
export async function listImports(q: Q, scope: PeopleScope, limit = 50): Promise<PeopleImport[]> {
  let query = q.selectFrom('people_imports').select(columns).orderBy('created_at', 'desc').limit(limit);
  if (scope !== 'all') query = scope.length === 0 ? query.where(sql<boolean>`false`) : query.where('group_id', 'in', scope);
  return (await query.execute()).map((row) => toImport(row as Row));
}

export async function saveMapping(q: Q, id: string, mapping: ColumnMapping): Promise<void> {
  await q
    .updateTable('people_imports')
    .set({ mapping: JSON.stringify(mapping), state: 'uploaded', report: null })
    .where('id', '=', id)
    .where('state', 'in', ['uploaded', 'checked'])
    .execute();
}

export async function saveReport(q: Q, id: string, report: ImportReport): Promise<void> {
  await q
    .updateTable('people_imports')
    .set({ report: JSON.stringify(report), state: 'checked', checked_at: new Date() })
    .where('id', '=', id)
    .where('state', 'in', ['uploaded', 'checked'])
    .execute();
}

/** Moves a checked import to the queue; false when it was not waiting to run. */
export async function markQueued(q: Q, id: string): Promise<boolean> {
  const result = await q
    .updateTable('people_imports')
    .set({ state: 'queued', queued_at: new Date(), heartbeat_at: new Date() })
    .where('id', '=', id)
    .where('state', '=', 'checked')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Imports that should be running but whose worker has gone quiet (stopped or restarted). */
export async function stalledImports(q: Q, quietSeconds: number): Promise<string[]> {
  const rows = await q
    .selectFrom('people_imports')
    .select('id')
    .where('source', '=', 'web')
    .where('state', 'in', UNFINISHED_STATES)
    .where(sql<boolean>`coalesce(heartbeat_at, queued_at, created_at) < now() - make_interval(secs => ${quietSeconds})`)
    .execute();
  return rows.map((r) => r.id);
}
