import { DomainError, preparePhoto, uploadLimits, uploadedFile, type FieldErrors, type KeyRing } from '../platform/index.ts';
import { bytesPurposeOf } from './sealed-columns.ts';
import type { Q } from './tables.ts';

/** Up to 3 photos, one field each, so a refusal names the very photo. */
export const PHOTO_FIELDS = ['photo_1', 'photo_2', 'photo_3'] as const;
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** The whole form with its photos: 3 photos at their largest and the text fields. */
export const STORY_FORM_MAX_BYTES = PHOTO_FIELDS.length * PHOTO_MAX_BYTES + 512 * 1024;
/** The story routes' multipart limits: an oversize photo is named beside its field, not a 413 page. */
export const storyUploadLimits = uploadLimits({ fileBytes: PHOTO_MAX_BYTES, files: PHOTO_FIELDS.length });

export interface StoryPhoto {
  position: number;
  photo: { data: Buffer; width: number; height: number };
  thumbnail: { data: Buffer; width: number; height: number };
}

export type StoryPhotos = { photos: StoryPhoto[]; errors: FieldErrors; sent: number };

/**
 * The photos chosen on the form, each made safe by the platform (upright, at most 1600 pixels,
 * re-encoded from its pixels so no metadata such as GPS survives, with a thumbnail). A photo that
 * cannot be used is named by its field; a browser cannot keep a chosen file, so each message says
 * to choose it again.
 */
export async function prepareStoryPhotos(body: unknown): Promise<StoryPhotos> {
  const photos: StoryPhoto[] = [];
  const errors = Object.create(null) as FieldErrors;
  let sent = 0;
  for (const [index, field] of PHOTO_FIELDS.entries()) {
    const file = uploadedFile(body, field);
    if (!file) continue;
    sent++;
    const position = index + 1;
    if (file.tooLarge) {
      errors[field] = `Photo ${position} must be ${PHOTO_MAX_BYTES / (1024 * 1024)} MB or smaller: choose a smaller one`;
      continue;
    }
    try {
      const prepared = await preparePhoto(file.data, { field });
      photos.push({ position, photo: prepared.photo, thumbnail: prepared.thumbnail });
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'invalid') throw error;
      const message = error.problems[0]?.message ?? error.message;
      const named = message.replace(/^The photo/, `Photo ${position}`);
      errors[field] = /again/.test(named) ? named : `${named}. Choose it again`;
    }
  }
  return { photos, errors, sent };
}

/** Keeps a story's prepared photos, sealed (in the teller's transaction). */
export async function storeStoryPhotos(q: Q, ring: KeyRing, storyId: number, photos: readonly StoryPhoto[]): Promise<void> {
  if (photos.length === 0) return;
  await q
    .insertInto('story_photos')
    .values(
      photos.map((p) => ({
        story_id: storyId,
        position: p.position,
        photo_sealed: ring.sealBytes(p.photo.data, bytesPurposeOf('story_photos', 'photo_sealed')),
        thumbnail_sealed: ring.sealBytes(p.thumbnail.data, bytesPurposeOf('story_photos', 'thumbnail_sealed')),
        width: p.photo.width,
        height: p.photo.height,
        thumbnail_width: p.thumbnail.width,
        thumbnail_height: p.thumbnail.height,
      })),
    )
    .execute();
}

/** A story's photos, without their bytes (for the story's page). */
export function storyPhotoList(q: Q, storyId: number) {
  return q.selectFrom('story_photos').select(['position', 'width', 'height', 'thumbnail_width', 'thumbnail_height']).where('story_id', '=', storyId).orderBy('position').execute();
}

/** One photo (or its thumbnail) opened, for someone allowed to see the story; undefined when there is none. */
export async function openStoryPhoto(q: Q, ring: KeyRing, storyId: number, position: number, size: 'photo' | 'thumbnail'): Promise<Buffer | undefined> {
  const column = size === 'photo' ? 'photo_sealed' : 'thumbnail_sealed';
  const row = await q.selectFrom('story_photos').select(column).where('story_id', '=', storyId).where('position', '=', position).executeTakeFirst();
  if (!row) return undefined;
  return ring.openBytes((row as Record<typeof column, Buffer>)[column], bytesPurposeOf('story_photos', column));
}

/** A story's photos opened, as data: addresses a person can open (subject access, the story's export). */
export async function storyPhotosOpened(q: Q, ring: KeyRing, storyId: number) {
  const rows = await q.selectFrom('story_photos').select(['position', 'photo_sealed', 'width', 'height', 'created_at']).where('story_id', '=', storyId).orderBy('position').execute();
  return rows.map((r) => ({
    position: r.position,
    width: r.width,
    height: r.height,
    sent: r.created_at,
    photo: `data:image/jpeg;base64,${ring.openBytes(r.photo_sealed, bytesPurposeOf('story_photos', 'photo_sealed')).toString('base64')}`,
  }));
}
