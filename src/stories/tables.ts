import type { ColumnType, Generated } from 'kysely';
import type { AppContext as AnyAppContext } from '../context.ts';
import { viewOf, type Handle, type View, type ViewDb, type ViewTx } from '../platform/index.ts';
import type { StorytellerTables } from './storytellers/tables.ts';
import type { ModerationTables } from './moderation/tables.ts';

/**
 * Where a story's consent stands (states.ts names the sets every query and guard uses). Moderation
 * and the published version come later, in their own columns and table: the original text here is
 * never published.
 */
export type StoryState = 'awaiting_confirmation' | 'awaiting_guardian' | 'consented' | 'lapsed' | 'withdrawn';
/** How the story and its consent reached us. */
export type CollectionMethod = 'web' | 'phone' | 'paper';
export type IdentifyAs = 'anonymous' | 'first_name' | 'first_name_town' | 'full_name';
export type StoryUse = 'publish_hub' | 'journalists' | 'politicians' | 'social_media' | 'video';
export type HappenedWhen = 'last_3_months' | 'last_year' | 'one_to_five_years' | 'over_five_years';
/** A consent row records one use's box, a parent or guardian's consent, or a renewal. */
export type ConsentKind = 'use' | 'guardian' | 'renewal';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

/**
 * One story as told. Every `*_sealed` column holds text sealed with the stories key
 * (platform/sealed.ts): the story, where it happened, and everything that identifies its teller.
 */
export interface StoriesTable {
  id: Generated<number>;
  state: ColumnType<StoryState, StoryState | undefined, StoryState>;
  method: CollectionMethod;
  /** The organiser who took it by phone or on paper (null: the teller used the web form). */
  collected_by: Maybe<number>;
  collected_by_name: Maybe<string>;
  /** The supporter record the teller's email belongs to (for subject access and erasure). */
  person_id: Maybe<number>;
  story_sealed: string;
  service_sealed: string;
  /** The NHS trust or ICB, as typed (a list to choose from comes later). */
  nhs_body_sealed: Maybe<string>;
  /** Its ODS code when chosen from the shipped list of trusts and ICBs (an organisation, not the teller). */
  nhs_body_code: Maybe<string>;
  happened_when: HappenedWhen;
  postcode_sealed: string;
  constituency_code: Maybe<string>;
  region_code: Maybe<string>;
  name_sealed: string;
  email_sealed: string;
  phone_sealed: Maybe<string>;
  town_sealed: Maybe<string>;
  /** Sealed JSON: the links (video...) the teller gave. */
  media_links_sealed: string;
  identify_as: IdentifyAs;
  speak_to_press: boolean;
  speak_to_politicians: boolean;
  under_18: boolean;
  guardian_name_sealed: Maybe<string>;
  guardian_email_sealed: Maybe<string>;
  /** sha256 of the links' tokens (the tokens are only in the emails). */
  confirm_token_hash: string;
  manage_token_hash: string;
  guardian_token_hash: Maybe<string>;
  /** The renewal reminder's link (works as the manage link does, which stays working too). */
  reminder_token_hash: Maybe<string>;
  created_at: Generated<Date>;
  confirmed_at: Maybe<Date>;
  guardian_confirmed_at: Maybe<Date>;
  /** When every consent it needs was in (confirmed, and a guardian's too for an under-18). */
  consented_at: Maybe<Date>;
  /** Consent lasts 12 months from consenting or the latest renewal. */
  consent_expires_at: Maybe<Date>;
  reminder_sent_at: Maybe<Date>;
  renewed_at: Maybe<Date>;
  lapsed_at: Maybe<Date>;
  withdrawn_at: Maybe<Date>;
}

export interface StoryGroupsTable {
  story_id: number;
  group_id: number;
}

/** What was agreed, in the exact words shown, with whom as controllers, when, how and by whom taken. */
export interface StoryConsentsTable {
  id: Generated<number>;
  story_id: number;
  kind: ConsentKind;
  /** The use a 'use' row is about (null for a guardian's consent or a renewal). */
  use: Maybe<StoryUse>;
  /** Whether the box was ticked (unticked boxes are recorded too: what was shown and refused). */
  given: boolean;
  wording: string;
  wording_version: string;
  /** The controllers named in the wording: the coalition and each group chosen. */
  controllers: ColumnType<string[], string, string>;
  method: CollectionMethod;
  collected_by: Maybe<number>;
  collected_by_name: Maybe<string>;
  recorded_at: Generated<Date>;
}

/** Organisers' notes on a story (sealed). */
export interface StoryNotesTable {
  id: Generated<number>;
  story_id: number;
  author_id: Maybe<number>;
  author_name: string;
  note_sealed: string;
  created_at: Generated<Date>;
}

/**
 * Anonymous counts of stories told, per constituency and month, kept when the stories themselves
 * are erased or reach the end of their retention.
 */
export interface StoryTalliesTable {
  constituency_code: string;
  /** The first day of the month the story was confirmed in. */
  month: ColumnType<Date, string, string>;
  told: number;
}

/** A photo sent with a story (up to 3), prepared (resized, no metadata) and sealed with the stories key. */
export interface StoryPhotosTable {
  id: Generated<number>;
  story_id: number;
  /** 1 to 3: the photo field it came from. */
  position: number;
  photo_sealed: Buffer;
  thumbnail_sealed: Buffer;
  width: number;
  height: number;
  thumbnail_width: number;
  thumbnail_height: number;
  created_at: Generated<Date>;
}

export interface StoryTables extends StorytellerTables, ModerationTables {
  stories: StoriesTable;
  story_groups: StoryGroupsTable;
  story_consents: StoryConsentsTable;
  story_notes: StoryNotesTable;
  story_tallies: StoryTalliesTable;
  story_photos: StoryPhotosTable;
}

/** The stories capability's view of the database: its own tables only (see platform/db/view.ts). */
export type StoriesView = StoryTables;
export type Db = ViewDb<StoriesView>;
export type Tx = ViewTx<StoriesView>;
/** The database or an open transaction, as the stories capability sees it. */
export type Q = View<StoriesView>;
/** The app context as the stories capability sees it: `db` shows its own tables only. */
export type AppContext = AnyAppContext<StoriesView>;
/** A handle from another capability (or the platform), seen through this capability's view. */
export const storiesQ = (q: Handle): Q => viewOf<StoriesView>(q);
