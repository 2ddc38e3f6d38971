import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import decodeJpeg, { init as initJpegDecode } from '@jsquash/jpeg/decode.js';
import encodeJpeg, { init as initJpegEncode } from '@jsquash/jpeg/encode.js';
import decodePng, { init as initPngDecode } from '@jsquash/png/decode.js';
import decodeWebp, { init as initWebpDecode } from '@jsquash/webp/decode.js';
import resizePixels, { initResize } from '@jsquash/resize';
import type { Pixels } from './orientation.ts';

/**
 * The Squoosh codecs (MozJPEG, libwebp, the Rust png and resize crates) compiled to wasm, from
 * npm. Each wasm file is read from node_modules and compiled once per process: the codecs' own
 * loaders would fetch it by URL, which plain Node cannot do for files.
 */
const require = createRequire(import.meta.url);

async function compiled(path: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await readFile(require.resolve(path)));
}

/** The codecs' init takes (module, option overrides) in their code, though their typings name only the options. */
type EmscriptenInit = (module: WebAssembly.Module, overrides: { print: () => void; printErr: () => void }) => Promise<void>;
const withModule = (init: unknown) => init as EmscriptenInit;

let ready: Promise<void> | undefined;

function load(): Promise<void> {
  ready ??= (async () => {
    const [jpegDec, jpegEnc, webpDec, png, resize] = await Promise.all([
      compiled('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm'),
      compiled('@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm'),
      compiled('@jsquash/webp/codec/dec/webp_dec.wasm'),
      readFile(require.resolve('@jsquash/png/codec/pkg/squoosh_png_bg.wasm')),
      readFile(require.resolve('@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm')),
    ]);
    // libjpeg's warnings about corrupt data would go to stderr; a refusal says it instead.
    const quiet = { print: () => {}, printErr: () => {} };
    await Promise.all([
      withModule(initJpegDecode)(jpegDec, quiet),
      withModule(initJpegEncode)(jpegEnc, quiet),
      withModule(initWebpDecode)(webpDec, quiet),
      initPngDecode(png),
      initResize(resize),
    ]);
  })();
  ready.catch(() => (ready = undefined));
  return ready;
}

/** Decodes a JPEG, PNG or WebP to RGBA pixels (as stored: EXIF orientation is not applied here). */
export async function decodeImage(data: Buffer, type: 'image/jpeg' | 'image/png' | 'image/webp'): Promise<Pixels> {
  await load();
  // The codecs take an ArrayBuffer of their own: copy out of Node's shared buffer pool.
  const bytes = new Uint8Array(data).buffer;
  const image = type === 'image/jpeg' ? await decodeJpeg(bytes) : type === 'image/png' ? await decodePng(bytes) : await decodeWebp(bytes);
  return { data: image.data, width: image.width, height: image.height };
}

/** Resizes with Lanczos3 (in gamma space: in linear light it took five times as long here). */
export async function resizeImage(image: Pixels, width: number, height: number): Promise<Pixels> {
  await load();
  const out = await resizePixels(image as ImageData, { width, height, method: 'lanczos3', fitMethod: 'stretch', premultiply: false, linearRGB: false });
  return { data: out.data, width: out.width, height: out.height };
}

/**
 * A baseline MozJPEG with optimised Huffman tables (progressive took three times as long here).
 * The encoder writes only a JFIF header: no EXIF, XMP, IPTC or ICC segment.
 */
export async function encodeJpegImage(image: Pixels, quality: number): Promise<Buffer> {
  await load();
  return Buffer.from(await encodeJpeg(image as ImageData, { quality, progressive: false }));
}
