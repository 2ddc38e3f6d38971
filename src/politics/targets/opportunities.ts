import { actionOpportunities, type ActionOpportunity } from '../../events/index.ts';
import { storytellersReadyNear, type StorytellersNear } from '../../stories/index.ts';
import type { Viewer } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import { seatsOfList } from './list-seats.ts';
import { listTargetLists, targetListFor, visibleGroupIds, type TargetList } from './target-lists.ts';

export interface TargetOpportunity extends ActionOpportunity {
  /** The lists (of those shown) whose seat it is in. */
  lists: Array<{ id: number; name: string }>;
  /** The storytellers ready in that seat or, when none, in its region (only those the viewer may see). */
  near: StorytellersNear;
}

export interface OpportunitiesPage {
  /** The list chosen, or null for every list the viewer may see. */
  list: TargetList | null;
  lists: TargetList[];
  opportunities: TargetOpportunity[];
  seats: number;
}

/**
 * Hustings, surgeries, public meetings and visits with an MP or candidate in the seats of one
 * target list (or of every list the viewer may see), soonest first, each with the storytellers
 * ready in or near the seat. A list the viewer may not see answers 404 (targetListFor); the
 * storytellers are those the viewer's role and groups may see (stories decides).
 */
export async function targetOpportunities(q: Q, viewer: Viewer, options: { listId?: number | undefined; now?: Date } = {}): Promise<OpportunitiesPage> {
  const visible = await listTargetLists(q, await visibleGroupIds(q, viewer));
  const chosen = options.listId !== undefined ? await targetListFor(q, viewer, options.listId, 'view') : null;
  const shown = chosen ? [chosen] : visible;
  const seatLists = new Map<string, Array<{ id: number; name: string }>>();
  for (const list of shown) {
    for (const seat of await seatsOfList(q, list.id)) seatLists.set(seat.code, [...(seatLists.get(seat.code) ?? []), { id: list.id, name: list.name }]);
  }
  const events = await actionOpportunities(q, { constituencyCodes: [...seatLists.keys()], now: options.now ?? new Date(), limit: 200 });
  const near = new Map((await storytellersReadyNear(q, { constituencyCodes: events.map((e) => e.constituency.code), viewer })).map((n) => [n.constituencyCode, n]));
  return {
    list: chosen,
    lists: visible,
    seats: seatLists.size,
    opportunities: events.map((e) => ({ ...e, lists: seatLists.get(e.constituency.code) ?? [], near: near.get(e.constituency.code) ?? { constituencyCode: e.constituency.code, near: 'none', storytellers: [] } })),
  };
}
