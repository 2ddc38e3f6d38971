import { describe, expect, it } from 'vitest';
import { encodePng, imageSize } from './index.ts';

const le16 = (n: number) => Buffer.from([n & 255, n >> 8]);
const le24 = (n: number) => Buffer.from([n & 255, (n >> 8) & 255, n >> 16]);
const be16 = (n: number) => Buffer.from([n >> 8, n & 255]);
const riff = (chunk: string, body: Buffer) => Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), Buffer.from(chunk), Buffer.alloc(4), body]);

describe('image size from the header, as uploads are checked against the share minimum', () => {
  it('reads PNG, GIF, JPEG (past other segments) and the three WebP forms', () => {
    expect(imageSize(encodePng(640, 320, () => [0, 0, 0]))).toEqual({ width: 640, height: 320 });
    expect(imageSize(Buffer.concat([Buffer.from('GIF89a'), le16(700), le16(400), Buffer.alloc(8)]))).toEqual({ width: 700, height: 400 });
    const app0 = Buffer.concat([Buffer.from([0xff, 0xe0]), be16(16), Buffer.alloc(14)]);
    const sof2 = Buffer.concat([Buffer.from([0xff, 0xc2]), be16(17), Buffer.from([8]), be16(315), be16(1024), Buffer.alloc(12)]);
    expect(imageSize(Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof2]))).toEqual({ width: 1024, height: 315 });
    expect(imageSize(riff('VP8X', Buffer.concat([Buffer.alloc(4), le24(1199), le24(629)])))).toEqual({ width: 1200, height: 630 });
    const w = 599;
    const h = 315;
    const bits = (w - 1) | ((h - 1) << 14);
    expect(imageSize(riff('VP8L', Buffer.from([0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, (bits >> 24) & 255, 0])))).toEqual({ width: 599, height: 315 });
    expect(imageSize(riff('VP8 ', Buffer.concat([Buffer.from([0, 0, 0, 0x9d, 0x01, 0x2a]), le16(800), le16(450)])))).toEqual({ width: 800, height: 450 });
  });

  it('gives no size for a header it cannot read', () => {
    expect(imageSize(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]))).toBeUndefined();
    expect(imageSize(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0xff]))).toBeUndefined();
    expect(imageSize(Buffer.from('not an image at all'))).toBeUndefined();
  });
});
