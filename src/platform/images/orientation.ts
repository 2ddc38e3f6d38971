/**
 * EXIF orientation: read from the image's own bytes (JPEG APP1, WebP EXIF chunk, PNG eXIf chunk)
 * and applied to decoded pixels, so a phone photo taken on its side shows upright once its
 * metadata is gone.
 */

/** EXIF orientation 1-8 (1: as stored); 1 when the image carries none or it cannot be read. */
export function exifOrientation(data: Buffer, type: string): number {
  const tiff = exifTiff(data, type);
  return tiff ? (orientationInTiff(tiff) ?? 1) : 1;
}

/** The TIFF structure inside the image's EXIF block, if it has one. */
function exifTiff(data: Buffer, type: string): Buffer | undefined {
  if (type === 'image/jpeg') {
    let at = 2;
    while (at + 4 <= data.length && data[at] === 0xff) {
      const marker = data[at + 1]!;
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
        at += marker === 0xff ? 1 : 2;
        continue;
      }
      if (marker === 0xda || marker === 0xd9) return undefined; // image data starts: no more headers
      const length = data.readUInt16BE(at + 2);
      if (length < 2) return undefined;
      const body = data.subarray(at + 4, Math.min(data.length, at + 2 + length));
      if (marker === 0xe1 && body.length > 6 && body.toString('latin1', 0, 6) === 'Exif\0\0') return body.subarray(6);
      at += 2 + length;
    }
    return undefined;
  }
  if (type === 'image/webp') {
    let at = 12;
    while (at + 8 <= data.length) {
      const id = data.toString('latin1', at, at + 4);
      const size = data.readUInt32LE(at + 4);
      if (id === 'EXIF') {
        const body = data.subarray(at + 8, Math.min(data.length, at + 8 + size));
        // Some writers keep JPEG's "Exif\0\0" prefix inside the chunk.
        return body.toString('latin1', 0, 6) === 'Exif\0\0' ? body.subarray(6) : body;
      }
      at += 8 + size + (size & 1);
    }
    return undefined;
  }
  if (type === 'image/png') {
    let at = 8;
    while (at + 12 <= data.length) {
      const size = data.readUInt32BE(at);
      const id = data.toString('latin1', at + 4, at + 8);
      if (id === 'eXIf') return data.subarray(at + 8, Math.min(data.length, at + 8 + size));
      if (id === 'IDAT' || id === 'IEND') return undefined;
      at += 12 + size;
    }
  }
  return undefined;
}

function orientationInTiff(tiff: Buffer): number | undefined {
  if (tiff.length < 8) return undefined;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return undefined;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

export interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** The pixels turned and mirrored as the EXIF orientation says, so they read upright. */
export function applyOrientation(image: Pixels, orientation: number): Pixels {
  if (orientation <= 1 || orientation > 8) return image;
  const { width: w, height: h } = image;
  const swap = orientation >= 5;
  const outW = swap ? h : w;
  const outH = swap ? w : h;
  const aligned = image.data.byteOffset % 4 === 0 ? image.data : image.data.slice();
  const source = new Uint32Array(aligned.buffer, aligned.byteOffset, w * h);
  const out = new Uint32Array(outW * outH);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let nx: number;
      let ny: number;
      switch (orientation) {
        case 2: [nx, ny] = [w - 1 - x, y]; break; // mirrored
        case 3: [nx, ny] = [w - 1 - x, h - 1 - y]; break; // turned 180°
        case 4: [nx, ny] = [x, h - 1 - y]; break; // mirrored vertically
        case 5: [nx, ny] = [y, x]; break; // transposed
        case 6: [nx, ny] = [h - 1 - y, x]; break; // needs a quarter turn clockwise
        case 7: [nx, ny] = [h - 1 - y, w - 1 - x]; break; // transversed
        default: [nx, ny] = [y, w - 1 - x]; break; // 8: needs a quarter turn anticlockwise
      }
      out[ny * outW + nx] = source[y * w + x]!;
    }
  }
  return { data: new Uint8ClampedArray(out.buffer), width: outW, height: outH };
}
