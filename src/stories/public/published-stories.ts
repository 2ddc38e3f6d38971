import { sql } from 'kysely';
import { z } from 'zod';
import { constituencyNames, regionNames } from '../../politics/index.ts';
import type { Handle, KeyRing } from '../../platform/index.ts';
import { openedPublication, slugOf } from '../moderation/published-version.ts';
import { SERVICES, TOPICS, labelOf, publishedStory } from '../moderation/states.ts';
import type { PublishedService, PublishedTopic } from '../moderation/tables.ts';
import { storiesQ, type Q } from '../tables.ts';

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The public list's filters, from the query string (a bad one is a 400 naming it). */
export const publishedQuery = z.object({
  constituency: optional(z.string({ message: 'Constituency must be a constituency code' }).regex(/^[EWSN]\d{8}$/i, { message: 'Constituency must be a constituency code' }).transform((v) => v.toUpperCase())),
  region: optional(z.string({ message: 'Region must be a region code' }).regex(/^[A-Z]\d{8}$/i, { message: 'Region must be a region code' }).transform((v) => v.toUpperCase())),
  service: optional(z.enum(SERVICES.map((s) => s.value) as [PublishedService, ...PublishedService[]], { message: 'Choose a service from the list' })),
  topic: optional(z.enum(TOPICS.map((s) => s.value) as [PublishedTopic, ...PublishedTopic[]], { message: 'Choose a topic from the list' })),
  page: optional(z.coerce.number({ message: 'Page must be a whole number from 1' }).int({ message: 'Page must be a whole number from 1' }).min(1, { message: 'Page must be a whole number from 1' }).max(100_000, { message: 'Page must be 100000 or less' })).transform((v) => v ?? 1),
});
export type PublishedFilter = z.output<typeof publishedQuery>;

/** One published story as every public surface shows it (page, list, feed, card, JSON, constituency pages). */
export interface PublishedStory {
  id: number;
  path: string;
  title: string;
  text: string;
  byline: string;
  service: string;
  topic: string;
  serviceCode: PublishedService;
  topicCode: PublishedTopic;
  constituencyCode: string | null;
  constituencyName: string | null;
  regionCode: string | null;
  publishedAt: Date;
}

const base = (q: Q) =>
  q
    .selectFrom('stories')
    .innerJoin('story_publications', 'story_publications.story_id', 'stories.id')
    .where(publishedStory())
    .select(['stories.id', 'stories.identify_as', 'stories.name_sealed', 'stories.town_sealed', 'stories.constituency_code', 'stories.region_code', 'story_publications.title_sealed', 'story_publications.text_sealed', 'story_publications.redactions_sealed', 'story_publications.service', 'story_publications.topic', 'story_publications.first_published_at']);

type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

async function present(q: Q, ring: KeyRing, rows: Row[]): Promise<PublishedStory[]> {
  const names = await constituencyNames(q, rows.map((r) => r.constituency_code).filter((c): c is string => c !== null));
  return rows.map((r) => {
    const opened = openedPublication(ring, r, r);
    return {
      id: r.id,
      path: `/stories/${r.id}-${slugOf(opened.title)}`,
      title: opened.title,
      text: opened.text,
      byline: opened.byline,
      service: labelOf(SERVICES, r.service),
      topic: labelOf(TOPICS, r.topic),
      serviceCode: r.service!,
      topicCode: r.topic!,
      constituencyCode: r.constituency_code,
      constituencyName: r.constituency_code ? (names.get(r.constituency_code)?.name ?? null) : null,
      regionCode: r.region_code,
      publishedAt: r.first_published_at!,
    };
  });
}

/** A page of published stories, newest first, with the total for pagination. */
export async function listPublishedStories(handle: Handle, ring: KeyRing, filter: Omit<PublishedFilter, 'page'>, page: number, perPage: number) {
  const q = storiesQ(handle);
  let query = base(q);
  if (filter.constituency) query = query.where('stories.constituency_code', '=', filter.constituency);
  if (filter.region) query = query.where('stories.region_code', '=', filter.region);
  if (filter.service) query = query.where('story_publications.service', '=', filter.service);
  if (filter.topic) query = query.where('story_publications.topic', '=', filter.topic);
  const [rows, total] = await Promise.all([
    query.orderBy('story_publications.first_published_at', 'desc').orderBy('stories.id', 'desc').limit(perPage).offset((page - 1) * perPage).execute(),
    query.clearSelect().select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { stories: await present(q, ring, rows), total: Number(total.n) };
}

/**
 * One story for its public page: shown, or 'gone' (it was published, and its consent was withdrawn
 * or lapsed, or it is held), or undefined (never published).
 */
export async function findPublishedStory(handle: Handle, ring: KeyRing, id: number): Promise<PublishedStory | 'gone' | undefined> {
  const q = storiesQ(handle);
  const row = await base(q).where('stories.id', '=', id).executeTakeFirst();
  if (row) return (await present(q, ring, [row]))[0]!;
  const was = await q.selectFrom('story_publications').select('id').where('story_id', '=', id).where('first_published_at', 'is not', null).executeTakeFirst();
  return was ? 'gone' : undefined;
}

/** The places and regions that have published stories, for the list's filters. */
export async function publishedPlaces(handle: Handle) {
  const q = storiesQ(handle);
  const rows = await q
    .selectFrom('stories')
    .innerJoin('story_publications', 'story_publications.story_id', 'stories.id')
    .where(publishedStory())
    .select(['stories.constituency_code', 'stories.region_code'])
    .distinct()
    .execute();
  const codes = [...new Set(rows.map((r) => r.constituency_code).filter((c): c is string => c !== null))];
  const regionCodes = new Set(rows.map((r) => r.region_code).filter((c): c is string => c !== null));
  const [names, regions] = await Promise.all([constituencyNames(q, codes), regionNames(q)]);
  return {
    constituencies: codes.map((code) => ({ value: code, label: names.get(code)?.name ?? code })).sort((a, b) => a.label.localeCompare(b.label)),
    regions: [...regions].filter(([code]) => regionCodes.has(code)).map(([code, name]) => ({ value: code, label: name })).sort((a, b) => a.label.localeCompare(b.label)),
  };
}
