import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { csvStream, keepFor, parseParams, parseRequest, requireRole, viewerOf, type Viewer } from '../../platform/index.ts';
import { hexmapSvg } from '../hexmap.tsx';
import type { AppContext } from '../tables.ts';
import { defaultDirection, mapCsvColumns, mapCsvRows, mapQuery, publicMapQuery, seatMapData, type SeatMap } from './map-data.ts';
import { MapPage, PublicMapPage } from './map-views.tsx';
import { FIGURES, PUBLIC_FIGURES, SEAT_FIGURES } from './seat-figures.ts';
import { listTargetLists, visibleGroupIds } from './target-lists.ts';

const listParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });

function mapSvg(map: SeatMap, baseUrl: string, tablePath: string): string | undefined {
  const f = FIGURES[map.figure];
  const placed = map.all.filter((r) => r.value > 0).length;
  return hexmapSvg(map.grid, map.counts, {
    title: `Map of ${f.many} by constituency${map.list ? `: ${map.list.name}` : ''}`,
    description:
      `A hex map of UK parliamentary constituencies, one hexagon each, shaded by ${f.many}.` +
      `${map.list ? ` The ${map.outlined.size} seats of the list are outlined.` : ''} ` +
      `${placed} ${placed === 1 ? 'constituency has' : 'constituencies have'} ${f.many}. Every figure is in the table at ${baseUrl}${tablePath}.`,
    noun: { one: f.one, many: f.many },
    ...(map.list ? { outlined: { codes: map.outlined, label: 'on the list' } } : {}),
  });
}

function sendSvg(reply: FastifyReply, svg: string | undefined, cache: string) {
  if (!svg) return reply.code(404).type('text/plain; charset=utf-8').send('No hex map is imported yet.');
  return reply.type('image/svg+xml; charset=utf-8').header('cache-control', cache).send(svg);
}

/**
 * The organisers' maps: a target list's (/admin/targets/:id/map) and every seat's (/admin/map,
 * with a list to outline), each with its image and CSV. A list is shown only to those who may
 * see it (targetListFor: 404 otherwise).
 */
export function registerMapRoutes(app: FastifyInstance, ctx: AppContext) {
  const anyone = { preHandler: requireRole() };
  const listIdOf = (request: FastifyRequest) => parseParams(listParams, request.params, 'target list').id;

  async function listOptions(viewer: Viewer) {
    const lists = await listTargetLists(ctx.db, await visibleGroupIds(ctx.db, viewer));
    return lists.map((l) => ({ value: String(l.id), label: l.name }));
  }

  app.get('/admin/targets/:id/map', anyone, async (request, reply) => {
    const query = parseRequest(mapQuery, request.query);
    const map = await seatMapData(ctx.db, viewerOf(request), { figure: query.figure, listId: listIdOf(request), listOnly: true });
    return reply.render(<MapPage map={map} path={`/admin/targets/${map.list!.id}/map`} figures={SEAT_FIGURES} sort={query.sort} dir={query.dir ?? defaultDirection[query.sort]} />);
  });

  app.get('/admin/targets/:id/map.svg', anyone, async (request, reply) => {
    const query = parseRequest(mapQuery, request.query);
    const map = await seatMapData(ctx.db, viewerOf(request), { figure: query.figure, listId: listIdOf(request) });
    return sendSvg(reply, mapSvg(map, ctx.config.BASE_URL, `/admin/targets/${map.list!.id}/map`), 'private, no-store');
  });

  app.get('/admin/targets/:id/map.csv', anyone, async (request, reply) => {
    const map = await seatMapData(ctx.db, viewerOf(request), { figure: 'signatures', listId: listIdOf(request), listOnly: true });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="target-list-${map.list!.id}-seats.csv"`)
      .header('cache-control', 'no-store')
      .send(csvStream(mapCsvColumns(SEAT_FIGURES), mapCsvRows(map.rows, SEAT_FIGURES)));
  });

  app.get('/admin/map', anyone, async (request, reply) => {
    const query = parseRequest(mapQuery, request.query);
    const viewer = viewerOf(request);
    const [map, lists] = await Promise.all([seatMapData(ctx.db, viewer, { figure: query.figure, listId: query.list }), listOptions(viewer)]);
    return reply.render(<MapPage map={map} path="/admin/map" lists={lists} figures={SEAT_FIGURES} sort={query.sort} dir={query.dir ?? defaultDirection[query.sort]} />);
  });

  app.get('/admin/map.svg', anyone, async (request, reply) => {
    const query = parseRequest(mapQuery, request.query);
    const map = await seatMapData(ctx.db, viewerOf(request), { figure: query.figure, listId: query.list });
    return sendSvg(reply, mapSvg(map, ctx.config.BASE_URL, '/admin/map'), 'private, no-store');
  });

  app.get('/admin/map.csv', anyone, async (request, reply) => {
    const query = parseRequest(mapQuery, request.query);
    const map = await seatMapData(ctx.db, viewerOf(request), { figure: 'signatures', listId: query.list });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="seats.csv"')
      .header('cache-control', 'no-store')
      .send(csvStream(mapCsvColumns(SEAT_FIGURES), mapCsvRows(map.all, SEAT_FIGURES)));
  });
}

/** How long a public map answer is replayed to visitors who are not signed in (as the events calendar is). */
const PUBLIC_MAP_KEPT_MS = 5_000;

/** The public map (/map): public figures only (signatures, supporters, events, published stories), totals only. */
export function registerPublicMapRoutes(app: FastifyInstance, ctx: AppContext) {
  // Every seat's figures are counted for each answer: the same page is replayed to the public for a few seconds.
  const kept = { onSend: keepFor(app, PUBLIC_MAP_KEPT_MS, { byQuery: true }) };
  app.get('/map', kept, async (request, reply) => {
    const query = parseRequest(publicMapQuery, request.query);
    const map = await seatMapData(ctx.db, null, { figure: query.figure });
    return reply.render(<PublicMapPage map={map} figures={PUBLIC_FIGURES} sort={query.sort} dir={query.dir ?? defaultDirection[query.sort]} />);
  });

  app.get('/map.svg', kept, async (request, reply) => {
    const query = parseRequest(publicMapQuery, request.query);
    const map = await seatMapData(ctx.db, null, { figure: query.figure });
    return sendSvg(reply, mapSvg(map, ctx.config.BASE_URL, '/map'), 'public, max-age=300');
  });
}
