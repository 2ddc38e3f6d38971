import { sql } from 'kysely';
import { conflict, type Viewer } from '../platform/index.ts';
import { auditEvent, eventFor } from './event-access.ts';
import { recordEventChanges } from './event-changes.ts';
import { CANCELLABLE_STATES, PUBLISHABLE_STATES, stateLabels } from './states.ts';
import { findEvent } from './store.ts';
import type { EventState, Q } from './tables.ts';

export type EventTransition = 'publish' | 'cancel';

const transitions: Record<EventTransition, { from: readonly EventState[]; to: EventState; stamp: 'published_at' | 'cancelled_at' }> = {
  publish: { from: PUBLISHABLE_STATES, to: 'published', stamp: 'published_at' },
  cancel: { from: CANCELLABLE_STATES, to: 'cancelled', stamp: 'cancelled_at' },
};

/** Publishes or cancels an event (its organisers and admins), stamping the moment; audited. A cancellation may carry a note (why). */
export async function changeEventState(q: Q, actor: Viewer, eventId: number, transition: EventTransition, options: { note?: string } = {}): Promise<void> {
  await sql`select id from events where id = ${eventId} for update`.execute(q);
  const before = await eventFor(q, actor, eventId, 'manage');
  const rule = transitions[transition];
  if (!rule.from.includes(before.state)) {
    throw conflict(`This event is ${stateLabels[before.state].toLowerCase()}, so it cannot be ${transition === 'publish' ? 'published' : 'cancelled'}.`);
  }
  await q
    .updateTable('events')
    .set({ state: rule.to, [rule.stamp]: new Date(), updated_at: new Date(), sequence: sql<number>`sequence + 1` })
    .where('id', '=', eventId)
    .execute();
  const after = (await findEvent(q, eventId))!;
  // A published event's cancellation is kept in its history and emailed to everyone booked.
  await recordEventChanges(q, actor, before, after, options.note);
  await auditEvent(q, actor, `event.${transition}`, before, after);
}
