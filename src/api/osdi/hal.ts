import type { FastifyReply } from 'fastify';
import { DomainError, pageCount } from '../../platform/index.ts';

/** HAL+JSON as OSDI servers (Action Network among them) serve it. */
export const HAL_JSON = 'application/hal+json; charset=utf-8';

/** The most records a collection page holds, and the default page size (as Action Network). */
export const MAX_PAGE_SIZE = 25;

export interface Link {
  href: string;
  title?: string;
  templated?: boolean;
}

export type Links = Record<string, Link | Link[] | Array<{ name: string; href: string; templated: boolean }>>;

/** Every OSDI resource: its identifiers, dates and links. */
export interface Resource {
  identifiers: string[];
  created_date: string;
  modified_date: string;
  _links: Links;
  [field: string]: unknown;
}

export function identifier(id: string | number): string {
  return `chorus:${id}`;
}

/** The `osdi:` link relations point at the human documentation: <base>/docs/v1/{rel}. */
export function curies(baseUrl: string) {
  return [{ name: 'osdi', href: `${baseUrl}/docs/v1/{rel}`, templated: true }];
}

export function sendHal(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply.code(status).type(HAL_JSON).header('cache-control', 'no-store').send(JSON.stringify(body));
}

export interface PageRequest {
  page: number;
  perPage: number;
}

function wholeNumber(raw: unknown, name: string, max: number, message: string): number | undefined {
  if (raw === undefined) return undefined;
  const text = typeof raw === 'string' ? raw.trim() : '';
  const value = /^[0-9]{1,9}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new DomainError('bad_request', message, { problems: [{ field: name, message }] });
  }
  return value;
}

/** page (from 1) and per_page (1 to 25; more is capped at 25, as Action Network does). */
export function pageRequest(query: Record<string, unknown>): PageRequest {
  const page = wholeNumber(query.page, 'page', 100_000_000, 'page must be a whole number of 1 or more') ?? 1;
  const perPage = wholeNumber(query.per_page, 'per_page', 999_999_999, `per_page must be a whole number of 1 or more (pages hold at most ${MAX_PAGE_SIZE})`);
  return { page, perPage: Math.min(perPage ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE) };
}

/** A collection's URL for another page, keeping the client's filter. */
function pageHref(url: string, query: Record<string, unknown>, page: number, perPage: number): string {
  const params = new URLSearchParams();
  if (typeof query.filter === 'string') params.set('filter', query.filter);
  params.set('page', String(page));
  params.set('per_page', String(perPage));
  return `${url}?${params.toString()}`;
}

export interface CollectionProps {
  baseUrl: string;
  /** The collection's URL, e.g. <base>/api/v1/people. */
  url: string;
  query: Record<string, unknown>;
  /** 'osdi:people', 'osdi:tags'... */
  rel: string;
  items: Resource[];
  total: number;
  page: PageRequest;
  /** Extra links (a tag's taggings link back to the tag). */
  links?: Links;
}

/** One page of a collection: counts, page links, the items' links and the items themselves. */
export function collection(props: CollectionProps) {
  const { page, perPage } = props.page;
  const totalPages = pageCount(props.total, perPage);
  const links: Links = { self: { href: pageHref(props.url, props.query, page, perPage) } };
  if (page < totalPages) links.next = { href: pageHref(props.url, props.query, page + 1, perPage) };
  if (page > 1) {
    // OSDI names it `prev`; Action Network serves (and its clients follow) `previous`.
    links.prev = { href: pageHref(props.url, props.query, Math.min(page - 1, totalPages), perPage) };
    links.previous = links.prev;
  }
  links[props.rel] = props.items.map((item) => ({ href: (item._links.self as Link).href }));
  Object.assign(links, props.links ?? {});
  links.curies = curies(props.baseUrl);
  return {
    total_pages: totalPages,
    per_page: perPage,
    page,
    total_records: props.total,
    _links: links,
    _embedded: { [props.rel]: props.items },
  };
}

/** A single resource, with the curies so its `osdi:` links resolve. */
export function single(baseUrl: string, resource: Resource) {
  return { ...resource, _links: { ...resource._links, curies: curies(baseUrl) } };
}

export function isoDate(date: Date): string {
  return date.toISOString();
}
