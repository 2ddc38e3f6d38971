import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { preferredEncoding } from '../platform/index.ts';

/** A finished response body, with its compressed forms made on first demand. */
export interface Rendered {
  status: number;
  contentType: string;
  body: Buffer;
  headers?: Record<string, string>;
  br?: Buffer;
  gzip?: Buffer;
}

export function rendered(body: string, contentType: string, options: { status?: number; headers?: Record<string, string> } = {}): Rendered {
  return { status: options.status ?? 200, contentType, body: Buffer.from(body), headers: options.headers };
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

/** Sends a rendered response, compressed as the client accepts (br, then gzip), compressing once per entry. */
export function sendRendered(request: FastifyRequest, reply: FastifyReply, r: Rendered): FastifyReply {
  reply.code(r.status).type(r.contentType);
  for (const [name, value] of Object.entries(r.headers ?? {})) reply.header(name, value);
  if (r.body.length < COMPRESS_MIN_BYTES) return reply.send(r.body);
  reply.header('vary', 'accept-encoding');
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
