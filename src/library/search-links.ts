import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { libraryQ } from './tables.ts';
import type { Handle } from '../platform/index.ts';
import { dateOnly } from './page-metadata.ts';

/** ts_headline's markers: characters no stored text holds (saving strips them), split in the view. */
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';
/** Past this many matches the count says "more than"; counting them all costs more than it tells. */
export const COUNT_CAP = 1000;
/**
 * Most relevant first ranks the newest this-many matches: ranking every match of a common word
 * (tens of thousands of links) costs a read of each one's tsvector, every time. Words that match
 * fewer links are ranked over all of them.
 */
export const RELEVANCE_POOL = 2000;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === undefined ? undefined : Array.isArray(v) ? v[0] : v), schema.optional());
const date = (label: string) =>
  optional(
    z
      .string()
      .max(10, { message: `${label} must be a date (YYYY-MM-DD)` })
      .refine((v) => dateOnly(v) === v, { message: `${label} must be a date (YYYY-MM-DD)` }),
  );

// eslint-disable-next-line no-control-regex -- control characters (the highlighter's markers among them) read as spaces
const CONTROLS = /[\u0000-\u001f]/g;

/** /links's query string (a bad value is a 400 naming the field). */
export const linkSearchQuery = z.object({
  q: optional(z.string().max(200, { message: 'Search words must be 200 characters or fewer' }).transform((v) => v.replace(CONTROLS, ' ').trim())),
  tag: optional(z.string().max(60, { message: 'Tag must be 60 characters or fewer' })),
  source: optional(z.string().max(120, { message: 'Source must be 120 characters or fewer' })),
  from: date('From'),
  to: date('To'),
  region: optional(z.string().regex(/^[A-Z]\d{8}$/i, { message: 'Region must be a region code' }).transform((v) => v.toUpperCase())),
  sort: optional(z.enum(['relevance', 'newest'], { message: 'Sort must be relevance or newest' })),
  page: optional(z.coerce.number({ message: 'Page must be a whole number from 1' }).int({ message: 'Page must be a whole number from 1' }).min(1, { message: 'Page must be a whole number from 1' }).max(10_000, { message: 'Page must be 10000 or less' })).transform((v) => v ?? 1),
}).refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'From must be on or before To', path: ['to'] });
export type LinkSearch = z.output<typeof linkSearchQuery>;

export interface FoundLink {
  id: number;
  url: string;
  title: string;
  source: string;
  publishedOn: string | null;
  summary: string;
  tags: string[];
  regionCodes: string[];
  createdAt: Date;
  /** With MARK_START / MARK_END around the matched words (search only). */
  titleMarked: string | null;
  summaryMarked: string | null;
}

export interface LinkSearchResult {
  links: FoundLink[];
  /** Up to COUNT_CAP + 1 (more than COUNT_CAP: `capped`). */
  total: number;
  capped: boolean;
  sort: 'relevance' | 'newest';
}

/** The effective order: most relevant first when there are search words, unless asked for newest. */
export const sortOf = (s: Pick<LinkSearch, 'q' | 'sort'>) => (s.q && s.sort !== 'newest' ? 'relevance' : 'newest');

/**
 * Searches the links: websearch_to_tsquery (so "quoted phrases", `or` and `-word` work) over the
 * generated tsvector (title A, summary B, source C, English stemming) through its GIN index, the
 * filters beside it, most relevant (ts_rank, so a title match outranks a summary match, among the
 * newest RELEVANCE_POOL matches) or newest first, and ts_headline only for the page shown.
 */
export async function searchLinks(handle: Handle, search: Omit<LinkSearch, 'page'>, page: number, perPage: number): Promise<LinkSearchResult> {
  const q = libraryQ(handle);
  const words = search.q ?? '';
  const query = sql`websearch_to_tsquery('english', ${words})`;
  const where: RawBuilder<unknown>[] = [];
  if (words) where.push(sql`search @@ ${query}`);
  if (search.tag) where.push(sql`${search.tag} = any(tags)`);
  if (search.source) where.push(sql`lower(source) = lower(${search.source})`);
  if (search.from) where.push(sql`published_on >= ${search.from}::date`);
  if (search.to) where.push(sql`published_on <= ${search.to}::date`);
  if (search.region) where.push(sql`${search.region} = any(region_codes)`);
  const whereSql = where.length === 0 ? sql`true` : sql.join(where, sql` and `);
  const sort = sortOf(search);
  const order = sort === 'relevance' ? sql`ts_rank(search, ${query}) desc, published_on desc nulls last, id desc` : sql`published_on desc nulls last, id desc`;
  const options = `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`;
  const summaryOptions = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=45, MinWords=20, MaxFragments=2, FragmentDelimiter=" … "`;
  const marks = words
    ? sql`ts_headline('english', l.title, ${query}, ${options}) as title_marked, ts_headline('english', l.summary, ${query}, ${summaryOptions}) as summary_marked`
    : sql`null::text as title_marked, null::text as summary_marked`;
  const [rows, count] = await Promise.all([
    sql<{ id: number; url: string; title: string; source: string; published_on: string | null; summary: string; tags: string[]; region_codes: string[]; created_at: Date; title_marked: string | null; summary_marked: string | null }>`
      select l.id, l.url, l.title, l.source, to_char(l.published_on, 'YYYY-MM-DD') as published_on, l.summary, l.tags, l.region_codes, l.created_at, ${marks}
      from (${
        sort === 'relevance'
          ? sql`select id from (select id, search, published_on from links where ${whereSql} order by published_on desc nulls last, id desc limit ${RELEVANCE_POOL}) as pool order by ${order} limit ${perPage} offset ${(page - 1) * perPage}`
          : sql`select id from links where ${whereSql} order by ${order} limit ${perPage} offset ${(page - 1) * perPage}`
      }) as hit
      join links l on l.id = hit.id
      order by ${sort === 'relevance' ? sql`ts_rank(l.search, ${query}) desc, l.published_on desc nulls last, l.id desc` : sql`l.published_on desc nulls last, l.id desc`}`.execute(q),
    sql<{ n: number }>`select count(*)::int as n from (select 1 from links where ${whereSql} limit ${COUNT_CAP + 1}) as capped`.execute(q),
  ]);
  const total = count.rows[0]?.n ?? 0;
  return {
    links: rows.rows.map((r) => ({ id: r.id, url: r.url, title: r.title, source: r.source, publishedOn: r.published_on, summary: r.summary, tags: r.tags, regionCodes: r.region_codes, createdAt: r.created_at, titleMarked: r.title_marked, summaryMarked: r.summary_marked })),
    total,
    capped: total > COUNT_CAP,
    sort,
  };
}
