import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from './tables.ts';
import { DomainError, imageFacts, keepFor, parseRequest } from '../platform/index.ts';
import { arrivalKey, arrivalOf } from './arrival.ts';
import { checkConfirmationLink, confirmSignature } from './confirm-signature.ts';
import { registerEmbedRoutes } from './embed-routes.tsx';
import { HexGridCache } from './hexmap.ts';
import { registerJsonRoutes, sendPetitionJson } from './json-routes.ts';
import { listPetitions, petitionSorts, type PetitionSort } from './list-petitions.ts';
import { constituencyTally, topConstituencies } from './petition-breakdown.ts';
import { PetitionCache } from './petition-cache.ts';
import { registerPlaceRoutes } from './place-routes.tsx';
import { ConfirmSignaturePage, ConfirmedPage, MastodonSharePage, ThankYouPage, thankYouOutcomes } from './public/after-signing.tsx';
import { PetitionListPage, type ListTab } from './public/list-page.tsx';
import { PetitionPage } from './public/petition-page.tsx';
import { PRIVATE_PAGE_CACHE, PUBLIC_PAGE_CACHE, sendPublicPage } from './public/page-cache.ts';
import { freshPetition, parsePetitionRef, visiblePetition } from './public/petition-ref.ts';
import { DEMO_POSTCODES_TO_TRY, hexmapSize, isPoliticsDemo } from '../politics/index.ts';
import { hearMoreWordingFor } from './sign-petition.ts';
import type { PublicDeps } from './public/public-deps.ts';
import { SignPage } from './public/sign-form.tsx';
import { RenderCache } from './render-cache.ts';
import { mastodonHost, mastodonShareUrl } from './share-links.ts';
import { registerSignRoutes } from './sign-routes.tsx';
import { PUBLISHED_STATES, isSignable } from './states.ts';

/** Public petition pages, signing, confirmation, JSON and the embeddable counter. */
const confirmForm = z.object({ token: z.string({ message: 'The confirmation link is incomplete: open the whole link from the email' }).max(200) });

export function registerPetitionPublicRoutes(app: FastifyInstance, ctx: AppContext) {
  const deps: PublicDeps = {
    ctx,
    petitions: new PetitionCache(ctx.db),
    pages: new RenderCache(1000),
    hexGrid: new HexGridCache(),
  };
  registerListRoute(app, deps);
  registerPetitionPageRoutes(app, deps);
  registerSignRoutes(app, deps);
  registerJsonRoutes(app, deps);
  registerEmbedRoutes(app, deps);
  registerPlaceRoutes(app, deps);
}

const listQuery = z.object({
  state: z.enum(['open', 'closed']).catch('open'),
  sort: z.enum(petitionSorts).catch('popular'),
  q: z
    .string()
    .catch('')
    // eslint-disable-next-line no-control-regex
    .transform((v) => v.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 200)),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

function registerListRoute(app: FastifyInstance, deps: PublicDeps) {
  app.get('/petitions', async (request, reply) => {
    const query = parseRequest(listQuery, request.query);
    const tab: ListTab = query.state;
    const sort: PetitionSort = tab === 'closed' && query.sort === 'closing' ? 'popular' : query.sort;
    const href = (change: { tab?: ListTab; sort?: PetitionSort; page?: number }) => {
      const params = new URLSearchParams();
      const t = change.tab ?? tab;
      if (t !== 'open') params.set('state', t);
      const s = change.sort ?? sort;
      if (s !== 'popular' && !(t === 'closed' && s === 'closing')) params.set('sort', s);
      if (query.q && change.tab === undefined) params.set('q', query.q);
      const n = change.page ?? query.page;
      if (n > 1) params.set('page', String(n));
      const qs = params.toString();
      return qs ? `/petitions?${qs}` : '/petitions';
    };
    const key = `list|${tab}|${sort}|${query.page}|${query.q}`;
    return sendPublicPage(deps, request, reply, key, async () => {
      const page = await listPetitions(deps.ctx.db, {
        states: tab === 'open' ? ['open'] : PUBLISHED_STATES.filter((s) => s !== 'open'),
        sort,
        search: query.q,
        page: query.page,
        perPage: 20,
      });
      return <PetitionListPage page={page} tab={tab} sort={sort} search={query.q} href={href} />;
    });
  });
}

const constituencyCode = /^[A-Z]\d{8}$/;

function registerPetitionPageRoutes(app: FastifyInstance, deps: PublicDeps) {
  const { ctx } = deps;
  const ownHost = new URL(ctx.config.BASE_URL).host;

  /**
   * Where this visitor came from, for the sign form's hidden fields: a page with campaign tags is
   * cached under its address as usual (shared caches key on it too); one that names the referring
   * site is kept from shared caches, which do not key on it.
   */
  const arrivalFor = (request: FastifyRequest) => {
    const arrival = arrivalOf(request.query, request.headers.referer, [ownHost, request.headers.host]);
    const key = arrivalKey(arrival);
    return { arrival, key: key ? `|${key}` : '', cacheControl: arrival.referrer ? PRIVATE_PAGE_CACHE : PUBLIC_PAGE_CACHE };
  };

  // The page a spike lands on: its public answer is replayed before the router for half a second,
  // per address (a shared link's campaign tags reach its sign form).
  app.get<{ Params: { ref: string } }>('/petitions/:ref', { onSend: keepFor(app, 500, { byQuery: true }) }, async (request, reply) => {
    const ref = parsePetitionRef(request.params.ref);
    if (ref?.json) return sendPetitionJson(deps, request, reply);
    const petition = await visiblePetition(deps, request.params.ref);
    if (ref?.slug !== petition.slug) {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      return reply.redirect(`${petition.path}${query}`, 301);
    }
    const { arrival, key, cacheControl } = arrivalFor(request);
    return sendPublicPage(deps, request, reply, `page|${petition.id}${key}`, async () => {
      const [fresh, { top, places }, grid, demo] = await Promise.all([freshPetition(deps, petition.id), topConstituencies(ctx.db, petition.id, 10), deps.hexGrid.get(ctx.db), isPoliticsDemo(ctx.db)]);
      const where = { top, places, map: hexmapSize(grid) };
      const image = fresh.imageId ? await imageFacts(ctx.db, fresh.imageId) : undefined;
      return (
        <PetitionPage petition={fresh} where={where} baseUrl={ctx.config.BASE_URL} hearMoreWording={hearMoreWordingFor(ctx, fresh)} image={image} arrival={arrival} demoPostcodes={demo ? DEMO_POSTCODES_TO_TRY : undefined} />
      );
    }, cacheControl);
  });

  app.get<{ Params: { ref: string } }>('/petitions/:ref/sign', async (request, reply) => {
    const petition = await visiblePetition(deps, request.params.ref);
    if (!isSignable(petition)) return reply.redirect(petition.path, 303);
    const { arrival, key, cacheControl } = arrivalFor(request);
    return sendPublicPage(deps, request, reply, `sign|${petition.id}${key}`, async () => {
      const demo = await isPoliticsDemo(ctx.db);
      return <SignPage petition={petition} hearMoreWording={hearMoreWordingFor(ctx, petition)} arrival={arrival} demoPostcodes={demo ? DEMO_POSTCODES_TO_TRY : undefined} />;
    }, cacheControl);
  });

  app.get<{ Params: { ref: string }; Querystring: { outcome?: string; in?: string } }>('/petitions/:ref/thank-you', async (request, reply) => {
    const petition = await visiblePetition(deps, request.params.ref);
    const outcome = thankYouOutcomes.find((o) => o === request.query.outcome) ?? 'signed';
    const code = constituencyCode.test(String(request.query.in ?? '')) ? String(request.query.in) : undefined;
    return sendPublicPage(deps, request, reply, `thanks|${petition.id}|${outcome}|${code ?? ''}`, async () => {
      const tally = code ? await constituencyTally(ctx.db, petition.id, code) : undefined;
      return <ThankYouPage petition={await freshPetition(deps, petition.id)} outcome={outcome} tally={tally} baseUrl={ctx.config.BASE_URL} />;
    });
  });

  app.get<{ Params: { ref: string }; Querystring: { in?: string } }>('/petitions/:ref/confirmed', async (request, reply) => {
    const petition = await visiblePetition(deps, request.params.ref);
    const code = constituencyCode.test(String(request.query.in ?? '')) ? String(request.query.in) : undefined;
    return sendPublicPage(deps, request, reply, `confirmed|${petition.id}|${code ?? ''}`, async () => {
      const tally = code ? await constituencyTally(ctx.db, petition.id, code) : undefined;
      return <ConfirmedPage petition={await freshPetition(deps, petition.id)} tally={tally} baseUrl={ctx.config.BASE_URL} />;
    });
  });

  // The link in the confirmation email shows a button: mail scanners that open links (Safe Links,
  // corporate gateways) must not confirm on their own. It carries a token, so nothing is cached or referred on.
  app.get<{ Params: { publicId: string }; Querystring: { token?: unknown } }>('/signatures/:publicId/confirm', async (request, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const token = typeof request.query.token === 'string' ? request.query.token : '';
    checkConfirmationLink(ctx.secret, request.params.publicId, token);
    return reply.render(<ConfirmSignaturePage publicId={request.params.publicId} token={token} />);
  });

  // Protected by the token itself and by the Origin check: the signer may have no cookie here.
  app.post<{ Params: { publicId: string }; Body: { token?: unknown } }>('/signatures/:publicId/confirm', { config: { csrf: 'origin' } }, async (request, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const { token } = parseRequest(confirmForm, request.body ?? {});
    const confirmation = await confirmSignature(ctx.db, ctx.secret, request.params.publicId, token);
    const petition = await deps.petitions.get(confirmation.petitionId);
    if (!petition) throw new DomainError('not_found', 'We could not find that petition.');
    const query = confirmation.constituencyCode ? `?in=${encodeURIComponent(confirmation.constituencyCode)}` : '';
    return reply.redirect(`${petition.path}/confirmed${query}`, 303);
  });

  app.get<{ Params: { ref: string }; Querystring: { instance?: unknown } }>('/petitions/:ref/share/mastodon', async (request, reply) => {
    const petition = await visiblePetition(deps, request.params.ref);
    const typed = request.query.instance;
    if (typed === undefined) {
      return sendPublicPage(deps, request, reply, `mastodon|${petition.id}`, async () => <MastodonSharePage petition={petition} />);
    }
    const host = typeof typed === 'string' ? mastodonHost(typed) : undefined;
    if (!host) {
      const message = 'Enter your Mastodon server’s address, like mastodon.social';
      reply.header('cache-control', PRIVATE_PAGE_CACHE);
      return reply.render(
        <MastodonSharePage petition={petition} values={{ instance: typeof typed === 'string' ? typed : '' }} errors={{ instance: message }} />,
        422,
      );
    }
    return reply.redirect(mastodonShareUrl(host, ctx.config.BASE_URL, petition), 303);
  });
}
