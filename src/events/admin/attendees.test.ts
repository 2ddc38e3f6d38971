import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { seedPlaces } from '../../../test/support/public-petitions.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { findEvent } from '../store.ts';
import { makeEvent } from '../test-support.ts';

let t: TestApp;
let ours: number;
let theirs: number;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  ours = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
  theirs = await insertGroup(t.ctx.db, 'Southvale Keep Our NHS Public');
});
afterAll(() => t.close());

const organiser = (groupIds = [ours]) => signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds });

let n = 0;
async function book(eventId: number, fields: Record<string, string>) {
  const event = (await findEvent(t.ctx.db, eventId))!;
  const res = await t.app.inject({
    method: 'POST',
    url: `/events/${eventId}/bookings`,
    payload: new URLSearchParams({ tier: String(event.tiers[0]!.id), places: '1', email: `booker${++n}.${Date.now()}@example.org`, ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
  });
  expect(res.statusCode, res.body).toBe(303);
  return t.ctx.db.selectFrom('bookings').selectAll().where('event_id', '=', eventId).orderBy('id', 'desc').executeTakeFirstOrThrow();
}

describe('the attendee list', () => {
  it('lists who has booked, searched by name, email or reference, and exports them as CSV, each look audited', async () => {
    const id = await makeEvent(t, [ours], { title: 'Maternity meeting' });
    const ada = await book(id, { name: 'Ada Lovelace', email: `ada.${Date.now()}@example.org`, places: '2', access_needs: 'Step-free route please' });
    const grace = await book(id, { name: 'Grace Hopper' });
    const { agent, id: organiserId } = await organiser();

    const all = await agent.get(`/admin/events/${id}/attendees`);
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Ada Lovelace');
    expect(all.body).toContain('Grace Hopper');
    expect(all.body).toContain('Step-free route please');
    expect(all.body).toContain('0 of 3 places checked in');

    const byName = await agent.get(`/admin/events/${id}/attendees?q=lovel`);
    expect(byName.body).toContain('Ada Lovelace');
    expect(byName.body).not.toContain('Grace Hopper');
    const byEmail = await agent.get(`/admin/events/${id}/attendees?q=${encodeURIComponent(grace.email.slice(0, 12))}`);
    expect(byEmail.body).toContain('Grace Hopper');
    expect(byEmail.body).not.toContain('Ada Lovelace');
    // A reference read out without its dash, in lower case.
    const byReference = await agent.get(`/admin/events/${id}/attendees?q=${grace.reference.replace('-', '').toLowerCase()}`);
    expect(byReference.body).toContain('Grace Hopper');
    expect(byReference.body).not.toContain('Ada Lovelace');
    // LIKE's wildcards are taken literally.
    expect((await agent.get(`/admin/events/${id}/attendees?q=%25`)).body).not.toContain('Ada Lovelace');

    const csv = await agent.get(`/admin/events/${id}/attendees.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`event-${id}-`);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('Reference,Name,Email,Places,Ticket,Access needs,Status,Walk-in,Booked at,Checked in at');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`${ada.reference},Ada Lovelace,${ada.email},2,Free,Step-free route please,booked,no,`);

    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor_id']).where('subject_type', '=', 'event').where('subject_id', '=', String(id)).where('action', 'like', 'event.attendees.%').execute();
    expect(audit.filter((a) => a.action === 'event.attendees.export')).toEqual([{ action: 'event.attendees.export', actor_id: organiserId }]);
    expect(audit.filter((a) => a.action === 'event.attendees.view').length).toBeGreaterThanOrEqual(1);
    // The audit log says it in words, naming the event.
    const { agent: admin } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const log = await admin.get('/admin/audit');
    expect(log.body).toContain('Exported the attendees of “Maternity meeting” (CSV)');
  });

  it('makes a name that looks like a formula plain text in the CSV', async () => {
    const id = await makeEvent(t, [ours]);
    await book(id, { name: '=HYPERLINK("x") Smith' });
    const { agent } = await organiser();
    const csv = await agent.get(`/admin/events/${id}/attendees.csv`);
    expect(csv.body).toContain(`"'=HYPERLINK(""x"") Smith"`);
  });

  it('cannot be seen, exported, checked in or added to by another group’s organiser, or by a moderator', async () => {
    const id = await makeEvent(t, [ours], { title: 'Ours only' });
    const booking = await book(id, { name: 'Private Person' });
    const event = (await findEvent(t.ctx.db, id))!;
    const { agent } = await organiser([theirs]);
    for (const path of ['attendees', 'attendees.csv', 'check-in', 'message']) {
      const res = await agent.get(`/admin/events/${id}/${path}`);
      expect(res.statusCode, path).toBe(403);
      expect(res.body).not.toContain('Private Person');
    }
    await agent.get('/admin/events');
    expect((await agent.post(`/admin/events/${id}/check-in`, { booking: String(booking.id) })).statusCode).toBe(403);
    expect((await agent.post(`/admin/events/${id}/check-in`, { reference: booking.reference })).statusCode).toBe(403);
    expect((await agent.post(`/admin/events/${id}/walk-ins`, { name: 'Gatecrasher', places: '1', tier: String(event.tiers[0]!.id) })).statusCode).toBe(403);
    expect((await agent.post(`/admin/events/${id}/message`, { purpose_id: '1', subject: 'Hi', body: 'Hello' })).statusCode).toBe(403);
    const after = await t.ctx.db.selectFrom('bookings').select(['name', 'checked_in_at']).where('event_id', '=', id).execute();
    expect(after).toEqual([{ name: 'Private Person', checked_in_at: null }]);

    const { agent: moderator } = await signedInAgent(t.app, t.ctx, { role: 'moderator' });
    expect((await moderator.get(`/admin/events/${id}/attendees`)).statusCode).toBe(403);
    expect((await moderator.get(`/admin/events/${id}/check-in`)).statusCode).toBe(403);
  });
});

describe('door check-in', () => {
  it('ticks people off by the list or by reference, undoes a wrong tick, and counts who has arrived; their timeline says they attended', async () => {
    const id = await makeEvent(t, [ours], { title: 'Door meeting' });
    const ada = await book(id, { name: 'Ada Door', places: '3' });
    const bob = await book(id, { name: 'Bob Door' });
    const { agent } = await organiser();
    const page = await agent.get(`/admin/events/${id}/check-in`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('0 of 4 places checked in');

    const ticked = await agent.post(`/admin/events/${id}/check-in`, { booking: String(ada.id) });
    expect(ticked.statusCode).toBe(200);
    expect(ticked.body).toContain(`Checked in Ada Door (${ada.reference}), 3 places.`);
    expect(ticked.body).toContain('3 of 4 places checked in');
    const again = await agent.post(`/admin/events/${id}/check-in`, { booking: String(ada.id) });
    expect(again.body).toContain('was already checked in');

    const byRef = await agent.post(`/admin/events/${id}/check-in`, { reference: ` ${bob.reference.slice(3).toLowerCase()} ` });
    expect(byRef.statusCode).toBe(200);
    expect(byRef.body).toContain('Checked in Bob Door');
    expect(byRef.body).toContain('4 of 4 places checked in');

    const undone = await agent.post(`/admin/events/${id}/check-in`, { booking: String(bob.id), undo: 'yes' });
    expect(undone.body).toContain('Bob Door');
    expect(undone.body).toContain('is no longer checked in');
    expect(undone.body).toContain('3 of 4 places checked in');
    const rows = await t.ctx.db.selectFrom('bookings').select(['name', 'checked_in_at', 'checked_in_by']).where('event_id', '=', id).orderBy('name').execute();
    expect(rows.map((r) => [r.name, r.checked_in_at !== null, r.checked_in_by !== null])).toEqual([['Ada Door', true, true], ['Bob Door', false, false]]);
    const actions = await t.ctx.db.selectFrom('person_actions').select('kind').where('person_id', '=', ada.person_id!).where('subject_id', '=', String(id)).orderBy('id').execute();
    expect(actions.map((a) => a.kind)).toEqual(['event.booked', 'event.attended']);
  });

  it('names the reference field for an unknown or cancelled reference, and for no reference at all', async () => {
    const id = await makeEvent(t, [ours]);
    const booking = await book(id, { name: 'Cancelled Carol' });
    await t.ctx.db.updateTable('bookings').set({ status: 'cancelled' }).where('id', '=', booking.id).execute();
    const { agent } = await organiser();
    await agent.get(`/admin/events/${id}/check-in`);
    const unknown = await agent.post(`/admin/events/${id}/check-in`, { reference: 'EV-00000000' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('href="#field-reference"');
    expect(unknown.body).toContain('value="EV-00000000"');
    const cancelled = await agent.post(`/admin/events/${id}/check-in`, { reference: booking.reference });
    expect(cancelled.statusCode).toBe(422);
    expect(cancelled.body).toContain('was cancelled');
    const empty = await agent.post(`/admin/events/${id}/check-in`, { reference: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Enter a booking reference');
    // Another event's booking is not on this door list.
    const other = await makeEvent(t, [ours]);
    expect((await agent.post(`/admin/events/${other}/check-in`, { booking: String(booking.id) })).statusCode).toBe(404);
  });

  it('adds walk-ins on the door, checked in, within capacity: with an email they become a person whose timeline says so', async () => {
    const id = await makeEvent(t, [ours], { capacity: '3' });
    await book(id, { name: 'Early Bird' });
    const event = (await findEvent(t.ctx.db, id))!;
    const tier = String(event.tiers[0]!.id);
    const { agent } = await organiser();
    await agent.get(`/admin/events/${id}/check-in`);
    const email = `walkin.${Date.now()}@example.org`;
    const added = await agent.post(`/admin/events/${id}/walk-ins`, { name: 'Walk In', email, places: '1', tier });
    expect(added.statusCode).toBe(303);
    const page = await agent.get(added.headers.location as string);
    expect(page.body).toMatch(/Added on the door and checked in: EV-[0-9A-Z]{8}/);
    expect(page.body).toContain('1 of 2 places checked in');
    expect(page.body).toContain('1 added on the door');
    const walkIn = await t.ctx.db.selectFrom('bookings').selectAll().where('event_id', '=', id).where('walk_in', '=', true).executeTakeFirstOrThrow();
    expect(walkIn).toMatchObject({ name: 'Walk In', email, places: 1, status: 'booked' });
    expect(walkIn.checked_in_at).toBeInstanceOf(Date);
    const actions = await t.ctx.db.selectFrom('person_actions').select('kind').where('person_id', '=', walkIn.person_id!).orderBy('id').execute();
    expect(actions.map((a) => a.kind)).toEqual(['event.booked', 'event.attended']);
    // No consent is assumed for someone added on the door.
    expect(await t.ctx.db.selectFrom('consents').select('purpose_id').where('person_id', '=', walkIn.person_id!).execute()).toEqual([]);

    // Without an email: no person.
    await agent.get(`/admin/events/${id}/check-in`);
    expect((await agent.post(`/admin/events/${id}/walk-ins`, { name: 'No Email', email: '', places: '1', tier })).statusCode).toBe(303);
    expect((await t.ctx.db.selectFrom('bookings').select('person_id').where('name', '=', 'No Email').executeTakeFirstOrThrow()).person_id).toBeNull();
    expect((await findEvent(t.ctx.db, id))!.placesBooked).toBe(3);

    // Full: refused naming the places, what was typed kept, nothing added.
    await agent.get(`/admin/events/${id}/check-in`);
    const full = await agent.post(`/admin/events/${id}/walk-ins`, { name: 'Too Late', email: '', places: '1', tier });
    expect(full.statusCode).toBe(422);
    expect(full.body).toContain('href="#field-places"');
    expect(full.body).toContain('this event is full');
    expect(full.body).toContain('value="Too Late"');
    expect((await findEvent(t.ctx.db, id))!.placesBooked).toBe(3);
  });

  it('names each bad walk-in field: no name, a bad email, places out of range, no ticket', async () => {
    const id = await makeEvent(t, [ours]);
    const { agent } = await organiser();
    await agent.get(`/admin/events/${id}/check-in`);
    const res = await agent.post(`/admin/events/${id}/walk-ins`, { name: '', email: 'not-an-email', places: '11', tier: '' });
    expect(res.statusCode).toBe(422);
    for (const field of ['name', 'email', 'places', 'tier']) expect(res.body).toContain(`href="#field-${field}"`);
    expect(await t.ctx.db.selectFrom('bookings').select('id').where('event_id', '=', id).execute()).toEqual([]);
  });
});

describe('the door forms under any input', () => {
  const anyValue = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.constantFrom('', ' ', '0', '-1', '1', '10', '11', '1.5', '1e3', '999999999999999999', 'EV-00000000', '\u0000', '<script>', '%00', 'yes'),
  );

  it('answers any check-in or walk-in form with a page, a redirect or a 4xx, never a 5xx', { timeout: 120_000 }, async () => {
    const id = await makeEvent(t, [ours], { capacity: '100000' });
    const booking = await book(id, { name: 'Fuzz Target' });
    const tier = String((await findEvent(t.ctx.db, id))!.tiers[0]!.id);
    const { agent } = await organiser();
    await agent.get(`/admin/events/${id}/check-in`);
    const token = agent.csrfToken();
    await fc.assert(
      fc.asyncProperty(
        fc.record({ booking: fc.oneof(anyValue, fc.constant(String(booking.id))), reference: fc.oneof(anyValue, fc.constant(booking.reference)), undo: anyValue, q: anyValue }, { requiredKeys: [] }),
        fc.record({ name: anyValue, email: fc.oneof(anyValue, fc.emailAddress()), places: anyValue, tier: fc.oneof(anyValue, fc.constant(tier)) }, { requiredKeys: [] }),
        async (checkIn, walkIn) => {
          const a = await agent.post(`/admin/events/${id}/check-in`, { ...checkIn, _csrf: token });
          expect(a.statusCode, JSON.stringify(checkIn)).toBeLessThan(500);
          expect([200, 400, 404, 422], JSON.stringify(checkIn)).toContain(a.statusCode);
          const b = await agent.post(`/admin/events/${id}/walk-ins`, { ...walkIn, _csrf: token });
          expect(b.statusCode, JSON.stringify(walkIn)).toBeLessThan(500);
          expect([303, 400, 422], JSON.stringify(walkIn)).toContain(b.statusCode);
        },
      ),
      { numRuns: 80 },
    );
    // And the search box on both lists.
    await fc.assert(
      fc.asyncProperty(anyValue, async (q) => {
        for (const path of ['attendees', 'check-in']) {
          const res = await agent.get(`/admin/events/${id}/${path}?q=${encodeURIComponent(q)}&page=${encodeURIComponent(q)}`);
          expect(res.statusCode, q).toBeLessThan(500);
        }
      }),
      { numRuns: 40 },
    );
  });
});
