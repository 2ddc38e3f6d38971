import { countsByConstituency as eventCountsByConstituency } from '../../events/index.ts';
import { signatureCountsByConstituency } from '../../petitions/index.ts';
import { storyCountsByConstituency } from '../../stories/index.ts';
import { supporterCountsByConstituency } from '../../supporters/index.ts';
import type { Handle } from '../../platform/index.ts';
import { letterCountsByConstituency } from '../letters/responsiveness.ts';

/**
 * The campaign's figures in one seat, gathered from the capabilities that have them through the
 * count functions they export (politics reads none of their tables), and the letters to MPs
 * (politics' own).
 */
export interface SeatFigures {
  signatures: number;
  supporters: number;
  supportersWithConsent: number;
  storiesReady: number;
  storiesPublished: number;
  storytellersReady: number;
  events: number;
  upcomingEvents: number;
  bookings: number;
  lettersSent: number;
  mpReplies: number;
}

export type SeatFigure = keyof SeatFigures;

export const NO_FIGURES: SeatFigures = { signatures: 0, supporters: 0, supportersWithConsent: 0, storiesReady: 0, storiesPublished: 0, storytellersReady: 0, events: 0, upcomingEvents: 0, bookings: 0, lettersSent: 0, mpReplies: 0 };

/**
 * Every seat's figures. With `since`, what each gained since then (signatures validated, people
 * added, stories consented or published, storytellers made ready, events added and bookings made
 * since `since`): additions only, so a week's change never counts what was taken away.
 */
export async function figuresByConstituency(handle: Handle, options: { now?: Date; since?: Date } = {}): Promise<Map<string, SeatFigures>> {
  const since = options.since ? { since: options.since } : {};
  const [signatures, supporters, events, stories, letters] = await Promise.all([
    signatureCountsByConstituency(handle, since),
    supporterCountsByConstituency(handle, since),
    eventCountsByConstituency(handle, { ...since, ...(options.now ? { now: options.now } : {}) }),
    storyCountsByConstituency(handle, since),
    letterCountsByConstituency(handle, since),
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
  for (const s of stories) Object.assign(of(s.constituencyCode), { storiesReady: s.storiesReady, storiesPublished: s.storiesPublished, storytellersReady: s.storytellersReady });
  for (const [code, l] of letters) Object.assign(of(code), { lettersSent: l.sent, mpReplies: l.replies });
  return figures;
}

/** How each figure is named: on the map's chooser, in its legend ("No signatures") and in the week's change ("+12 signatures this week"). */
export const FIGURES: Record<SeatFigure, { label: string; one: string; many: string; public: boolean }> = {
  signatures: { label: 'Signatures', one: 'signature', many: 'signatures', public: true },
  supporters: { label: 'Supporters', one: 'supporter', many: 'supporters', public: true },
  supportersWithConsent: { label: 'Supporters who agreed to hear from us', one: 'supporter who agreed to hear from us', many: 'supporters who agreed to hear from us', public: false },
  storiesReady: { label: 'Stories ready to use (not published)', one: 'story ready to use', many: 'stories ready to use', public: false },
  storiesPublished: { label: 'Published stories', one: 'published story', many: 'published stories', public: true },
  storytellersReady: { label: 'Storytellers ready to speak', one: 'storyteller ready to speak', many: 'storytellers ready to speak', public: false },
  events: { label: 'Events', one: 'event', many: 'events', public: true },
  upcomingEvents: { label: 'Events still to come', one: 'event still to come', many: 'events still to come', public: false },
  bookings: { label: 'Bookings', one: 'booking', many: 'bookings', public: false },
  lettersSent: { label: 'Letters sent to the MP', one: 'letter sent to the MP', many: 'letters sent to the MP', public: true },
  mpReplies: { label: 'Replies from the MP (writers told us)', one: 'reply from the MP', many: 'replies from the MP', public: false },
};

export const SEAT_FIGURES = Object.keys(FIGURES) as [SeatFigure, ...SeatFigure[]];
/** What the public map may show: aggregates of public activity only (no admin-only figures). */
export const PUBLIC_FIGURES = SEAT_FIGURES.filter((f) => FIGURES[f].public) as [SeatFigure, ...SeatFigure[]];

/** "+12 signatures this week", or "No new signatures this week". */
export function weekChangeText(figure: SeatFigure, change: number): string {
  const f = FIGURES[figure];
  return change > 0 ? `+${change.toLocaleString('en-GB')} ${change === 1 ? f.one : f.many} this week` : `No new ${f.many} this week`;
}
