import type { FastifyInstance } from 'fastify';
import { renderDocument } from '../platform/index.ts';
import { EmbedPage, counterSvg } from './public/embed.tsx';
import { freshPetition, visiblePetition } from './public/petition-ref.ts';
import type { PublicDeps } from './public/public-deps.ts';
import { rendered, sendRendered } from './render-cache.ts';

const EMBED_CACHE = 'public, max-age=30, stale-while-revalidate=60';

export function registerEmbedRoutes(app: FastifyInstance, deps: PublicDeps) {
  const { ctx } = deps;

  app.get<{ Params: { ref: string } }>('/petitions/:ref/embed', { config: { securityHeaders: 'framable' } }, async (request, reply) => {
    const petition = await visiblePetition(deps, request.params.ref);
    const page = await deps.pages.get(`embed|${petition.id}`, async () =>
      rendered(renderDocument(<EmbedPage petition={await freshPetition(deps, petition.id)} baseUrl={ctx.config.BASE_URL} />, request.pageContext(reply)), 'text/html; charset=utf-8', {
        headers: { 'cache-control': EMBED_CACHE },
      }),
    );
    return sendRendered(request, reply, page);
  });

  app.get<{ Params: { ref: string } }>('/petitions/:ref/counter.svg', { config: { securityHeaders: 'framable' } }, async (request, reply) => {
    const petition = await visiblePetition(deps, request.params.ref);
    const svg = await deps.pages.get(`counter|${petition.id}`, async () =>
      rendered(counterSvg(await freshPetition(deps, petition.id), ctx.brand.current().primaryColour), 'image/svg+xml; charset=utf-8', { headers: { 'cache-control': EMBED_CACHE } }),
    );
    return sendRendered(request, reply, svg);
  });
}
