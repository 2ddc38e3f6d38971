import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isNotModified, preferredEncoding } from '../platform/index.ts';

/** A finished response body, with its compressed forms made on first demand. */
export interface Rendered {
  status: number;
  contentType: string;
  body: Buffer;
  headers?: Record<string, string>;
  /** Whole seconds (as HTTP dates are), for If-Modified-Since. */
  lastModified?: Date;
  br?: Buffer;
  gzip?: Buffer;
}

export function rendered(
  body: string,
  contentType: string,
  options: { status?: number; headers?: Record<string, string>; etag?: boolean; lastModified?: Date } = {},
): Rendered {
  const bytes = Buffer.from(body);
  let headers = options.etag ? { ...options.headers, etag: etagOf(bytes) } : options.headers;
  if (!options.lastModified) return { status: options.status ?? 200, contentType, body: bytes, headers };
  const lastModified = new Date(Math.floor(options.lastModified.getTime() / 1000) * 1000);
  headers = { ...headers, 'last-modified': lastModified.toUTCString() };
  return { status: options.status ?? 200, contentType, body: bytes, headers, lastModified };
}

/** Weak: the same body is sent plain or compressed, so the bytes on the wire differ while the content does not. */
function etagOf(body: Buffer): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * Rendered public responses kept for about a second per key, in this process only. A flood of
 * anonymous readers of one petition then costs one render (and one compression) a second;
 * every process stays within a second of the database, so nothing here needs to be shared.
 */
export class RenderCache {
  private entries = new Map<string, { at: number; value: Promise<Rendered> }>();

  constructor(private readonly maxAgeMs = 1000, private readonly maxEntries = 5000) {}

  get(key: string, produce: () => Promise<Rendered>): Promise<Rendered> {
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && now - entry.at < this.maxAgeMs) return entry.value;
    const value = produce();
    this.entries.set(key, { at: now, value });
    value.catch(() => this.entries.delete(key));
    if (this.entries.size > this.maxEntries) this.entries.clear();
    return value;
  }
}

const COMPRESS_MIN_BYTES = 1024;

/** Sends a rendered response (304 when the client holds it already, by ETag or Last-Modified), compressed as the client accepts (br, then gzip), compressing once per entry. */
export function sendRendered(request: FastifyRequest, reply: FastifyReply, r: Rendered): FastifyReply {
  for (const [name, value] of Object.entries(r.headers ?? {})) reply.header(name, value);
  const compressible = r.body.length >= COMPRESS_MIN_BYTES;
  if (compressible) reply.header('vary', 'accept-encoding');
  if (r.status === 200 && isNotModified(request.headers, r.headers?.etag, r.lastModified)) return reply.code(304).send();
  reply.code(r.status).type(r.contentType);
  if (!compressible) return reply.send(r.body);
  const encoding = preferredEncoding(request.headers['accept-encoding']);
  if (encoding === 'br') {
    r.br ??= brotliCompressSync(r.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: r.body.length } });
    return reply.header('content-encoding', 'br').send(r.br);
  }
  if (encoding === 'gzip') {
    r.gzip ??= gzipSync(r.body, { level: 6 });
    return reply.header('content-encoding', 'gzip').send(r.gzip);
  }
  return reply.send(r.body);
}
