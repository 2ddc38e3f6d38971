import type { ColumnType, Generated } from 'kysely';
import type { AppContext as AnyAppContext } from '../context.ts';
import { viewOf, type Handle, type View, type ViewDb, type ViewTx } from '../platform/index.ts';
import type { MailingTables } from './mailings/tables.ts';
import type { ImportTables } from './imports/tables.ts';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;
type JsonColumn<T> = ColumnType<T, string | undefined, string>;

export type EmailStatus = 'unverified' | 'verified' | 'undeliverable';
export type ConsentStatus = 'pending' | 'given' | 'withdrawn';
export type ConsentEvent = 'requested' | 'given' | 'withdrawn';

export interface PeopleTable {
  id: Generated<number>;
  public_id: Generated<string>;
  email: Maybe<string>;
  canonical_email: Maybe<string>;
  email_status: ColumnType<EmailStatus, EmailStatus | undefined, EmailStatus>;
  email_status_reason: Maybe<string>;
  given_name: Maybe<string>;
  family_name: Maybe<string>;
  phone: Maybe<string>;
  postcode: Maybe<string>;
  constituency_code: Maybe<string>;
  region_code: Maybe<string>;
  country_code: Maybe<string>;
  source_utm_source: Maybe<string>;
  source_utm_campaign: Maybe<string>;
  source_referrer: Maybe<string>;
  source_method: Maybe<string>;
  first_action_at: Maybe<Date>;
  latest_action_at: Maybe<Date>;
  created_at: Generated<Date>;
  modified_at: Generated<Date>;
  merged_into_id: Maybe<number>;
  erased_at: Maybe<Date>;
}

export interface PersonGroupsTable {
  person_id: number;
  group_id: number;
  first_at: Generated<Date>;
  /**
   * What the group was told about the person when it did not (or no longer) see their own record:
   * given_name, family_name, phone, postcode, constituency_code, region_code, country_code, at.
   * Null: the group sees the person's record (they gave it to the group, or the group made it).
   */
  facts: ColumnType<GroupFacts | null, string | null | undefined, string | null>;
  /** When something the group sees of a told-only person last changed (a consent, a tag, a bounce): set by triggers. */
  changed_at: Maybe<Date>;
}

export interface GroupFacts {
  given_name?: string | null;
  family_name?: string | null;
  phone?: string | null;
  postcode?: string | null;
  constituency_code?: string | null;
  region_code?: string | null;
  country_code?: string | null;
  at?: string;
}

export interface PersonActionsTable {
  id: Generated<number>;
  person_id: number;
  /** Dotted: 'petition.signed', 'signup.coalition', 'consent.given', 'mailing.clicked', ... */
  kind: string;
  subject_type: Maybe<string>;
  subject_id: Maybe<string>;
  group_id: Maybe<number>;
  occurred_at: Generated<Date>;
  detail: JsonColumn<Record<string, unknown>>;
}

export interface ConsentPurposesTable {
  id: Generated<number>;
  /** 'coalition.updates' or 'group.<id>.updates'. */
  key: string;
  group_id: Maybe<number>;
  name: string;
  description: Generated<string>;
  created_at: Generated<Date>;
}

export interface ConsentWordingsTable {
  id: Generated<number>;
  purpose_id: number;
  version: number;
  wording: string;
  created_at: Generated<Date>;
}

export interface ConsentsTable {
  person_id: number;
  purpose_id: number;
  status: ConsentStatus;
  wording_id: Maybe<number>;
  /** How: 'form:join', 'form:group-subscribe', 'petition:<id>', 'import:<file>', 'api:<token>'. */
  method: string;
  source: Maybe<string>;
  requested_at: Generated<Date>;
  given_at: Maybe<Date>;
  withdrawn_at: Maybe<Date>;
}

export interface ConsentEventsTable {
  id: Generated<number>;
  person_id: number;
  purpose_id: number;
  event: ConsentEvent;
  wording_id: Maybe<number>;
  method: string;
  source: Maybe<string>;
  ip: Maybe<string>;
  occurred_at: Generated<Date>;
}

export interface TagsTable {
  id: Generated<number>;
  name: string;
  group_id: Maybe<number>;
  created_at: Generated<Date>;
  modified_at: Generated<Date>;
}

export interface TaggingsTable {
  tag_id: number;
  person_id: number;
  created_at: Generated<Date>;
}

export interface ListsTable {
  id: Generated<number>;
  name: string;
  description: Generated<string>;
  group_id: Maybe<number>;
  created_at: Generated<Date>;
  modified_at: Generated<Date>;
}

export interface ListMembersTable {
  list_id: number;
  person_id: number;
  added_at: Generated<Date>;
}

export interface SegmentsTable {
  id: Generated<number>;
  name: string;
  group_id: Maybe<number>;
  definition: JsonColumn<unknown>;
  created_by: Maybe<number>;
  created_at: Generated<Date>;
  modified_at: Generated<Date>;
}

/**
 * Tables owned by the supporters capability, its segments' imports and its mailings included (so
 * the app's database, which extends this, holds them too).
 */
export interface SupporterTables extends ImportTables, MailingTables {
  people: PeopleTable;
  person_groups: PersonGroupsTable;
  person_actions: PersonActionsTable;
  consent_purposes: ConsentPurposesTable;
  consent_wordings: ConsentWordingsTable;
  consents: ConsentsTable;
  consent_events: ConsentEventsTable;
  tags: TagsTable;
  taggings: TaggingsTable;
  lists: ListsTable;
  list_members: ListMembersTable;
  segments: SegmentsTable;
}

/** The supporters capability's view of the database: its own tables only (see platform/db/view.ts). */
export type SupportersView = SupporterTables & ImportTables & MailingTables;
export type Db = ViewDb<SupportersView>;
export type Tx = ViewTx<SupportersView>;
/** The database or an open transaction, as the supporters capability sees it. */
export type Q = View<SupportersView>;
/** The app context as the supporters capability sees it: `db` shows its own tables only. */
export type AppContext = AnyAppContext<SupportersView>;
/** A handle from another capability (or the platform), seen through this capability's view. */
export const supportersQ = (q: Handle): Q => viewOf<SupportersView>(q);
