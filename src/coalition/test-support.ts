import { encodePng } from '../platform/index.ts';

/** A real, valid PNG of a few pixels, built from scratch for upload tests. */
export function tinyPng(width = 2, height = 2, rgb: [number, number, number] = [0, 94, 184]): Buffer {
  return encodePng(width, height, () => rgb);
}
