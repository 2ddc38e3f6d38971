import type { FastifyInstance } from 'fastify';
import { notFound } from '../platform/index.ts';
import { petitionHexmapSvg } from './hexmap.ts';
import { constituencyCounts, petitionBreakdown } from './petition-breakdown.ts';
import { sendPublicPage } from './public/page-cache.ts';
import { freshPetition, visiblePetition } from './public/petition-ref.ts';
import { PlacesPage } from './public/places-page.tsx';
import type { PublicDeps } from './public/public-deps.ts';
import { rendered, sendRendered } from './render-cache.ts';

/**
 * Counts move every few seconds: a reader's copy may be half a minute old, and after that one
 * conditional request (ETag) costs a 304 when nothing has changed.
 */
export const HEXMAP_CACHE = 'public, max-age=30, stale-while-revalidate=60';

/** Where a petition's signatures come from, kept off the petition page: the map image and the full tables. */
export function registerPlaceRoutes(app: FastifyInstance, deps: PublicDeps) {
  const { ctx } = deps;

  // An image, so other sites may show it too (like the counter), and nothing in it runs or loads.
  app.get<{ Params: { ref: string } }>('/petitions/:ref/hexmap.svg', { config: { securityHeaders: 'framable' } }, async (request, reply) => {
    const petition = await visiblePetition(deps, request.params.ref);
    const svg = await deps.pages.get(`hexmap|${petition.id}`, async () => {
      const [fresh, grid, counts] = await Promise.all([freshPetition(deps, petition.id), deps.hexGrid.get(ctx.db), constituencyCounts(ctx.db, petition.id)]);
      const body = petitionHexmapSvg(fresh, grid, counts, ctx.config.BASE_URL);
      if (body === undefined) throw notFound('map');
      return rendered(body, 'image/svg+xml; charset=utf-8', { headers: { 'cache-control': HEXMAP_CACHE }, etag: true });
    });
    return sendRendered(request, reply, svg);
  });

  app.get<{ Params: { ref: string } }>('/petitions/:ref/constituencies', async (request, reply) => {
    const petition = await visiblePetition(deps, request.params.ref);
    return sendPublicPage(deps, request, reply, `places|${petition.id}`, async () => {
      const [fresh, breakdown] = await Promise.all([freshPetition(deps, petition.id), petitionBreakdown(ctx.db, petition.id)]);
      return <PlacesPage petition={fresh} breakdown={breakdown} baseUrl={ctx.config.BASE_URL} />;
    });
  });
}
