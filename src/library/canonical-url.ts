/**
 * The duplicate key of a link: two addresses that name the same article give the same key. The
 * scheme and host are lower case (URL does this), a default port and the fragment are dropped,
 * tracking parameters (utm_*, and the common click ids) are taken out, the rest keep their order,
 * and http and https count as one (`https://` is kept). A path's case is kept: servers may mind it.
 */
const TRACKING = /^(utm_.*|fbclid|gclid|dclid|mc_cid|mc_eid|ocid|cmpid|at_medium|at_campaign)$/i;

/** A web address (http or https only) from what an organiser typed, or null. */
export function parseWebAddress(text: string): URL | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 2000) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname.includes('.') && !url.hostname.startsWith('[')) return null;
  if (url.username || url.password) return null;
  return url;
}

export function canonicalUrl(address: string | URL): string {
  const url = typeof address === 'string' ? new URL(address) : new URL(address.href);
  url.hash = '';
  url.protocol = 'https:';
  if (url.port === '443' || url.port === '80') url.port = '';
  url.hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  const kept = [...url.searchParams.entries()].filter(([name]) => !TRACKING.test(name));
  url.search = kept.length === 0 ? '' : `?${new URLSearchParams(kept).toString()}`;
  if (url.pathname !== '/' && url.pathname.endsWith('/')) url.pathname = url.pathname.replace(/\/+$/, '');
  return url.href;
}
