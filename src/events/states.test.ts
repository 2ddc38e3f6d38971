import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { isBookable, isPast, publicStatus } from './states.ts';
import { findEvent, placesLeft } from './store.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const hour = 3_600_000;

async function insertEvent(values: { starts_at: Date; ends_at: Date; capacity?: number | null }) {
  return t.ctx.db
    .insertInto('events')
    .values({ slug: 'stall', title: 'Street stall', description: 'Come along.', type: 'street_stall', ...values })
    .returning('id')
    .executeTakeFirstOrThrow();
}

describe('event states', () => {
  it('derives "past" from the time, never from a stored state', () => {
    const now = new Date('2026-11-01T12:00:00Z');
    const event = { state: 'published' as const, startsAt: new Date(now.getTime() - 2 * hour), endsAt: new Date(now.getTime() - hour) };
    expect(isPast(event, now)).toBe(true);
    expect(publicStatus(event, now)).toBe('past');
    expect(isBookable(event, now)).toBe(false);
    expect(publicStatus({ ...event, state: 'cancelled' }, now)).toBe('cancelled');
    const upcoming = { state: 'published' as const, startsAt: new Date(now.getTime() + hour), endsAt: new Date(now.getTime() + 2 * hour) };
    expect(publicStatus(upcoming, now)).toBe('upcoming');
    expect(isBookable(upcoming, now)).toBe(true);
    expect(isBookable({ ...upcoming, state: 'draft' }, now)).toBe(false);
  });

  it('cannot store an event that ends before it starts, an unknown state or type', async () => {
    const now = Date.now();
    await expect(insertEvent({ starts_at: new Date(now + 2 * hour), ends_at: new Date(now + hour) })).rejects.toThrow(/check/);
    await expect(sql`insert into events (slug, title, description, type, state, starts_at, ends_at) values ('x', 'x', 'x', 'rally', 'past', now(), now() + interval '1 hour')`.execute(t.ctx.db)).rejects.toThrow(/check/);
    await expect(sql`insert into events (slug, title, description, type, starts_at, ends_at) values ('x', 'x', 'x', 'party', now(), now() + interval '1 hour')`.execute(t.ctx.db)).rejects.toThrow(/check/);
  });

  it('cannot count more places booked than the capacity, on the event or a tier', async () => {
    const now = Date.now();
    const { id } = await insertEvent({ starts_at: new Date(now + hour), ends_at: new Date(now + 2 * hour), capacity: 5 });
    const tier = await t.ctx.db.insertInto('ticket_tiers').values({ event_id: id, position: 1, name: 'Waged', price_pence: 1000, capacity: 3 }).returning('id').executeTakeFirstOrThrow();
    await expect(t.ctx.db.updateTable('events').set({ places_booked: 6 }).where('id', '=', id).execute()).rejects.toThrow(/check/);
    await expect(t.ctx.db.updateTable('ticket_tiers').set({ places_booked: 4 }).where('id', '=', tier.id).execute()).rejects.toThrow(/check/);
    await expect(t.ctx.db.insertInto('ticket_tiers').values({ event_id: id, position: 2, name: 'Bad', price_pence: -1 }).execute()).rejects.toThrow(/check/);
    await t.ctx.db.updateTable('events').set({ places_booked: 2 }).where('id', '=', id).execute();
    await t.ctx.db.updateTable('ticket_tiers').set({ places_booked: 2 }).where('id', '=', tier.id).execute();
    const event = (await findEvent(t.ctx.db, id))!;
    expect(event.tiers).toEqual([{ id: tier.id, position: 1, name: 'Waged', pricePence: 1000, capacity: 3, placesBooked: 2, placesHeld: 0 }]);
    expect(placesLeft(event)).toBe(1);
  });
});
