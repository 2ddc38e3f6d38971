import { describe, expect, it } from 'vitest';
import { rankSeats, type RankableSeat } from './ranking.ts';
import { NO_FIGURES, type SeatFigures } from './seat-figures.ts';

const seat = (name: string, marginality: number | null, figures: Partial<SeatFigures> = {}): RankableSeat => ({ code: `E1400${name.length}${name}`, name, marginality, figures: { ...NO_FIGURES, ...figures } });

const seats = [
  seat('Poole', 18 / 40000, { signatures: 5, supporters: 2, events: 1 }),
  seat('Hendon', 15 / 41256, { signatures: 5, supporters: 9 }),
  seat('Basildon and Billericay', 20 / 40000, { signatures: 40, supporters: 2, events: 3 }),
  seat('Unknown Result', null, { signatures: 40, supporters: 1 }),
  seat('Clacton', 0.2, { signatures: 0, supporters: 0, events: 3 }),
];
const order = (ranked: Array<RankableSeat & { rank: number }>) => ranked.map((s) => `${s.rank} ${s.name}`);

describe('ranking a target list', () => {
  it('by marginality: the narrowest majority share first, seats without results last', () => {
    expect(order(rankSeats(seats, 'marginality'))).toEqual(['1 Hendon', '2 Poole', '3 Basildon and Billericay', '4 Clacton', '5 Unknown Result']);
  });

  it('by campaign strength: most first, equal figures share a rank and are listed most marginal first', () => {
    expect(order(rankSeats(seats, 'signatures'))).toEqual(['1 Basildon and Billericay', '1 Unknown Result', '3 Hendon', '3 Poole', '5 Clacton']);
    expect(order(rankSeats(seats, 'supporters'))).toEqual(['1 Hendon', '2 Poole', '2 Basildon and Billericay', '4 Unknown Result', '5 Clacton']);
    expect(order(rankSeats(seats, 'events'))).toEqual(['1 Basildon and Billericay', '1 Clacton', '3 Poole', '4 Hendon', '4 Unknown Result']);
  });
});
