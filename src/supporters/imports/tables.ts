import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;
type JsonColumn<T> = ColumnType<T, string | undefined, string>;

export type ImportState = 'uploaded' | 'checked' | 'queued' | 'running' | 'done' | 'failed';

export interface PeopleImportsTable {
  id: Generated<string>;
  source: 'web' | 'cli';
  file_name: string;
  file_sha256: string;
  file_bytes: number;
  content: Maybe<Buffer>;
  group_id: Maybe<number>;
  wording: string;
  agreed_on: Maybe<string>;
  extra_tags: ColumnType<string[], string[] | undefined, string[]>;
  list_id: Maybe<number>;
  mapping: ColumnType<unknown, string | null | undefined, string | null>;
  state: ColumnType<ImportState, ImportState | undefined, ImportState>;
  report: ColumnType<unknown, string | null | undefined, string | null>;
  lines_done: Generated<number>;
  counts: JsonColumn<Record<string, number>>;
  problems: JsonColumn<Array<{ line: number; reason: string }>>;
  error: Maybe<string>;
  created_by: Maybe<number>;
  created_by_label: string;
  created_at: Generated<Date>;
  checked_at: Maybe<Date>;
  queued_at: Maybe<Date>;
  started_at: Maybe<Date>;
  heartbeat_at: Maybe<Date>;
  finished_at: Maybe<Date>;
}

/** Tables of the supporters capability's people imports. */
// A type alias, not an interface: withTables wants an index-signature-compatible record.
export type ImportTables = {
  people_imports: PeopleImportsTable;
};

/**
 * The query runner, seeing this module's tables too (same connection or transaction). The
 * supporters capability's own view already holds them; app-level code (tests) uses this.
 */
export function withImportTables<DB>(q: Kysely<DB> | Transaction<DB>) {
  return q.withTables<ImportTables>();
}
