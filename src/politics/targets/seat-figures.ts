import { countsByConstituency as eventCountsByConstituency } from '../../events/index.ts';
import { signatureCountsByConstituency } from '../../petitions/index.ts';
import { supporterCountsByConstituency } from '../../supporters/index.ts';
import type { Handle } from '../../platform/index.ts';

/**
 * The campaign's figures in one seat, gathered from the capabilities that have them through the
 * count functions they export (politics reads none of their tables). Stories and letters join
 * when those capabilities exist.
 */
export interface SeatFigures {
  signatures: number;
  supporters: number;
  supportersWithConsent: number;
  events: number;
  upcomingEvents: number;
  bookings: number;
}

export const NO_FIGURES: SeatFigures = { signatures: 0, supporters: 0, supportersWithConsent: 0, events: 0, upcomingEvents: 0, bookings: 0 };

export async function figuresByConstituency(handle: Handle, options: { now?: Date } = {}): Promise<Map<string, SeatFigures>> {
  const [signatures, supporters, events] = await Promise.all([
    signatureCountsByConstituency(handle),
    supporterCountsByConstituency(handle),
    eventCountsByConstituency(handle, options),
  ]);
  const figures = new Map<string, SeatFigures>();
  const of = (code: string) => {
    let f = figures.get(code);
    if (!f) figures.set(code, (f = { ...NO_FIGURES }));
    return f;
  };
  for (const s of signatures) of(s.constituencyCode).signatures = s.signatures;
  for (const s of supporters) Object.assign(of(s.constituencyCode), { supporters: s.supporters, supportersWithConsent: s.withLiveConsent });
  for (const e of events) Object.assign(of(e.constituencyCode), { events: e.events, upcomingEvents: e.upcoming, bookings: e.bookings });
  return figures;
}
