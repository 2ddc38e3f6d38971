import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { constituencyNames, regionNames } from '../../politics/index.ts';
import { keepFor, notFound, pageCount, parseParams, problemsFromZod, rss } from '../../platform/index.ts';
import { formatSimpleText } from '../../supporters/index.ts';
import { linkSearchQuery, searchLinks } from '../search-links.ts';
import { findLink, linkFacets } from '../store.ts';
import type { AppContext } from '../tables.ts';
import { LinkListPage, LinkPage, linkPath } from './link-views.tsx';

export const LINKS_PER_PAGE = 20;
/** Public answers are replayed for this long (per address, query included) before the router. */
const KEPT_MS = 5_000;
const fresh = { 'cache-control': 'public, max-age=60' };
const idParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });

/** The public news links: /links (search, filters, pages), one page per link, and /links.rss. */
export function registerLinkPublicRoutes(app: FastifyInstance, ctx: AppContext) {
  const baseUrl = ctx.config.BASE_URL.replace(/\/+$/, '');
  const kept = { onSend: keepFor(app, KEPT_MS, { byQuery: true }) };

  const choices = async () => {
    const [facets, regions] = await Promise.all([linkFacets(ctx.db), regionNames(ctx.db)]);
    return { ...facets, regions: [...regions].map(([value, label]) => ({ value, label })) };
  };

  app.get('/links', kept, async (request, reply) => {
    const parsed = linkSearchQuery.safeParse(request.query ?? {});
    if (!parsed.success) {
      const errors = Object.fromEntries(problemsFromZod(parsed.error).map((p) => [p.field, p.message]));
      return reply.headers(fresh).render(<LinkListPage result={{ links: [], total: 0, capped: false, sort: 'newest' }} search={{}} page={1} totalPages={1} {...await choices()} errors={errors} />, 400);
    }
    const { page, ...search } = parsed.data;
    const [result, more] = await Promise.all([searchLinks(ctx.db, search, page, LINKS_PER_PAGE), choices()]);
    return reply.headers(fresh).render(<LinkListPage result={result} search={search} page={page} totalPages={pageCount(result.total, LINKS_PER_PAGE)} {...more} />);
  });

  app.get('/links.rss', kept, async (_request, reply) => {
    const { links } = await searchLinks(ctx.db, {}, 1, 50);
    const brand = await ctx.brand.get();
    const body = rss({
      title: `News links – ${brand.name}`,
      link: `${baseUrl}/links`,
      self: `${baseUrl}/links.rss`,
      description: 'Links to important new information on other websites.',
      items: links.map((l) => ({
        title: l.source ? `${l.title} (${l.source})` : l.title,
        link: l.url,
        guid: `${baseUrl}${linkPath(l)}`,
        published: l.publishedOn ? new Date(`${l.publishedOn}T12:00:00Z`) : l.createdAt,
        description: formatSimpleText(l.summary).text,
        categories: l.tags,
      })),
    });
    return reply.headers(fresh).type('application/rss+xml; charset=utf-8').send(body);
  });

  app.get('/links/:id', kept, async (request, reply) => {
    const { id } = parseParams(idParams, request.params, 'link');
    const link = await findLink(ctx.db, id);
    if (!link) throw notFound('link');
    const [regions, constituencies] = await Promise.all([regionNames(ctx.db), constituencyNames(ctx.db, link.constituencyCodes)]);
    return reply.headers(fresh).render(
      <LinkPage link={link} regions={link.regionCodes.map((r) => regions.get(r) ?? r)} constituencies={link.constituencyCodes.map((c) => constituencies.get(c)?.name ?? c)} />,
    );
  });
}
