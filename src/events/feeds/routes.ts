import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError, isNotModified, keepFor, notFound, pageCount, parseParams, rss } from '../../platform/index.ts';
import { calendarEntry } from '../event-calendar.ts';
import { calendar } from '../ics.ts';
import { PUBLIC_STATES, eventTypes } from '../states.ts';
import { findEvent, type ChorusEvent } from '../store.ts';
import type { AppContext } from '../tables.ts';
import { eventJson, eventListJson } from './event-json.ts';
import { FeedCache, type FeedText } from './feed-cache.ts';
import { feedVersion, listFeedEvents, listFeedEventsPage } from './feed-events.ts';
import { feedFilterOf, filterParams, filterWords, type FeedFilter } from './feed-filter.ts';

const ICS_TYPE = 'text/calendar; charset=utf-8';
const RSS_TYPE = 'application/rss+xml; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const FEED_CACHE = 'public, max-age=30, stale-while-revalidate=60';
const RSS_ITEMS = 50;
const PER_PAGE = 50;
const MAX_PAGE = 10_000;
/**
 * How long a calendar feed's finished answer is replayed to every public client before the app
 * answers again (see platform/http/hot-responses.ts): a feed read by a crowd at once costs one
 * render a second, not a query each, and a change shows within the second.
 */
export const FEED_KEPT_MS = 1000;

const idParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,200}$/) });

/** `page` and `count` for the JSON list, as petitions.json reads them: a page that is not a number is the first. */
function pageOf(query: unknown): { page: number; perPage: number; count: number | undefined } {
  const params = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);
  const pageText = text(params.page);
  const page = pageText !== undefined && /^\d{1,9}$/.test(pageText) ? Math.max(Number(pageText), 1) : 1;
  if (pageText !== undefined && /^\d+$/.test(pageText) && (pageText.length > 9 || page > MAX_PAGE)) {
    throw new DomainError('bad_request', `page: Enter a page number from 1 to ${MAX_PAGE}`, { problems: [{ field: 'page', message: `Enter a page number from 1 to ${MAX_PAGE}` }] });
  }
  const countText = text(params.count);
  const count = countText !== undefined && /^\d{1,6}$/.test(countText) ? Math.min(Math.max(Number(countText), 1), PER_PAGE) : undefined;
  return { page, perPage: count ?? PER_PAGE, count };
}

function send(request: FastifyRequest, reply: FastifyReply, text: FeedText, filename?: string) {
  reply.header('access-control-allow-origin', '*').header('cache-control', FEED_CACHE).header('etag', text.etag);
  if (filename) reply.header('content-disposition', `inline; filename="${filename}"`);
  if (isNotModified(request.headers, text.etag, undefined)) return reply.code(304).send();
  return reply.type(text.contentType).send(text.body);
}

/**
 * The calendar's feeds at stable addresses: iCalendar for all events, a group, a type or a region
 * (`/events.ics?type=rally&region=london`, `/groups/<slug>/events.ics`) and one event
 * (`/events/<id>.ics`); RSS of new events (`/events.rss`); the JSON list (`/events.json`) and one
 * event's JSON (`/events/<id>.json`).
 */
export function registerEventFeedRoutes(app: FastifyInstance, ctx: AppContext) {
  const cache = new FeedCache();
  const base = ctx.config.BASE_URL;
  const data = { config: { securityHeaders: 'data' as const } };
  const hotData = { ...data, onSend: keepFor(app, FEED_KEPT_MS, { byQuery: true }) };
  const siteName = () => ctx.brand.current().name;
  const feedTitle = (filter: FeedFilter) => `${siteName()} events${filterWords(filter) ? `: ${filterWords(filter)}` : ''}`;

  /** A feed's text for this filter, rebuilt only when the events changed. */
  async function feed(kind: string, filter: FeedFilter, extra: string, build: () => Promise<{ body: string; contentType: string }>) {
    const version = await feedVersion(ctx.db);
    return cache.get(`${kind}|${filterParams(filter)}|${extra}`, version, build);
  }

  const calendarOf = (filter: FeedFilter) => async () => {
    const events = await listFeedEvents(ctx.db, filter, { order: 'starts' });
    return { body: calendar(events.map((e) => calendarEntry(e, base)), { name: feedTitle(filter) }), contentType: ICS_TYPE };
  };

  app.get('/events.ics', hotData, async (request, reply) => {
    const filter = await feedFilterOf(ctx.db, request.query);
    return send(request, reply, await feed('ics', filter, '', calendarOf(filter)), 'events.ics');
  });

  app.get('/groups/:slug/events.ics', hotData, async (request, reply) => {
    const { slug } = parseParams(slugParams, request.params, 'group');
    const filter = await feedFilterOf(ctx.db, request.query, slug);
    return send(request, reply, await feed('ics', filter, '', calendarOf(filter)), `${slug}-events.ics`);
  });

  const publicEvent = async (request: FastifyRequest): Promise<ChorusEvent> => {
    const { id } = parseParams(idParams, request.params, 'event');
    const event = await findEvent(ctx.db, id);
    if (!event || !PUBLIC_STATES.includes(event.state)) throw notFound('event');
    return event;
  };

  app.get('/events/:id.ics', data, async (request, reply) => {
    const event = await publicEvent(request);
    const text = await cache.get(`event.ics|${event.id}`, `${event.sequence}|${event.updatedAt.getTime()}`, async () => ({ body: calendar([calendarEntry(event, base)], { name: event.title }), contentType: ICS_TYPE }));
    return send(request, reply, text, `event-${event.id}.ics`);
  });

  app.get('/events.rss', data, async (request, reply) => {
    const filter = await feedFilterOf(ctx.db, request.query);
    const text = await feed('rss', filter, '', async () => {
      const events = await listFeedEvents(ctx.db, filter, { order: 'newest', limit: RSS_ITEMS });
      const params = filterParams(filter).toString();
      return {
        contentType: RSS_TYPE,
        body: rss({
          title: `${feedTitle(filter)}: new events`,
          link: `${base}/events`,
          self: `${base}/events.rss${params ? `?${params}` : ''}`,
          description: `New events on the ${siteName()} calendar${filterWords(filter) ? ` (${filterWords(filter)})` : ''}.`,
          items: events.map((e) => ({
            title: `${e.state === 'cancelled' ? 'Cancelled: ' : ''}${e.title}`,
            link: `${base}${e.path}`,
            guid: `${base}${e.path}`,
            published: e.publishedAt ?? e.createdAt,
            description: rssSummary(e),
            categories: [eventTypes[e.type], ...(e.region ? [e.region.name] : [])],
          })),
        }),
      };
    });
    return send(request, reply, text);
  });

  app.get('/events.json', data, async (request, reply) => {
    const filter = await feedFilterOf(ctx.db, request.query);
    const { page, perPage, count } = pageOf(request.query);
    const text = await feed('json', filter, `${page}|${perPage}|${count ?? ''}`, async () => {
      const result = await listFeedEventsPage(ctx.db, filter, { page, perPage });
      const pageUrl = (n: number) => {
        const params = filterParams(filter);
        if (count !== undefined) params.set('count', String(count));
        params.set('page', String(n));
        return `${base}/events.json?${params}`;
      };
      const body = eventListJson({ events: result.events, page, total: result.total, totalPages: pageCount(result.total, perPage) }, pageUrl, base);
      return { body: JSON.stringify(body), contentType: JSON_TYPE };
    });
    return send(request, reply, text);
  });

  app.get('/events/:id.json', data, async (request, reply) => {
    const event = await publicEvent(request);
    reply.header('access-control-allow-origin', '*').header('cache-control', FEED_CACHE);
    return reply.type(JSON_TYPE).send(JSON.stringify(eventJson(event, base)));
  });
}

const when = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** An item's text: when (UK time), where, who. */
function rssSummary(e: ChorusEvent): string {
  const where = e.postcode ? [e.venueName, e.address.replace(/\s*\n\s*/g, ', '), e.postcode].filter(Boolean).join(', ') : 'Online';
  return [`${when.format(e.startsAt)} (UK time)${e.repeatRule ? ', repeating' : ''}`, where, e.groups.length > 0 ? `Organised by ${e.groups.map((g) => g.name).join(', ')}` : ''].filter(Boolean).join('. ');
}
