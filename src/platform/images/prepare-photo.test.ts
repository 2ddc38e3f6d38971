import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import encodeWebp, { init as initWebpEncode } from '@jsquash/webp/encode.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError, encodePng } from '../index.ts';
import { decodeImage, encodeJpegImage } from './codecs.ts';
import { exifOrientation, type Pixels } from './orientation.ts';
import { preparePhoto } from './prepare-photo.ts';

type Rgb = [number, number, number];
const RED: Rgb = [220, 20, 20];
const BLUE: Rgb = [20, 20, 220];

function pixels(width: number, height: number, colour: (x: number, y: number) => Rgb): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colour(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return { data, width, height };
}

/** Left half red, right half blue: where the halves end up shows how the photo was turned. */
const halves = (width: number, height: number) => pixels(width, height, (x) => (x < width / 2 ? RED : BLUE));

const be16 = (n: number) => Buffer.from([n >> 8, n & 255]);
const be32 = (n: number) => Buffer.from([n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255]);
const segment = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, marker]), be16(body.length + 2), body]);
const entry = (tag: number, type: number, count: number, value: Buffer) => Buffer.concat([be16(tag), be16(type), be32(count), value]);

/** GPS coordinates in the fixture: 51° 27' 17.9" N, 2° 35' 12.3" W (the rationals are found by their bytes). */
const LATITUDE = Buffer.concat([be32(51), be32(1), be32(27), be32(1), be32(179), be32(10)]);
const LONGITUDE = Buffer.concat([be32(2), be32(1), be32(35), be32(1), be32(123), be32(10)]);

/**
 * A big-endian TIFF block as cameras write into EXIF: IFD0 with the orientation and a pointer to
 * the GPS IFD, which holds latitude and longitude with their hemispheres.
 */
function exifTiff(orientation: number): Buffer {
  const ifd0At = 8;
  const ifd0Size = 2 + 2 * 12 + 4;
  const gpsAt = ifd0At + ifd0Size;
  const gpsSize = 2 + 4 * 12 + 4;
  const latAt = gpsAt + gpsSize;
  const lonAt = latAt + LATITUDE.length;
  const ifd0 = Buffer.concat([
    be16(2),
    entry(0x0112, 3, 1, Buffer.concat([be16(orientation), be16(0)])),
    entry(0x8825, 4, 1, be32(gpsAt)),
    be32(0),
  ]);
  const gps = Buffer.concat([
    be16(4),
    entry(0x0001, 2, 2, Buffer.from('N\0\0\0', 'latin1')),
    entry(0x0002, 5, 3, be32(latAt)),
    entry(0x0003, 2, 2, Buffer.from('W\0\0\0', 'latin1')),
    entry(0x0004, 5, 3, be32(lonAt)),
    be32(0),
  ]);
  return Buffer.concat([Buffer.from('MM'), be16(42), be32(ifd0At), ifd0, gps, LATITUDE, LONGITUDE]);
}

const XMP_SECRET = 'xmp-secret-location-Bristol';
const IPTC_SECRET = 'iptc-byline-Jane-Doe';
const COMMENT_SECRET = 'comment-taken-at-home';

/** A JPEG as a phone leaves it: EXIF (orientation, GPS), XMP, an ICC profile, IPTC and a comment, put in after the start marker. */
async function phoneJpeg(image: Pixels, orientation: number): Promise<Buffer> {
  const plain = await encodeJpegImage(image, 90);
  const metadata = Buffer.concat([
    segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff(orientation)])),
    segment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description photoshop:City="${XMP_SECRET}"/></x:xmpmeta>`, 'latin1')),
    segment(0xe2, Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([1, 1]), Buffer.alloc(128, 7)])),
    segment(0xed, Buffer.from(`Photoshop 3.0\u00008BIM\u0004\u0004\0\0\0\0\0\u0018\u001c\u0002P\0\u0014${IPTC_SECRET}`, 'latin1')),
    segment(0xfe, Buffer.from(COMMENT_SECRET, 'latin1')),
  ]);
  return Buffer.concat([plain.subarray(0, 2), metadata, plain.subarray(2)]);
}

/** The markers of every segment before the image data. */
function headerMarkers(jpeg: Buffer): number[] {
  const markers: number[] = [];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!;
    markers.push(marker);
    if (marker === 0xda) break;
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return markers;
}

async function colourAt(jpeg: Buffer, fx: number, fy: number): Promise<Rgb> {
  const image = await decodeImage(jpeg, 'image/jpeg');
  const at = (Math.floor(fy * (image.height - 1)) * image.width + Math.floor(fx * (image.width - 1))) * 4;
  return [image.data[at]!, image.data[at + 1]!, image.data[at + 2]!];
}
const isRed = ([r, , b]: Rgb) => r > 150 && b < 90;
const isBlue = ([r, , b]: Rgb) => b > 150 && r < 90;

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('preparePhoto: uploaded photos made safe to keep and show', () => {
  let webpEncoderReady: Promise<unknown>;
  beforeAll(() => {
    const require = createRequire(import.meta.url);
    webpEncoderReady = readFile(require.resolve('@jsquash/webp/codec/enc/webp_enc.wasm'))
      .then((bytes) => WebAssembly.compile(bytes))
      .then((module) => initWebpEncode(module));
  });

  it('removes GPS and every other metadata block a phone writes', async () => {
    const input = await phoneJpeg(halves(900, 600), 1);
    // The fixture really carries what a reader would find: EXIF that parses, GPS rationals, XMP, IPTC, a comment.
    expect(exifOrientation(input, 'image/jpeg')).toBe(1);
    for (const needle of [LATITUDE, LONGITUDE, Buffer.from(XMP_SECRET), Buffer.from(IPTC_SECRET), Buffer.from(COMMENT_SECRET)]) {
      expect(input.includes(needle)).toBe(true);
    }
    const { photo, thumbnail } = await preparePhoto(input);
    for (const out of [photo.data, thumbnail.data]) {
      for (const needle of [LATITUDE, LONGITUDE, Buffer.from('Exif'), Buffer.from('http://ns.adobe.com'), Buffer.from('ICC_PROFILE'), Buffer.from('Photoshop'), Buffer.from(XMP_SECRET), Buffer.from(IPTC_SECRET), Buffer.from(COMMENT_SECRET)]) {
        expect(out.includes(needle)).toBe(false);
      }
      // Only the JFIF header (APP0) and the image's own tables come before the data: no APP1-APP15, no comment.
      expect(headerMarkers(out).filter((m) => (m >= 0xe1 && m <= 0xef) || m === 0xfe)).toEqual([]);
      expect(exifOrientation(out, 'image/jpeg')).toBe(1);
    }
  });

  it('keeps the photo within 1600 px and the thumbnail within 400 px on the long side, keeping the shape and never enlarging', async () => {
    const wide = await preparePhoto(await encodeJpegImage(halves(3000, 1200), 85));
    expect([wide.photo.width, wide.photo.height]).toEqual([1600, 640]);
    expect([wide.thumbnail.width, wide.thumbnail.height]).toEqual([400, 160]);
    expect(await decodeImage(wide.photo.data, 'image/jpeg')).toMatchObject({ width: 1600, height: 640 });
    expect(await decodeImage(wide.thumbnail.data, 'image/jpeg')).toMatchObject({ width: 400, height: 160 });

    const tall = await preparePhoto(await encodeJpegImage(halves(1000, 2000), 85));
    expect([tall.photo.width, tall.photo.height, tall.thumbnail.width, tall.thumbnail.height]).toEqual([800, 1600, 200, 400]);

    // Several at once (a form with three photos, two people uploading): each gets its own answer.
    const many = await Promise.all([300, 320, 340, 360, 380].map(async (width) => preparePhoto(await encodeJpegImage(halves(width, 200), 85))));
    expect(many.map((p) => p.photo.width)).toEqual([300, 320, 340, 360, 380]);
    const small = many[0]!;
    expect([small.photo.width, small.photo.height, small.thumbnail.width, small.thumbnail.height]).toEqual([300, 200, 300, 200]);
  });

  it('turns the photo upright as its EXIF orientation says', async () => {
    const image = halves(240, 120);
    // 6: the camera was turned a quarter clockwise; the left of the stored image is the top.
    const turned = await preparePhoto(await phoneJpeg(image, 6));
    expect([turned.photo.width, turned.photo.height]).toEqual([120, 240]);
    expect(isRed(await colourAt(turned.photo.data, 0.5, 0.1))).toBe(true);
    expect(isBlue(await colourAt(turned.photo.data, 0.5, 0.9))).toBe(true);
    // 8: a quarter the other way; the left is the bottom.
    const other = await preparePhoto(await phoneJpeg(image, 8));
    expect([other.photo.width, other.photo.height]).toEqual([120, 240]);
    expect(isBlue(await colourAt(other.photo.data, 0.5, 0.1))).toBe(true);
    expect(isRed(await colourAt(other.photo.data, 0.5, 0.9))).toBe(true);
    // 3: upside down; left and right swap. 1: as stored.
    const upsideDown = await preparePhoto(await phoneJpeg(image, 3));
    expect([upsideDown.photo.width, upsideDown.photo.height]).toEqual([240, 120]);
    expect(isBlue(await colourAt(upsideDown.photo.data, 0.1, 0.5))).toBe(true);
    const asStored = await preparePhoto(await phoneJpeg(image, 1));
    expect(isRed(await colourAt(asStored.photo.data, 0.1, 0.5))).toBe(true);
  });

  it('takes PNG and WebP by their bytes, whatever the file is called, and gives a JPEG', async () => {
    const png = encodePng(2000, 1000, (x) => (x < 1000 ? RED : BLUE));
    const fromPng = await preparePhoto(png);
    expect(fromPng.sourceType).toBe('image/png');
    expect([fromPng.photo.type, fromPng.photo.width, fromPng.photo.height]).toEqual(['image/jpeg', 1600, 800]);
    expect(isRed(await colourAt(fromPng.photo.data, 0.1, 0.5))).toBe(true);

    await webpEncoderReady;
    const image = halves(800, 400);
    const webp = Buffer.from(await encodeWebp(image as ImageData, { quality: 90 }));
    const fromWebp = await preparePhoto(webp);
    expect(fromWebp.sourceType).toBe('image/webp');
    expect([fromWebp.photo.width, fromWebp.photo.height, fromWebp.thumbnail.width]).toEqual([800, 400, 400]);
    expect(isBlue(await colourAt(fromWebp.photo.data, 0.9, 0.5))).toBe(true);
  });

  it('refuses other formats, unreadable data and images over 40 megapixels, naming the field', async () => {
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([10, 0, 10, 0]), Buffer.alloc(32)]);
    for (const bad of [gif, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), Buffer.alloc(0)]) {
      const error = await refusal(preparePhoto(bad, { field: 'photo_2' }));
      expect(error.status).toBe(422);
      expect(error.problems).toEqual([{ field: 'photo_2', message: 'The photo must be a JPEG, PNG or WebP image' }]);
    }
    const jpeg = await encodeJpegImage(halves(200, 100), 80);
    const cut = await refusal(preparePhoto(jpeg.subarray(0, 200)));
    expect([cut.status, cut.problems[0]?.field]).toEqual([422, 'photo']);
    expect(cut.problems[0]?.message).toMatch(/could not be read/);

    // A PNG header claiming 8000 × 6000 with no pixel data: refused by size, so before any decoding
    // (decoding would have failed as unreadable instead).
    const header = encodePng(1, 1, () => RED).subarray(0, 33);
    header.writeUInt32BE(8000, 16);
    header.writeUInt32BE(6000, 20);
    const huge = await refusal(preparePhoto(header));
    expect([huge.status, huge.problems[0]?.field]).toEqual([422, 'photo']);
    expect(huge.problems[0]?.message).toBe('The photo must be at most 40 megapixels (this one is 8000 × 6000 pixels)');
  });

  it('answers any bytes with a photo or a refusal naming the field, never another error', async () => {
    const jpeg = await encodeJpegImage(halves(64, 32), 80);
    const png = encodePng(64, 32, () => BLUE);
    const starts = [Buffer.alloc(0), jpeg.subarray(0, 3), png.subarray(0, 8), Buffer.from('RIFF\0\0\0\0WEBPVP8 ')];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...starts),
        fc.uint8Array({ maxLength: 600 }),
        fc.option(fc.tuple(fc.constantFrom(jpeg, png), fc.nat(), fc.nat(255)), { nil: undefined }),
        async (start, tail, flip) => {
          let data = Buffer.concat([start, Buffer.from(tail)]);
          if (flip) {
            // A real image with one byte changed.
            const [image, at, value] = flip;
            data = Buffer.from(image);
            data[at % data.length] = value;
          }
          try {
            const out = await preparePhoto(data);
            expect(Math.max(out.photo.width, out.photo.height)).toBeLessThanOrEqual(1600);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).status).toBe(422);
            expect((error as DomainError).problems[0]?.field).toBe('photo');
          }
        },
      ),
      { numRuns: 300 },
    );
    // The codecs still work after all that bad input.
    expect((await preparePhoto(jpeg)).photo.width).toBe(64);
  });
});
