import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Handle as Q, PlatformDb as Db } from './db/view.ts';
import { invalidField, notFound } from './http/errors.ts';
import type { UploadedFile } from './http/server.ts';
import { parseParams } from './web/forms.ts';

/** Images are checked by their first bytes, not by the name or type the browser claims. */
function sniffImageType(data: Buffer): string | undefined {
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 12 && data.toString('ascii', 0, 4) === 'RIFF' && data.toString('ascii', 8, 12) === 'WEBP') return 'image/webp';
  if (data.length >= 6 && (data.toString('ascii', 0, 6) === 'GIF87a' || data.toString('ascii', 0, 6) === 'GIF89a')) return 'image/gif';
  return undefined;
}

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** Stores an uploaded image in PostgreSQL (the only stateful part) and returns its id. */
export async function storeImage(q: Q, field: string, file: UploadedFile): Promise<string> {
  const type = sniffImageType(file.data);
  if (!type) throw invalidField(field, 'The image must be a PNG, JPEG, WebP or GIF file');
  if (file.data.length > MAX_IMAGE_BYTES) throw invalidField(field, 'The image must be 5 MB or smaller');
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
