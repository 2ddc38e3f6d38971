import { invalidField } from '../http/errors.ts';
import { imageSize, sniffImageType } from '../media.ts';
import { decodeImage, encodeJpegImage, resizeImage } from './codecs.ts';
import { applyOrientation, exifOrientation, type Pixels } from './orientation.ts';

export interface PreparePhotoOptions {
  /** The form field the photo came from, named in every refusal. Default `photo`. */
  field?: string;
  /** The longest side of the prepared photo in pixels. Default 1600. */
  maxSide?: number;
  /** The longest side of the thumbnail in pixels. Default 400. */
  thumbnailSide?: number;
  /** JPEG quality, 1-100. Default 82. */
  quality?: number;
}

export interface PreparedImage {
  data: Buffer;
  type: 'image/jpeg';
  width: number;
  height: number;
}

export interface PreparedPhoto {
  photo: PreparedImage;
  thumbnail: PreparedImage;
  /** What the upload was (sniffed from its bytes). */
  sourceType: 'image/jpeg' | 'image/png' | 'image/webp';
}

/** Decoding costs memory in proportion to pixels (4 bytes each): 40 megapixels is 160 MB. */
export const MAX_PHOTO_PIXELS = 40_000_000;

const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp'] as const;
type Accepted = (typeof ACCEPTED)[number];

/**
 * An uploaded photo made safe to keep and show: upright (EXIF orientation applied), at most
 * `maxSide` pixels on its long side with a `thumbnailSide` thumbnail, re-encoded as JPEG from its
 * pixels alone so that no metadata survives (EXIF with GPS, XMP, IPTC, ICC profiles, comments).
 * Transparent parts are laid on white. Anything that is not a JPEG, PNG or WebP by its bytes, is
 * larger than 40 megapixels (checked from the header, before decoding) or cannot be decoded is
 * refused with a DomainError naming the field.
 */
export async function preparePhoto(data: Buffer, opts: PreparePhotoOptions = {}): Promise<PreparedPhoto> {
  const field = opts.field ?? 'photo';
  const maxSide = opts.maxSide ?? 1600;
  const thumbnailSide = opts.thumbnailSide ?? 400;
  const quality = opts.quality ?? 82;

  const type = sniffImageType(data);
  if (!type || !(ACCEPTED as readonly string[]).includes(type)) throw invalidField(field, 'The photo must be a JPEG, PNG or WebP image');
  const sourceType = type as Accepted;
  const unreadable = () => invalidField(field, 'The photo could not be read: save it again as a JPEG and upload that');
  const size = imageSize(data);
  if (!size || size.width < 1 || size.height < 1) throw unreadable();
  const tooLarge = (width: number, height: number) =>
    invalidField(field, `The photo must be at most 40 megapixels (this one is ${width} × ${height} pixels)`);
  if (size.width * size.height > MAX_PHOTO_PIXELS) throw tooLarge(size.width, size.height);

  return fewAtATime(async () => {
    let decoded: Pixels;
    try {
      decoded = await decodeImage(data, sourceType);
    } catch {
      throw unreadable();
    }
    // The header walk and the decoder could disagree on a crafted file; the decoder's word counts.
    if (decoded.width < 1 || decoded.height < 1 || decoded.data.length !== decoded.width * decoded.height * 4) throw unreadable();
    if (decoded.width * decoded.height > MAX_PHOTO_PIXELS) throw tooLarge(decoded.width, decoded.height);

    const upright = applyOrientation(onWhite(decoded), exifOrientation(data, sourceType));
    const full = await fitWithin(upright, maxSide);
    const small = await fitWithin(full, thumbnailSide);
    const [photoBytes, thumbnailBytes] = [await encodeJpegImage(full, quality), await encodeJpegImage(small, quality)];
    return {
      photo: { data: photoBytes, type: 'image/jpeg', width: full.width, height: full.height },
      thumbnail: { data: thumbnailBytes, type: 'image/jpeg', width: small.width, height: small.height },
      sourceType,
    };
  });
}

/**
 * Photos are prepared two at a time per process: each holds its decoded pixels (up to 160 MB)
 * until it is encoded, so a burst of uploads waits rather than taking the memory at once.
 */
const PARALLEL = 2;
let running = 0;
const queue: (() => void)[] = [];

async function fewAtATime<T>(work: () => Promise<T>): Promise<T> {
  // A finished photo hands its place straight to the next in the queue, so none can slip in between.
  if (running >= PARALLEL) await new Promise<void>((resolve) => queue.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    const next = queue.shift();
    if (next) next();
    else running--;
  }
}

/** The image scaled down (never up) so its long side is at most `side`, keeping its shape. */
async function fitWithin(image: Pixels, side: number): Promise<Pixels> {
  const long = Math.max(image.width, image.height);
  if (long <= side) return image;
  const scale = side / long;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  return resizeImage(image, width, height);
}

/** Lays any transparency on white (JPEG has none), in place, and returns the image. */
function onWhite(image: Pixels): Pixels {
  const px = image.data;
  for (let i = 3; i < px.length; i += 4) {
    const alpha = px[i]!;
    if (alpha === 255) continue;
    const a = alpha / 255;
    px[i - 3] = px[i - 3]! * a + 255 * (1 - a);
    px[i - 2] = px[i - 2]! * a + 255 * (1 - a);
    px[i - 1] = px[i - 1]! * a + 255 * (1 - a);
    px[i] = 255;
  }
  return image;
}
