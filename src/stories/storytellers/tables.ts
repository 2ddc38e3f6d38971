import type { ColumnType, Generated } from 'kysely';

/** Where a storyteller is on the way from first contact to speaking (stages.ts names the sets). */
export type StorytellerStage = 'recruited' | 'consented' | 'trained' | 'ready' | 'spoke';
export type RequesterKind = 'press' | 'politician';
export type AskAnswer = 'yes' | 'no';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** The topics storytellers can speak on: one list the coalition keeps. */
export interface SpeakingTopicsTable {
  id: Generated<number>;
  name: string;
  created_at: Generated<Date>;
}

/**
 * A person preparing to speak about their experience. Their contact details are sealed with the
 * stories key (`*_sealed`); the place is kept open (constituency and region codes) for matching.
 */
export interface StorytellersTable {
  id: Generated<number>;
  /** The id in their record's address (never a guessable number). */
  public_id: Generated<string>;
  person_id: Maybe<number>;
  /** The story they told, when they came to us through one. */
  story_id: Maybe<number>;
  name_sealed: string;
  email_sealed: string;
  phone_sealed: Maybe<string>;
  postcode_sealed: Maybe<string>;
  constituency_code: Maybe<string>;
  region_code: Maybe<string>;
  stage: ColumnType<StorytellerStage, StorytellerStage | undefined, StorytellerStage>;
  recruited_at: Generated<Date>;
  consented_at: Maybe<Date>;
  trained_at: Maybe<Date>;
  ready_at: Maybe<Date>;
  spoke_at: Maybe<Date>;
  created_at: Generated<Date>;
}

export interface StorytellerGroupsTable {
  storyteller_id: number;
  group_id: number;
}

export interface StorytellerTopicsTable {
  storyteller_id: number;
  topic_id: number;
}

/** Organisers' notes on a storyteller (sealed). */
export interface StorytellerNotesTable {
  id: Generated<number>;
  storyteller_id: number;
  author_id: Maybe<number>;
  author_name: string;
  note_sealed: string;
  created_at: Generated<Date>;
}

/** A training session: an event of type training from the calendar, or just a title and a date. */
export interface TrainingSessionsTable {
  id: Generated<number>;
  event_id: Maybe<number>;
  title: string;
  starts_at: Date;
  created_by: Maybe<number>;
  created_at: Generated<Date>;
}

export interface TrainingAttendanceTable {
  session_id: number;
  storyteller_id: number;
  recorded_by: Maybe<number>;
  attended_at: Generated<Date>;
}

/** A request from the press or a politician's office for someone to speak. */
export interface SpeakingOpportunitiesTable {
  id: Generated<number>;
  requester_kind: RequesterKind;
  /** Who asks and how to reach them (sealed: a journalist's details are personal too). */
  requester_sealed: string;
  outlet: string;
  wanted: string;
  constituency_code: Maybe<string>;
  region_code: Maybe<string>;
  topic_id: number;
  /** A calendar day, YYYY-MM-DD. */
  deadline: string;
  created_by: Maybe<number>;
  created_at: Generated<Date>;
}

/**
 * One storyteller asked about one opportunity: their answer (from the tokened links in their
 * email) and, afterwards, what happened (sealed).
 */
export interface OpportunityAsksTable {
  id: Generated<number>;
  opportunity_id: number;
  storyteller_id: number;
  token_hash: string;
  asked_by: Maybe<number>;
  asked_at: Generated<Date>;
  answer: Maybe<AskAnswer>;
  answered_at: Maybe<Date>;
  /** Sealed JSON: with whom, where, coverage links. */
  outcome_sealed: Maybe<string>;
  outcome_at: Maybe<Date>;
}

export interface StorytellerTables {
  speaking_topics: SpeakingTopicsTable;
  storytellers: StorytellersTable;
  storyteller_groups: StorytellerGroupsTable;
  storyteller_topics: StorytellerTopicsTable;
  storyteller_notes: StorytellerNotesTable;
  training_sessions: TrainingSessionsTable;
  training_attendance: TrainingAttendanceTable;
  speaking_opportunities: SpeakingOpportunitiesTable;
  opportunity_asks: OpportunityAsksTable;
}

/** What each table holds (for the manifest's tables list). */
export const storytellerTableHolds = {
  speaking_topics: 'none',
  storytellers: 'supporter',
  storyteller_groups: 'none',
  storyteller_topics: 'none',
  storyteller_notes: 'supporter',
  training_sessions: 'none',
  training_attendance: 'supporter',
  speaking_opportunities: 'organiser',
  opportunity_asks: 'supporter',
} as const satisfies Record<keyof StorytellerTables, 'supporter' | 'organiser' | 'none'>;
