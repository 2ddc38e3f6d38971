import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { keepFor, parseOrThrow } from '../platform/index.ts';
import { listPetitions, petitionSorts } from './list-petitions.ts';
import { petitionBreakdown } from './petition-breakdown.ts';
import { countJson, petitionJson, petitionListJson } from './petition-json.ts';
import { freshPetition, visiblePetition } from './public/petition-ref.ts';
import type { PublicDeps } from './public/public-deps.ts';
import { readSignatureCount } from './read-signature-count.ts';
import { rendered, sendRendered } from './render-cache.ts';
import { PUBLISHED_STATES, VISIBLE_STATES } from './states.ts';
import type { PetitionState } from './tables.ts';

/** Open to any site's scripts (read-only public data), and cached briefly by anyone in between. */
const jsonHeaders = (maxAge: number, staleWhileRevalidate: number) => ({
  'access-control-allow-origin': '*',
  'cache-control': `public, max-age=${maxAge}, stale-while-revalidate=${staleWhileRevalidate}`,
});

const JSON_TYPE = 'application/json; charset=utf-8';

function cors(reply: FastifyReply) {
  // Errors are readable cross-site too, so a script can tell "not found" from a network failure.
  reply.header('access-control-allow-origin', '*');
}

/** GET /petitions/<id>.json (also <id>-<slug>.json): one petition with its breakdowns. */
export async function sendPetitionJson(deps: PublicDeps, request: FastifyRequest<{ Params: { ref: string } }>, reply: FastifyReply) {
  cors(reply);
  const petition = await visiblePetition(deps, request.params.ref);
  const body = await deps.pages.get(`json|${petition.id}`, async () => {
    const [fresh, breakdown] = await Promise.all([freshPetition(deps, petition.id), petitionBreakdown(deps.ctx.db, petition.id)]);
    return rendered(JSON.stringify(petitionJson(fresh, breakdown, deps.ctx.config.BASE_URL)), JSON_TYPE, { headers: jsonHeaders(10, 60) });
  });
  return sendRendered(request, reply, body);
}

const listQuery = z.object({
  state: z.enum(['open', 'closed', 'rejected', 'all'], { message: 'Choose open, closed, rejected or all' }).default('open'),
  page: z.coerce
    .number({ message: 'Enter a page number from 1 to 10000' })
    .int({ message: 'Enter a page number from 1 to 10000' })
    .min(1, { message: 'Enter a page number from 1 to 10000' })
    .max(10_000, { message: 'Enter a page number from 1 to 10000' })
    .default(1),
  sort: z.enum(petitionSorts, { message: 'Choose popular, newest or closing' }).default('popular'),
  q: z
    .string({ message: 'Enter the words to search for once' })
    .max(200, { message: 'Search must be 200 characters or fewer' })
    // eslint-disable-next-line no-control-regex
    .transform((v) => v.replace(/[\u0000-\u001f\u007f]/g, ' ').trim())
    .optional(),
});

const statesFor: Record<'open' | 'closed' | 'rejected' | 'all', readonly PetitionState[]> = {
  open: ['open'],
  closed: PUBLISHED_STATES.filter((s) => s !== 'open'),
  rejected: ['rejected'],
  all: VISIBLE_STATES,
};

const PER_PAGE = 50;

export function registerJsonRoutes(app: FastifyInstance, deps: PublicDeps) {
  const { ctx } = deps;

  app.get('/petitions.json', { config: { securityHeaders: 'data' } }, async (request, reply) => {
    cors(reply);
    const query = parseOrThrow(listQuery, request.query ?? {});
    const key = `list.json|${query.state}|${query.sort}|${query.page}|${query.q ?? ''}`;
    const body = await deps.pages.get(key, async () => {
      const page = await listPetitions(ctx.db, { states: statesFor[query.state], sort: query.sort, search: query.q, page: query.page, perPage: PER_PAGE });
      const pageUrl = (n: number) => {
        const params = new URLSearchParams({ state: query.state });
        if (query.sort !== 'popular') params.set('sort', query.sort);
        if (query.q) params.set('q', query.q);
        params.set('page', String(n));
        return `${ctx.config.BASE_URL}/petitions.json?${params}`;
      };
      return rendered(JSON.stringify(petitionListJson(page, pageUrl, ctx.config.BASE_URL)), JSON_TYPE, { headers: jsonHeaders(10, 60) });
    });
    return sendRendered(request, reply, body);
  });

  // The small polling endpoint: one cached body a second per petition, however many poll it.
  // During a spike every open petition page polls this: a kept answer is replayed for half a
  // second before the router (counts are batched every few seconds anyway).
  const keepCount = { config: { securityHeaders: 'data' as const }, onSend: keepFor(app, 500) };
  app.get<{ Params: { ref: string } }>('/petitions/:ref/count.json', keepCount, async (request, reply) => {
    cors(reply);
    const petition = await visiblePetition(deps, request.params.ref);
    const body = await deps.pages.get(`count|${petition.id}`, async () => {
      const now = await readSignatureCount(ctx.db, petition.id);
      return rendered(JSON.stringify(countJson(now)), JSON_TYPE, { headers: jsonHeaders(5, 10) });
    });
    return sendRendered(request, reply, body);
  });
}
