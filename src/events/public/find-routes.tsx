import type { FastifyInstance, FastifyRequest, onSendHookHandler } from 'fastify';
import { listGroups } from '../../coalition/index.ts';
import { pageCount } from '../../platform/index.ts';
import { regionNames } from '../../politics/index.ts';
import { findEvents } from '../find-events.ts';
import { withOccurrences } from '../occurrences.ts';
import { readFindQuery } from '../find-query.ts';
import type { AppContext } from '../tables.ts';
import { FindEventsPage } from './find-views.tsx';
import type { SharedRenders } from './shared-render.ts';

export const EVENTS_PER_PAGE = 50;
/** How far ahead /events lists a repeating event's dates. */
const CALENDAR_DAYS = 366;

/** /events: the calendar with its filters, search and near me. */
export function registerFindEventsRoutes(app: FastifyInstance, ctx: AppContext, cacheFor: (request: FastifyRequest) => string, sharing: { renders: SharedRenders; onSend: onSendHookHandler }) {
  app.get('/events', { onSend: sharing.onSend }, async (request, reply) => {
    const find = await readFindQuery(ctx.db, request.query);
    const invalid = Object.keys(find.errors).length > 0;
    reply.header('cache-control', cacheFor(request));
    // A mistake (422) is answered on its own; a good query's page is rendered once for everyone asking it.
    if (invalid) return reply.render(await calendarPage(find), 422);
    return sharing.renders.send(request, reply, () => calendarPage(find));
  });

  async function calendarPage(find: Awaited<ReturnType<typeof readFindQuery>>) {
    const [found, groups, regions] = await Promise.all([
      findEvents(ctx.db, find.filters, { page: find.page, perPage: EVENTS_PER_PAGE }),
      listGroups(ctx.db),
      regionNames(ctx.db),
    ]);
    // Each repeating event is listed at each of its dates in the coming year (near me: nearest first still).
    const now = new Date();
    const dated = withOccurrences(found.events, { from: now, to: new Date(now.getTime() + CALENDAR_DAYS * 86_400_000) });
    if (found.miles.size > 0) dated.sort((a, b) => (found.miles.get(a.id) ?? 0) - (found.miles.get(b.id) ?? 0) || a.startsAt.getTime() - b.startsAt.getTime());
    found.events = dated;
    return <FindEventsPage found={found} values={find.values} errors={find.errors} nearPostcode={find.nearPostcode} narrowed={find.narrowed} page={find.page} totalPages={pageCount(found.total, EVENTS_PER_PAGE)} groups={groups} regions={regions} />;
  }
}
