import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

interface HotResponse {
  until: number;
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/**
 * Finished public responses that the HTTP server answers before the router, for the hottest
 * read-only URLs (a petition's count, polled by every open page during a spike). A route opts in
 * with `keep` from an onSend hook; its response, headers and all, is then replayed as it was for
 * a short moment. Anything not kept, or kept too long ago, goes through the app as usual, so
 * every miss, error and variant still meets every hook.
 */
export class HotResponses {
  private entries = new Map<string, HotResponse>();
  /** How many requests were answered here (for tests and diagnostics). */
  served = 0;

  /** `ownHost`: the site's public host (BASE_URL's), so links between its own pages are told from links from other sites. */
  constructor(private readonly ownHost?: string, private readonly maxEntries = 10_000) {}

  /** Answers the request from a fresh entry; false when the app must answer it. */
  serve(request: IncomingMessage, response: ServerResponse): boolean {
    // A request with cookies may be a signed-in organiser's, who sees more than the public does.
    if (request.method !== 'GET' || !request.url || request.headers.cookie !== undefined) return false;
    // A route keeps its answers under the whole address or under the path alone, never both. Whole
    // addresses are for pages that note where a visitor came from: not for one sent by another site.
    let key = keyOf(request.url, request.headers['accept-encoding'], true);
    let entry = this.fromAnotherSite(request) ? undefined : this.entries.get(key);
    if (!entry) entry = this.entries.get((key = keyOf(request.url, request.headers['accept-encoding'])));
    if (!entry) return false;
    if (Date.now() >= entry.until) {
      this.entries.delete(key);
      return false;
    }
    const lastModified = entry.headers['last-modified'];
    if (isNotModified(request.headers, entry.headers.etag as string | undefined, lastModified ? new Date(String(lastModified)) : undefined)) {
      // The poller's copy is current: the same headers, without the body's own.
      const { 'content-length': _length, 'content-encoding': _encoding, 'content-type': _type, ...headers } = entry.headers;
      response.writeHead(304, headers);
      response.end();
    } else {
      response.writeHead(entry.status, entry.headers);
      response.end(entry.body);
    }
    this.served++;
    return true;
  }

  /**
   * Keeps this reply (from an onSend hook) for `forMs`: only plain 200 answers to GET are kept.
   * `byQuery`: for this address with its query, not for every query of its path, and only for
   * visitors not sent by another site (the page may note where they came from: query and referrer).
   */
  keep(request: FastifyRequest, reply: FastifyReply, payload: unknown, forMs: number, byQuery = false): void {
    if (request.method !== 'GET' || reply.statusCode !== 200 || request.headers.cookie !== undefined) return;
    if (byQuery && this.fromAnotherSite(request.raw)) return;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return;
    // One answer for every public client: nothing private, nothing setting cookies, nothing that
    // varies by request headers other than the encoding (which is part of the key).
    const replied = reply.getHeaders();
    if (replied['set-cookie'] !== undefined || /private|no-store/.test(String(replied['cache-control'] ?? ''))) return;
    if (replied.vary !== undefined && String(replied.vary).toLowerCase() !== 'accept-encoding') return;
    // Rendered bodies are shared and never changed afterwards: kept as they are, not copied.
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(replied)) {
      if (value !== undefined) headers[name] = typeof value === 'number' ? String(value) : value;
    }
    headers['content-length'] = String(body.length);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(keyOf(request.url, request.headers['accept-encoding'], byQuery), { until: Date.now() + forMs, status: 200, headers, body });
  }

  /** The Referer names another site (not this one, by BASE_URL's host or the request's own Host). */
  private fromAnotherSite(request: IncomingMessage): boolean {
    const referer = request.headers.referer;
    if (!referer) return false;
    try {
      const host = new URL(referer).host;
      return host !== this.ownHost && host !== request.headers.host;
    } catch {
      return true;
    }
  }
}

/**
 * A conditional GET the client's copy already answers: If-None-Match names the ETag (or any),
 * or, without If-None-Match, If-Modified-Since is at or after Last-Modified (RFC 9110 13.2.2).
 */
export function isNotModified(headers: IncomingMessage['headers'], etag: string | undefined, lastModified: Date | undefined): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch) {
    if (!etag) return false;
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
  }
  const since = headers['if-modified-since'];
  const sinceMs = since ? Date.parse(since) : NaN;
  return lastModified !== undefined && !Number.isNaN(lastModified.getTime()) && !Number.isNaN(sinceMs) && lastModified.getTime() <= sinceMs;
}

/** The compression this client gets: br, then gzip, else none (sendRendered chooses the same way). */
export function preferredEncoding(acceptEncoding: string | string[] | undefined): 'br' | 'gzip' | undefined {
  const accepted = String(acceptEncoding ?? '');
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return undefined;
}

/**
 * Kept answers are for a path and an encoding: the query is ignored (routes that keep answers do
 * not read it), unless the route keeps them `byQuery` (its page shows something of the query).
 */
function keyOf(url: string, acceptEncoding: string | string[] | undefined, byQuery = false): string {
  const encoding = preferredEncoding(acceptEncoding) ?? 'identity';
  // Apart from path keys, so a page kept for its bare address is not replayed for every query.
  if (byQuery) return `${encoding} whole ${url}`;
  const query = url.indexOf('?');
  return `${encoding} path ${query < 0 ? url : url.slice(0, query)}`;
}

/** A route's onSend hook that keeps its answers for `ms` (see HotResponses), `byQuery` when its page shows where the visitor came from. */
export function keepFor(app: FastifyInstance, ms: number, options: { byQuery?: boolean } = {}) {
  return (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
    app.hotResponses.keep(request, reply, payload, ms, options.byQuery);
    done(null, payload);
  };
}
