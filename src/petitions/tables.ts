import type { ColumnType, Generated } from 'kysely';
import type { AppContext as AnyAppContext } from '../context.ts';
import { viewOf, type Handle, type View, type ViewDb, type ViewTx } from '../platform/index.ts';

export type PetitionState = 'draft' | 'awaiting_moderation' | 'open' | 'closed' | 'rejected' | 'hidden';
export type SignatureState = 'pending' | 'validated' | 'invalidated';
export type MilestoneKind = 'response' | 'debate' | 'custom';
export type CountDimension = 'constituency' | 'country' | 'region';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface PetitionsTable {
  id: Generated<number>;
  slug: string;
  action: string;
  background: string;
  additional_details: Generated<string>;
  target: string;
  state: ColumnType<PetitionState, PetitionState | undefined, PetitionState>;
  closing_date: Maybe<string>;
  image_media_id: Maybe<string>;
  image_alt: Maybe<string>;
  created_by: Maybe<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  submitted_at: Maybe<Date>;
  opened_at: Maybe<Date>;
  closed_at: Maybe<Date>;
  rejected_at: Maybe<Date>;
  rejection_code: Maybe<string>;
  rejection_details: Maybe<string>;
  hidden_at: Maybe<Date>;
  under_attack: Generated<boolean>;
  signature_count: Generated<number>;
  last_signed_at: Maybe<Date>;
  counted_at: Maybe<Date>;
  response_date: Maybe<string>;
  response_summary: Maybe<string>;
  response_details: Maybe<string>;
  hand_in_date: Maybe<string>;
  hand_in_place: Maybe<string>;
  hand_in_link: Maybe<string>;
  debate_date: Maybe<string>;
  debate_links: Maybe<string>;
  debate_outcome: Maybe<string>;
  reopened_at: Maybe<Date>;
}

export interface PetitionGroupsTable {
  petition_id: number;
  group_id: number;
}

export interface PetitionMilestonesTable {
  id: Generated<number>;
  petition_id: number;
  threshold: number;
  kind: MilestoneKind;
  label: string;
  reached_at: Maybe<Date>;
}

export interface SignatureConsentTextsTable {
  id: Generated<number>;
  wording: string;
  created_at: Generated<Date>;
}

export interface SignaturesTable {
  petition_id: number;
  id: Generated<number>;
  public_id: Generated<string>;
  state: ColumnType<SignatureState, SignatureState | undefined, SignatureState>;
  name: Maybe<string>;
  email: Maybe<string>;
  canonical_email: Maybe<string>;
  household_slot: Generated<number>;
  postcode: Maybe<string>;
  country_code: string;
  constituency_code: Maybe<string>;
  region_code: Maybe<string>;
  ip: Maybe<string>;
  held_reason: Maybe<string>;
  hear_more: Generated<boolean>;
  consent_text_id: Maybe<number>;
  emails_sent: Generated<number>;
  confirmation_due_at: Maybe<Date>;
  /** The database session (backend pid) sending its confirmation email, while it does. */
  confirmation_claimed_by: Maybe<number>;
  counted: Generated<boolean>;
  created_at: Generated<Date>;
  validated_at: Maybe<Date>;
  invalidated_at: Maybe<Date>;
  invalidation_reason: Maybe<string>;
  erased_at: Maybe<Date>;
  /** The supporter this confirmed signature belongs to. */
  person_id: Maybe<number>;
  /** What the signer wrote beside their signature (sent through the API). */
  comments: Maybe<string>;
  /** Where the signer came from (OSDI referrer_data), sent through the API. */
  referrer_data: ColumnType<SignatureReferrer | null, SignatureReferrer | null | undefined, SignatureReferrer | null>;
  /** Where the signer came from (see arrival.ts): the page address's campaign tags and the other site that linked to it. */
  utm_source: Maybe<string>;
  utm_medium: Maybe<string>;
  utm_campaign: Maybe<string>;
  referrer: Maybe<string>;
}

/** OSDI referrer_data: the source code, the referring person or group, the website and the page a signer came from. */
export interface SignatureReferrer {
  source?: string;
  referrer?: string;
  website?: string;
  url?: string;
}

export interface PetitionCountsTable {
  petition_id: number;
  dimension: CountDimension;
  key: string;
  count: Generated<number>;
}

export interface PetitionChallengesSpentTable {
  signature: string;
  expires_at: Date;
}

/** One group's agreement to close a petition it shares with others (organiser_id: who agreed for it). */
export interface PetitionCloseAgreementsTable {
  petition_id: number;
  group_id: number;
  organiser_id: Maybe<number>;
  agreed_at: Generated<Date>;
}

export interface PetitionTables {
  petitions: PetitionsTable;
  petition_groups: PetitionGroupsTable;
  petition_milestones: PetitionMilestonesTable;
  signature_consent_texts: SignatureConsentTextsTable;
  signatures: SignaturesTable;
  petition_counts: PetitionCountsTable;
  petition_challenges_spent: PetitionChallengesSpentTable;
  petition_close_agreements: PetitionCloseAgreementsTable;
}

/** The petitions capability's view of the database: its own tables only (see platform/db/view.ts). */
export type PetitionsView = PetitionTables;
export type Db = ViewDb<PetitionsView>;
export type Tx = ViewTx<PetitionsView>;
/** The database or an open transaction, as the petitions capability sees it. */
export type Q = View<PetitionsView>;
/** The app context as the petitions capability sees it: `db` shows its own tables only. */
export type AppContext = AnyAppContext<PetitionsView>;
/** A handle from another capability (or the platform), seen through this capability's view. */
export const petitionsQ = (q: Handle): Q => viewOf<PetitionsView>(q);
/** The app context another capability holds, seen through this capability's view (the same object). */
export const petitionsContext = (ctx: AnyAppContext<Record<never, never>>): AppContext => ctx as unknown as AppContext;
