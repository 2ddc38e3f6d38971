import { sql, type RawBuilder } from 'kysely';
import { usableStory } from '../states.ts';
import type { HoldReason, ModerationState, PublishedService, PublishedTopic, SafeguardingReason } from './tables.ts';

/** A moderator may (re)write the published version: anything, since a new version needs a new approval. */
export const EDITABLE_STATES: readonly ModerationState[] = ['drafting', 'awaiting_approval', 'changes_requested', 'approved'];
/** The version may be sent to the teller for approval. */
export const SENDABLE_STATES: readonly ModerationState[] = ['drafting', 'changes_requested', 'awaiting_approval'];
/** The teller's approval link works (approve or ask for changes). */
export const APPROVABLE_STATES: readonly ModerationState[] = ['awaiting_approval'];
/** Approved by the teller: shown, while nothing else stops it (see publishedStory). */
export const PUBLISHED_STATES: readonly ModerationState[] = ['approved'];

/** A safeguarding flag raised and not yet acted on by the lead: hidden from everyone else. */
export function safeguardingActive(table = 'story_publications'): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${table}.safeguarding_flagged_at`)} is not null and ${sql.ref(`${table}.safeguarding_cleared_at`)} is null)`;
}
/** Tied to a live complaint or legal case: held (not published) until released. */
export function holdActive(table = 'story_publications'): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${table}.held_at`)} is not null and ${sql.ref(`${table}.released_at`)} is null)`;
}

/**
 * The one rule for what the public sees (pages, list, feed, card, JSON, constituency pages): the
 * teller approved this version; the story is usable (consented and not past its expiry, so a
 * withdrawal or a lapse takes it off everything at once); they agreed to publication on the hub;
 * and no safeguarding flag or hold stands.
 */
export function publishedStory(stories = 'stories', publications = 'story_publications'): RawBuilder<boolean> {
  return sql<boolean>`(
    ${sql.ref(`${publications}.state`)} = 'approved'
    and not ${safeguardingActive(publications)}
    and not ${holdActive(publications)}
    and ${usableStory(stories)}
    and exists (select 1 from story_consents c where c.story_id = ${sql.ref(`${stories}.id`)} and c.kind = 'use' and c.use = 'publish_hub' and c.given)
  )`;
}

export const SERVICES: ReadonlyArray<{ value: PublishedService; label: string }> = [
  { value: 'ae', label: 'A&E' },
  { value: 'ambulance', label: 'Ambulance' },
  { value: 'gp', label: 'GP surgery' },
  { value: 'hospital', label: 'Hospital care' },
  { value: 'maternity', label: 'Maternity' },
  { value: 'mental_health', label: 'Mental health' },
  { value: 'cancer', label: 'Cancer care' },
  { value: 'community', label: 'Community services' },
  { value: 'dental', label: 'Dentistry' },
  { value: 'social_care', label: 'Social care' },
  { value: 'other', label: 'Another service' },
];
export const TOPICS: ReadonlyArray<{ value: PublishedTopic; label: string }> = [
  { value: 'waiting', label: 'Waiting times' },
  { value: 'staffing', label: 'Staffing' },
  { value: 'closure', label: 'Closures and cuts' },
  { value: 'access', label: 'Getting care' },
  { value: 'good_care', label: 'Care that worked' },
  { value: 'funding', label: 'Funding' },
  { value: 'other', label: 'Something else' },
];
export const SAFEGUARDING_REASONS: ReadonlyArray<{ value: SafeguardingReason; label: string }> = [
  { value: 'at_risk', label: 'Someone may be at risk of harm' },
  { value: 'child', label: 'A child may be at risk' },
  { value: 'abuse', label: 'Abuse is disclosed' },
];
export const HOLD_REASONS: ReadonlyArray<{ value: HoldReason; label: string }> = [
  { value: 'complaint', label: 'Tied to a live complaint' },
  { value: 'legal', label: 'Tied to a legal case' },
];

export const labelOf = <T extends string>(list: ReadonlyArray<{ value: T; label: string }>, value: T | null | undefined) => list.find((o) => o.value === value)?.label ?? '';
