import { sql } from 'kysely';
import { libraryQ, type Q } from './tables.ts';
import type { Handle } from '../platform/index.ts';

/** What an organiser (or an import) gives for a link. */
export interface LinkInput {
  url: string;
  title: string;
  source: string;
  publishedOn: string | null;
  summary: string;
  tags: string[];
  constituencyCodes: string[];
  regionCodes: string[];
  groupId: number | null;
}

/** A link as every page shows it. */
export interface Link extends LinkInput {
  id: number;
  canonicalUrl: string;
  addedByName: string;
  createdAt: Date;
  updatedAt: Date;
}

const columns = ['id', 'url', 'canonical_url', 'title', 'source', sql<string | null>`to_char(published_on, 'YYYY-MM-DD')`.as('published_on'), 'summary', 'tags', 'constituency_codes', 'region_codes', 'group_id', 'added_by_name', 'created_at', 'updated_at'] as const;

type Row = { id: number; url: string; canonical_url: string; title: string; source: string; published_on: string | null; summary: string; tags: string[]; constituency_codes: string[]; region_codes: string[]; group_id: number | null; added_by_name: string; created_at: Date; updated_at: Date };

export const linkOf = (r: Row): Link => ({
  id: r.id,
  url: r.url,
  canonicalUrl: r.canonical_url,
  title: r.title,
  source: r.source,
  publishedOn: r.published_on,
  summary: r.summary,
  tags: r.tags,
  constituencyCodes: r.constituency_codes,
  regionCodes: r.region_codes,
  groupId: r.group_id,
  addedByName: r.added_by_name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function findLink(handle: Handle, id: number): Promise<Link | undefined> {
  const row = await libraryQ(handle).selectFrom('links').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? linkOf(row as Row) : undefined;
}

export async function findLinkByCanonicalUrl(handle: Handle, canonical: string): Promise<Link | undefined> {
  const row = await libraryQ(handle).selectFrom('links').select(columns).where('canonical_url', '=', canonical).executeTakeFirst();
  return row ? linkOf(row as Row) : undefined;
}

const valuesOf = (input: LinkInput, canonical: string) => ({
  url: input.url,
  canonical_url: canonical,
  title: input.title,
  source: input.source,
  published_on: input.publishedOn,
  summary: input.summary,
  tags: input.tags,
  constituency_codes: input.constituencyCodes,
  region_codes: input.regionCodes,
  group_id: input.groupId,
});

/** Inserts a link; undefined when its canonical address is already there (the unique index decides). */
export async function insertLink(q: Q, input: LinkInput, canonical: string, addedBy: { id: number | null; name: string }): Promise<number | undefined> {
  const row = await q
    .insertInto('links')
    .values({ ...valuesOf(input, canonical), added_by: addedBy.id, added_by_name: addedBy.name })
    .onConflict((oc) => oc.column('canonical_url').doNothing())
    .returning('id')
    .executeTakeFirst();
  forgetLinkFacets();
  return row?.id;
}

export async function updateLinkRow(q: Q, id: number, input: LinkInput, canonical: string): Promise<void> {
  await q.updateTable('links').set({ ...valuesOf(input, canonical), updated_at: new Date() }).where('id', '=', id).execute();
  forgetLinkFacets();
}

export async function deleteLinkRow(q: Q, id: number): Promise<void> {
  await q.deleteFrom('links').where('id', '=', id).execute();
  forgetLinkFacets();
}

/** A page of links for the organisers' list, newest added first, within the groups they may see. */
export async function listLinksForAdmin(handle: Handle, options: { groupIds: number[] | 'all'; page: number; perPage: number }) {
  const q = libraryQ(handle);
  let query = q.selectFrom('links');
  if (options.groupIds !== 'all') query = options.groupIds.length === 0 ? query.where(sql<boolean>`false`) : query.where('group_id', 'in', options.groupIds);
  const [rows, total] = await Promise.all([
    query.select(columns).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.perPage).offset((options.page - 1) * options.perPage).execute(),
    query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { links: (rows as Row[]).map(linkOf), total: total.n };
}

const FACETS_KEPT_MS = 60_000;
const kept = new WeakMap<object, { at: number; generation: number; value: Promise<{ tags: string[]; sources: string[] }> }>();
/** Bumped by every change of a link in this process, so its own changes show at once. */
let generation = 0;

/**
 * Tags and sources in use, for the public filters, most used first. Counting them reads every
 * link, so each process keeps the answer for a minute (a new tag shows in the list a minute
 * later; searching by it works at once).
 */
export function linkFacets(handle: Handle): Promise<{ tags: string[]; sources: string[] }> {
  const found = kept.get(handle);
  if (found && found.generation === generation && Date.now() - found.at <= FACETS_KEPT_MS) return found.value;
  const value = countFacets(handle);
  kept.set(handle, { at: Date.now(), generation, value });
  value.catch(() => kept.delete(handle));
  return value;
}

/** Forgets the kept tags and sources (after a change here). */
function forgetLinkFacets(): void {
  generation++;
}

async function countFacets(handle: Handle): Promise<{ tags: string[]; sources: string[] }> {
  const q = libraryQ(handle);
  const [tags, sources] = await Promise.all([
    sql<{ tag: string }>`select tag from links, unnest(tags) as tag group by tag order by count(*) desc, tag limit 60`.execute(q),
    sql<{ source: string }>`select min(source) as source from links where source <> '' group by lower(source) order by count(*) desc, 1 limit 60`.execute(q),
  ]);
  return { tags: tags.rows.map((r) => r.tag), sources: sources.rows.map((r) => r.source) };
}
