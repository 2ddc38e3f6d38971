import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { clientIp, conflict, firstErrorPerField, formValues, gone, invalidFields, notFound, parseParams, rateLimited, wantsJson } from '../../platform/index.ts';
import { hearMoreWording } from '../book-event.ts';
import { findEvent, type ChorusEvent } from '../store.ts';
import type { AppContext } from '../tables.ts';
import { claimOffer, findOffer, findWaitingEntry, joinWaitingList, leaveWaitingList } from '../waiting-list.ts';
import { TOO_MANY_BOOKINGS, formOrJsonOnly, publicEvent } from './routes.tsx';
import { JoinedWaitingListPage, OfferPage, WaitingEntryPage, WaitingListPage, waitingListPath } from './waiting-list-views.tsx';

const PRIVATE_CACHE = 'private, no-store';
const idParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) });

/** The waiting list: join a full event, see or leave your place, claim or decline an offer. */
export function registerWaitingListRoutes(app: FastifyInstance, ctx: AppContext) {
  const wording = (event: ChorusEvent) => hearMoreWording(ctx.brand.current().name, event);
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
  const posting = { config: { csrf: 'origin' as const }, onRequest: formOrJsonOnly };

  app.get('/events/:id/waiting-list', async (request, reply) => {
    const { id } = parseParams(idParams, request.params, 'event');
    const event = await publicEvent(ctx, id);
    return reply.header('cache-control', PRIVATE_CACHE).render(<WaitingListPage event={event} hearMoreWording={wording(event)} />);
  });

  const join = async (request: FastifyRequest, reply: FastifyReply) => {
    const json = wantsJson(request);
    const { id } = parseParams(idParams, request.params, 'event');
    const event = await publicEvent(ctx, id);
    const outcome = await joinWaitingList(ctx, { event, fields: request.body, ip: clientIp(request) });
    reply.header('cache-control', PRIVATE_CACHE);
    switch (outcome.kind) {
      case 'not-bookable':
        throw conflict('This event is not open for booking, so its waiting list is closed.');
      case 'rate-limited':
        if (json) throw rateLimited(TOO_MANY_BOOKINGS, outcome.retryAfterSeconds);
        reply.header('retry-after', String(outcome.retryAfterSeconds));
        return reply.render(<WaitingListPage event={event} hearMoreWording={wording(event)} values={formValues(request.body)} errors={{ email: TOO_MANY_BOOKINGS }} />, 429);
      case 'invalid': {
        if (json) throw invalidFields(outcome.problems);
        const fresh = (await findEvent(ctx.db, id)) ?? event;
        return reply.render(<WaitingListPage event={fresh} hearMoreWording={wording(fresh)} values={formValues(request.body)} errors={firstErrorPerField(outcome.problems)} />, 422);
      }
      case 'joined':
        if (json) return reply.code(201).send({ outcome: 'waiting', places: outcome.places, ahead: outcome.ahead, message: 'You are on the waiting list. We have emailed you a link to see your place or leave.' });
        return reply.redirect(`${waitingListPath(event)}/joined`, 303);
    }
  };
  app.post('/events/:id/waiting-list', posting, join);
  app.post('/events/:id/waiting-list.json', posting, join);

  app.get('/events/:id/waiting-list/joined', async (request, reply) => {
    const { id } = parseParams(idParams, request.params, 'event');
    const event = await publicEvent(ctx, id);
    return reply.header('cache-control', PRIVATE_CACHE).render(<JoinedWaitingListPage event={event} />);
  });

  app.get('/waiting-list/:token', async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params, 'waiting-list entry');
    const entry = await findWaitingEntry(ctx.db, token);
    const event = entry && (await findEvent(ctx.db, entry.eventId));
    if (!entry || !event) throw notFound('waiting-list entry');
    const notice = (request.query as Record<string, unknown> | undefined)?.notice === 'left' ? ('left' as const) : undefined;
    return noStore(reply).render(<WaitingEntryPage event={event} entry={entry} token={token} notice={notice} />);
  });

  app.post('/waiting-list/:token/leave', posting, async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params, 'waiting-list entry');
    const outcome = await leaveWaitingList(ctx, token, 'entry');
    if (!outcome) throw notFound('waiting-list entry');
    if (outcome.kind === 'not-waiting') throw conflict('You are no longer on this waiting list.');
    return reply.redirect(`/waiting-list/${token}?notice=left`, 303);
  });

  app.get('/waiting-list/offers/:token', async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params, 'offer');
    const entry = await findOffer(ctx.db, token);
    const event = entry && (await findEvent(ctx.db, entry.eventId));
    if (!entry || !event) throw notFound('offer');
    return noStore(reply).render(<OfferPage event={event} entry={entry} token={token} now={new Date()} />);
  });

  app.post('/waiting-list/offers/:token/claim', posting, async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params, 'offer');
    const outcome = await claimOffer(ctx, token);
    if (!outcome) throw notFound('offer');
    switch (outcome.kind) {
      case 'booked': {
        const event = await findEvent(ctx.db, outcome.eventId);
        return reply.redirect(`${event!.path}/booked`, 303);
      }
      case 'already-booked':
        return reply.redirect(`/waiting-list/offers/${token}`, 303);
      case 'lapsed':
        throw gone(`This offer has lapsed: places are held for 24 hours, then offered to the next person on the waiting list.`);
      case 'left':
        throw conflict('You turned these places down, so they were offered to the next person.');
      case 'not-bookable':
        throw conflict('This event is no longer open for booking.');
    }
  });

  app.post('/waiting-list/offers/:token/decline', posting, async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params, 'offer');
    const outcome = await leaveWaitingList(ctx, token, 'offer');
    if (!outcome) throw notFound('offer');
    if (outcome.kind === 'not-waiting') throw conflict('This offer is no longer open.');
    return reply.redirect(`/waiting-list/offers/${token}`, 303);
  });
}
