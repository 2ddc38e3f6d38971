/**
 * Which events a feed carries, from its address: `?type=rally`, `?region=north-west` (a region's
 * name as a slug, or its GSS code) and `?group=<slug>` (also `/groups/<slug>/events.ics`), in any
 * combination. Each value is checked: an unknown one is a 400 naming the parameter, never an empty
 * feed that looks right, and never a 500.
 */
import { findGroupBySlug, slugify } from '../../coalition/index.ts';
import { DomainError } from '../../platform/index.ts';
import { regionNames } from '../../politics/index.ts';
import { eventTypes, isEventType } from '../states.ts';
import type { EventType, Q } from '../tables.ts';

export interface FeedFilter {
  type?: EventType;
  region?: { code: string; name: string; slug: string };
  group?: { id: number; name: string; slug: string };
}

const refuse = (field: string, message: string) => new DomainError('bad_request', `${field}: ${message}`, { problems: [{ field, message }] });

/** One value of a query parameter: absent, or a single short string (a repeated parameter is refused). */
function single(query: Record<string, unknown>, field: string): string | undefined {
  const value = query[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw refuse(field, `Give one ${field} (the feed takes a single ${field} value)`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

const typeList = Object.keys(eventTypes).join(', ');

/** The filter a feed's query string (and, for a group's feed, its path) asks for. */
export async function feedFilterOf(q: Q, query: unknown, groupSlug?: string): Promise<FeedFilter> {
  const params = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const filter: FeedFilter = {};
  const type = single(params, 'type')?.toLowerCase().replace(/-/g, '_');
  if (type !== undefined) {
    if (!isEventType(type)) throw refuse('type', `Choose a type of event: ${typeList}`);
    filter.type = type;
  }
  const region = single(params, 'region');
  if (region !== undefined) {
    const regions = await regionNames(q);
    const wanted = region.length <= 100 ? slugify(region) : '';
    const found = [...regions].find(([code, name]) => code.toUpperCase() === region.toUpperCase() || slugify(name) === wanted);
    if (!found) throw refuse('region', `Choose a region: ${[...regions.values()].map(slugify).join(', ') || 'none is known yet'}`);
    filter.region = { code: found[0], name: found[1], slug: slugify(found[1]) };
  }
  const group = groupSlug ?? single(params, 'group');
  if (group !== undefined) {
    const found = /^[a-z0-9-]{1,200}$/.test(group) ? await findGroupBySlug(q, group) : undefined;
    if (!found) {
      if (groupSlug !== undefined) throw new DomainError('not_found', 'We could not find that group.');
      throw refuse('group', 'Choose a member group by its short name, as in its page’s address /groups/<name>');
    }
    filter.group = { id: found.id, name: found.name, slug: found.slug };
  }
  return filter;
}

/** The filter as query parameters, in one order: the key of a feed's cached text, and its links. */
export function filterParams(filter: FeedFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.type) params.set('type', filter.type);
  if (filter.region) params.set('region', filter.region.slug);
  if (filter.group) params.set('group', filter.group.slug);
  return params;
}

/** Words for the filter, for a feed's title: "Rally events in London from Northtown Save Our NHS". */
export function filterWords(filter: FeedFilter): string {
  return [filter.type ? eventTypes[filter.type] : '', filter.region ? `in ${filter.region.name}` : '', filter.group ? `from ${filter.group.name}` : ''].filter(Boolean).join(' ');
}
