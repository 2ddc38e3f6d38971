import type { AppContext as AnyAppContext } from '../context.ts';
import { enforceRateLimits, forbidden, formatLondon, invalidFields, queueEmail, recordAudit, type Viewer } from '../platform/index.ts';
import { personForUnprovenAction, recordAction, splitName } from '../supporters/index.ts';
import { placeLine } from './event-calendar.ts';
import type { EventInput } from './event-form.ts';
import { eventSnapshot } from './event-access.ts';
import { readHostRules } from './host-rules.ts';
import { FREE_TIER, checkGroups, columnsOf, placeOf, setGroups } from './save-event.ts';
import { findEvent, type ChorusEvent } from './store.ts';
import { eventsContext, type Tx } from './tables.ts';

/** Supporters may offer this many events an hour from one address. */
export const HOST_LIMIT_PER_HOUR = 5;

/** Who is offering the event: a signed-in organiser (for their groups) or a supporter (name and email). */
export type Submitter = { kind: 'organiser'; viewer: Viewer } | { kind: 'supporter'; name: string; email: string };

export interface SubmitEventProps {
  submitter: Submitter;
  /** As the host form checked it; a supporter's has no groups and only a free ticket. */
  input: EventInput;
  ip: string | null;
}

/**
 * "Host an event" (as Mobilize does): the event is saved awaiting approval, stamped
 * `submitted_at`, with who submitted it, and they are emailed a receipt. Organisers (admins and
 * group organisers) submit for the groups they organise for; supporters only when the coalition
 * allows it (`/admin/events/settings`), at most HOST_LIMIT_PER_HOUR an hour from one address.
 * A coalition moderator then approves or declines it (review-event.ts).
 */
export async function submitEvent(anyCtx: AnyAppContext<Record<never, never>>, props: SubmitEventProps): Promise<ChorusEvent> {
  const ctx = eventsContext(anyCtx);
  const { submitter, input } = props;
  if (submitter.kind === 'organiser') {
    if (submitter.viewer.role !== 'admin' && submitter.viewer.role !== 'organiser') throw forbidden('Only member groups’ organisers host events for their groups.');
  } else {
    if (!(await readHostRules(ctx.db)).supportersMayHost) throw forbidden('The coalition is not taking events from supporters at the moment. Ask a member group to host it.');
    await enforceRateLimits(ctx.db, [{ bucket: 'events.host.address', key: props.ip ?? 'unknown', limit: HOST_LIMIT_PER_HOUR, windowSeconds: 3600 }], 'You have offered several events in the last hour. Please try again later.');
  }
  return ctx.db.transaction().execute(async (tx) => {
    const groupIds = submitter.kind === 'organiser' ? input.groupIds : [];
    if (submitter.kind === 'organiser') await checkGroups(tx, submitter.viewer, groupIds);
    const place = await placeOf(tx, input.postcode);
    if ('field' in place) throw invalidFields([place]);
    const now = new Date();
    const row = await tx
      .insertInto('events')
      .values({ ...columnsOf(input, place), state: 'awaiting_approval', submitted_at: now, created_by: submitter.kind === 'organiser' && submitter.viewer.id > 0 ? submitter.viewer.id : null })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (groupIds.length > 0) await setGroups(tx, row.id, groupIds);
    // Hosted events are free to come to: ticket tiers stay with the organisers' own event form.
    await tx.insertInto('ticket_tiers').values({ event_id: row.id, position: 1, name: FREE_TIER, price_pence: 0, capacity: null }).execute();
    const who = submitter.kind === 'organiser' ? { name: submitter.viewer.name, email: submitter.viewer.email } : { name: submitter.name, email: submitter.email };
    let personId: number | null = null;
    if (submitter.kind === 'supporter') {
      const name = splitName(submitter.name);
      const person = await personForUnprovenAction(tx, { email: submitter.email, givenName: name.givenName || null, familyName: name.familyName, source: { method: `event-host:${row.id}` } });
      personId = person.id;
      await recordAction(tx, person.id, { kind: 'event.submitted', subjectType: 'event', subjectId: row.id, detail: { event: input.title } });
    }
    await tx.insertInto('event_submissions').values({ event_id: row.id, person_id: personId, organiser_id: submitter.kind === 'organiser' && submitter.viewer.id > 0 ? submitter.viewer.id : null, name: who.name, email: who.email }).execute();
    const event = (await findEvent(tx, row.id))!;
    await recordAudit(tx, { actor: submitter.kind === 'organiser' ? submitter.viewer : `supporter (event host form)`, action: 'event.submit', subjectType: 'event', subjectId: row.id, after: eventSnapshot(event) });
    await queueReceipt(ctx, tx, event, who.email);
    return event;
  });
}

async function queueReceipt(ctx: ReturnType<typeof eventsContext>, tx: Tx, event: ChorusEvent, to: string) {
  await queueEmail(tx, {
    kind: 'events.submission.received',
    to,
    brand: ctx.brand.current(),
    baseUrl: ctx.config.BASE_URL,
    content: {
      subject: `We have your event: ${event.title}`,
      heading: 'Thank you for hosting an event',
      blocks: [
        { type: 'paragraph', text: `We have received ${event.title} (${formatLondon(event.startsAt, 'full')}, ${placeLine(event)}).` },
        { type: 'paragraph', text: 'A coalition moderator will look at it soon. We will email you when it is on the calendar, or if we cannot list it.' },
      ],
    },
  });
}
