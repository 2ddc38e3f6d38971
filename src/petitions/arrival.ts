import { z } from 'zod';

/**
 * Where a signer came from: the campaign tags in the petition page's address (the share buttons
 * add `utm_source`) and the other site that linked to the page. The page carries them to the sign
 * form in hidden fields, so they reach the stored signature without JavaScript.
 */
export interface Arrival {
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  referrer?: string;
}

export const ARRIVAL_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'referrer'] as const;
const TAG_MAX = 200;
const REFERRER_MAX = 1000;

// eslint-disable-next-line no-control-regex
const clean = (value: string, max: number) => value.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, max);

/** An http(s) address, or nothing. */
function webAddress(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString().slice(0, REFERRER_MAX) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The arrival of a visitor to a page: the address's utm_* tags, and the Referer when it is another
 * site (a link between our own pages says nothing about where they came from). `ownHosts`: the
 * site's public host (BASE_URL) and the host the request was sent to.
 */
export function arrivalOf(query: unknown, referer: string | undefined, ownHosts: ReadonlyArray<string | undefined>): Arrival {
  const params = (query ?? {}) as Record<string, unknown>;
  const arrival: Arrival = {};
  for (const name of ['utm_source', 'utm_medium', 'utm_campaign'] as const) {
    const raw = params[name];
    const value = typeof raw === 'string' ? clean(raw, TAG_MAX) : '';
    if (value) arrival[name] = value;
  }
  const from = referer ? webAddress(referer) : undefined;
  if (from && !ownHosts.includes(new URL(from).host)) arrival.referrer = from;
  return arrival;
}

/** A cache key part that tells arrivals apart ('' when there is none). */
export function arrivalKey(arrival: Arrival): string {
  return ARRIVAL_FIELDS.some((f) => arrival[f]) ? JSON.stringify(ARRIVAL_FIELDS.map((f) => arrival[f] ?? '')) : '';
}

/** Hidden fields filled in by our own pages: anything odd in them is dropped, not shown as an error. */
const hiddenTag = z
  .string()
  .max(TAG_MAX * 4)
  .optional()
  .catch(undefined)
  .transform((v) => (v ? clean(v, TAG_MAX) || null : null));
const hiddenAddress = z
  .string()
  .max(REFERRER_MAX * 4)
  .optional()
  .catch(undefined)
  .transform((v) => (v ? (webAddress(v.trim()) ?? null) : null));

/** The sign form's hidden arrival fields, as stored. */
export const arrivalFields = {
  utm_source: hiddenTag,
  utm_medium: hiddenTag,
  utm_campaign: hiddenTag,
  referrer: hiddenAddress,
};

/** What a signature stores of where its signer came from. */
export interface StoredArrival {
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  referrer: string | null;
}
