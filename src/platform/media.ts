import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Handle as Q, PlatformDb as Db } from './db/view.ts';
import { invalidField, notFound } from './http/errors.ts';
import type { UploadedFile } from './http/server.ts';
import { parseParams } from './web/forms.ts';

/** Images are checked by their first bytes, not by the name or type the browser claims. */
export function sniffImageType(data: Buffer): string | undefined {
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 12 && data.toString('ascii', 0, 4) === 'RIFF' && data.toString('ascii', 8, 12) === 'WEBP') return 'image/webp';
  if (data.length >= 6 && (data.toString('ascii', 0, 6) === 'GIF87a' || data.toString('ascii', 0, 6) === 'GIF89a')) return 'image/gif';
  return undefined;
}

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** An image's size in pixels, read from its header; undefined when the header cannot be read. */
export function imageSize(data: Buffer): { width: number; height: number } | undefined {
  const type = sniffImageType(data);
  if (type === 'image/png') {
    if (data.length < 24 || data.toString('ascii', 12, 16) !== 'IHDR') return undefined;
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (type === 'image/gif') return data.length >= 10 ? { width: data.readUInt16LE(6), height: data.readUInt16LE(8) } : undefined;
  if (type === 'image/webp') {
    const chunk = data.length >= 16 ? data.toString('ascii', 12, 16) : '';
    if (chunk === 'VP8 ' && data.length >= 30) return { width: data.readUInt16LE(26) & 0x3fff, height: data.readUInt16LE(28) & 0x3fff };
    if (chunk === 'VP8L' && data.length >= 25) {
      const [b0, b1, b2, b3] = [data[21]!, data[22]!, data[23]!, data[24]!];
      return { width: 1 + (b0 | ((b1 & 0x3f) << 8)), height: 1 + ((b1 >> 6) | (b2 << 2) | ((b3 & 0x0f) << 10)) };
    }
    if (chunk === 'VP8X' && data.length >= 30) return { width: 1 + data.readUIntLE(24, 3), height: 1 + data.readUIntLE(27, 3) };
    return undefined;
  }
  if (type === 'image/jpeg') {
    // Walk the segments to the first start-of-frame marker (C0-CF except C4, C8 and CC).
    let at = 2;
    while (at + 9 < data.length) {
      if (data[at] !== 0xff) return undefined;
      const marker = data[at + 1]!;
      if (marker === 0xff) {
        at++;
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: data.readUInt16BE(at + 7), height: data.readUInt16BE(at + 5) };
      }
      at += 2 + data.readUInt16BE(at + 2);
    }
  }
  return undefined;
}

/** The smallest image that shows well when a link is shared (Facebook's and others' minimum for a large card). */
export const SHARE_IMAGE_MIN = { width: 600, height: 315 } as const;

/**
 * Stores an uploaded image in PostgreSQL (the only stateful part) and returns its id. With
 * `atLeast`, an image smaller than that (or whose size cannot be read) is refused, naming the field.
 */
export async function storeImage(q: Q, field: string, file: UploadedFile, atLeast?: { width: number; height: number }): Promise<string> {
  const type = sniffImageType(file.data);
  if (!type) throw invalidField(field, 'The image must be a PNG, JPEG, WebP or GIF file');
  if (file.data.length > MAX_IMAGE_BYTES) throw invalidField(field, 'The image must be 5 MB or smaller');
  if (atLeast) {
    const size = imageSize(file.data);
    if (!size) throw invalidField(field, 'The image could not be read: save it again as a PNG or JPEG and upload that');
    if (size.width < atLeast.width || size.height < atLeast.height) {
      throw invalidField(
        field,
        `The image must be at least ${atLeast.width} × ${atLeast.height} pixels so it shows when the page is shared (this one is ${size.width} × ${size.height})`,
      );
    }
  }
  const row = await q
    .insertInto('media')
    .values({
      content_type: type,
      bytes: file.data,
      sha256: createHash('sha256').update(file.data).digest('hex'),
      byte_size: file.data.length,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ImageFacts {
  type: string;
  width: number;
  height: number;
}

// Stored images never change (a new upload is a new id), so what they are is kept once read.
const factsOf = new Map<string, ImageFacts | null>();
/** Enough of an image's start for its size: JPEG headers can carry a large thumbnail first. */
const HEAD_BYTES = 256 * 1024;

/** A stored image's type and size in pixels (for og:image:type/width/height); undefined when unknown. */
export async function imageFacts(q: Q, id: string): Promise<ImageFacts | undefined> {
  const known = factsOf.get(id);
  if (known !== undefined) return known ?? undefined;
  const row = await q
    .selectFrom('media')
    .select(['content_type', sql<Buffer>`substring(bytes from 1 for ${HEAD_BYTES})`.as('head')])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const size = imageSize(row.head);
  const facts = size ? { type: row.content_type, ...size } : null;
  if (factsOf.size >= 10_000) factsOf.clear();
  factsOf.set(id, facts);
  return facts ?? undefined;
}

/** Reads an optional uploaded file from a multipart body field. */
export function uploadedFile(body: unknown, field: string): UploadedFile | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  if (value && typeof value === 'object' && Buffer.isBuffer((value as UploadedFile).data)) return value as UploadedFile;
  return undefined;
}

const mediaParams = z.object({ id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { message: 'Enter an image id' }) });

export function registerMediaRoutes(app: FastifyInstance, db: Db) {
  app.get('/media/:id', async (request, reply) => {
    const { id } = parseParams(mediaParams, request.params, 'image');
    const row = await db.selectFrom('media').select(['content_type', 'bytes', 'sha256']).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('image');
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', `"${row.sha256.slice(0, 16)}"`)
      .type(row.content_type)
      .send(row.bytes);
  });
}
