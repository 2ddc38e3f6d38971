import { z } from 'zod';
import type { Viewer } from '../../platform/index.ts';
import { hexLayout } from '../hexes.ts';
import type { HexGrid } from '../hexmap.tsx';
import type { Q } from '../tables.ts';
import { everySeat, seatsOfList } from './list-seats.ts';
import { FIGURES, figuresByConstituency, NO_FIGURES, PUBLIC_FIGURES, SEAT_FIGURES, type SeatFigure, type SeatFigures } from './seat-figures.ts';
import { targetListFor, type TargetList } from './target-lists.ts';

/** How the map's table may be ordered (its column headings are links to these). */
export const MAP_SORTS = ['figure', 'seat', 'majority', 'rank'] as const;
export type MapSort = (typeof MAP_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

const id = z.string().regex(/^\d{1,9}$/).transform(Number);

/** The map pages' query string: anything unknown or malformed falls back to the default, never an error. */
export const mapQuery = z.object({
  figure: z.enum(SEAT_FIGURES).catch('signatures'),
  sort: z.enum(MAP_SORTS).catch('figure'),
  dir: z.enum(['asc', 'desc']).optional().catch(undefined),
  list: id.optional().catch(undefined),
});
export const publicMapQuery = mapQuery.extend({ figure: z.enum(PUBLIC_FIGURES).catch('signatures') }).omit({ list: true });
export type MapQuery = z.infer<typeof mapQuery>;

export interface MapRow {
  code: string;
  name: string;
  regionName: string | null;
  mp: { name: string; party: string | null } | null;
  majority: number | null;
  marginality: number | null;
  /** Among all seats with results: 1 for the most marginal. */
  nationalRank: number | null;
  onList: boolean;
  /** The chosen figure here. */
  value: number;
  figures: SeatFigures;
}

export interface SeatMap {
  grid: HexGrid;
  figure: SeatFigure;
  list: TargetList | null;
  /** The rows the table shows: the list's seats on a list's map, every seat otherwise. */
  rows: MapRow[];
  /** Every seat, for the CSV and the map. */
  all: MapRow[];
  outlined: Set<string>;
  counts: Map<string, number>;
  max: number;
}

/**
 * What a map page, its image and its CSV show: every seat's figures, the list's seats outlined
 * (the list only when the viewer may see it: targetListFor answers 404 otherwise).
 */
export async function seatMapData(q: Q, viewer: Viewer | null, options: { figure: SeatFigure; listId?: number | undefined; listOnly?: boolean }): Promise<SeatMap> {
  const list = options.listId !== undefined && viewer ? await targetListFor(q, viewer, options.listId, 'view') : null;
  const [grid, seats, listSeats, figures] = await Promise.all([hexLayout(q), everySeat(q), list ? seatsOfList(q, list.id) : Promise.resolve([]), figuresByConstituency(q)]);
  const outlined = new Set(listSeats.map((s) => s.code));
  const all: MapRow[] = seats.map((s) => {
    const f = figures.get(s.code) ?? NO_FIGURES;
    return { code: s.code, name: s.name, regionName: s.regionName, mp: s.mp, majority: s.majority, marginality: s.marginality, nationalRank: s.nationalRank, onList: outlined.has(s.code), value: f[options.figure], figures: f };
  });
  const counts = new Map(all.map((r) => [r.code, r.value]));
  return {
    grid: grid ?? { layout: 'odd-r', hexes: [] },
    figure: options.figure,
    list,
    rows: list && options.listOnly ? all.filter((r) => r.onList) : all,
    all,
    outlined,
    counts,
    max: Math.max(0, ...all.map((r) => r.value)),
  };
}

const byName = (a: MapRow, b: MapRow) => a.name.localeCompare(b.name, 'en-GB') || a.code.localeCompare(b.code);
const nullsLast = (a: number | null, b: number | null) => (a === null || b === null ? (a === b ? 0 : a === null ? 1 : -1) : a - b);

/** The default direction of each order: the biggest figure first, the most marginal first, A to Z. */
export const defaultDirection: Record<MapSort, SortDirection> = { figure: 'desc', seat: 'asc', majority: 'asc', rank: 'asc' };

export function sortMapRows(rows: readonly MapRow[], sort: MapSort, dir: SortDirection = defaultDirection[sort]): MapRow[] {
  const compare: Record<MapSort, (a: MapRow, b: MapRow) => number> = {
    figure: (a, b) => a.value - b.value,
    seat: byName,
    majority: (a, b) => nullsLast(a.majority, b.majority),
    rank: (a, b) => nullsLast(a.nationalRank, b.nationalRank),
  };
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const primary = compare[sort](a, b);
    // Missing results stay last whichever way the column is ordered.
    if ((sort === 'majority' || sort === 'rank') && (a[sort === 'rank' ? 'nationalRank' : 'majority'] === null) !== (b[sort === 'rank' ? 'nationalRank' : 'majority'] === null)) return primary;
    return sign * primary || byName(a, b);
  });
}

/** The CSV's columns: the seat, its 2024 result and every figure. */
export function mapCsvColumns(figures: readonly SeatFigure[]): string[] {
  return ['Code', 'Seat', 'Region', 'MP', 'MP party', '2024 majority', 'Majority share of valid votes', 'Marginality rank', 'On the list', ...figures.map((f) => FIGURES[f].label)];
}

export async function* mapCsvRows(rows: readonly MapRow[], figures: readonly SeatFigure[]): AsyncIterable<unknown[]> {
  for (const r of rows) {
    yield [r.code, r.name, r.regionName, r.mp?.name ?? null, r.mp?.party ?? null, r.majority, r.marginality === null ? null : r.marginality.toFixed(4), r.nationalRank, r.onList ? 'yes' : 'no', ...figures.map((f) => r.figures[f])];
  }
}
