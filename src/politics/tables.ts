import type { ColumnType, Generated } from 'kysely';
import type { AppContext as AnyAppContext } from '../context.ts';
import type { TargetTables } from './targets/tables.ts';
import type { LetterTables } from './letters/tables.ts';
import { viewOf, type Handle, type View, type ViewDb, type ViewTx } from '../platform/index.ts';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface PostcodesTable {
  /** Upper case, no spaces: "AB101AB". */
  compact: string;
  /** As published (pcds): "AB10 1AB". */
  postcode: string;
  /** ONS country code (E92000001 England, S92000003 Scotland, W92000004 Wales, N92000002 NI; L93000001 Channel Islands, M83000003 Isle of Man). */
  country_code: Maybe<string>;
  region_code: Maybe<string>;
  constituency_code: Maybe<string>;
  latitude: Maybe<number>;
  longitude: Maybe<number>;
  introduced_on: Maybe<string>;
  terminated_on: Maybe<string>;
  imported_at: Generated<Date>;
}

export interface ConstituenciesTable {
  code: string;
  name: string;
  region_code: Maybe<string>;
  region_name: Maybe<string>;
  country_name: Maybe<string>;
  constituency_type: Maybe<string>;
  member_name: Maybe<string>;
  result: Maybe<string>;
  first_party: Maybe<string>;
  second_party: Maybe<string>;
  electorate: Maybe<number>;
  valid_votes: Maybe<number>;
  invalid_votes: Maybe<number>;
  majority: Maybe<number>;
  votes_by_party: ColumnType<Record<string, number> | null, string | null | undefined, string | null>;
  /** Generated: majority / valid votes. */
  marginality: ColumnType<number | null, never, never>;
  updated_at: Generated<Date>;
}

export interface MpsTable {
  constituency_code: string;
  name: string;
  party: Maybe<string>;
  party_name: Maybe<string>;
  party_colour: Maybe<string>;
  twfy_id: Maybe<string>;
  twfy_url: Maybe<string>;
  parliament_id: Maybe<string>;
  start_date: Maybe<string>;
  updated_at: Generated<Date>;
}

export interface ConstituencyHexesTable {
  constituency_code: string;
  name: Maybe<string>;
  q: number;
  r: number;
  region_code: Maybe<string>;
  colour: Maybe<string>;
}

export interface NhsOrganisationsTable {
  /** ODS code: "RA7", "QJK", "Z9B2Z". */
  code: string;
  kind: 'trust' | 'icb';
  /** Readable form of the ODS name. */
  name: string;
  /** As published by the Organisation Data Service (upper case). */
  ods_name: string;
  postcode: Maybe<string>;
  /** A trust's ICB (ODS "high level health geography"). */
  icb_code: Maybe<string>;
  opened_on: Maybe<string>;
  closed_on: Maybe<string>;
  /** 'shipped' (src/politics/data) or 'import' (`chorus import nhs-organisations`). */
  source: 'shipped' | 'import';
  updated_at: Generated<Date>;
}

/** Tables owned by the politics capability (postcodes, constituencies, results, MPs, hexes, NHS organisations, targets, letters). */
export interface PoliticsTables extends TargetTables, LetterTables {
  postcodes: PostcodesTable;
  constituencies: ConstituenciesTable;
  mps: MpsTable;
  constituency_hexes: ConstituencyHexesTable;
  nhs_organisations: NhsOrganisationsTable;
}

/** The politics capability's view of the database: its own tables only (see platform/db/view.ts). */
export type PoliticsView = PoliticsTables;
export type Db = ViewDb<PoliticsView>;
export type Tx = ViewTx<PoliticsView>;
/** The database or an open transaction, as the politics capability sees it. */
export type Q = View<PoliticsView>;
/** The app context as the politics capability sees it: `db` shows its own tables only. */
export type AppContext = AnyAppContext<PoliticsView>;
/** A handle from another capability (or the platform), seen through this capability's view. */
export const politicsQ = (q: Handle): Q => viewOf<PoliticsView>(q);
