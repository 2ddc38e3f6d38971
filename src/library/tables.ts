import type { ColumnType, Generated } from 'kysely';
import type { AppContext as AnyAppContext } from '../context.ts';
import { viewOf, type Handle, type View, type ViewDb, type ViewTx } from '../platform/index.ts';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** A news link ("info link"): a page on another website the coalition points people to. */
export interface LinksTable {
  id: Generated<number>;
  /** As the organiser gave it (or the page's canonical address when it named one). */
  url: string;
  /** The duplicate key: scheme and host lower case, no fragment, no utm_* (canonical-url.ts). */
  canonical_url: string;
  title: string;
  /** The publication ("The Guardian", "BBC News"). */
  source: Generated<string>;
  /** A calendar date, YYYY-MM-DD (the database hands dates over as text). */
  published_on: Maybe<string>;
  /** In the mailings' simple formatting. */
  summary: Generated<string>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  constituency_codes: ColumnType<string[], string[] | undefined, string[]>;
  region_codes: ColumnType<string[], string[] | undefined, string[]>;
  /** The group whose organisers look after it; null: the coalition's own (admins only). */
  group_id: Maybe<number>;
  added_by: Maybe<number>;
  added_by_name: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Generated (title A, summary B, source C, English stemming); never written. */
  search: ColumnType<string, never, never>;
}

export interface LibraryTables {
  links: LinksTable;
}

/** The library capability's view of the database: its own tables only (see platform/db/view.ts). */
export type LibraryView = LibraryTables;
export type Db = ViewDb<LibraryView>;
export type Tx = ViewTx<LibraryView>;
export type Q = View<LibraryView>;
export type AppContext = AnyAppContext<LibraryView>;
export const libraryQ = (q: Handle): Q => viewOf<LibraryView>(q);
