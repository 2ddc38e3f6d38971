import { formatNumber } from '../platform/index.ts';
import { hexLayout, type Hex as ConstituencyHex, type HexLayoutName as HexLayout } from '../politics/index.ts';
import type { Q } from './tables.ts';

type Hex = Pick<ConstituencyHex, 'code' | 'name' | 'q' | 'r'>;

/** What the map draws: the layout and each constituency's hex in it. */
export interface HexGrid {
  layout: HexLayout;
  hexes: Hex[];
}

/** The constituency cartogram imported from HexJSON (politics), in its layout; no hexes when none is imported. */
async function loadHexGrid(q: Q): Promise<HexGrid> {
  return (await hexLayout(q)) ?? { layout: 'odd-r', hexes: [] };
}

/** Reference data changes on import only: one read a minute per process is plenty. */
export class HexGridCache {
  private value: { at: number; grid: Promise<HexGrid> } | undefined;
  constructor(private readonly maxAgeMs = 60_000) {}

  get(q: Q): Promise<HexGrid> {
    if (!this.value || Date.now() - this.value.at > this.maxAgeMs) {
      const grid = loadHexGrid(q);
      this.value = { at: Date.now(), grid };
      grid.catch(() => (this.value = undefined));
    }
    return this.value.grid;
  }
}

export interface ColourBin {
  /** 0 for "no signatures", then 1 to 5 from lightest to darkest. */
  level: number;
  from: number;
  to: number;
  label: string;
}

/**
 * Up to five bands from 1 to the largest count, plus one for none. Signatures cluster (a
 * campaign's home town has most), so bands grow geometrically: each covers more than the last.
 */
export function colourBins(max: number): ColourBin[] {
  const bins: ColourBin[] = [{ level: 0, from: 0, to: 0, label: 'No signatures' }];
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

const SIZE = 10;
const W = Math.sqrt(3) * SIZE;

/** Centre of a hex in SVG units; rows are counted upwards (HexJSON), so they are drawn from the top row down. */
function centre(layout: HexLayout, hex: Hex, qMin: number, rMax: number): [number, number] {
  const odd = (n: number) => Math.abs(n) % 2 === 1;
  if (layout === 'odd-r' || layout === 'even-r') {
    const shifted = layout === 'odd-r' ? odd(hex.r) : !odd(hex.r);
    return [(hex.q - qMin) * W + (shifted ? W : W / 2), (rMax - hex.r) * 1.5 * SIZE + SIZE];
  }
  const shifted = layout === 'odd-q' ? odd(hex.q) : !odd(hex.q);
  return [(hex.q - qMin) * 1.5 * SIZE + SIZE, (rMax - hex.r) * W + (shifted ? W : W / 2)];
}

function outline(layout: HexLayout, [x, y]: [number, number]): string {
  const pointy = layout === 'odd-r' || layout === 'even-r';
  const corners = Array.from({ length: 6 }, (_, i) => {
    const angle = (Math.PI / 180) * (60 * i + (pointy ? -90 : 0));
    return `${(x + SIZE * Math.cos(angle)).toFixed(1)} ${(y + SIZE * Math.sin(angle)).toFixed(1)}`;
  });
  return `M${corners.join('L')}Z`;
}

export interface HexmapProps {
  grid: HexGrid;
  counts: Map<string, number>;
  id: string;
  title: string;
  description: string;
}

/**
 * Signatures by constituency as a hex cartogram, drawn on the server as SVG: one hex per
 * constituency, shaded by its count (the legend gives the bands; each hex's title its figures).
 */
export function Hexmap({ grid, counts, id, title, description }: HexmapProps) {
  if (grid.hexes.length === 0) return null;
  const qs = grid.hexes.map((h) => h.q);
  const rs = grid.hexes.map((h) => h.r);
  const qMin = Math.min(...qs);
  const rMax = Math.max(...rs);
  const centres = grid.hexes.map((h) => centre(grid.layout, h, qMin, rMax));
  const width = Math.max(...centres.map((c) => c[0])) + W;
  const height = Math.max(...centres.map((c) => c[1])) + SIZE * 1.5;
  const bins = colourBins(Math.max(0, ...grid.hexes.map((h) => counts.get(h.code) ?? 0)));
  return (
    <figure class="hexmap">
      <svg
        class="hexmap__svg"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${width.toFixed(0)} ${height.toFixed(0)}`}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {grid.hexes.map((hex, i) => {
          const count = counts.get(hex.code) ?? 0;
          return (
            <path class={`hex hex--${levelOf(bins, count)}`} d={outline(grid.layout, centres[i]!)} data-code={hex.code}>
              <title>{`${hex.name}: ${formatNumber(count)} ${count === 1 ? 'signature' : 'signatures'}`}</title>
            </path>
          );
        })}
      </svg>
      <figcaption>
        <p class="hexmap__key-title">Key: signatures per constituency</p>
        <ul class="hexmap-legend">
          {bins.map((b) => (
            <li>
              <span class={`hexmap-legend__swatch hex-fill--${b.level}`} aria-hidden="true" />
              {b.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
