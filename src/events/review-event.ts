import { sql } from 'kysely';
import type { AppContext as AnyAppContext } from '../context.ts';
import { conflict, forbidden, formatLondon, invalidField, notFound, queueEmail, type Viewer } from '../platform/index.ts';
import { auditEvent } from './event-access.ts';
import { REVIEWABLE_STATES, stateLabels } from './states.ts';
import { findEvent, type ChorusEvent } from './store.ts';
import { eventsContext, type Q } from './tables.ts';

export const DECLINE_REASON_MAX = 1000;

/** Coalition moderators (and admins) approve or decline submitted events; organisers never. */
export const REVIEWER_ROLES: readonly Viewer['role'][] = ['admin', 'moderator'];

export type Review = { decision: 'approve' } | { decision: 'decline'; reason: string };

/** Who submitted an event through "Host an event", if anyone did. */
export async function findSubmission(q: Q, eventId: number) {
  return q.selectFrom('event_submissions').select(['name', 'email', 'person_id', 'organiser_id', 'created_at']).where('event_id', '=', eventId).executeTakeFirst();
}

/** Who submitted each of these events, by event id. */
export async function submittersOf(q: Q, eventIds: number[]) {
  if (eventIds.length === 0) return new Map();
  const rows = await q.selectFrom('event_submissions').select(['event_id', 'name', 'email', 'organiser_id', 'created_at']).where('event_id', 'in', eventIds).execute();
  return new Map(rows.map((r) => [r.event_id, r]));
}

/** Submitted events waiting for a moderator, oldest first. */
export async function listAwaitingApproval(q: Q): Promise<ChorusEvent[]> {
  const rows = await q.selectFrom('events').select('id').where('state', 'in', [...REVIEWABLE_STATES]).orderBy('submitted_at').orderBy('id').limit(500).execute();
  const events = await Promise.all(rows.map((r) => findEvent(q, r.id)));
  return events.filter((e): e is ChorusEvent => e !== undefined);
}

/**
 * Approves (published, `published_at`) or declines (declined, `declined_at` and the reason) an
 * event awaiting approval, under its row lock, and emails whoever submitted it either way. Only
 * admins and moderators; audited.
 */
export async function reviewEvent(anyCtx: AnyAppContext<Record<never, never>>, props: { actor: Viewer; eventId: number; review: Review }): Promise<ChorusEvent> {
  const ctx = eventsContext(anyCtx);
  const { actor, eventId, review } = props;
  if (!REVIEWER_ROLES.includes(actor.role)) throw forbidden('Only coalition moderators and admins approve or decline submitted events.');
  const reason = review.decision === 'decline' ? review.reason.trim() : '';
  if (review.decision === 'decline') {
    if (!reason) throw invalidField('reason', 'Enter why the event is declined: the person who submitted it is told');
    if (reason.length > DECLINE_REASON_MAX) throw invalidField('reason', `The reason must be ${DECLINE_REASON_MAX} characters or fewer`);
  }
  return ctx.db.transaction().execute(async (tx) => {
    await sql`select id from events where id = ${eventId} for update`.execute(tx);
    const before = await findEvent(tx, eventId);
    if (!before) throw notFound('event');
    if (!REVIEWABLE_STATES.includes(before.state)) throw conflict(`This event is ${stateLabels[before.state].toLowerCase()}, so it is not waiting for approval.`);
    const now = new Date();
    await tx
      .updateTable('events')
      .set(review.decision === 'approve' ? { state: 'published', published_at: now, updated_at: now } : { state: 'declined', declined_at: now, decline_reason: reason, updated_at: now })
      .where('id', '=', eventId)
      .execute();
    const after = (await findEvent(tx, eventId))!;
    await auditEvent(tx, actor, review.decision === 'approve' ? 'event.approve' : 'event.decline', before, after);
    const submission = await findSubmission(tx, eventId);
    if (submission) {
      const base = ctx.config.BASE_URL;
      const when = `${formatLondon(after.startsAt, 'full')}`;
      await queueEmail(tx, {
        kind: review.decision === 'approve' ? 'events.submission.approved' : 'events.submission.declined',
        to: submission.email,
        brand: ctx.brand.current(),
        baseUrl: base,
        content:
          review.decision === 'approve'
            ? {
                subject: `Your event is on the calendar: ${after.title}`,
                heading: 'Your event is on the calendar',
                blocks: [
                  { type: 'paragraph', text: `Thank you for hosting ${after.title} (${when}). It is now on the calendar and people can sign up.` },
                  { type: 'button', href: `${base}${after.path}`, label: 'See your event' },
                ],
              }
            : {
                subject: `We cannot list your event: ${after.title}`,
                heading: 'We cannot list your event',
                blocks: [
                  { type: 'paragraph', text: `Thank you for offering ${after.title} (${when}). A coalition moderator has declined it, for this reason:` },
                  { type: 'paragraph', text: reason },
                  { type: 'paragraph', text: 'You are welcome to offer it again with changes.' },
                ],
              },
      });
    }
    return after;
  });
}
