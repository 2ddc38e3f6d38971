import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { clientIp, conflict, DomainError, firstErrorPerField, formValues, invalidFields, keepFor, notFound, pageCount, pageFrom, parseParams, rateLimited, wantsJson } from '../../platform/index.ts';
import { bookEvent, hearMoreWording } from '../book-event.ts';
import { EventCache } from '../event-cache.ts';
import { SharedRenders } from './shared-render.ts';
import { cancelBooking, findBookingByToken } from '../cancel-booking.ts';
import { listEventChanges } from '../event-changes.ts';
import { PUBLIC_STATES } from '../states.ts';
import { distanceOrigin } from '../find-query.ts';
import { milesBetween } from '../find-events.ts';
import { findEvent, listPastEvents, type ChorusEvent } from '../store.ts';
import type { AppContext } from '../tables.ts';
import { registerFindEventsRoutes } from './find-routes.tsx';
import { registerHostEventRoutes } from './host-routes.tsx';
import { BookedPage, EventPage, ManageBookingPage, PastEventsPage } from './views.tsx';

const PAST_PER_PAGE = 30;
export const TOO_MANY_BOOKINGS = 'Too many bookings have been made from your connection just now. Please wait a few minutes and try again.';
const PUBLIC_CACHE = 'public, max-age=5, stale-while-revalidate=30';
/** How long the public calendar's finished answer is replayed to everyone (see platform/http/hot-responses.ts). */
const CALENDAR_KEPT_MS = 1000;
const PRIVATE_CACHE = 'private, no-store';

const refParams = z.object({ ref: z.string().regex(/^\d{1,9}(-[a-z0-9-]{0,200})?$/) });
const idParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) });

/** The event behind a public address, if the public may see it (published or cancelled). */
export async function publicEvent(ctx: AppContext, id: number, find: (id: number) => Promise<ChorusEvent | undefined> = (id) => findEvent(ctx.db, id)): Promise<ChorusEvent> {
  const event = await find(id);
  if (!event || !PUBLIC_STATES.includes(event.state)) throw notFound('event');
  return event;
}


/** The booking form is urlencoded (or JSON); other bodies are refused before parsing. */
export async function formOrJsonOnly(request: FastifyRequest) {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/')) throw new DomainError('bad_request', 'Send the form as application/x-www-form-urlencoded or as JSON (Content-Type application/json).');
}

/** The calendar, past events, event pages, booking and the booker's manage page. */
export function registerEventPublicRoutes(app: FastifyInstance, ctx: AppContext) {
  const cacheFor = (request: FastifyRequest) => (request.viewer ? PRIVATE_CACHE : PUBLIC_CACHE);
  const wording = (event: ChorusEvent) => hearMoreWording(ctx.brand.current().name, event);
  const bookingCache = new EventCache(ctx.db);
  const calendarRenders = new SharedRenders(CALENDAR_KEPT_MS);

  // The public's calendar is one page for everyone: rendered once a second (per address and query)
  // however many ask at once, and its finished answer replayed for that second. Signed-in viewers
  // are neither kept nor shared.
  registerFindEventsRoutes(app, ctx, cacheFor, { renders: calendarRenders, onSend: keepFor(app, CALENDAR_KEPT_MS, { byQuery: true }) });
  registerHostEventRoutes(app, ctx);

  app.get('/events/past', async (request, reply) => {
    const page = pageFrom(request.query);
    const { events, total } = await listPastEvents(ctx.db, { page, perPage: PAST_PER_PAGE });
    return reply.header('cache-control', cacheFor(request)).render(<PastEventsPage events={events} page={page} totalPages={pageCount(total, PAST_PER_PAGE)} />);
  });

  app.get<{ Params: { ref: string } }>('/events/:ref', async (request, reply) => {
    const { ref } = parseParams(refParams, request.params, 'event');
    const event = await publicEvent(ctx, Number(ref.split('-')[0]));
    const origin = await distanceOrigin(ctx.db, request.query);
    if (ref !== event.path.slice('/events/'.length)) return reply.redirect(`${event.path}${origin ? `?from=${encodeURIComponent(origin.postcode)}` : ''}`, 301);
    const distanceFrom = origin && event.latitude !== null && event.longitude !== null ? { postcode: origin.postcode, miles: milesBetween(origin, { latitude: event.latitude, longitude: event.longitude }) } : undefined;
    const changes = await listEventChanges(ctx.db, event.id);
    return reply.header('cache-control', cacheFor(request)).render(<EventPage event={event} hearMoreWording={wording(event)} baseUrl={ctx.config.BASE_URL} changes={changes} distanceFrom={distanceFrom} />);
  });

  const book = async (request: FastifyRequest, reply: FastifyReply) => {
    const json = wantsJson(request);
    const { id } = parseParams(idParams, request.params, 'event');
    // A copy kept for a moment will do to start with (the places are taken under the event's lock).
    // A kept copy that is full is the answer while it is kept (at most a second): the waiting list
    // is offered without asking the database. Otherwise, when the booking is refused, the refusal
    // is made from the event as it is now.
    let event = await publicEvent(ctx, id, (id) => bookingCache.get(id));
    let outcome = await bookEvent(ctx, { event, fields: request.body, ip: clientIp(request) });
    const refusedWhileFull = outcome.kind === 'invalid' && outcome.waitingList === true && bookingCache.isFull(id);
    if (outcome.kind !== 'booked' && !refusedWhileFull) {
      const fresh = await publicEvent(ctx, id, (id) => bookingCache.fresh(id));
      const changed = fresh.state !== event.state || fresh.placesBooked !== event.placesBooked || fresh.tiers.some((t, i) => t.placesBooked !== event.tiers[i]?.placesBooked);
      event = fresh;
      if (changed) outcome = await bookEvent(ctx, { event, fields: request.body, ip: clientIp(request) });
    }
    switch (outcome.kind) {
      case 'not-bookable':
        throw conflict(
          outcome.reason === 'cancelled'
            ? 'This event has been cancelled, so it can no longer be booked.'
            : outcome.reason === 'started'
              ? 'This event has already started, so it can no longer be booked.'
              : 'This event is not open for booking.',
        );
      case 'invalid': {
        if (json) throw invalidFields(outcome.problems);
        reply.header('cache-control', PRIVATE_CACHE);
        return reply.render(<EventPage event={event} hearMoreWording={wording(event)} baseUrl={ctx.config.BASE_URL} values={formValues(request.body)} errors={firstErrorPerField(outcome.problems)} waitingList={outcome.waitingList} />, 422);
      }
      case 'rate-limited': {
        if (json) throw rateLimited(TOO_MANY_BOOKINGS, outcome.retryAfterSeconds);
        reply.header('cache-control', PRIVATE_CACHE).header('retry-after', String(outcome.retryAfterSeconds));
        return reply.render(<EventPage event={event} hearMoreWording={wording(event)} baseUrl={ctx.config.BASE_URL} values={formValues(request.body)} errors={{ email: TOO_MANY_BOOKINGS }} />, 429);
      }
      case 'booked':
        if (json) return reply.code(201).header('cache-control', 'no-store').send({ outcome: 'booked', places: outcome.places, message: 'Booked. We have emailed the booking reference.' });
        return reply.redirect(`${event.path}/booked`, 303);
    }
  };
  const options = { config: { csrf: 'origin' as const }, onRequest: formOrJsonOnly };
  app.post('/events/:id/bookings', options, book);
  app.post('/events/:id/bookings.json', options, book);

  app.get<{ Params: { ref: string } }>('/events/:ref/booked', async (request, reply) => {
    const { ref } = parseParams(refParams, request.params, 'event');
    const event = await publicEvent(ctx, Number(ref.split('-')[0]));
    return reply.header('cache-control', PRIVATE_CACHE).render(<BookedPage event={event} />);
  });

  app.get('/bookings/:token', async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params, 'booking');
    const booking = await findBookingByToken(ctx.db, token);
    if (!booking) throw notFound('booking');
    const event = await findEvent(ctx.db, booking.eventId);
    if (!event) throw notFound('booking');
    const notice = (request.query as Record<string, unknown> | undefined)?.notice === 'cancelled' ? ('cancelled' as const) : undefined;
    return reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .render(<ManageBookingPage event={event} booking={booking} token={token} notice={notice} />);
  });

  app.post('/bookings/:token/cancel', { config: { csrf: 'origin' as const }, onRequest: formOrJsonOnly }, async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params, 'booking');
    const cancelled = await cancelBooking(ctx, token);
    // The place freed here is bookable here at once (other processes see it within their kept copy's second).
    bookingCache.forget(cancelled.eventId);
    return reply.redirect(`/bookings/${token}?notice=cancelled`, 303);
  });
}
