import { z } from 'zod';
import { findGroupBySlug } from '../coalition/index.ts';
import { pageFrom, queryText, type FieldErrors, type FormValues } from '../platform/index.ts';
import { lookupPostcode, regionNames } from '../politics/index.ts';
import { DEFAULT_NEAR_MILES, NEAR_MILES, type EventFilters, type NearMiles } from './find-events.ts';
import { isEventType } from './states.ts';
import type { Q } from './tables.ts';

export const SEARCH_MAX = 200;

/** Every part of /events?... is optional; anything but one string reads as absent, so no query string is a 500. */
const findQuerySchema = z
  .object({
    q: queryText(),
    postcode: queryText(),
    within: queryText(),
    type: queryText(),
    group: queryText(),
    region: queryText(),
    mode: queryText(),
    free: queryText(),
  })
  .catch({});

export interface FindRequest {
  filters: EventFilters;
  /** What the form shows again, as typed (unknown choices dropped). */
  values: FormValues;
  errors: FieldErrors;
  /** The postcode searched near, in its standard form. */
  nearPostcode: string | undefined;
  page: number;
  /** Whether any filter, search or postcode was given (the page says how many matched). */
  narrowed: boolean;
}

/**
 * The calendar's query string as filters. Unknown choices (a type, group or region that does not
 * exist) are ignored; a search that is too long or a postcode that cannot be found is named on
 * its field, with everything typed kept.
 */
export async function readFindQuery(q: Q, query: unknown): Promise<FindRequest> {
  const raw = findQuerySchema.parse(query ?? {});
  const values: FormValues = {};
  const errors: FieldErrors = {};
  const filters: EventFilters = {};
  // eslint-disable-next-line no-control-regex
  const clean = (v: string | undefined) => (v ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

  const text = clean(raw.q);
  if (text) {
    values.q = text;
    if (text.length > SEARCH_MAX) errors.q = `Search must be ${SEARCH_MAX} characters or fewer`;
    else filters.text = text;
  }
  if (raw.type && isEventType(raw.type)) filters.type = values.type = raw.type;
  if (raw.mode === 'online' || raw.mode === 'in_person') filters.mode = values.mode = raw.mode;
  if (raw.free) {
    filters.free = true;
    values.free = 'yes';
  }
  const groupSlug = clean(raw.group);
  if (groupSlug && groupSlug.length <= 200 && /^[a-z0-9-]+$/.test(groupSlug)) {
    const group = await findGroupBySlug(q, groupSlug);
    if (group) {
      filters.groupId = group.id;
      values.group = group.slug;
    }
  }
  const region = clean(raw.region);
  if (region && region.length <= 20 && (await regionNames(q)).has(region)) filters.regionCode = values.region = region;

  const within = NEAR_MILES.find((m) => String(m) === raw.within) ?? DEFAULT_NEAR_MILES;
  values.within = String(within);
  const postcode = clean(raw.postcode);
  let nearPostcode: string | undefined;
  if (postcode) {
    values.postcode = postcode;
    const place = postcode.length > 16 ? undefined : await lookupPostcode(q, postcode);
    if (!place) errors.postcode = 'Enter a UK postcode, like BS1 4DJ';
    else if (place.status !== 'found') errors.postcode = place.message;
    else if (place.latitude === null || place.longitude === null) errors.postcode = `We do not know where ${place.postcode} is on the map. Try a nearby postcode.`;
    else {
      nearPostcode = place.postcode;
      filters.near = { latitude: place.latitude, longitude: place.longitude, miles: within as NearMiles };
    }
  }
  const narrowed = Boolean(text || postcode || filters.type || filters.mode || filters.free || filters.groupId !== undefined || filters.regionCode);
  return { filters, values, errors, nearPostcode, page: pageFrom(query), narrowed };
}

/** The query string for these form values (and a page), for pagination and links. */
export function findQueryString(values: FormValues, page = 1): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'postcode', 'within', 'type', 'group', 'region', 'mode', 'free']) {
    const v = values[key];
    if (v && !(key === 'within' && !values.postcode)) params.set(key, v);
  }
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Where a supporter came from a near-me search: `?from=BS1 4DJ` on an event's page. */
export async function distanceOrigin(q: Q, query: unknown): Promise<{ postcode: string; latitude: number; longitude: number } | undefined> {
  const from = (query as { from?: unknown } | undefined)?.from;
  if (typeof from !== 'string' || from.length > 16) return undefined;
  const place = await lookupPostcode(q, from);
  if (place.status !== 'found' || place.latitude === null || place.longitude === null) return undefined;
  return { postcode: place.postcode, latitude: place.latitude, longitude: place.longitude };
}
