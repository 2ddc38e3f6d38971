import type { EventState, EventType } from './tables.ts';

/** Named state sets, used by every query and guard (as petitions' states.ts does). */
/** Shown to the public (a cancelled event keeps its page, marked cancelled). */
export const PUBLIC_STATES: readonly EventState[] = ['published', 'cancelled'];
/** People may book (while the event has not started). */
export const BOOKABLE_STATES: readonly EventState[] = ['published'];
/** May be published by its organisers (a submitted event is approved by a moderator instead: REVIEWABLE_STATES). */
export const PUBLISHABLE_STATES: readonly EventState[] = ['draft'];
/** Submitted through "Host an event", waiting for a coalition moderator to approve or decline it. */
export const REVIEWABLE_STATES: readonly EventState[] = ['awaiting_approval'];
/** May be cancelled. */
export const CANCELLABLE_STATES: readonly EventState[] = ['draft', 'awaiting_approval', 'published'];
/** May be edited by its organisers. */
export const EDITABLE_STATES: readonly EventState[] = ['draft', 'awaiting_approval', 'published'];

export const stateLabels: Record<EventState, string> = {
  draft: 'Draft',
  awaiting_approval: 'Awaiting approval',
  published: 'Published',
  cancelled: 'Cancelled',
  declined: 'Declined',
};

/** The types of event, in the order organisers choose them. */
export const eventTypes: Record<EventType, string> = {
  rally: 'Rally',
  march: 'March',
  demonstration: 'Demonstration',
  public_meeting: 'Public meeting',
  conference: 'Conference',
  hustings: 'Hustings',
  street_stall: 'Street stall',
  online_meeting: 'Online meeting',
  training: 'Training',
};

export const isEventType = (value: string): value is EventType => Object.hasOwn(eventTypes, value);

/**
 * "Past" is derived, never stored: an event is past once it has ended, a repeating one once its
 * last date has ended (never, for a rule with no end).
 */
export function isPast(event: { endsAt: Date; runsUntil?: Date | null }, now: Date = new Date()): boolean {
  const end = event.runsUntil === undefined ? event.endsAt : event.runsUntil;
  return end !== null && end.getTime() <= now.getTime();
}

/** People may book a published event until it starts. */
export function isBookable(event: { state: EventState; startsAt: Date }, now: Date = new Date()): boolean {
  return BOOKABLE_STATES.includes(event.state) && event.startsAt.getTime() > now.getTime();
}

/** What the public sees of an event's state: cancelled, past, or upcoming. */
export function publicStatus(event: { state: EventState; endsAt: Date; runsUntil?: Date | null }, now: Date = new Date()): 'cancelled' | 'past' | 'upcoming' {
  if (event.state === 'cancelled') return 'cancelled';
  return isPast(event, now) ? 'past' : 'upcoming';
}
