import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './codecs.ts';
import { contrastRatio, parseHex, readableOn, type Rgb } from './contrast.ts';
import { renderShareCard, shareCardEtag, type ShareCardInput } from './share-card.ts';
import type { Pixels } from './orientation.ts';

const BRAND = { primaryColour: '#005eb8', primaryTextColour: '#ffffff', accentColour: '#ffb81c' };
const BLUE: Rgb = [0, 94, 184];

async function drawn(input: ShareCardInput): Promise<Pixels> {
  const card = await renderShareCard(input);
  return decodeImage(card.png, 'image/png');
}

function at(image: Pixels, x: number, y: number): Rgb {
  const i = (y * image.width + x) * 4;
  return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
}

/** How many pixels in the rows [top, bottom) are exactly `colour`, and how many are not. */
function count(image: Pixels, top: number, bottom: number, colour: Rgb): { same: number; other: number } {
  let same = 0;
  for (let y = top; y < bottom; y++) {
    for (let x = 0; x < image.width; x++) {
      const [r, g, b] = at(image, x, y);
      if (r === colour[0] && g === colour[1] && b === colour[2]) same++;
    }
  }
  return { same, other: (bottom - top) * image.width - same };
}

const differ = (a: Pixels, b: Pixels) => Buffer.compare(Buffer.from(a.data), Buffer.from(b.data)) !== 0;

describe('share cards: the 1200 × 630 og:image of a page', () => {
  it('is a PNG of 1200 × 630 with its type and a quoted ETag', async () => {
    const card = await renderShareCard({ title: 'Save Weston A&E', kicker: 'Petition', figure: '12,345 signatures', footer: 'Chorus', brand: BRAND });
    expect(card.png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect([card.width, card.height, card.type]).toEqual([1200, 630, 'image/png']);
    expect(card.etag).toMatch(/^"card-[0-9a-f]{20}"$/);
    const image = await decodeImage(card.png, 'image/png');
    expect([image.width, image.height]).toEqual([1200, 630]);
    // The brand colours are where they belong: the background at the top corner, the band at the foot.
    expect(at(image, 5, 5)).toEqual(BLUE);
    expect(at(image, 1195, 625)).toEqual([255, 184, 28]);
  });

  it('draws the text: two titles give two different cards, and the title is in the text colour', async () => {
    const a = await drawn({ title: 'Keep Weston A&E open', brand: BRAND });
    const b = await drawn({ title: 'Reopen the birth centre', brand: BRAND });
    expect(differ(a, b)).toBe(true);
    // The title's rows hold white text on the blue background.
    expect(count(a, 60, 160, [255, 255, 255]).same).toBeGreaterThan(2000);
    // Below the title, above the band, only background.
    expect(count(a, 300, 530, BLUE).other).toBe(0);
  });

  it('cuts a long title after three lines, with nothing of it drawn below', async () => {
    const words = 'Waiting lists for mental health care in Bristol have doubled since the last election, and families across the city are still waiting months for a first appointment with anyone at all';
    const long = await drawn({ title: words, brand: BRAND });
    const longer = await drawn({ title: `${words} ${'for months and months on end '.repeat(20)}`, brand: BRAND });
    // Whatever follows the third line changes nothing: it is not drawn.
    expect(differ(long, longer)).toBe(false);
    // A fourth line would sit in these rows (54 px type at 1.18 line height from 60 px down); they are plain background.
    expect(count(longer, 262, 530, BLUE).other).toBe(0);
    // And the three lines are there: the cut title is not blank.
    expect(count(longer, 60, 250, [255, 255, 255]).same).toBeGreaterThan(5000);
    // The one-line kicker and footer are cut too, without pushing into the title or off the band.
    const crowded = await drawn({ title: 'A', kicker: 'Bristol '.repeat(30), footer: 'Coalition '.repeat(30), figure: '1'.repeat(80), brand: BRAND });
    expect(count(crowded, 534, 630, [255, 184, 28]).other).toBeGreaterThan(0);
    // Every line stops inside the right margin: the last 72 columns hold only the two colours.
    for (let y = 0; y < 630; y++) {
      for (let x = 1128; x < 1200; x++) expect(at(crowded, x, y)).toEqual(y < 534 ? BLUE : [255, 184, 28]);
    }
  });

  it('writes in black or white where the brand text colour is not readable (WCAG AA)', async () => {
    // White on a yellow background is about 1.4:1: the card writes black instead.
    const yellow: Rgb = [255, 208, 0];
    const image = await drawn({ title: 'Gwasanaethau iechyd', footer: 'Ymgyrch', brand: { primaryColour: '#ffd000', primaryTextColour: '#ffffff', accentColour: '#330072' } });
    expect(at(image, 5, 5)).toEqual(yellow);
    const title = count(image, 60, 160, [0, 0, 0]);
    expect(title.same).toBeGreaterThan(2000);
    expect(count(image, 60, 160, [255, 255, 255]).same).toBe(0);
    // On the dark accent band the preferred white is readable, so it stays.
    expect(count(image, 540, 630, [255, 255, 255]).same).toBeGreaterThan(500);
  });

  it('draws Welsh and other accented letters and emoji with the shipped fonts, not as missing-glyph boxes, without throwing', async () => {
    const welsh = await drawn({ title: 'Dŵr, ŷd a gwasanaethau iechyd yng Nghymru', kicker: 'Stori · Caerdydd', brand: BRAND });
    const plain = await drawn({ title: 'Dwr, yd a gwasanaethau iechyd yng Nghymru', kicker: 'Stori · Caerdydd', brand: BRAND });
    expect(differ(welsh, plain)).toBe(true);
    // Drawn as letters, not as the missing-glyph box: a character no shipped font has (U+0378) draws differently.
    const missing = (text: string) => drawn({ title: text, brand: BRAND });
    const box = await missing('D\u0378r \u0378d');
    expect(differ(await missing('Dŵr ŷd'), box)).toBe(true);
    expect(differ(await missing('D🏥r ❤️d'), box)).toBe(true);
    expect(differ(await missing('D\u0378r \u0378d'), box)).toBe(false);
    const card = await renderShareCard({ title: 'Café naïve señora Øresund Łódź 🏥❤️👩🏽‍⚕️🏴󠁧󠁢󠁷󠁬󠁳󠁿', figure: '⚕️ 3 stories', footer: '日本語 עברית', brand: BRAND });
    expect((await decodeImage(card.png, 'image/png')).width).toBe(1200);
  });

  it('keeps each card by its content: the same input gives the same card and ETag, known before drawing', async () => {
    const input = { title: 'Bookings open for the Bristol rally', figure: '120 places', brand: BRAND };
    const first = await renderShareCard(input);
    const again = await renderShareCard({ ...input, brand: { ...BRAND } });
    expect(again.etag).toBe(first.etag);
    expect(again.png).toBe(first.png);
    expect(shareCardEtag(input)).toBe(first.etag);
    const moved = await renderShareCard({ ...input, figure: '121 places' });
    expect(moved.etag).not.toBe(first.etag);
    expect(moved.png.equals(first.png)).toBe(false);
  });

  it('picks a readable text colour for any brand colours', () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrastRatio(parseHex('#767676')!, [255, 255, 255])).toBeCloseTo(4.54, 2);
    const channel = fc.integer({ min: 0, max: 255 });
    const rgb = fc.tuple(channel, channel, channel);
    fc.assert(
      fc.property(rgb, fc.option(rgb, { nil: undefined }), (background, preferred) => {
        const text = readableOn(background, preferred);
        expect(contrastRatio(text, background)).toBeGreaterThanOrEqual(4.5);
        if (preferred && contrastRatio(preferred, background) >= 4.5) expect(text).toEqual(preferred);
      }),
      { numRuns: 2000 },
    );
  });

  it('draws a card for any text and any colour strings, never throwing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.option(fc.string({ unit: 'grapheme', maxLength: 120 }), { nil: undefined }),
        fc.string({ maxLength: 10 }),
        fc.constantFrom('#000', '#fff', '#ffb81c', 'red', ''),
        async (title, kicker, primaryColour, accentColour) => {
          const card = await renderShareCard({ title, kicker, figure: kicker, footer: title, brand: { primaryColour, accentColour } });
          expect([card.width, card.height]).toEqual([1200, 630]);
        },
      ),
      { numRuns: 12 },
    );
  });
});
