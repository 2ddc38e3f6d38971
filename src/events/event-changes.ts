/**
 * Changes people must hear about: a published event's venue, date or time changing, or the event
 * being cancelled. Each is kept in `event_changes` (what, from, to, when, by whom, an optional note
 * such as "for access"), shown prominently on the event page and in its history (there and on the
 * organiser's page), and emailed to everyone booked with the updated calendar entry: the same UID,
 * the SEQUENCE the change brought the event to, METHOD:CANCEL for a cancellation.
 *
 * The change rows and the job that emails them are written in the caller's transaction, so a
 * saved change is always announced and an unsaved one never is; the job marks the rows notified
 * in the transaction that queues the emails, so they go exactly once however often it runs.
 */
import { z } from 'zod';
import { addJob, defineJob, queueEmail, type Viewer } from '../platform/index.ts';
import { calendar } from './ics.ts';
import { calendarEntry, placeLine } from './event-calendar.ts';
import { ukWhen } from './london-clock.ts';
import { findEvent, type ChorusEvent } from './store.ts';
import { waitingListRecipients } from './waiting-list.ts';
import { eventsContext, type EventChangeKind, type Q } from './tables.ts';

export interface VenueValue {
  venueName: string;
  address: string;
  postcode: string | null;
}
export interface TimeValue {
  startsAt: string;
  endsAt: string;
}

export type EventChange = {
  id: number;
  eventId: number;
  note: string;
  changedBy: string;
  changedAt: Date;
  sequence: number;
} & ({ kind: 'venue'; from: VenueValue; to: VenueValue } | { kind: 'time'; from: TimeValue; to: TimeValue } | { kind: 'cancelled'; from: Record<string, never>; to: Record<string, never> });

const venueOf = (e: ChorusEvent): VenueValue => ({ venueName: e.venueName, address: e.address, postcode: e.postcode });
const timeOf = (e: ChorusEvent): TimeValue => ({ startsAt: e.startsAt.toISOString(), endsAt: e.endsAt.toISOString() });

/** The changes between two versions of an event that the people booked must be told of. */
export function changesBetween(before: ChorusEvent, after: ChorusEvent): Array<{ kind: EventChangeKind; from: object; to: object }> {
  const changes: Array<{ kind: EventChangeKind; from: object; to: object }> = [];
  const [vb, va] = [venueOf(before), venueOf(after)];
  if (vb.venueName !== va.venueName || vb.address !== va.address || vb.postcode !== va.postcode) changes.push({ kind: 'venue', from: vb, to: va });
  const [tb, ta] = [timeOf(before), timeOf(after)];
  if (tb.startsAt !== ta.startsAt || tb.endsAt !== ta.endsAt) changes.push({ kind: 'time', from: tb, to: ta });
  if (before.state !== 'cancelled' && after.state === 'cancelled') changes.push({ kind: 'cancelled', from: {}, to: {} });
  return changes;
}

/** The payload names the changes to announce; they are announced once, whatever runs the job. */
export const notifyEventChanges = defineJob('events.changes.notify', z.object({ eventId: z.number().int(), changeIds: z.array(z.number().int()).min(1) }), async (payload, anyCtx) => {
  const ctx = eventsContext(anyCtx);
  await ctx.db.transaction().execute(async (tx) => {
    const claimed = await tx
      .updateTable('event_changes')
      .set({ notified_at: new Date() })
      .where('id', 'in', payload.changeIds)
      .where('event_id', '=', payload.eventId)
      .where('notified_at', 'is', null)
      .returning('id')
      .execute();
    if (claimed.length === 0) return;
    const event = await findEvent(tx, payload.eventId);
    if (!event) return;
    const ids = new Set(claimed.map((c) => c.id));
    const changes = (await listEventChanges(tx, payload.eventId)).filter((c) => ids.has(c.id));
    const base = ctx.config.BASE_URL;
    const brand = ctx.brand.current();
    const cancelled = event.state === 'cancelled';
    for (const person of await changeRecipients(tx, event.id)) {
      const ics = calendar([calendarEntry(event, base, { booked: person.booked })], { method: cancelled ? 'CANCEL' : 'PUBLISH' });
      await queueEmail(tx, {
        kind: 'events.change.notice',
        to: person.email,
        brand,
        baseUrl: base,
        attachments: [{ filename: 'event.ics', contentType: `text/calendar; method=${cancelled ? 'CANCEL' : 'PUBLISH'}`, content: ics }],
        content: changeEmail(event, changes, base, person.booked),
      });
    }
  });
});

/**
 * Keeps the changes between `before` and `after` of a published event, and queues the job that
 * emails everyone booked. Call in the transaction that saved `after`. Drafts are nobody's news.
 */
export async function recordEventChanges(q: Q, actor: Viewer, before: ChorusEvent, after: ChorusEvent, note = ''): Promise<number> {
  if (before.state !== 'published') return 0;
  const changes = changesBetween(before, after);
  if (changes.length === 0) return 0;
  const rows = await q
    .insertInto('event_changes')
    .values(
      changes.map((c) => ({
        event_id: after.id,
        kind: c.kind,
        from_value: JSON.stringify(c.from),
        to_value: JSON.stringify(c.to),
        note: note.trim(),
        changed_by: actor.id > 0 ? actor.id : null,
        changed_by_name: actor.name,
        sequence: after.sequence,
      })),
    )
    .returning('id')
    .execute();
  await addJob(q, notifyEventChanges, { eventId: after.id, changeIds: rows.map((r) => r.id) });
  // A new date or time earns a new reminder the day before it.
  if (changes.some((c) => c.kind === 'time')) {
    await q.deleteFrom('event_reminders').where('booking_id', 'in', q.selectFrom('bookings').select('id').where('event_id', '=', after.id)).execute();
  }
  return rows.length;
}

/** An event's changes, oldest first. */
export async function listEventChanges(q: Q, eventId: number): Promise<EventChange[]> {
  const rows = await q.selectFrom('event_changes').selectAll().where('event_id', '=', eventId).orderBy('changed_at').orderBy('id').execute();
  return rows.map(
    (r) =>
      ({
        id: r.id,
        eventId: r.event_id,
        kind: r.kind,
        from: r.from_value,
        to: r.to_value,
        note: r.note,
        changedBy: r.changed_by_name,
        changedAt: r.changed_at,
        sequence: r.sequence,
      }) as EventChange,
  );
}

export interface ChangeRecipient {
  email: string;
  name: string;
  /** Booked people get the online link in their calendar entry (when it is for those booked only). */
  booked: boolean;
}

/**
 * Who hears of a change: everyone booked and everyone on the waiting list (waiting or holding an
 * offer), once per address; a booking wins over a waiting-list entry for the same address.
 */
export async function changeRecipients(q: Q, eventId: number): Promise<ChangeRecipient[]> {
  const booked = await q.selectFrom('bookings').select(['email', 'name']).where('event_id', '=', eventId).where('status', '=', 'booked').orderBy('id').execute();
  const everyone: ChangeRecipient[] = [
    ...booked.map((b) => ({ email: b.email, name: b.name, booked: true })),
    ...(await waitingListRecipients(q, eventId)).map((w) => ({ email: w.email, name: w.name, booked: false })),
  ];
  const seen = new Set<string>();
  return everyone.filter((r) => {
    const key = r.email.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const dayMonth = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long' });
const venueLine = (v: VenueValue) => [v.venueName, v.address.replace(/\s*\n\s*/g, ', '), v.postcode].filter((p) => p && p.trim()).join(', ') || 'online';
const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** "Venue", "Date" (the day moved) or "Time"; "Cancelled". */
export function changeLabel(change: EventChange): string {
  if (change.kind === 'venue') return 'Venue';
  if (change.kind === 'cancelled') return 'Cancelled';
  return londonDate.format(new Date(change.from.startsAt)) !== londonDate.format(new Date(change.to.startsAt)) ? 'Date' : 'Time';
}

/** What it was and what it is now, in words: ["Old Hall, 1 High Street, N1 1AA", "Carrs Lane Conference Centre, ..."]. */
export function changeFromTo(change: EventChange): [string, string] {
  if (change.kind === 'venue') return [venueLine(change.from), venueLine(change.to)];
  if (change.kind === 'time') return [ukWhen(new Date(change.from.startsAt), new Date(change.from.endsAt)), ukWhen(new Date(change.to.startsAt), new Date(change.to.endsAt))];
  return ['Going ahead', 'Cancelled'];
}

/** "Venue changed on 12 November: now at Carrs Lane Conference Centre, ..."; "Cancelled on 12 November". */
export function changeSentence(change: EventChange): string {
  const on = dayMonth.format(change.changedAt);
  if (change.kind === 'cancelled') return `Cancelled on ${on}`;
  const [, to] = changeFromTo(change);
  return `${changeLabel(change)} changed on ${on}: now ${change.kind === 'venue' ? `at ${to}` : to}`;
}

/** The changes to put at the top of the event page: the latest of each kind, newest first. */
export function prominentChanges(changes: readonly EventChange[]): EventChange[] {
  const latest = new Map<EventChangeKind, EventChange>();
  for (const c of changes) latest.set(c.kind, c);
  return [...latest.values()].sort((a, b) => b.changedAt.getTime() - a.changedAt.getTime() || b.id - a.id);
}

function changeEmail(event: ChorusEvent, changes: EventChange[], base: string, booked: boolean) {
  const cancelled = changes.some((c) => c.kind === 'cancelled');
  const notes = [...new Set(changes.map((c) => c.note).filter(Boolean))];
  const what = cancelled ? 'Cancelled' : changes.length === 1 ? `${changeLabel(changes[0]!)} changed` : 'Changed';
  const lines = changes
    .filter((c) => c.kind !== 'cancelled')
    .map((c) => {
      const [from, to] = changeFromTo(c);
      return { type: 'paragraph' as const, text: `The ${changeLabel(c).toLowerCase()} has changed. Now: ${to}. (It was: ${from}.)` };
    });
  return {
    subject: `${what}: ${event.title}`,
    heading: cancelled ? 'This event is cancelled' : 'This event has changed',
    blocks: [
      cancelled
        ? { type: 'paragraph' as const, text: `${event.title}, ${ukWhen(event.startsAt, event.endsAt)}, has been cancelled. We are sorry.` }
        : { type: 'paragraph' as const, text: booked ? `You are booked on ${event.title}. Please note the change.` : `You are on the waiting list for ${event.title}. Please note the change.` },
      ...lines,
      ...notes.map((n) => ({ type: 'paragraph' as const, text: `From the organisers: ${n}` })),
      ...(cancelled
        ? [{ type: 'paragraph' as const, text: 'The attached calendar file (event.ics) takes the event out of your calendar.' }]
        : [
            { type: 'paragraph' as const, text: `When: ${ukWhen(event.startsAt, event.endsAt)}` },
            { type: 'paragraph' as const, text: `Where: ${placeLine(event)}` },
            { type: 'paragraph' as const, text: 'The updated event is attached (event.ics): open it to update your calendar.' },
          ]),
      { type: 'link' as const, href: `${base}${event.path}`, label: 'See the event page' },
    ],
  };
}
