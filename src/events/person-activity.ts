import { sql, type RawBuilder } from 'kysely';
import { formatLondon, type ActionEntry, type PersonActivity, type PersonCondition } from '../platform/index.ts';
import { eventsQ } from './tables.ts';

/**
 * What people did at events, for the supporters capability: the timeline's entries in words
 * ("Booked 2 places at “Hustings”", "Attended “Hustings”"), and "booked on an event" and
 * "attended an event" (checked in on the door) as segment conditions over the bookings, so a
 * mailing can go to everyone booked on one event. Installed through the manifest.
 */

const placesWord = (n: unknown) => (n === 1 ? '1 place' : typeof n === 'number' ? `${n} places` : 'places');
const quoted = (entry: ActionEntry) => (typeof entry.detail.event === 'string' ? `“${entry.detail.event}”` : `event ${entry.subjectId ?? ''}`.trim());
const reference = (entry: ActionEntry) => (typeof entry.detail.reference === 'string' ? ` (${entry.detail.reference})` : '');

/** Bookings held now (not cancelled), or those checked in on the door, of one event or any. */
function booked(person: RawBuilder<unknown>, eventId: number | null, attended: boolean): RawBuilder<boolean> {
  const one = eventId === null ? sql`` : sql` and b.event_id = ${eventId}::int`;
  const arrived = attended ? sql` and b.checked_in_at is not null` : sql``;
  return sql<boolean>`exists (select 1 from bookings b where b.person_id = ${person} and b.status = 'booked'${one}${arrived})`;
}

const OFFERED = 500;

async function choices(q: Parameters<PersonCondition['choices']>[0], groupIds: number[] | 'all') {
  if (groupIds !== 'all' && groupIds.length === 0) return [];
  const mine = groupIds === 'all' ? sql`true` : sql`exists (select 1 from event_groups g where g.event_id = e.id and g.group_id = any(${groupIds}::int[]))`;
  const { rows } = await sql<{ id: number; title: string; starts_at: Date }>`
    select e.id, e.title, e.starts_at from events e where e.state in ('published', 'cancelled') and ${mine}
    order by e.starts_at desc, e.id desc limit ${OFFERED}`.execute(eventsQ(q));
  return rows.map((r) => ({ id: r.id, name: `${r.title}, ${formatLondon(r.starts_at, 'short-date')}` }));
}

async function names(q: Parameters<PersonCondition['names']>[0], ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  const { rows } = await sql<{ id: number; title: string }>`select id, title from events where id = any(${ids}::int[])`.execute(eventsQ(q));
  return new Map(rows.map((r) => [r.id, r.title]));
}

async function outOfReach(q: Parameters<PersonCondition['outOfReach']>[0], ids: number[], groupIds: number[]) {
  if (ids.length === 0) return new Set<number>();
  const { rows } = await sql<{ id: number }>`
    select wanted.id from unnest(${ids}::int[]) as wanted(id)
    where not exists (select 1 from event_groups g where g.event_id = wanted.id and g.group_id = any(${groupIds}::int[]))`.execute(eventsQ(q));
  return new Set(rows.map((r) => r.id));
}

const shared = { subjectLabel: 'Which event', anySubject: 'Any event', choices, names, outOfReach };

export const eventActivity: PersonActivity = {
  actions: {
    'event.booked': {
      label: 'Booked on an event',
      sentence: (e) => `${e.detail.walkIn ? 'Added on the door at' : `Booked ${placesWord(e.detail.places)} at`} ${quoted(e)}${typeof e.detail.tier === 'string' && e.detail.tier !== 'Free' ? ` (${e.detail.tier})` : ''}${reference(e)}`,
    },
    'event.booking-cancelled': { label: 'Cancelled an event booking', sentence: (e) => `Cancelled their booking${reference(e)} of ${placesWord(e.detail.places)}${e.detail.event ? ` at ${quoted(e)}` : ''}` },
    'event.attended': { label: 'Attended an event', sentence: (e) => `Attended ${quoted(e)}${reference(e)}` },
    'event.check-in-undone': { label: 'Had an event check-in undone', sentence: (e) => `Check-in at ${quoted(e)} undone on the door${reference(e)}` },
  },
  conditions: [
    { key: 'event.booked', label: 'Booked on an event', matches: (person, id) => booked(person, id, false), ...shared },
    { key: 'event.attended', label: 'Attended an event (checked in)', matches: (person, id) => booked(person, id, true), ...shared },
  ],
};
