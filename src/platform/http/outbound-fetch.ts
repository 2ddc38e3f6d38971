import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/**
 * The one way Chorus makes a request to an address someone typed in (a webhook receiver, later a
 * link preview or a feed): it refuses any host that resolves to an address that is not public
 * (loopback, private, link-local and cloud metadata, carrier-grade NAT, multicast, unspecified,
 * reserved, and those same addresses dressed as IPv6), so an organiser cannot use the hub to reach
 * its own network. The host is resolved once, when the request is made, every address is checked,
 * and the connection is made to the checked addresses only (a DNS answer that changes in between
 * cannot move it). Redirects are followed by hand, each hop checked again. Hosts on
 * OUTBOUND_ALLOW_HOSTS (for a self-hoster's own internal receiver) skip the address check.
 */

/** Why an address is not public, or null for a public one. */
export type AddressRefusal =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'invalid';

function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^(0|[1-9][0-9]{0,2})$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

/** The 16-bit groups of an IPv6 address (zone id dropped, an IPv4 tail allowed), or null. */
function parseIPv6(text: string): number[] | null {
  let s = text.replace(/%.*$/, '');
  let tail: number[] = [];
  const v4 = /^(.*:)([0-9.]+)$/.exec(s);
  if (v4 && v4[2]!.includes('.')) {
    const bytes = parseIPv4(v4[2]!);
    if (!bytes) return null;
    tail = [(bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!];
    s = v4[1]!.endsWith('::') ? v4[1]! : v4[1]!.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const group = (g: string) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN);
  const head = halves[0] === '' ? [] : halves[0]!.split(':').map(group);
  const rest = halves.length === 2 ? (halves[1] === '' ? [] : halves[1]!.split(':').map(group)) : [];
  const given = head.length + rest.length + tail.length;
  if ([...head, ...rest].some((g) => Number.isNaN(g))) return null;
  if (halves.length === 1 && given !== 8) return null;
  if (halves.length === 2 && given > 7) return null;
  return [...head, ...Array<number>(8 - given).fill(0), ...rest, ...tail];
}

function classifyIPv4(b: number[]): AddressRefusal | null {
  const [a, c] = [b[0]!, b[1]!];
  if (a === 0) return b.every((x) => x === 0) ? 'unspecified' : 'reserved'; // 0.0.0.0/8 "this network"
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && c >= 16 && c <= 31) || (a === 192 && c === 168)) return 'private';
  if (a === 169 && c === 254) return 'link-local'; // includes 169.254.169.254, cloud metadata
  if (a === 100 && c >= 64 && c <= 127) return 'shared'; // carrier-grade NAT, 100.64.0.0/10
  if (a === 192 && c === 0 && b[2] === 0) return 'reserved'; // IETF protocol assignments
  if ((a === 192 && c === 0 && b[2] === 2) || (a === 198 && c === 51 && b[2] === 100) || (a === 203 && c === 0 && b[2] === 113)) return 'documentation';
  if (a === 192 && c === 88 && b[2] === 99) return 'reserved'; // 6to4 relay anycast
  if (a === 198 && (c === 18 || c === 19)) return 'reserved'; // benchmarking
  if (a >= 224 && a <= 239) return 'multicast';
  if (b.every((x) => x === 255)) return 'broadcast';
  if (a >= 240) return 'reserved';
  return null;
}

function embeddedIPv4(g: number[], from: number): number[] {
  return [g[from]! >> 8, g[from]! & 0xff, g[from + 1]! >> 8, g[from + 1]! & 0xff];
}

function classifyIPv6(g: number[]): AddressRefusal | null {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d): what the IPv4 address is.
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyIPv4(embeddedIPv4(g, 6));
  if (zeroUpTo(6)) return classifyIPv4(embeddedIPv4(g, 6)) ?? 'reserved';
  // NAT64 (64:ff9b::/96) reaches the IPv4 address it carries; the local-use prefix is not public.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyIPv4(embeddedIPv4(g, 6));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private';
  if (g[0]! >= 0xff00) return 'multicast';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private'; // old site-local
  if ((g[0]! & 0xe000) !== 0x2000) return 'reserved'; // outside global unicast 2000::/3
  if (g[0] === 0x2002) return classifyIPv4(embeddedIPv4(g, 1)); // 6to4 carries an IPv4 address
  if (g[0] === 0x2001 && g[1] === 0) return 'reserved'; // Teredo: the IPv4 address inside is hidden
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'documentation';
  if (g[0] === 0x3fff && g[1]! <= 0x0fff) return 'documentation';
  if (g[0] === 0x2001 && (g[1]! & 0xfff0) === 0x10) return 'reserved'; // ORCHID
  return null;
}

/** Why `address` (an IPv4 or IPv6 literal) is not a public address, or null if it is one. */
export function addressRefusal(address: string): AddressRefusal | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const v4 = parseIPv4(bare);
  if (v4) return classifyIPv4(v4);
  const v6 = bare.includes(':') ? parseIPv6(bare) : null;
  if (v6) return classifyIPv6(v6);
  return 'invalid';
}

export const isPublicAddress = (address: string): boolean => addressRefusal(address) === null;

/** What the delivery log and the like may show for a refusal: nothing about what is there. */
export const REFUSED_MESSAGE = 'refused: not a public address';

export class OutboundRefusedError extends Error {
  constructor() {
    super(REFUSED_MESSAGE);
    this.name = 'OutboundRefusedError';
  }
}

/**
 * OUTBOUND_ALLOW_HOSTS entries: `host` (any port) or `host:port` (`[::1]:8080` for IPv6), lower
 * case. Returns the problem with the first bad entry, or the entries.
 */
export function parseAllowHosts(value: string): { hosts: string[] } | { problem: string } {
  const hosts: string[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::([0-9]{1,5}))?$/.exec(entry);
    if (!match || (match[2] !== undefined && (Number(match[2]) < 1 || Number(match[2]) > 65535))) return { problem: `"${entry}" is not a host name or host:port` };
    hosts.push(entry);
  }
  return { hosts };
}

const defaultPort = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');

/** Whether `url`'s host (or host and port) is on the allow-list. */
export function hostAllowed(url: URL, allowHosts: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  return allowHosts.includes(host) || allowHosts.includes(`${host}:${defaultPort(url)}`);
}

/**
 * For checking an address as it is entered: whether its host is one that can never be public (a
 * refused literal address, or `localhost`), unless it is allowed. Names are checked when used.
 */
export function refusedAtEntry(url: URL, allowHosts: readonly string[]): boolean {
  if (hostAllowed(url, allowHosts)) return false;
  const host = url.hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  return isIP(bare) !== 0 && !isPublicAddress(bare);
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });
}

/** Every address the host resolves to, each checked unless the host is allowed. */
async function checkedAddresses(url: URL, allowHosts: readonly string[]): Promise<LookupAddress[]> {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const family = isIP(host);
  const allowed = hostAllowed(url, allowHosts);
  // A name with no address at all is answered as one with no public address: otherwise "not
  // found" against "refused" would tell an organiser which internal names exist.
  const addresses = family !== 0 ? [{ address: host, family }] : await resolveAll(host).catch((error: unknown) => {
    if (allowed) throw error;
    throw new OutboundRefusedError();
  });
  if (addresses.length === 0) throw new OutboundRefusedError();
  if (!allowed && addresses.some((a) => !isPublicAddress(a.address))) throw new OutboundRefusedError();
  return addresses;
}

/** A lookup that answers only with the addresses already checked: the connection is pinned to them. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = typeof options === 'object' && options !== null ? options.family : undefined;
    const fitting = addresses.filter((a) => !family || family === 0 || a.family === family || (family as unknown) === `IPv${a.family}`);
    const chosen = fitting.length > 0 ? fitting : addresses;
    if (typeof options === 'object' && options !== null && options.all) (callback as (e: null, a: LookupAddress[]) => void)(null, chosen);
    else callback(null, chosen[0]!.address, chosen[0]!.family);
  };
}

export interface OutboundRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** OUTBOUND_ALLOW_HOSTS: hosts whose addresses are not checked. */
  allowHosts: readonly string[];
  /** For the whole exchange, redirects included. */
  timeoutMs?: number;
  /** Most bytes of the answer's body read; the rest is dropped. 0: the body is not read. */
  maxBytes?: number;
  /** An answer whose Content-Length is over `maxBytes` is not read at all (marked truncated), for callers that refuse a cut body. */
  skipLargerBodies?: boolean;
  /** Redirects followed (each checked like the first address). */
  maxRedirects?: number;
}

export interface OutboundResponse {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  /** The body, up to `maxBytes`. */
  body: Buffer;
  /** Whether the body was cut at `maxBytes` (or, with `skipLargerBodies`, not read at all). */
  truncated: boolean;
  /** The address that answered, after redirects. */
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function requestOnce(url: URL, addresses: LookupAddress[], options: OutboundRequest, signal: AbortSignal): Promise<OutboundResponse> {
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? https.request : http.request;
    const request = send(
      url,
      {
        method: options.method ?? 'GET',
        headers: { ...options.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        lookup: pinnedLookup(addresses),
        agent: false,
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const finish = () =>
          resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers, body: Buffer.concat(chunks), truncated, url: url.href });
        if (maxBytes === 0) {
          response.destroy();
          return finish();
        }
        if (options.skipLargerBodies && Number(response.headers['content-length'] ?? 0) > maxBytes) {
          truncated = true;
          response.destroy();
          return finish();
        }
        response.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = maxBytes - size;
          if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room));
            truncated = true;
            response.destroy();
            finish();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          if (!truncated) finish();
        });
        response.on('error', (error) => {
          if (!truncated) reject(error);
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Makes a request to an untrusted address (see the top of this file). Throws
 * OutboundRefusedError for a host (or a redirect to one) that is not public, a TimeoutError after
 * `timeoutMs`, or the connection's error. Redirects of GET and HEAD are followed; for other
 * methods only 307 and 308 (which keep the method and body), others are returned as they are.
 */
export async function outboundFetch(address: string, options: OutboundRequest): Promise<OutboundResponse> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const maxRedirects = options.maxRedirects ?? 5;
  let url = new URL(address);
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefusedError();
    if (url.username || url.password) throw new OutboundRefusedError();
    const addresses = await checkedAddresses(url, options.allowHosts);
    signal.throwIfAborted();
    const method = (options.method ?? 'GET').toUpperCase();
    const response = await requestOnce(url, addresses, options, signal).catch((error: unknown) => {
      throw signal.aborted ? signal.reason : error;
    });
    const location = response.headers.location;
    const follows = REDIRECTS.has(response.status) && location !== undefined && (method === 'GET' || method === 'HEAD' || response.status === 307 || response.status === 308);
    if (!follows || hop >= maxRedirects) return response;
    url = new URL(location, url);
  }
}
