import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { countSegment } from '../supporters/segments/compile-segment.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { linkIn, SmtpSink, type ReceivedMail } from '../../test/support/smtp.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { findEvent } from './store.ts';
import { makeEvent } from './test-support.ts';

let t: TestApp;
let sink: SmtpSink;
let group: number;
beforeAll(async () => {
  sink = await new SmtpSink().start();
  // The 200 racers below all come from one address: the booking rate limit is tested in waiting-list.test.ts.
  t = await createTestApp({ env: { SMTP_URL: sink.url, EVENT_BOOKING_RATE: '100000' } });
  await seedPlaces(t.ctx.db);
  group = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

let n = 0;
const booker = (overrides: Record<string, string> = {}) => ({ name: 'Pat Booker', email: `pat${++n}.${Date.now()}@example.org`, places: '1', ...overrides });

function postBooking(app: FastifyInstance, eventId: number, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: `/events/${eventId}/bookings`,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test', ...headers },
  });
}

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');
const icsValue = (lines: string[], name: string) => lines.find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1);

async function conference() {
  const id = await makeEvent(t, [group], {
    title: 'Social care conference',
    type: 'conference',
    venue_name: 'Carrs Lane Conference Centre',
    tier_1_name: 'Waged',
    tier_1_price: '10',
    tier_2_name: 'Unwaged',
    tier_2_price: '5',
    capacity: '100',
  });
  return (await findEvent(t.ctx.db, id))!;
}

describe('booking an event', () => {
  it('books a concession place: the person, the timeline action, a sign-up for "hear more", and an email with the reference, the .ics and a manage link', async () => {
    const event = await conference();
    const unwaged = event.tiers.find((x) => x.name === 'Unwaged')!;
    const email = `sam.${Date.now()}@example.org`;
    const page = await t.app.inject({ method: 'GET', url: event.path });
    expect(page.body).toContain('name="tier"');
    const res = await postBooking(t.app, event.id, { name: 'Sam Booker', email, tier: String(unwaged.id), places: '2', access_needs: 'Wheelchair user', hear_more: 'yes' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${event.path}/booked`);
    expect((await t.app.inject({ method: 'GET', url: res.headers.location as string })).body).toContain('You’re booked');

    const after = (await findEvent(t.ctx.db, event.id))!;
    expect(after.placesBooked).toBe(2);
    expect(after.tiers.find((x) => x.id === unwaged.id)!.placesBooked).toBe(2);
    const booking = await t.ctx.db.selectFrom('bookings').selectAll().where('event_id', '=', event.id).executeTakeFirstOrThrow();
    expect(booking).toMatchObject({ places: 2, status: 'booked', access_needs: 'Wheelchair user', hear_more: true, tier_id: unwaged.id });
    expect(booking.reference).toMatch(/^EV-[0-9A-Z]{8}$/);

    const person = await t.ctx.db.selectFrom('people').select(['id', 'given_name', 'family_name']).where('canonical_email', '=', email).executeTakeFirstOrThrow();
    expect([person.given_name, person.family_name, booking.person_id]).toEqual(['Sam', 'Booker', person.id]);
    const actions = await t.ctx.db.selectFrom('person_actions').select(['kind', 'subject_id']).where('person_id', '=', person.id).execute();
    expect(actions).toContainEqual({ kind: 'event.booked', subject_id: String(event.id) });
    // "Booked this event" is a segment condition.
    expect(await countSegment(t.ctx.db, { version: 1, match: 'all', conditions: [{ kind: 'action', action: 'event.booked', subjectId: String(event.id), not: false }] }, 'all')).toBe(1);
    // The person is the organising group's, and "hear more" waits for the email to be confirmed.
    expect(await t.ctx.db.selectFrom('person_groups').select('group_id').where('person_id', '=', person.id).execute()).toEqual([{ group_id: group }]);
    const consents = await t.ctx.db.selectFrom('consents').select('status').where('person_id', '=', person.id).execute();
    expect(consents.length).toBe(2);
    expect(consents.every((c) => c.status === 'pending')).toBe(true);

    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes(email) && m.subject.includes('booked'));
    expect(mail.subject).toBe('You’re booked: Social care conference');
    expect(mail.text).toContain(booking.reference);
    expect(mail.text).toContain('2 places (Unwaged, £5 each)');
    expect(mail.text).toContain('Carrs Lane Conference Centre');
    const parsed = await simpleParser(mail.raw);
    const ics = parsed.attachments.find((a) => a.filename === 'event.ics')!;
    expect(ics.contentType).toBe('text/calendar');
    const lines = unfold(ics.content.toString('utf8'));
    expect(icsValue(lines, 'UID')).toBe(`event-${event.id}@chorus.test`);
    expect(icsValue(lines, 'SEQUENCE')).toBe(String(after.sequence));
    expect(icsValue(lines, 'DTSTART')).toBe(event.startsAt.toISOString().replace(/[-:]/g, '').replace('.000', ''));
    expect(icsValue(lines, 'SUMMARY')).toBe('Social care conference');
    await sink.waitFor((m: ReceivedMail) => m.to.includes(email) && m.subject.startsWith('Please confirm'));

    // The manage link cancels without signing in, and frees the places.
    const link = linkIn(mail, 'http://chorus.test/bookings/').replace('http://chorus.test', '');
    const manage = await t.app.inject({ method: 'GET', url: link });
    expect(manage.statusCode).toBe(200);
    expect(manage.body).toContain(booking.reference);
    const cancel = await t.app.inject({ method: 'POST', url: `${link}/cancel`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' }, payload: '' });
    expect(cancel.statusCode).toBe(303);
    const freed = (await findEvent(t.ctx.db, event.id))!;
    expect(freed.placesBooked).toBe(0);
    expect(freed.tiers.find((x) => x.id === unwaged.id)!.placesBooked).toBe(0);
    expect((await t.ctx.db.selectFrom('bookings').select('status').where('id', '=', booking.id).executeTakeFirstOrThrow()).status).toBe('cancelled');
    // Cancelling twice is refused, and frees nothing more.
    const again = await t.app.inject({ method: 'POST', url: `${link}/cancel`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' }, payload: '' });
    expect(again.statusCode).toBe(409);
    expect((await findEvent(t.ctx.db, event.id))!.placesBooked).toBe(0);
    // The stored email no longer holds the live link once sent.
    const stored = await t.ctx.db.selectFrom('outbound_emails').select('text_body').where('to_address', '=', email).where('kind', '=', 'events.booking.confirmation').executeTakeFirstOrThrow();
    expect(stored.text_body).not.toContain(link);
  });

  it('cannot book from another site', async () => {
    const id = await makeEvent(t, [group]);
    const res = await postBooking(t.app, id, booker(), { origin: 'https://evil.example' });
    expect(res.statusCode).toBe(403);
    expect((await findEvent(t.ctx.db, id))!.placesBooked).toBe(0);
  });

  it('cannot book a cancelled, past, draft or full event, or more places than are left: a 4xx naming the field, nothing saved', async () => {
    const cancelled = await makeEvent(t, [group]);
    await t.ctx.db.updateTable('events').set({ state: 'cancelled', cancelled_at: new Date() }).where('id', '=', cancelled).execute();
    const res1 = await postBooking(t.app, cancelled, booker());
    expect(res1.statusCode).toBe(409);
    expect(res1.body).toContain('cancelled');

    const past = await makeEvent(t, [group]);
    await t.ctx.db.updateTable('events').set({ starts_at: new Date(Date.now() - 7_200_000), ends_at: new Date(Date.now() - 3_600_000) }).where('id', '=', past).execute();
    expect((await postBooking(t.app, past, booker())).statusCode).toBe(409);

    const draft = await makeEvent(t, [group], {}, false);
    expect((await postBooking(t.app, draft, booker())).statusCode).toBe(404);

    const small = await makeEvent(t, [group], { capacity: '3' });
    const tier = String((await findEvent(t.ctx.db, small))!.tiers[0]!.id);
    const more = await postBooking(t.app, small, booker({ tier, places: '4', name: 'Kept Name' }));
    expect(more.statusCode).toBe(422);
    expect(more.body).toContain('href="#field-places"');
    expect(more.body).toContain('Only 3 places are left: book 3 or fewer');
    expect(more.body).toContain('value="Kept Name"');
    expect((await postBooking(t.app, small, booker({ tier, places: '3' }))).statusCode).toBe(303);
    const full = await postBooking(t.app, small, booker({ tier }));
    expect(full.statusCode).toBe(422);
    expect(full.body).toContain('Sorry, this event is full');
    const json = await t.app.inject({ method: 'POST', url: `/events/${small}/bookings.json`, payload: { ...booker({ tier }) }, headers: { origin: 'http://chorus.test', accept: 'application/json' } });
    expect(json.statusCode).toBe(422);
    expect(json.json().errors).toEqual([{ field: 'places', message: 'Sorry, this event is full: you can join the waiting list' }]);
    expect((await findEvent(t.ctx.db, small))!.placesBooked).toBe(3);
    expect(await t.ctx.db.selectFrom('bookings').select('id').where('event_id', 'in', [cancelled, past, draft]).execute()).toEqual([]);
  });

  it('names each bad field: no name, a bad email, places outside 1 to 10, an unknown ticket', async () => {
    const id = await makeEvent(t, [group]);
    const res = await postBooking(t.app, id, { name: '', email: 'not-an-email', places: '11', tier: '999999' });
    expect(res.statusCode).toBe(422);
    for (const field of ['name', 'email', 'places']) expect(res.body).toContain(`href="#field-${field}"`);
    const tier = await postBooking(t.app, id, booker({ tier: '999999' }));
    expect(tier.statusCode).toBe(422);
    expect(tier.body).toContain('href="#field-tier"');
    expect((await findEvent(t.ctx.db, id))!.placesBooked).toBe(0);
  });

  it('never books more than the capacity: 200 bookings at once over HTTP, across two app instances, for the last 10 places find exactly 10 booked and the rest offered the waiting list', async () => {
    const id = await makeEvent(t, [group], { capacity: '50' });
    const event = (await findEvent(t.ctx.db, id))!;
    const tier = event.tiers[0]!;
    // 40 of the 50 places are already taken.
    await t.ctx.db.updateTable('events').set({ places_booked: 40 }).where('id', '=', id).execute();
    await t.ctx.db.updateTable('ticket_tiers').set({ places_booked: 40 }).where('id', '=', tier.id).execute();
    const second = await buildApp({ ...t.ctx });
    await second.ready();
    const urls = [await t.app.listen({ port: 0, host: '127.0.0.1' }), await second.listen({ port: 0, host: '127.0.0.1' })];
    try {
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          fetch(`${urls[i % 2]}/events/${id}/bookings`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
            body: new URLSearchParams({ name: `Racer ${i}`, email: `racer${i}.${id}@example.org`, tier: String(tier.id), places: '1' }).toString(),
          }).then(async (r) => ({ status: r.status, body: await r.text() })),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 303).length).toBe(10);
      expect(statuses.filter((s) => s === 422).length).toBe(190);
      const refused = answers.filter((a) => a.status === 422);
      expect(refused.every((a) => a.body.includes('Sorry, this event is full: you can join the waiting list'))).toBe(true);
      // Each refusal carries the waiting-list form, with what the racer typed kept.
      expect(refused.every((a) => a.body.includes(`action="/events/${id}/waiting-list"`) && a.body.includes('Join the waiting list') && /value="racer\d+\./.test(a.body))).toBe(true);
    } finally {
      await second.close();
    }
    const after = (await findEvent(t.ctx.db, id))!;
    expect(after.placesBooked).toBe(50);
    const booked = await t.ctx.db.selectFrom('bookings').select('places').where('event_id', '=', id).where('status', '=', 'booked').execute();
    expect(booked.length).toBe(10);
    // Refused bookings left no person, action or email behind.
    const actions = await t.ctx.db.selectFrom('person_actions').select('id').where('kind', '=', 'event.booked').where('subject_id', '=', String(id)).execute();
    expect(actions.length).toBe(10);
  }, 60_000);
});
