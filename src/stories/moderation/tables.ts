import type { ColumnType, Generated } from 'kysely';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

/**
 * Where a story's published version stands (states.ts names the sets): a moderator drafts it, sends
 * it to the teller, who approves it or asks for changes. Only an approved version is ever shown,
 * and then only while the story itself may be used.
 */
export type ModerationState = 'drafting' | 'awaiting_approval' | 'changes_requested' | 'approved';
/** What kind of NHS service a published story is about (plain: it names no one, and /stories filters on it). */
export type PublishedService = 'ae' | 'ambulance' | 'gp' | 'hospital' | 'maternity' | 'mental_health' | 'cancer' | 'community' | 'dental' | 'social_care' | 'other';
export type PublishedTopic = 'waiting' | 'staffing' | 'closure' | 'access' | 'good_care' | 'funding' | 'other';
export type SafeguardingReason = 'at_risk' | 'child' | 'abuse';
export type HoldReason = 'complaint' | 'legal';

/**
 * The published version of a story, written by a moderator apart from the original (which is never
 * published), sealed at rest like the original. One per story; the row also carries the
 * safeguarding flag and the complaint or legal hold, so it exists as soon as either is raised.
 */
export interface StoryPublicationsTable {
  id: Generated<number>;
  story_id: number;
  state: ColumnType<ModerationState, ModerationState | undefined, ModerationState>;
  title_sealed: Maybe<string>;
  text_sealed: Maybe<string>;
  /** Sealed JSON list of the words and phrases the moderator removed (each shown as "[removed]"). */
  redactions_sealed: Maybe<string>;
  service: Maybe<PublishedService>;
  topic: Maybe<PublishedTopic>;
  /** sha256 of the token in the approval email (a new one each time it is sent). */
  approval_token_hash: Maybe<string>;
  /** What the teller asked to change (sealed). */
  changes_wanted_sealed: Maybe<string>;
  drafted_by: Maybe<number>;
  drafted_by_name: Maybe<string>;
  created_at: Generated<Date>;
  drafted_at: Maybe<Date>;
  sent_for_approval_at: Maybe<Date>;
  changes_requested_at: Maybe<Date>;
  approved_at: Maybe<Date>;
  /** The first time it went live (the feed's date; a story once published answers 410 when it goes). */
  first_published_at: Maybe<Date>;
  safeguarding_flagged_at: Maybe<Date>;
  safeguarding_reason: Maybe<SafeguardingReason>;
  safeguarding_flagged_by: Maybe<number>;
  /** Why it was flagged, and later what the lead did (sealed). */
  safeguarding_note_sealed: Maybe<string>;
  safeguarding_cleared_at: Maybe<Date>;
  held_at: Maybe<Date>;
  held_reason: Maybe<HoldReason>;
  released_at: Maybe<Date>;
}

export interface ModerationTables {
  story_publications: StoryPublicationsTable;
}
