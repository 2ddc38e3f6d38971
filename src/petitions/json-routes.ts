import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { keepFor, parseOrThrow } from '../platform/index.ts';
import { listPetitions, petitionSorts, petitionsModifiedAt, type OutcomeFilter, type PetitionSort } from './list-petitions.ts';
import { petitionBreakdown } from './petition-breakdown.ts';
import { countJson, petitionJson, petitionListJson, petitionModifiedAt } from './petition-json.ts';
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
    return rendered(JSON.stringify(petitionJson(fresh, breakdown, deps.ctx.config.BASE_URL)), JSON_TYPE, {
      headers: jsonHeaders(10, 60),
      etag: true,
      lastModified: petitionModifiedAt(fresh),
    });
  });
  return sendRendered(request, reply, body);
}

const PAGE_MESSAGE = 'Enter a page number from 1 to 10000';
const MAX_PAGE = 10_000;
const PER_PAGE = 50;

/** The list filters the Parliament site accepts as `state`. */
const listStates = ['all', 'open', 'closed', 'rejected', 'recent', 'awaiting_response', 'with_response', 'awaiting_debate', 'debated', 'not_debated'] as const;
type ListState = (typeof listStates)[number];

const listQuery = z.object({
  state: z.string({ message: 'Choose one state' }).optional(),
  // As on the Parliament site: a page that is not a number is the first page; one past the
  // last is empty; one beyond any real list is refused.
  page: z
    .string({ message: PAGE_MESSAGE })
    .optional()
    .transform((v, ctx) => {
      const n = v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : 1;
      if (n > MAX_PAGE) ctx.addIssue({ code: 'custom', message: PAGE_MESSAGE });
      return Math.max(n, 1);
    }),
  // Page size, at most 50 (the Parliament site's limit); anything else is the default.
  count: z
    .string({ message: 'Enter a page size from 1 to 50' })
    .optional()
    .transform((v) => (v !== undefined && /^\d{1,6}$/.test(v.trim()) ? Math.min(Math.max(Number(v.trim()), 1), PER_PAGE) : undefined)),
  sort: z.enum(petitionSorts, { message: 'Choose popular, newest or closing' }).optional(),
  q: z
    .string({ message: 'Enter the words to search for once' })
    .max(200, { message: 'Search must be 200 characters or fewer' })
    // eslint-disable-next-line no-control-regex
    .transform((v) => v.replace(/[\u0000-\u001f\u007f]/g, ' ').trim())
    .optional(),
});

const closedStates = PUBLISHED_STATES.filter((s) => s !== 'open');
const listFor: Record<ListState, { states: readonly PetitionState[]; outcome?: OutcomeFilter; sort: PetitionSort }> = {
  all: { states: VISIBLE_STATES, sort: 'popular' },
  open: { states: ['open'], sort: 'popular' },
  recent: { states: ['open'], sort: 'newest' },
  closed: { states: closedStates, sort: 'popular' },
  rejected: { states: ['rejected'], sort: 'newest' },
  awaiting_response: { states: PUBLISHED_STATES, outcome: 'awaiting_response', sort: 'popular' },
  with_response: { states: PUBLISHED_STATES, outcome: 'with_response', sort: 'popular' },
  awaiting_debate: { states: PUBLISHED_STATES, outcome: 'awaiting_debate', sort: 'popular' },
  debated: { states: PUBLISHED_STATES, outcome: 'debated', sort: 'popular' },
  not_debated: { states: PUBLISHED_STATES, outcome: 'not_debated', sort: 'popular' },
};

const isListState = (v: string): v is ListState => (listStates as readonly string[]).includes(v);

export function registerJsonRoutes(app: FastifyInstance, deps: PublicDeps) {
  const { ctx } = deps;

  app.get('/petitions.json', { config: { securityHeaders: 'data' } }, async (request, reply) => {
    cors(reply);
    const query = parseOrThrow(listQuery, request.query ?? {});
    const stateParam = query.state?.trim() || 'all';
    if (!isListState(stateParam)) {
      // As the Parliament site does: an unknown list is the whole list.
      const params = new URLSearchParams({ state: 'all' });
      if (query.sort) params.set('sort', query.sort);
      if (query.q) params.set('q', query.q);
      if (query.count !== undefined) params.set('count', String(query.count));
      params.set('page', String(query.page));
      return reply.redirect(`${ctx.config.BASE_URL}/petitions.json?${params}`, 302);
    }
    const list = listFor[stateParam];
    const sort = query.sort ?? list.sort;
    const perPage = query.count ?? PER_PAGE;
    const key = `list.json|${stateParam}|${sort}|${query.page}|${perPage}|${query.count ?? ''}|${query.q ?? ''}`;
    const body = await deps.pages.get(key, async () => {
      const [page, modifiedAt] = await Promise.all([
        listPetitions(ctx.db, { states: list.states, outcome: list.outcome, sort, search: query.q, page: query.page, perPage }),
        petitionsModifiedAt(ctx.db),
      ]);
      const pageUrl = (n: number) => {
        const params = new URLSearchParams({ state: stateParam });
        if (query.sort) params.set('sort', query.sort);
        if (query.q) params.set('q', query.q);
        if (query.count !== undefined) params.set('count', String(query.count));
        params.set('page', String(n));
        return `${ctx.config.BASE_URL}/petitions.json?${params}`;
      };
      return rendered(JSON.stringify(petitionListJson(page, pageUrl, ctx.config.BASE_URL)), JSON_TYPE, { headers: jsonHeaders(10, 60), etag: true, lastModified: modifiedAt });
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
      // The count is read fresh; the outcome moments come from the cached petition (a second behind at most).
      const now = await readSignatureCount(ctx.db, petition.id);
      return rendered(JSON.stringify(countJson(now, petition)), JSON_TYPE, { headers: jsonHeaders(5, 10), etag: true, lastModified: petitionModifiedAt(petition, now) });
    });
    return sendRendered(request, reply, body);
  });
}
