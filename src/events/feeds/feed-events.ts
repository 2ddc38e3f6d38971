import { sql } from 'kysely';
import { PUBLIC_STATES } from '../states.ts';
import { toEvents, type ChorusEvent } from '../store.ts';
import type { Q } from '../tables.ts';
import type { FeedFilter } from './feed-filter.ts';

/** How far back a calendar feed reaches, so a subscribed calendar keeps the recent past. */
const FEED_PAST_DAYS = 90;
/** The most events one feed carries (soonest first). */
export const FEED_MAX = 1000;

function filtered(q: Q, filter: FeedFilter) {
  let query = q.selectFrom('events').selectAll('events').where('events.state', 'in', [...PUBLIC_STATES]);
  if (filter.type) query = query.where('events.type', '=', filter.type);
  if (filter.region) query = query.where('events.region_code', '=', filter.region.code);
  if (filter.group) {
    const groupId = filter.group.id;
    query = query.where((eb) => eb.exists(eb.selectFrom('event_groups').select('event_groups.event_id').whereRef('event_groups.event_id', '=', 'events.id').where('event_groups.group_id', '=', groupId)));
  }
  return query;
}

/**
 * The public events a feed carries: cancelled ones too (a calendar must hear of the cancellation),
 * the last 90 days and everything to come, and every repeating event (its rule may still run).
 * One query for the events; their groups and tiers come in a fixed few more, whatever the count.
 */
export async function listFeedEvents(q: Q, filter: FeedFilter, options: { now?: Date; order: 'starts' | 'newest'; limit?: number }): Promise<ChorusEvent[]> {
  const now = options.now ?? new Date();
  const since = options.order === 'starts' ? new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000) : now;
  let query = filtered(q, filter).where((eb) => eb.or([eb('events.runs_until', '>', since), eb('events.runs_until', 'is', null)]));
  query = options.order === 'starts'
    ? query.orderBy('events.starts_at').orderBy('events.id')
    : query.orderBy(sql`coalesce(events.published_at, events.created_at)`, 'desc').orderBy('events.id', 'desc');
  return toEvents(q, await query.limit(options.limit ?? FEED_MAX).execute());
}

/**
 * What changes a feed's text: the public events' count, latest change and places booked. One small
 * aggregate, so a feed read many times a second renders once per change (feed-cache.ts).
 */
export async function feedVersion(q: Q): Promise<string> {
  const row = await q
    .selectFrom('events')
    .select(sql<string>`concat_ws('|', count(*), max(updated_at), sum(sequence), sum(places_booked), max(published_at), max(cancelled_at))`.as('v'))
    .where('state', 'in', [...PUBLIC_STATES])
    .executeTakeFirst();
  return row?.v ?? '';
}

/** Public events still to come (or still repeating), soonest first, a page at a time: the JSON list. */
export async function listFeedEventsPage(q: Q, filter: FeedFilter, options: { now?: Date; page: number; perPage: number }): Promise<{ events: ChorusEvent[]; total: number }> {
  const now = options.now ?? new Date();
  const base = filtered(q, filter).where((eb) => eb.or([eb('events.runs_until', '>', now), eb('events.runs_until', 'is', null)]));
  const [rows, total] = await Promise.all([
    base.orderBy('events.starts_at').orderBy('events.id').limit(options.perPage).offset((options.page - 1) * options.perPage).execute(),
    q.selectFrom(base.as('listed')).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { events: await toEvents(q, rows), total: total.n };
}

/** Whether a group's calendar feed has anything in it (its page offers the feed only then). */
export async function groupHasFeedEvents(q: Q, groupId: number, now = new Date()): Promise<boolean> {
  const row = await filtered(q, { group: { id: groupId, name: '', slug: '' } })
    .where((eb) => eb.or([eb('events.runs_until', '>', now), eb('events.runs_until', 'is', null)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
