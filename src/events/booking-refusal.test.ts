import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { findEvent } from './store.ts';
import { makeEvent } from './test-support.ts';

// A full event under a booking spike: most of the crowd is turned away, and each refusal is
// made from the booking form's kept copy of the event (kept for at most a second), not from the database.
let t: TestApp;
let group: number;
let base: string;
beforeAll(async () => {
  // The brand kept as a real process keeps it (read again every few seconds, not for every page), so a refusal's own reads are what counts.
  t = await createTestApp({ brandMaxAgeMs: 60_000 });
  await seedPlaces(t.ctx.db);
  group = await insertGroup(t.ctx.db, 'Refusal Save Our NHS');
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

let n = 0;
function book(eventId: number, tier: number, fields: Record<string, string> = {}) {
  return fetch(`${base}/events/${eventId}/bookings`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
    body: new URLSearchParams({ name: 'Refused Booker', email: `refused${++n}.${Date.now()}@example.org`, tier: String(tier), places: '1', ...fields }).toString(),
  });
}

/** Connections the app takes from its database pool while `run` runs. */
async function connectionsTaken(run: () => Promise<void>): Promise<number> {
  let taken = 0;
  const count = () => void taken++;
  t.ctx.pool.on('acquire', count);
  try {
    await run();
  } finally {
    t.ctx.pool.off('acquire', count);
  }
  return taken;
}

describe('refusing bookings on a full event', () => {
  it('refuses with the waiting list offered and the values kept, without asking the database while the kept copy says full, and writes nothing', async () => {
    const id = await makeEvent(t, [group], { capacity: '2', title: 'Full refusal meeting' });
    const tier = (await findEvent(t.ctx.db, id))!.tiers[0]!.id;
    expect((await book(id, tier)).status).toBe(303);
    expect((await book(id, tier)).status).toBe(303);
    // The first refusal is decided under the event's lock, and the event read again: now kept as full.
    const first = await book(id, tier);
    expect(first.status).toBe(422);
    let page = '';
    const email = `turned.away.${Date.now()}@example.org`;
    const taken = await connectionsTaken(async () => {
      const refused = await book(id, tier, { email, name: 'Turned Away', access_needs: 'Step-free route please' });
      expect(refused.status).toBe(422);
      expect(refused.headers.get('cache-control')).toBe('private, no-store');
      page = await refused.text();
    });
    expect(taken).toBe(0);
    expect(page).toContain('Sorry, this event is full: you can join the waiting list');
    expect(page).toContain(`/events/${id}/waiting-list`);
    expect(page).toContain('Full refusal meeting');
    expect(page).toContain(email);
    expect(page).toContain('Step-free route please');
    expect(page).toContain('application/ld+json');
    const event = (await findEvent(t.ctx.db, id))!;
    expect([event.placesBooked, event.capacity]).toEqual([2, 2]);
    const bookings = await t.ctx.db.selectFrom('bookings').select('email').where('event_id', '=', id).execute();
    expect(bookings).toHaveLength(2);
    expect(await t.ctx.db.selectFrom('people').select('id').where('email', '=', email).execute()).toEqual([]);
  });

  it('makes a place freed in another process bookable again within the second the full copy is kept, and never sells it twice', async () => {
    const id = await makeEvent(t, [group], { capacity: '1' });
    const tier = (await findEvent(t.ctx.db, id))!.tiers[0]!.id;
    expect((await book(id, tier)).status).toBe(303);
    expect((await book(id, tier)).status).toBe(422);
    // Another app instance cancels the booking: this one is not told.
    await t.ctx.db.updateTable('bookings').set({ status: 'cancelled', cancelled_at: new Date() }).where('event_id', '=', id).execute();
    await t.ctx.db.updateTable('events').set({ places_booked: 0 }).where('id', '=', id).execute();
    await t.ctx.db.updateTable('ticket_tiers').set({ places_booked: 0 }).where('id', '=', tier).execute();
    const freedAt = Date.now();
    let answer = await book(id, tier);
    while (answer.status === 422 && Date.now() - freedAt < 1500) {
      await new Promise((r) => setTimeout(r, 50));
      answer = await book(id, tier);
    }
    expect(answer.status).toBe(303);
    expect(Date.now() - freedAt).toBeLessThan(1500);
    const after = await Promise.all(Array.from({ length: 5 }, () => book(id, tier)));
    expect(after.map((r) => r.status)).toEqual([422, 422, 422, 422, 422]);
    expect((await findEvent(t.ctx.db, id))!.placesBooked).toBe(1);
  });

  it('still books the ticket that has places when another ticket of the event is full (the event is not full), and names the full ticket', async () => {
    const id = await makeEvent(t, [group], { tier_1_name: 'Waged', tier_1_price: '10', tier_1_capacity: '1', tier_2_name: 'Unwaged', tier_2_price: '5', tier_2_capacity: '2' });
    const event = (await findEvent(t.ctx.db, id))!;
    const waged = event.tiers.find((x) => x.name === 'Waged')!.id;
    const unwaged = event.tiers.find((x) => x.name === 'Unwaged')!.id;
    expect((await book(id, waged)).status).toBe(303);
    const refused = await book(id, waged);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('There are no Waged places left: choose another ticket, or join the waiting list');
    expect((await book(id, unwaged)).status).toBe(303);
    expect((await book(id, unwaged)).status).toBe(303);
    const full = await book(id, unwaged);
    expect(full.status).toBe(422);
    expect(await full.text()).toContain('Sorry, this event is full');
    expect((await findEvent(t.ctx.db, id))!.placesBooked).toBe(3);
  });
});
