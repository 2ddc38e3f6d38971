import type { SeatFigures } from './seat-figures.ts';

/** How a list's seats are ordered: most marginal first, or where the campaign is strongest. */
export const SEAT_ORDERS = ['marginality', 'signatures', 'supporters', 'events'] as const;
export type SeatOrder = (typeof SEAT_ORDERS)[number];

export const seatOrderLabels: Record<SeatOrder, string> = {
  marginality: 'Most marginal first',
  signatures: 'Most signatures first',
  supporters: 'Most supporters first',
  events: 'Most events first',
};

export interface RankableSeat {
  code: string;
  name: string;
  /** Majority / valid votes; null when the results are not loaded. */
  marginality: number | null;
  figures: SeatFigures;
}

const strength: Record<Exclude<SeatOrder, 'marginality'>, (f: SeatFigures) => number> = {
  signatures: (f) => f.signatures,
  supporters: (f) => f.supporters,
  events: (f) => f.events,
};

function byMarginality(a: RankableSeat, b: RankableSeat): number {
  if (a.marginality === null || b.marginality === null) return a.marginality === b.marginality ? 0 : a.marginality === null ? 1 : -1;
  return a.marginality - b.marginality;
}

/**
 * Seats in order with their rank (1 first). Seats equal on the figure share a rank; ties are
 * listed most marginal first, then by name. Seats without results come last by marginality.
 */
export function rankSeats<S extends RankableSeat>(seats: readonly S[], order: SeatOrder): Array<S & { rank: number }> {
  const key = order === 'marginality' ? null : strength[order];
  const compareKey = (a: S, b: S) => (key ? key(b.figures) - key(a.figures) : byMarginality(a, b));
  const sorted = [...seats].sort((a, b) => compareKey(a, b) || byMarginality(a, b) || a.name.localeCompare(b.name, 'en-GB') || a.code.localeCompare(b.code));
  let rank = 0;
  return sorted.map((seat, index) => {
    if (index === 0 || compareKey(sorted[index - 1]!, seat) !== 0) rank = index + 1;
    return { ...seat, rank };
  });
}
