import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { colourBins, Hexmap, type HexGrid } from './hexmap.tsx';

describe('the hexmap colour scale', () => {
  it('has a band for none, then contiguous bands from 1 to the largest count', () => {
    for (const max of [0, 1, 2, 3, 5, 7, 10, 99, 296, 12_345, 1_000_000]) {
      const bins = colourBins(max);
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
    expect(colourBins(296).map((b) => b.label)).toEqual(['No signatures', '1 to 3', '4 to 10', '11 to 30', '31 to 95', '96 to 296']);
  });
});

describe('the hexmap layout', () => {
  const centres = (grid: HexGrid) => {
    const html = renderToString(<Hexmap grid={grid} counts={new Map()} id="m" title="t" description="d" />);
    return Object.fromEntries(
      [...html.matchAll(/d="M([\d.]+) ([\d.]+)L[^"]*" data-code="([^"]+)"/g)].map((m) => [m[3], { x: Number(m[1]), y: Number(m[2]) }]),
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
    expect(renderToString(<Hexmap grid={{ layout: 'odd-r', hexes: [] }} counts={new Map()} id="m" title="t" description="d" />)).toBe('');
  });
});
