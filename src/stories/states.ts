import { sql, type RawBuilder } from 'kysely';
import type { StoryState } from './tables.ts';

/** Waiting for the teller's email confirmation or their parent or guardian's consent: not usable. */
export const AWAITING_STATES: readonly StoryState[] = ['awaiting_confirmation', 'awaiting_guardian'];
/** Consent ended (lapsed or withdrawn): never used again, deleted after the retention period. */
export const ENDED_STATES: readonly StoryState[] = ['lapsed', 'withdrawn'];
/** The teller may still withdraw (anything not already withdrawn). */
export const WITHDRAWABLE_STATES: readonly StoryState[] = ['awaiting_confirmation', 'awaiting_guardian', 'consented', 'lapsed'];
/** Consent may be renewed by the teller's link while it is live or after it lapsed (not once withdrawn). */
export const RENEWABLE_STATES: readonly StoryState[] = ['consented', 'lapsed'];

/** How long consent lasts from consenting or renewal. */
export const CONSENT_MONTHS = 12;
/** The reminder goes this many days before consent lapses. */
export const REMINDER_DAYS_BEFORE = 30;

export function consentExpiry(from: Date): Date {
  const at = new Date(from);
  at.setUTCMonth(at.getUTCMonth() + CONSENT_MONTHS);
  return at;
}

/**
 * A story that may be used (for anything its consents allow): consented and not yet past its
 * expiry. The expiry is checked here, not only by the daily lapse job, so a lapsed story stops
 * being used the moment its 12 months end.
 */
export function usableStory(table = 'stories'): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${table}.state`)} = 'consented' and ${sql.ref(`${table}.consent_expires_at`)} > now())`;
}

export function isUsable(story: { state: StoryState; consent_expires_at: Date | null }, now = new Date()): boolean {
  return story.state === 'consented' && story.consent_expires_at !== null && story.consent_expires_at > now;
}
