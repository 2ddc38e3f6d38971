import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Resvg as ResvgClass } from '@resvg/resvg-wasm';
import type { default as SatoriFunction, SatoriOptions } from 'satori';
import { parseHex, readableOn, toHex, type Rgb } from './contrast.ts';

/**
 * Share cards: the 1200 × 630 PNG a page names as its og:image. Laid out by satori (flexbox to
 * SVG, text as paths), drawn by resvg (wasm), with Noto Sans and Noto Emoji from npm: no network,
 * no system fonts. Text colours are chosen here so every line reaches WCAG AA against what is
 * behind it, whatever the brand colours are.
 */

export const SHARE_CARD = { width: 1200, height: 630, type: 'image/png' } as const;

export interface ShareCardBrand {
  /** The card's background. */
  primaryColour: string;
  /** The preferred text colour on the background; replaced by black or white when it is not readable. */
  primaryTextColour?: string;
  /** The band along the foot. */
  accentColour: string;
}

export interface ShareCardInput {
  title: string;
  /** A short line above the title ("Petition", "Event · Bristol"). */
  kicker?: string;
  /** A figure in large type ("12,345 signatures"). */
  figure?: string;
  /** The line in the band along the foot (the coalition's name or address). */
  footer?: string;
  brand: ShareCardBrand;
}

export interface ShareCard {
  png: Buffer;
  /** A strong ETag (quoted) that changes whenever the card's content does. */
  etag: string;
  width: number;
  height: number;
  type: 'image/png';
}

/** Changes when the drawing does, so cached cards and ETags from an older layout are not reused. */
const LAYOUT_VERSION = 1;
const LIMITS = { title: 300, kicker: 80, figure: 60, footer: 100 };

const require = createRequire(import.meta.url);
const fontFile = (name: string) => readFile(require.resolve(`@fontsource/${name}`));

/** Noto Sans's Latin and Latin Extended subsets (Welsh ŵ and ŷ are in the second), then Noto Emoji's eleven. */
const FAMILIES = ['Noto Sans', 'Noto Sans Extended', ...Array.from({ length: 11 }, (_, i) => `Noto Emoji ${i}`)];

type Satori = typeof SatoriFunction;
type Resvg = typeof ResvgClass;
interface Drawing {
  satori: Satori;
  Resvg: Resvg;
  fonts: SatoriOptions['fonts'];
}
let ready: Promise<Drawing> | undefined;

/** Loaded on the first card, not when the platform is imported: satori alone takes most of a second to load. */
function load(): Promise<Drawing> {
  ready ??= (async () => {
    const [{ default: satori }, { Resvg, initWasm }] = await Promise.all([import('satori'), import('@resvg/resvg-wasm')]);
    const [, ...data] = await Promise.all([
      initWasm(readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm'))),
      ...['latin', 'latin-ext'].flatMap((subset) => [400, 700].map((weight) => fontFile(`noto-sans/files/noto-sans-${subset}-${weight}-normal.woff`))),
      ...Array.from({ length: 11 }, (_, i) => fontFile(`noto-emoji/files/noto-emoji-${i}-400-normal.woff`)),
    ]);
    // Each subset file is its own family (satori keeps one font per family and weight) and the
    // card's font-family lists them all, so a glyph missing from one is found in the next.
    const fonts = data.map((buffer, i) => ({
      name: FAMILIES[i < 4 ? (i < 2 ? 0 : 1) : i - 2]!,
      data: buffer as Buffer,
      weight: (i < 4 && i % 2 === 1 ? 700 : 400) as 400 | 700,
      style: 'normal' as const,
    }));
    return { satori, Resvg, fonts };
  })();
  ready.catch(() => (ready = undefined));
  return ready;
}

/** At most `limit` characters (whole graphemes, so no emoji is split), with spaces run together. */
function clip(text: string | undefined, limit: number): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  let out = '';
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(flat)) {
    if (out.length + segment.length > limit) return `${out.trimEnd()}…`;
    out += segment;
  }
  return out;
}

function colour(hex: string | undefined, fallback: Rgb): Rgb {
  return (hex && parseHex(hex)) || fallback;
}

interface Prepared {
  title: string;
  kicker: string;
  figure: string;
  footer: string;
  background: Rgb;
  text: Rgb;
  accent: Rgb;
  accentText: Rgb;
}

function prepare(input: ShareCardInput): Prepared {
  const background = colour(input.brand.primaryColour, [0, 94, 184]);
  const accent = colour(input.brand.accentColour, [255, 184, 28]);
  const preferred = input.brand.primaryTextColour ? parseHex(input.brand.primaryTextColour) : undefined;
  return {
    title: clip(input.title, LIMITS.title),
    kicker: clip(input.kicker, LIMITS.kicker),
    figure: clip(input.figure, LIMITS.figure),
    footer: clip(input.footer, LIMITS.footer),
    background,
    text: readableOn(background, preferred),
    accent,
    accentText: readableOn(accent, preferred),
  };
}

function hashOf(card: Prepared): string {
  return createHash('sha256').update(JSON.stringify([LAYOUT_VERSION, card])).digest('hex');
}

/** The ETag the card for this input has, without drawing it (answer 304 before any work). */
export function shareCardEtag(input: ShareCardInput): string {
  return `"card-${hashOf(prepare(input)).slice(0, 20)}"`;
}

type Node = { type: string; props: { style: Record<string, unknown>; children?: Node | Node[] | string } };
const box = (style: Record<string, unknown>, children?: Node | Node[] | string): Node => ({ type: 'div', props: { style, children } });

function layout(card: Prepared): Node {
  const text = toHex(card.text);
  // Long titles get smaller type; three lines at most, the last cut with an ellipsis.
  const titleSize = card.title.length <= 40 ? 76 : card.title.length <= 90 ? 64 : 54;
  const line = (size: number, weight: number, lines: number, content: string, extra: Record<string, unknown> = {}) =>
    box({ display: 'block', fontSize: size, fontWeight: weight, lineHeight: 1.18, lineClamp: lines, textOverflow: 'ellipsis', overflow: 'hidden', ...extra }, content);
  const body: Node[] = [];
  if (card.kicker) body.push(line(30, 700, 1, card.kicker, { marginBottom: 20, letterSpacing: 0.5 }));
  body.push(line(titleSize, 700, 3, card.title));
  if (card.figure) body.push(line(46, 700, 1, card.figure, { marginTop: 'auto' }));
  return box(
    { width: SHARE_CARD.width, height: SHARE_CARD.height, display: 'flex', flexDirection: 'column', backgroundColor: toHex(card.background), color: text, fontFamily: FAMILIES.map((family) => `'${family}'`).join(', ') },
    [
      box({ display: 'flex', flexDirection: 'column', flexGrow: 1, padding: '60px 72px 36px 72px', overflow: 'hidden' }, body),
      box(
        { display: 'flex', alignItems: 'center', height: 96, padding: '0 72px', backgroundColor: toHex(card.accent), color: toHex(card.accentText) },
        card.footer ? [line(30, 700, 1, card.footer)] : [],
      ),
    ],
  );
}

// Cards are small (tens of kB) and the same few are asked for again and again: keep the latest.
const cache = new Map<string, ShareCard>();
const CACHE_SIZE = 200;

/**
 * Draws (or takes from this process's cache) the share card for `input`: 1200 × 630 PNG, with its
 * ETag. Text is kept to its box: the kicker, figure and footer to one line and the title to three,
 * each cut with an ellipsis.
 */
export async function renderShareCard(input: ShareCardInput): Promise<ShareCard> {
  const card = prepare(input);
  const hash = hashOf(card);
  const known = cache.get(hash);
  if (known) {
    cache.delete(hash);
    cache.set(hash, known);
    return known;
  }
  const { satori, Resvg, fonts } = await load();
  const svg = await satori(layout(card) as Parameters<Satori>[0], { width: SHARE_CARD.width, height: SHARE_CARD.height, fonts });
  const png = Buffer.from(new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } }).render().asPng());
  const rendered: ShareCard = { png, etag: `"card-${hash.slice(0, 20)}"`, ...SHARE_CARD };
  cache.set(hash, rendered);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return rendered;
}
