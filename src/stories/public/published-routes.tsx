import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { gone, isNotModified, notFound, pageCount, parseParams, problemsFromZod, renderShareCard, shareCardEtag, wantsJson, type PageSection, type ShareCard, type ShareCardInput } from '../../platform/index.ts';
import { storiesKeyRing } from '../story-keys.ts';
import type { AppContext } from '../tables.ts';
import { findPublishedStory, listPublishedStories, publishedPlaces, publishedQuery, type PublishedStory } from './published-stories.ts';
import { storiesRss } from './published-rss.ts';
import { ConstituencyStories, LatestStories, PublishedListPage, PublishedStoryPage } from './published-views.tsx';
import { activeKeyRing } from '../story-keys.ts';

const PER_PAGE = 10;
const refParams = z.object({ ref: z.string().max(300) });
// Revalidated on every use, so a withdrawal or a lapse takes a story off caches at once.
const publicFresh = { 'cache-control': 'public, no-cache' };

/**
 * Drawn cards by ETag (the ETag changes with the card's content), so a popular story is drawn
 * once. Only the drawing is kept: whether the story may be shown is asked on every request.
 */
const cards = new Map<string, ShareCard>();
const CARDS_KEPT = 100;
function remember(etag: string, card: ShareCard) {
  cards.delete(etag);
  cards.set(etag, card);
  if (cards.size > CARDS_KEPT) cards.delete(cards.keys().next().value!);
}

/** "12-eleven-hours" → 12 (the slug is decoration: the id finds the story). */
const idOfRef = (ref: string): number | undefined => {
  const m = /^(\d{1,9})(?:-[a-z0-9-]*)?$/.exec(ref);
  return m ? Number(m[1]) : undefined;
};

const storyJson = (s: PublishedStory, baseUrl: string) => ({
  id: s.id,
  url: `${baseUrl}${s.path}`,
  title: s.title,
  text: s.text,
  byline: s.byline,
  service: s.serviceCode,
  topic: s.topicCode,
  constituency: s.constituencyCode ? { code: s.constituencyCode, name: s.constituencyName } : null,
  region: s.regionCode,
  published_at: s.publishedAt.toISOString(),
  card: `${baseUrl}/stories/${s.id}/card.png`,
});

/** The published stories: /stories (filters, pages), its JSON and RSS, each story's page and share card. */
export function registerPublishedRoutes(app: FastifyInstance, ctx: AppContext) {
  const baseUrl = ctx.config.BASE_URL.replace(/\/+$/, '');
  const ring = () => storiesKeyRing(ctx.config);

  const cardInput = async (s: PublishedStory): Promise<ShareCardInput> => {
    const brand = await ctx.brand.get();
    return { title: s.title, kicker: ['Story', s.constituencyName ?? s.service].filter(Boolean).join(' · '), footer: brand.name, brand: { primaryColour: brand.primaryColour, primaryTextColour: brand.primaryTextColour, accentColour: brand.accentColour } };
  };

  app.get('/stories', async (request, reply) => {
    const parsed = publishedQuery.safeParse(request.query ?? {});
    const places = await publishedPlaces(ctx.db);
    if (!parsed.success) {
      const errors = Object.fromEntries(problemsFromZod(parsed.error).map((p) => [p.field, p.message]));
      return reply.headers(publicFresh).render(<PublishedListPage stories={[]} total={0} filter={{}} page={1} totalPages={1} constituencies={places.constituencies} regions={places.regions} errors={errors} />, 400);
    }
    const { page, ...filter } = parsed.data;
    const { stories, total } = await listPublishedStories(ctx.db, ring(), filter, page, PER_PAGE);
    return reply.headers(publicFresh).render(<PublishedListPage stories={stories} total={total} filter={filter} page={page} totalPages={pageCount(total, PER_PAGE)} constituencies={places.constituencies} regions={places.regions} />);
  });

  app.get('/stories.json', async (request, reply) => {
    const parsed = publishedQuery.safeParse(request.query ?? {});
    if (!parsed.success) return reply.code(400).headers(publicFresh).send({ error: 'invalid', problems: problemsFromZod(parsed.error) });
    const { page, ...filter } = parsed.data;
    const { stories, total } = await listPublishedStories(ctx.db, ring(), filter, page, PER_PAGE);
    return reply.headers(publicFresh).send({ total, page, per_page: PER_PAGE, stories: stories.map((s) => storyJson(s, baseUrl)) });
  });

  app.get('/stories.rss', async (_request, reply) => {
    const { stories } = await listPublishedStories(ctx.db, ring(), {}, 1, 50);
    const brand = await ctx.brand.get();
    const body = storiesRss({
      title: `NHS stories – ${brand.name}`,
      link: `${baseUrl}/stories`,
      self: `${baseUrl}/stories.rss`,
      description: 'Stories of NHS care told by patients and staff, published with their consent.',
      items: stories.map((s) => ({ title: s.title, link: `${baseUrl}${s.path}`, published: s.publishedAt, description: s.text, categories: [s.service, s.topic] })),
    });
    return reply.headers(publicFresh).type('application/rss+xml; charset=utf-8').send(body);
  });

  const storyOf = async (ref: string) => {
    const id = idOfRef(ref);
    const found = id === undefined ? undefined : await findPublishedStory(ctx.db, ring(), id);
    if (found === 'gone') throw gone('This story is no longer published: its teller withdrew it, their consent ended, or it is held.');
    if (!found) throw notFound('We could not find that story.');
    return found;
  };

  app.get('/stories/:ref', async (request, reply: FastifyReply) => {
    const ref = parseParams(refParams, request.params, 'story').ref;
    const json = ref.endsWith('.json');
    const story = await storyOf(json ? ref.slice(0, -5) : ref);
    if (json || wantsJson(request)) return reply.headers(publicFresh).send(storyJson(story, baseUrl));
    if (ref !== story.path.slice('/stories/'.length)) return reply.redirect(story.path, 301);
    const input = await cardInput(story);
    return reply.headers(publicFresh).render(<PublishedStoryPage story={story} cardUrl={`/stories/${story.id}/card.png`} cardEtag={shareCardEtag(input)} />);
  });

  app.get('/stories/:ref/card.png', async (request, reply) => {
    const ref = parseParams(refParams, request.params, 'story').ref;
    const story = await storyOf(/^\d{1,9}$/.test(ref) ? ref : '-');
    const input = await cardInput(story);
    const etag = shareCardEtag(input);
    reply.headers({ ...publicFresh, etag });
    if (isNotModified(request.headers, etag, undefined)) return reply.code(304).send();
    const card = cards.get(etag) ?? (await renderShareCard(input));
    remember(etag, card);
    return reply.type(card.type).send(card.png);
  });
}

/** Published stories on each constituency page (installed through the manifest's page sections). */
export const storySections: PageSection[] = [
  {
    order: 40,
    home: async (page) => {
      const { stories, total } = await listPublishedStories(page.db, activeKeyRing(), {}, 1, 3);
      return stories.length === 0 ? null : <LatestStories stories={stories} total={total} />;
    },
    constituency: async (page, constituency) => {
      const { stories, total } = await listPublishedStories(page.db, activeKeyRing(), { constituency: constituency.code }, 1, 3);
      return stories.length === 0 ? null : <ConstituencyStories stories={stories} code={constituency.code} total={total} />;
    },
  },
];
