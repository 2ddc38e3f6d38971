import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { findEvent } from './store.ts';
import { makeEvent } from './test-support.ts';

// What the booking spike's shortcuts (a kept copy of the event for the booking form, the calendar
// replayed for a second) must never cost a visitor.
let t: TestApp;
let group: number;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  group = await insertGroup(t.ctx.db, 'Spike Save Our NHS');
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

let n = 0;
function book(eventId: number, tier: number) {
  return fetch(`${base}/events/${eventId}/bookings`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
    body: new URLSearchParams({ name: 'Spike Booker', email: `spike${++n}.${Date.now()}@example.org`, tier: String(tier), places: '1' }).toString(),
  });
}

describe('booking under a spike', () => {
  it('books a place freed elsewhere within a second and a half, although the booking form had just seen the event full', async () => {
    const id = await makeEvent(t, [group], { capacity: '1' });
    const tier = (await findEvent(t.ctx.db, id))!.tiers[0]!.id;
    expect((await book(id, tier)).status).toBe(303);
    // A second later the booking form's copy of the event is read again: now it says full.
    await new Promise((r) => setTimeout(r, 1100));
    const full = await book(id, tier);
    expect(full.status).toBe(422);
    expect(await full.text()).toContain('Sorry, this event is full');
    // Another app instance cancels the booking: this one is not told.
    await t.ctx.db.updateTable('bookings').set({ status: 'cancelled', cancelled_at: new Date() }).where('event_id', '=', id).execute();
    await t.ctx.db.updateTable('events').set({ places_booked: 0 }).where('id', '=', id).execute();
    await t.ctx.db.updateTable('ticket_tiers').set({ places_booked: 0 }).where('id', '=', tier).execute();
    // This instance's kept copy still says full for at most a second; within 1.5 s the place is booked.
    const started = Date.now();
    let again = await book(id, tier);
    while (again.status === 422 && Date.now() - started < 1500) {
      await new Promise((r) => setTimeout(r, 100));
      again = await book(id, tier);
    }
    expect(again.status).toBe(303);
    expect(Date.now() - started).toBeLessThan(1500);
    expect((await findEvent(t.ctx.db, id))!.placesBooked).toBe(1);
    // And the place, once taken again, is not sold twice.
    expect((await book(id, tier)).status).toBe(422);
    expect((await findEvent(t.ctx.db, id))!.placesBooked).toBe(1);
  });

  it('renders the public calendar once a second for everyone, never keeps it for a signed-in viewer, and shows a new event after the second', async () => {
    await makeEvent(t, [group], { title: 'First spike meeting' });
    const served = () => t.app.hotResponses.served;
    const first = await fetch(`${base}/events`);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('First spike meeting');
    const before = served();
    const second = await fetch(`${base}/events`);
    expect(await second.text()).toContain('First spike meeting');
    expect(served()).toBe(before + 1);
    // A request with a cookie (an organiser signed in, who may see more) always meets the app.
    await fetch(`${base}/events`, { headers: { cookie: 'chorus_session=whatever' } });
    expect(served()).toBe(before + 1);

    await makeEvent(t, [group], { title: 'Second spike meeting' });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await (await fetch(`${base}/events`)).text()).toContain('Second spike meeting');
  });

  it('answers a crowd arriving at once with the whole calendar, every one of them', async () => {
    await makeEvent(t, [group], { title: 'Crowd spike meeting' });
    await new Promise((r) => setTimeout(r, 1100));
    const answers = await Promise.all(Array.from({ length: 40 }, () => fetch(`${base}/events`).then(async (r) => ({ status: r.status, body: await r.text() }))));
    expect(answers.every((a) => a.status === 200 && a.body.includes('Crowd spike meeting') && a.body.includes('</html>'))).toBe(true);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
  });
});
