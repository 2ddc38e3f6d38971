import { actionOpportunities, type ActionOpportunity } from '../../events/index.ts';
import { signaturesInConstituency, type PetitionSignaturesInSeat } from '../../petitions/index.ts';
import { listGroups } from '../../coalition/index.ts';
import { notFound, type Viewer } from '../../platform/index.ts';
import { getConstituency } from '../constituencies.ts';
import type { Q } from '../tables.ts';
import { mpResponsiveness } from '../letters/responsiveness.ts';
import { candidatesIn } from './list-seats.ts';
import { figuresByConstituency, NO_FIGURES } from './seat-figures.ts';
import { listsWithSeat } from './target-lists.ts';
import type { SeatPageProps } from './views.tsx';

export type { ActionOpportunity, PetitionSignaturesInSeat };

/** "The last 7 days": what each figure gained in the week to now. */
export const WEEK_MS = 7 * 86_400_000;

/** Everything the organisers' page for one seat shows, from politics and the capabilities' exported counts. */
export async function seatPageData(q: Q, viewer: Viewer, code: string, now = new Date()): Promise<SeatPageProps> {
  const seat = await getConstituency(q, code);
  if (!seat) throw notFound('constituency');
  const [lists, candidates, figures, week, petitions, opportunities, groups, responsiveness] = await Promise.all([
    listsWithSeat(q, viewer, seat.code),
    candidatesIn(q, seat.code),
    figuresByConstituency(q, { now }),
    figuresByConstituency(q, { now, since: new Date(now.getTime() - WEEK_MS) }),
    signaturesInConstituency(q, seat.code),
    actionOpportunities(q, { constituencyCode: seat.code, now, limit: 20 }),
    listGroups(q),
    mpResponsiveness(q, { constituencyCode: seat.code }),
  ]);
  return {
    seat: {
      code: seat.code,
      name: seat.name,
      regionName: seat.regionName,
      mp: seat.mp,
      majority: seat.majority,
      marginality: seat.marginality,
      marginalityRank: seat.marginalityRank,
      rankedSeats: seat.rankedSeats,
      result: seat.result?.text ?? null,
    },
    lists,
    groups: new Map(groups.map((g) => [g.id, g.name])),
    candidates,
    figures: figures.get(seat.code) ?? NO_FIGURES,
    week: week.get(seat.code) ?? NO_FIGURES,
    petitions,
    opportunities,
    responsiveness,
  };
}
