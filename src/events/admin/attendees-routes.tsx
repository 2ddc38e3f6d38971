import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkbox, csvStream, DomainError, errorsFrom, formatLondon, formValues, invalidFields, pageFrom, parseForm, parseParams, parseRequest, queryText, requireRole, viewerOf, type FieldErrors, type FieldProblem, type FormValues } from '../../platform/index.ts';
import { ATTENDEE_COLUMNS, SEARCH_MAX, addWalkIn, attendeeCounts, bookingsWithoutPerson, attendeeCsvRow, attendeeRows, checkIn, listAttendees, recordAttendeesSeen, type CheckInOutcome } from '../check-in.ts';
import { eventFor } from '../event-access.ts';
import type { ChorusEvent } from '../store.ts';
import type { AppContext } from '../tables.ts';
import { activityMailingChoices, draftActivityMailing } from '../../supporters/index.ts';
import { AttendeesPage, CheckInPage, MessagePage, type CheckInPageProps, type MessagePageProps } from './attendees-views.tsx';
import { eventAdminPath } from './views.tsx';

const PER_PAGE = 50;

const eventParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const listQuery = z.object({ q: queryText(), done: queryText() });

const bookingId = z
  .string()
  .optional()
  .refine((v) => v === undefined || v === '' || /^\d{1,15}$/.test(v), { message: 'Choose someone from the list' })
  .transform((v) => (v ? Number(v) : undefined));

/** A tick on the door: a booking from the list (or its undo), or a reference read out. */
const checkInForm = z.object({
  booking: bookingId,
  reference: z.string().trim().max(40, { message: 'Enter a booking reference like EV-7K3QXP2M' }).optional(),
  undo: checkbox(),
  q: z.string().max(SEARCH_MAX * 4).optional(),
});

const searchOf = (text: string | undefined) => (text ?? '').trim().slice(0, SEARCH_MAX);

function outcomeWords(outcome: CheckInOutcome): { text: string; kind: 'success' | 'info' | 'warning' } | FieldProblem {
  switch (outcome.kind) {
    case 'checked-in':
      return { kind: 'success', text: `Checked in ${outcome.name} (${outcome.reference}), ${outcome.places === 1 ? '1 place' : `${outcome.places} places`}.` };
    case 'already':
      return { kind: 'info', text: `${outcome.name} (${outcome.reference}) was already checked in.` };
    case 'undone':
      return { kind: 'info', text: `${outcome.name} (${outcome.reference}) is no longer checked in.` };
    case 'cancelled':
      return { field: 'reference', message: `The booking ${outcome.reference} (${outcome.name}) was cancelled: add them on the door below if there is room` };
    case 'not-found':
      return { field: 'reference', message: 'No booking on this event has that reference: check it, or find them by name' };
  }
}

/**
 * The attendee list (search, CSV), the door check-in list and walk-ins. Admins and the event's
 * groups' organisers only (eventFor ... 'manage', checked on every request, reads and writes).
 */
export function registerAttendeeRoutes(app: FastifyInstance, ctx: AppContext) {
  const makers = { preHandler: requireRole('admin', 'organiser') };
  const eventOf = (request: FastifyRequest) => eventFor(ctx.db, viewerOf(request), parseParams(eventParams, request.params, 'event').id, 'manage');

  app.get('/admin/events/:id/attendees', makers, async (request, reply) => {
    const event = await eventOf(request);
    const search = searchOf(parseRequest(listQuery, request.query).q);
    const page = pageFrom(request.query);
    const [result, counts] = await Promise.all([listAttendees(ctx.db, event.id, { search, page, perPage: PER_PAGE }), attendeeCounts(ctx.db, event.id)]);
    await recordAttendeesSeen(ctx.db, viewerOf(request), event.id, 'view');
    return reply.header('cache-control', 'no-store').render(<AttendeesPage event={event} {...result} counts={counts} search={search} page={page} perPage={PER_PAGE} />);
  });

  app.get('/admin/events/:id/attendees.csv', makers, async (request, reply) => {
    const event = await eventOf(request);
    await recordAttendeesSeen(ctx.db, viewerOf(request), event.id, 'export');
    async function* rows() {
      for await (const a of attendeeRows(ctx.db, event.id)) yield attendeeCsvRow(a);
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="event-${event.id}-${event.slug.slice(0, 40)}-attendees.csv"`)
      .header('cache-control', 'no-store')
      .send(csvStream(ATTENDEE_COLUMNS, rows()));
  });

  async function renderDoor(request: FastifyRequest, reply: FastifyReply, event: ChorusEvent, extra: Partial<CheckInPageProps> & { search?: string }, status = 200) {
    const search = extra.search ?? '';
    const page = status === 200 ? pageFrom(request.query) : 1;
    const [result, counts] = await Promise.all([listAttendees(ctx.db, event.id, { search, booked: true, page, perPage: PER_PAGE }), attendeeCounts(ctx.db, event.id)]);
    return reply.header('cache-control', 'no-store').render(<CheckInPage event={event} {...result} counts={counts} page={page} perPage={PER_PAGE} {...extra} search={search} />, status);
  }

  app.get('/admin/events/:id/check-in', makers, async (request, reply) => {
    const event = await eventOf(request);
    const query = parseRequest(listQuery, request.query);
    // After a walk-in is added, the page names its reference (no names in addresses).
    const done: CheckInPageProps['done'] = query.done && /^EV-[0-9A-Z]{8}$/.test(query.done) ? { kind: 'success', text: `Added on the door and checked in: ${query.done}.` } : undefined;
    return renderDoor(request, reply, event, { search: searchOf(query.q), done });
  });

  app.post('/admin/events/:id/check-in', makers, async (request, reply) => {
    const event = await eventOf(request);
    const form = parseForm(checkInForm, request.body);
    const search = searchOf(typeof (request.body as { q?: unknown } | undefined)?.q === 'string' ? (request.body as { q: string }).q : '');
    if (!form.ok) return renderDoor(request, reply, event, { search, errors: form.errors, referenceValues: form.values }, 422);
    const { booking, reference, undo } = form.value;
    if (booking === undefined && !reference) {
      return renderDoor(request, reply, event, { search, errors: { reference: 'Enter a booking reference like EV-7K3QXP2M' }, referenceValues: formValues(request.body) }, 422);
    }
    const outcome = await ctx.db.transaction().execute((tx) => checkIn(tx, viewerOf(request), event, booking !== undefined ? { id: booking } : { reference: reference! }, undo));
    const words = outcomeWords(outcome);
    if ('field' in words) return renderDoor(request, reply, event, { search, errors: errorsFrom(invalidFields([words])), referenceValues: { reference: reference ?? '' } }, booking !== undefined && outcome.kind === 'not-found' ? 404 : 422);
    return renderDoor(request, reply, event, { search, done: words });
  });

  app.post('/admin/events/:id/walk-ins', makers, async (request, reply) => {
    const event = await eventOf(request);
    const values: FormValues = formValues(request.body);
    const outcome = await ctx.db.transaction().execute((tx) => addWalkIn(tx, viewerOf(request), event, request.body));
    if (outcome.kind === 'cancelled') return renderDoor(request, reply, event, { errors: { name: 'This event is cancelled: nobody can be added' } as FieldErrors, walkInValues: values }, 409);
    if (outcome.kind === 'invalid') return renderDoor(request, reply, event, { errors: errorsFrom(invalidFields(outcome.problems)), walkInValues: values }, 422);
    return reply.redirect(`${eventAdminPath(event.id, 'check-in')}?done=${outcome.reference}`, 303);
  });

  async function renderMessage(request: FastifyRequest, reply: FastifyReply, event: ChorusEvent, extra: Pick<MessagePageProps, 'values' | 'errors'>, status = 200) {
    const [choices, withoutEmail] = await Promise.all([
      activityMailingChoices(ctx.db, viewerOf(request), { activity: 'event.booked', subjectId: event.id }, event.groups.map((g) => g.id)),
      bookingsWithoutPerson(ctx.db, event.id),
    ]);
    return reply.header('cache-control', 'no-store').render(<MessagePage event={event} people={choices.people} withoutEmail={withoutEmail} senders={choices.senders} {...extra} />, status);
  }

  app.get('/admin/events/:id/message', makers, async (request, reply) => renderMessage(request, reply, await eventOf(request), {}));

  app.post('/admin/events/:id/message', makers, async (request, reply) => {
    const event = await eventOf(request);
    try {
      const mailingId = await ctx.db.transaction().execute((tx) =>
        draftActivityMailing(tx, viewerOf(request), {
          subject: { activity: 'event.booked', subjectId: event.id },
          groupIds: event.groups.map((g) => g.id),
          segmentName: `Booked on ${event.title} (${formatLondon(event.startsAt, 'short-date')})`,
          fields: request.body,
          maxRate: ctx.config.MAILING_RATE,
        }),
      );
      return reply.redirect(`/admin/mailings/${mailingId}`, 303);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid') return renderMessage(request, reply, event, { values: formValues(request.body), errors: errorsFrom(error) }, 422);
      throw error;
    }
  });
}
