import { crc32, deflateSync } from 'node:zlib';

/** The share image every public page falls back on: its size and type, for og:image:width/height/type. */
export const BRAND_CARD = { width: 1200, height: 630, type: 'image/png', path: '/brand-card.png' } as const;

export type Rgb = [number, number, number];

function rgb(hex: string): Rgb {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  const n = m ? parseInt(m[1]!, 16) : 0x333333;
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * The coalition's brand card as a PNG, drawn from the brand's colours (no fonts, no other
 * service): the main colour, a band of the accent colour along the foot, and a mark of three
 * overlapping voices in the text colour. Made once per brand version by whoever serves it.
 */
export function brandCardPng(colours: { primaryColour: string; primaryTextColour: string; accentColour: string }): Buffer {
  const { width, height } = BRAND_CARD;
  const background = rgb(colours.primaryColour);
  const text = rgb(colours.primaryTextColour);
  const accent = rgb(colours.accentColour);
  const bandTop = height - 60;
  const voices = [
    { x: 480, y: 285, r: 120 },
    { x: 600, y: 285, r: 120 },
    { x: 720, y: 285, r: 120 },
  ];
  return encodePng(width, height, (x, y) => {
    if (y >= bandTop) return accent;
    if (y < 160 || y > 410 || x < 355 || x > 845) return background;
    // Each voice is a ring; where rings overlap the background shows, so they read as three.
    let rings = 0;
    for (const v of voices) {
      const d = Math.hypot(x - v.x, y - v.y);
      if (d <= v.r && d >= v.r - 18) rings++;
    }
    return rings === 1 ? text : background;
  });
}

/** A truecolour PNG of the given size, each pixel's colour from `pixel`. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const colour = pixel(x, y);
      const at = y * row + 1 + x * 3;
      raw[at] = colour[0];
      raw[at + 1] = colour[1];
      raw[at + 2] = colour[2];
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
