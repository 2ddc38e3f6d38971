import { describe, expect, it } from 'vitest';
import { colourBins, HEX_FILLS, hexmapSize, hexmapSvg, type HexGrid } from './hexmap.tsx';

const text = { title: 'Map <of> things', description: 'Figures & more in the table.', noun: { one: 'signature', many: 'signatures' } };

describe('the hexmap colour scale', () => {
  it('has a band for none, then contiguous bands from 1 to the largest count', () => {
    for (const max of [0, 1, 2, 3, 5, 7, 10, 99, 296, 12_345, 1_000_000]) {
      const bins = colourBins(max, 'signatures');
      expect(bins[0]).toMatchObject({ level: 0, from: 0, to: 0, label: 'No signatures' });
      const bands = bins.slice(1);
      expect(bands.length).toBe(Math.min(5, max));
      let expectedFrom = 1;
      for (const b of bands) {
        expect(b.from).toBe(expectedFrom);
        expect(b.to).toBeGreaterThanOrEqual(b.from);
        expectedFrom = b.to + 1;
      }
      if (max > 0) expect(bands.at(-1)!.to).toBe(max);
    }
    expect(colourBins(296, 'signatures').map((b) => b.label)).toEqual(['No signatures', '1 to 3', '4 to 10', '11 to 30', '31 to 95', '96 to 296']);
  });
});

describe('the hexmap layout', () => {
  const centres = (grid: HexGrid) => {
    const svg = hexmapSvg(grid, new Map(), text)!;
    return Object.fromEntries(
      [...svg.matchAll(/d="M([\d.]+) ([\d.]+)L[^"]*" fill="[^"]+" data-code="([^"]+)"/g)].map((m) => [m[3], { x: Number(m[1]), y: Number(m[2]) }]),
    );
  };

  it('shifts odd rows right in odd-r, and draws rows counted upwards from the top', () => {
    const c = centres({ layout: 'odd-r', hexes: [{ code: 'A', name: 'A', q: 0, r: 0 }, { code: 'B', name: 'B', q: 0, r: 1 }, { code: 'C', name: 'C', q: 1, r: 0 }] });
    // The first point of each outline is its top corner: straight above the centre.
    expect(c.B!.x - c.A!.x).toBeCloseTo(Math.sqrt(3) * 10 / 2, 0);
    expect(c.B!.y).toBeLessThan(c.A!.y);
    expect(c.C!.x - c.A!.x).toBeCloseTo(Math.sqrt(3) * 10, 0);
  });

  it('shifts even rows right in even-r', () => {
    const c = centres({ layout: 'even-r', hexes: [{ code: 'A', name: 'A', q: 0, r: 0 }, { code: 'B', name: 'B', q: 0, r: 1 }] });
    expect(c.A!.x - c.B!.x).toBeCloseTo(Math.sqrt(3) * 10 / 2, 0);
  });

  it('draws nothing when no hexes are imported', () => {
    expect(hexmapSvg({ layout: 'odd-r', hexes: [] }, new Map(), text)).toBeUndefined();
    expect(hexmapSize({ layout: 'odd-r', hexes: [] })).toBeUndefined();
  });
});

describe('the hexmap as an SVG document', () => {
  const grid: HexGrid = { layout: 'odd-r', hexes: [{ code: 'A', name: 'Aville', q: 0, r: 0 }, { code: 'B', name: 'B & Co', q: 1, r: 0 }, { code: 'C', name: 'Cee', q: 2, r: 0 }] };
  const svg = hexmapSvg(grid, new Map([['A', 296], ['B', 1]]), text)!;

  it('is a standalone, labelled image: its title and desc name it, escaped', () => {
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img" aria-labelledby="hexmap-title hexmap-desc"/);
    expect(svg).toContain('<title id="hexmap-title">Map &lt;of> things</title>');
    expect(svg).toContain('<desc id="hexmap-desc">Figures &amp; more in the table.</desc>');
    const size = hexmapSize(grid)!;
    expect(svg).toContain(`width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}"`);
  });

  it('shades each hex by its band, with its name and count as its title, and loads or runs nothing', () => {
    const hexes = [...svg.matchAll(/<path d="[^"]+" fill="([^"]+)" data-code="([^"]+)" data-level="(\d)"><title>([^<]+)<\/title><\/path>/g)];
    expect(hexes.map((h) => [h[2], h[1], Number(h[3]), h[4]])).toEqual([
      ['A', HEX_FILLS[5], 5, 'Aville: 296 signatures'],
      ['B', HEX_FILLS[1], 1, 'B &amp; Co: 1 signature'],
      ['C', HEX_FILLS[0], 0, 'Cee: 0 signatures'],
    ]);
    expect(svg).not.toMatch(/<script|<style|href=|url\(/);
  });
});
