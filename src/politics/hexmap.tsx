import { renderToString } from 'preact-render-to-string';
import { formatNumber } from '../platform/index.ts';
import type { Hex as ConstituencyHex, HexLayoutName } from './hexes.ts';

type Hex = Pick<ConstituencyHex, 'code' | 'name' | 'q' | 'r'>;

/** What the map draws: the layout and each constituency's hex in it. */
export interface HexGrid {
  layout: HexLayoutName;
  hexes: Hex[];
}

export interface ColourBin {
  /** 0 for "no signatures", then 1 to 5 from lightest to darkest. */
  level: number;
  from: number;
  to: number;
  label: string;
}

/**
 * Up to five bands from 1 to the largest count, plus one for none ("No <plural>"). Counts cluster (a campaign's
 * home town has most), so bands grow geometrically: each covers more than the last.
 */
export function colourBins(max: number, plural: string): ColourBin[] {
  const bins: ColourBin[] = [{ level: 0, from: 0, to: 0, label: `No ${plural}` }];
  if (max <= 0) return bins;
  const bands = Math.min(5, max);
  let from = 1;
  for (let i = 1; i <= bands && from <= max; i++) {
    const to = i === bands ? max : Math.max(from, Math.round(Math.pow(max, i / bands)));
    bins.push({ level: bins.length, from, to, label: from === to ? formatNumber(from) : `${formatNumber(from)} to ${formatNumber(to)}` });
    from = to + 1;
  }
  return bins;
}

function levelOf(bins: ColourBin[], count: number): number {
  return bins.find((b) => count >= b.from && count <= b.to)?.level ?? 0;
}

/**
 * The fill of each level. The map is an image of its own (no page styles reach it), so its
 * colours are written in it; a page's legend uses the same ones (.hex-fill--N in public/app.css).
 */
export const HEX_FILLS = ['#e6e9eb', '#c6dbef', '#8fbde0', '#4a90c8', '#1d63a8', '#08306b'] as const;

const SIZE = 10;
const W = Math.sqrt(3) * SIZE;

/** Centre of a hex in SVG units; rows are counted upwards (HexJSON), so they are drawn from the top row down. */
function centre(layout: HexLayoutName, hex: Hex, qMin: number, rMax: number): [number, number] {
  const odd = (n: number) => Math.abs(n) % 2 === 1;
  if (layout === 'odd-r' || layout === 'even-r') {
    const shifted = layout === 'odd-r' ? odd(hex.r) : !odd(hex.r);
    return [(hex.q - qMin) * W + (shifted ? W : W / 2), (rMax - hex.r) * 1.5 * SIZE + SIZE];
  }
  const shifted = layout === 'odd-q' ? odd(hex.q) : !odd(hex.q);
  return [(hex.q - qMin) * 1.5 * SIZE + SIZE, (rMax - hex.r) * W + (shifted ? W : W / 2)];
}

function outline(layout: HexLayoutName, [x, y]: [number, number]): string {
  const pointy = layout === 'odd-r' || layout === 'even-r';
  const corners = Array.from({ length: 6 }, (_, i) => {
    const angle = (Math.PI / 180) * (60 * i + (pointy ? -90 : 0));
    return `${(x + SIZE * Math.cos(angle)).toFixed(1)} ${(y + SIZE * Math.sin(angle)).toFixed(1)}`;
  });
  return `M${corners.join('L')}Z`;
}

interface Placed {
  centres: Array<[number, number]>;
  width: number;
  height: number;
}

function place(grid: HexGrid): Placed {
  const qMin = Math.min(...grid.hexes.map((h) => h.q));
  const rMax = Math.max(...grid.hexes.map((h) => h.r));
  const centres = grid.hexes.map((h) => centre(grid.layout, h, qMin, rMax));
  return {
    centres,
    width: Math.round(Math.max(...centres.map((c) => c[0])) + W),
    height: Math.round(Math.max(...centres.map((c) => c[1])) + SIZE * 1.5),
  };
}

/** The map's size in SVG units (also its size in CSS pixels when shown as is), for an <img>'s width and height. */
export function hexmapSize(grid: HexGrid): { width: number; height: number } | undefined {
  if (grid.hexes.length === 0) return undefined;
  const { width, height } = place(grid);
  return { width, height };
}

export interface HexmapText {
  /** What the map shows, read first by screen readers (the SVG's title). */
  title: string;
  /** A sentence or two more (its desc): where the same figures are as text. */
  description: string;
  /** What is counted, as in "3 signatures" and "1 signature". */
  noun: { one: string; many: string };
  /**
   * Seats drawn with a heavy outline (a target list's), and what each one's title adds
   * ("on the list"). The outline is dark with a light core, so it shows on every fill.
   */
  outlined?: { codes: ReadonlySet<string>; label: string };
}

/** The marked seats' outline: a dark edge under a light core. */
export const OUTLINE = { edge: '#0b0c0c', core: '#ffdd00' } as const;

/**
 * Counts by constituency as a hex cartogram: a standalone SVG document (for its own address,
 * shown with <img>), one hex per constituency shaded by its band of colourBins, each with a title
 * giving its name and count. No script, no styles and nothing loaded from elsewhere. Undefined
 * when no hexes are imported.
 */
export function hexmapSvg(grid: HexGrid, counts: ReadonlyMap<string, number>, text: HexmapText): string | undefined {
  if (grid.hexes.length === 0) return undefined;
  const { centres, width, height } = place(grid);
  const bins = colourBins(Math.max(0, ...grid.hexes.map((h) => counts.get(h.code) ?? 0)), text.noun.many);
  const marked = text.outlined;
  const titleOf = (hex: Hex, count: number) => `${hex.name}: ${formatNumber(count)} ${count === 1 ? text.noun.one : text.noun.many}${marked?.codes.has(hex.code) ? ` (${marked.label})` : ''}`;
  const svg = (
    <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="hexmap-title hexmap-desc" width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <title id="hexmap-title">{text.title}</title>
      <desc id="hexmap-desc">{text.description}</desc>
      <g stroke="#ffffff" stroke-width="0.8">
        {grid.hexes.map((hex, i) => {
          const count = counts.get(hex.code) ?? 0;
          const level = levelOf(bins, count);
          return (
            <path d={outline(grid.layout, centres[i]!)} fill={HEX_FILLS[level]} data-code={hex.code} data-level={level} data-outlined={marked?.codes.has(hex.code) ? 'true' : undefined}>
              <title>{titleOf(hex, count)}</title>
            </path>
          );
        })}
      </g>
      {marked && marked.codes.size > 0 ? (
        // Drawn last, over their neighbours' white edges, so every marked seat's whole outline shows.
        <g fill="none" stroke-linejoin="round" data-outlines="true">
          {grid.hexes.map((hex, i) =>
            marked.codes.has(hex.code) ? (
              <g data-outline={hex.code}>
                <path d={outline(grid.layout, centres[i]!)} stroke={OUTLINE.edge} stroke-width="2.6" />
                <path d={outline(grid.layout, centres[i]!)} stroke={OUTLINE.core} stroke-width="1.1" />
              </g>
            ) : null,
          )}
        </g>
      ) : null}
    </svg>
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderToString(svg)}`;
}

/**
 * A layer of links, one per hex, drawn to lie exactly over the map's image (same view box; the
 * page stacks the two): each hex opens its seat's page, and each link is named (its seat and
 * figure) for keyboards and screen readers. Undefined when no hexes are imported.
 */
export function HexmapLinks({ grid, href, label, name }: { grid: HexGrid; href: (code: string) => string; label: (hex: Hex) => string; name: string }) {
  if (grid.hexes.length === 0) return null;
  const { centres, width, height } = place(grid);
  return (
    <svg class="hexmap-links" xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${width} ${height}`} role="group" aria-label={name}>
      {grid.hexes.map((hex, i) => (
        <a href={href(hex.code)} aria-label={label(hex)}>
          <path d={outline(grid.layout, centres[i]!)} />
        </a>
      ))}
    </svg>
  );
}
