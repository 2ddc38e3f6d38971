import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { linkIn, SmtpSink, type ReceivedMail } from '../../test/support/smtp.ts';
import { allCron, allJobs } from '../jobs.ts';
import { addJob } from '../platform/index.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { erasePerson, exportPersonalData } from '../supporters/personal-data.ts';
import { waitingListRecipients } from './index.ts';
import { sweepWaitingListsJob } from './jobs.ts';
import { findEvent } from './store.ts';
import { makeEvent } from './test-support.ts';
import { claimOffer, sweepWaitingLists } from './waiting-list.ts';

let t: TestApp;
let sink: SmtpSink;
let group: number;
beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: sink.url, EVENT_BOOKING_RATE: '50' } });
  await seedPlaces(t.ctx.db);
  group = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

const HOUR = 3_600_000;
let n = 0;
const person = (label: string) => ({ name: `${label} Person`, email: `${label.toLowerCase()}${++n}.${Date.now()}@example.org` });
const form = { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' };

function post(url: string, fields: Record<string, string> = {}, remoteAddress?: string) {
  return t.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: form, ...(remoteAddress ? { remoteAddress } : {}) });
}
const local = (link: string) => link.replace('http://chorus.test', '');

async function mailTo(email: string, subject: string): Promise<ReceivedMail> {
  await t.runJobs();
  return sink.waitFor((m) => m.to.includes(email) && m.subject.startsWith(subject));
}

async function fullEvent(capacity: number, overrides: Record<string, string> = {}) {
  const id = await makeEvent(t, [group], { capacity: String(capacity), ...overrides });
  const event = (await findEvent(t.ctx.db, id))!;
  return { id, event, tier: String(event.tiers[0]!.id) };
}

async function book(id: number, tier: string, who: { name: string; email: string }, places = '1') {
  const res = await post(`/events/${id}/bookings`, { ...who, tier, places });
  expect(res.statusCode, res.body).toBe(303);
  return local(linkIn(await mailTo(who.email, 'You’re booked'), 'http://chorus.test/bookings/'));
}

async function join(id: number, tier: string, who: { name: string; email: string }, places = '1') {
  const res = await post(`/events/${id}/waiting-list`, { ...who, tier, places });
  expect(res.statusCode, res.body).toBe(303);
  return local(linkIn(await mailTo(who.email, 'You’re on the waiting list'), 'http://chorus.test/waiting-list/'));
}

const statusOf = async (email: string) => (await t.ctx.db.selectFrom('waiting_list_entries').select('status').where('email', '=', email).executeTakeFirstOrThrow()).status;
const places = async (id: number) => {
  const e = (await findEvent(t.ctx.db, id))!;
  return { booked: e.placesBooked, held: e.placesHeld };
};

describe('the waiting list', () => {
  it('offers a full event’s waiting list; a cancelled place goes to the first in the queue, held for 24 hours, and claiming it books it with the .ics', async () => {
    const { id, event, tier } = await fullEvent(2);
    const [a, b, c, d, e] = ['Alex', 'Bo', 'Cam', 'Dee', 'Eve'].map(person) as [ReturnType<typeof person>, ReturnType<typeof person>, ReturnType<typeof person>, ReturnType<typeof person>, ReturnType<typeof person>];
    const aManage = await book(id, tier, a);
    await book(id, tier, b);

    // Booking the full event answers with the waiting list, the values kept.
    const refused = await post(`/events/${id}/bookings`, { ...c, tier, places: '1' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Sorry, this event is full: you can join the waiting list');
    expect(refused.body).toContain(`action="/events/${id}/waiting-list"`);
    expect(refused.body).toContain(`value="${c.email}"`);
    const page = await t.app.inject({ method: 'GET', url: event.path });
    expect(page.body).toContain('Join the waiting list');

    const cLink = await join(id, tier, c);
    await join(id, tier, d);
    const cPage = await t.app.inject({ method: 'GET', url: cLink });
    expect(cPage.statusCode).toBe(200);
    expect(cPage.body).toContain('you are next');
    expect(await waitingListRecipients(t.ctx.db, id)).toEqual([{ name: c.name, email: c.email }, { name: d.name, email: d.email }]);

    // Alex cancels: the place is offered to Cam (first), held, and nobody else can book it.
    expect((await post(`${aManage}/cancel`)).statusCode).toBe(303);
    expect(await places(id)).toEqual({ booked: 1, held: 1 });
    expect([await statusOf(c.email), await statusOf(d.email)]).toEqual(['offered', 'waiting']);
    const cancelledMail = await mailTo(a.email, 'Booking cancelled');
    const ics = (await simpleParser(cancelledMail.raw)).attachments.find((x) => x.filename === 'event.ics')!.content.toString('utf8');
    expect(ics).toContain('METHOD:CANCEL');
    expect(ics).toContain(`UID:event-${id}@chorus.test`);
    expect(ics).toContain('STATUS:CANCELLED');
    expect(ics).toContain(`SEQUENCE:${event.sequence + 1}`);
    const intruder = await post(`/events/${id}/bookings`, { ...e, tier, places: '1' });
    expect(intruder.statusCode).toBe(422);
    expect(intruder.body).toContain('waiting list');

    const offer = await mailTo(c.email, 'A place is free for you');
    expect(offer.text).toContain('holding it for you until');
    const offerLink = local(linkIn(offer, 'http://chorus.test/waiting-list/offers/'));
    const offerPage = await t.app.inject({ method: 'GET', url: offerLink });
    expect(offerPage.statusCode).toBe(200);
    expect(offerPage.body).toContain('Book my places');
    // Opening the link alone books nothing (mail scanners open links).
    expect(await statusOf(c.email)).toBe('offered');

    const claimed = await post(`${offerLink}/claim`);
    expect(claimed.statusCode).toBe(303);
    expect(claimed.headers.location).toBe(`${event.path}/booked`);
    expect(await places(id)).toEqual({ booked: 2, held: 0 });
    expect(await statusOf(c.email)).toBe('booked');
    const booking = await t.ctx.db.selectFrom('bookings').selectAll().where('email', '=', c.email).executeTakeFirstOrThrow();
    expect(booking).toMatchObject({ event_id: id, status: 'booked', places: 1 });
    const confirmation = await mailTo(c.email, 'You’re booked');
    expect(confirmation.text).toContain(booking.reference);
    const attached = (await simpleParser(confirmation.raw)).attachments.find((x) => x.filename === 'event.ics')!;
    expect(attached.content.toString('utf8')).toContain('METHOD:PUBLISH');
    const actions = await t.ctx.db.selectFrom('person_actions').innerJoin('people', 'people.id', 'person_actions.person_id').select('kind').where('people.canonical_email', '=', c.email).execute();
    expect(actions.map((x) => x.kind)).toEqual(expect.arrayContaining(['event.waiting-list.joined', 'event.booked']));
    // Claiming twice books nothing more.
    expect((await post(`${offerLink}/claim`)).statusCode).toBe(303);
    expect(await t.ctx.db.selectFrom('bookings').select('id').where('email', '=', c.email).execute()).toHaveLength(1);
    expect(await waitingListRecipients(t.ctx.db, id)).toEqual([{ name: d.name, email: d.email }]);
  });

  it('lets an offer unclaimed for 24 hours lapse and moves it on to the next person (the clock injected)', async () => {
    const { id, tier } = await fullEvent(1);
    const [a, c, d] = ['Ash', 'Cy', 'Dot'].map(person) as [ReturnType<typeof person>, ReturnType<typeof person>, ReturnType<typeof person>];
    const aManage = await book(id, tier, a);
    await join(id, tier, c);
    await join(id, tier, d);
    expect((await post(`${aManage}/cancel`)).statusCode).toBe(303);
    const cOffer = local(linkIn(await mailTo(c.email, 'A place is free for you'), 'http://chorus.test/waiting-list/offers/'));
    const offeredAt = (await t.ctx.db.selectFrom('waiting_list_entries').select('offered_at').where('email', '=', c.email).executeTakeFirstOrThrow()).offered_at!;

    // 23 hours on: still held for Cy.
    expect(await sweepWaitingLists(t.ctx, new Date(offeredAt.getTime() + 23 * HOUR))).toMatchObject({ lapsed: 0 });
    expect([await statusOf(c.email), await statusOf(d.email)]).toEqual(['offered', 'waiting']);
    // A claim a second after the 24 hours is refused, and the offer moves on there and then.
    const late = await claimOffer(t.ctx, cOffer.split('/').at(-1)!, new Date(offeredAt.getTime() + 24 * HOUR + 1000));
    expect(late).toEqual({ kind: 'lapsed' });
    expect([await statusOf(c.email), await statusOf(d.email)]).toEqual(['lapsed', 'offered']);
    expect(await places(id)).toEqual({ booked: 0, held: 1 });
    await mailTo(c.email, 'Your held place has gone');
    expect((await post(`${cOffer}/claim`)).statusCode).toBe(410);

    // Dot does not claim either: 24 hours on, the sweep lapses it; nobody else waits, so the place is free.
    const dOfferedAt = (await t.ctx.db.selectFrom('waiting_list_entries').select('offered_at').where('email', '=', d.email).executeTakeFirstOrThrow()).offered_at!;
    expect(await sweepWaitingLists(t.ctx, new Date(dOfferedAt.getTime() + 24 * HOUR))).toEqual({ lapsed: 1, offered: 0 });
    expect(await statusOf(d.email)).toBe('lapsed');
    expect(await places(id)).toEqual({ booked: 0, held: 0 });
  });

  it('runs the lapsing as a job every minute through the manifest', async () => {
    expect(allJobs.map((j) => j.id)).toContain('events.waiting-list.sweep');
    expect(allCron.find((c) => c.job.id === 'events.waiting-list.sweep')?.match).toBe('* * * * *');
    const { id, tier } = await fullEvent(1);
    const [a, c, d] = ['Abe', 'Cat', 'Dan'].map(person) as [ReturnType<typeof person>, ReturnType<typeof person>, ReturnType<typeof person>];
    const aManage = await book(id, tier, a);
    await join(id, tier, c);
    await join(id, tier, d);
    await post(`${aManage}/cancel`);
    // The offer's 24 hours have passed (set in the row: the job reads the real clock).
    await t.ctx.db.updateTable('waiting_list_entries').set({ offer_expires_at: new Date(Date.now() - 1000) }).where('email', '=', c.email).execute();
    await addJob(t.ctx.db, sweepWaitingListsJob, {});
    await t.runJobs();
    expect([await statusOf(c.email), await statusOf(d.email)]).toEqual(['lapsed', 'offered']);
    await mailTo(d.email, 'A place is free for you');
  });

  it('lets a person leave the list from the link; declining an offer passes it to the next at once', async () => {
    const { id, tier } = await fullEvent(1);
    const [a, c, d, e] = ['Ana', 'Col', 'Di', 'Ed'].map(person) as [ReturnType<typeof person>, ReturnType<typeof person>, ReturnType<typeof person>, ReturnType<typeof person>];
    const aManage = await book(id, tier, a);
    const cLink = await join(id, tier, c);
    await join(id, tier, d);
    await join(id, tier, e);
    const left = await post(`${cLink}/leave`);
    expect(left.statusCode).toBe(303);
    expect((await t.app.inject({ method: 'GET', url: left.headers.location as string })).body).toContain('You have left the waiting list');
    expect(await statusOf(c.email)).toBe('left');
    expect((await post(`${cLink}/leave`)).statusCode).toBe(409);

    await post(`${aManage}/cancel`);
    expect(await statusOf(d.email)).toBe('offered');
    const dOffer = local(linkIn(await mailTo(d.email, 'A place is free for you'), 'http://chorus.test/waiting-list/offers/'));
    expect((await post(`${dOffer}/decline`)).statusCode).toBe(303);
    expect([await statusOf(d.email), await statusOf(e.email)]).toEqual(['left', 'offered']);
    expect(await places(id)).toEqual({ booked: 0, held: 1 });
    expect((await post(`${dOffer}/claim`)).statusCode).toBe(409);
  });

  it('cannot join while the places asked for are free, twice with one email, or for a cancelled event; bad fields are named', async () => {
    const { id, tier } = await fullEvent(3, { tier_1_name: 'Waged', tier_1_price: '10', tier_1_capacity: '1', tier_2_name: 'Unwaged', tier_2_price: '5' });
    const event = (await findEvent(t.ctx.db, id))!;
    const unwaged = String(event.tiers[1]!.id);
    await book(id, tier, person('Wag'));
    // The waged ticket is full: booking it points to the waiting list, which takes it; unwaged places are still free.
    const refused = await post(`/events/${id}/bookings`, { ...person('Wes'), tier, places: '1' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('There are no Waged places left: choose another ticket, or join the waiting list');
    expect(refused.body).toContain(`href="/events/${id}/waiting-list"`);
    expect((await t.app.inject({ method: 'GET', url: `/events/${id}/waiting-list` })).statusCode).toBe(200);
    const who = person('Jo');
    await join(id, tier, who);
    const twice = await post(`/events/${id}/waiting-list`, { ...who, tier, places: '1' });
    expect(twice.statusCode).toBe(422);
    expect(twice.body).toContain('href="#field-email"');
    const free = await post(`/events/${id}/waiting-list`, { ...person('Un'), tier: unwaged, places: '2' });
    expect(free.statusCode).toBe(422);
    expect(free.body).toContain('href="#field-places"');
    const json = await t.app.inject({ method: 'POST', url: `/events/${id}/waiting-list.json`, payload: { ...person('Js'), tier: unwaged, places: '1' }, headers: { origin: 'http://chorus.test', accept: 'application/json' } });
    expect(json.statusCode).toBe(422);
    expect(json.json().errors[0].field).toBe('places');
    const bad = await post(`/events/${id}/waiting-list`, { name: '', email: 'nope', tier: '999999', places: '0' });
    expect(bad.statusCode).toBe(422);
    for (const field of ['name', 'email', 'places']) expect(bad.body).toContain(`href="#field-${field}"`);
    expect(bad.body).toContain('value="nope"');
    await t.ctx.db.updateTable('events').set({ state: 'cancelled', cancelled_at: new Date() }).where('id', '=', id).execute();
    expect((await post(`/events/${id}/waiting-list`, { ...person('Late'), tier, places: '1' })).statusCode).toBe(409);
    expect(await t.ctx.db.selectFrom('waiting_list_entries').select('email').where('event_id', '=', id).execute()).toEqual([{ email: who.email }]);
    expect(await places(id)).toEqual({ booked: 1, held: 0 });
  });

  it('lets an organiser cancel a booking by its reference: the booker gets the cancellation with METHOD:CANCEL, the place goes to the list', async () => {
    const { id, tier } = await fullEvent(1);
    const [a, c] = ['Ari', 'Cal'].map(person) as [ReturnType<typeof person>, ReturnType<typeof person>];
    await book(id, tier, a);
    await join(id, tier, c);
    const reference = (await t.ctx.db.selectFrom('bookings').select('reference').where('email', '=', a.email).executeTakeFirstOrThrow()).reference;
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group] });
    const page = await agent.get(`/admin/events/${id}/waiting-list`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(c.name);
    const wrong = await agent.post(`/admin/events/${id}/bookings/cancel`, { reference: 'EV-NOTREAL1' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('href="#field-reference"');
    const res = await agent.post(`/admin/events/${id}/bookings/cancel`, { reference: reference.toLowerCase() });
    expect(res.statusCode).toBe(303);
    expect(await statusOf(c.email)).toBe('offered');
    const mail = await mailTo(a.email, 'Booking cancelled');
    expect(mail.text).toContain('The organisers have cancelled your booking');
    expect((await simpleParser(mail.raw)).attachments[0]!.content.toString('utf8')).toContain('METHOD:CANCEL');
    await mailTo(c.email, 'A place is free for you');
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'event.booking.cancel').execute();
    expect(audit.length).toBe(1);
    // Someone from another group's organisers cannot.
    const other = await insertGroup(t.ctx.db, 'Elsewhere Group');
    const outsider = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [other] });
    await outsider.agent.get('/admin/events');
    expect((await outsider.agent.post(`/admin/events/${id}/bookings/cancel`, { reference })).statusCode).toBe(403);
  });

  it('exports and erases a person’s waiting-list entries; a held place is released and the event’s totals stay', async () => {
    const { id, tier } = await fullEvent(1);
    const [a, c, d] = ['Avi', 'Cleo', 'Dara'].map(person) as [ReturnType<typeof person>, ReturnType<typeof person>, ReturnType<typeof person>];
    const aManage = await book(id, tier, a);
    await join(id, tier, c);
    await join(id, tier, d);
    await post(`${aManage}/cancel`);
    expect(await statusOf(c.email)).toBe('offered');
    const personId = (await t.ctx.db.selectFrom('people').select('id').where('canonical_email', '=', c.email).executeTakeFirstOrThrow()).id;
    const exported = (await exportPersonalData(t.ctx.db, personId)) as Record<string, Array<{ email: string; status: string }>>;
    expect(exported['event-waiting-lists']).toEqual([expect.objectContaining({ email: c.email, status: 'offered' })]);
    await t.ctx.db.transaction().execute((tx) => erasePerson(tx, personId, 'test'));
    expect(await t.ctx.db.selectFrom('waiting_list_entries').select('id').where('email', '=', c.email).execute()).toEqual([]);
    expect(await places(id)).toEqual({ booked: 0, held: 0 });
    // The next sweep offers the released place to the next person.
    expect((await sweepWaitingLists(t.ctx)).offered).toBeGreaterThanOrEqual(1);
    expect(await statusOf(d.email)).toBe('offered');
  });
});

describe('the booking rate limit', () => {
  it('cannot book more than EVENT_BOOKING_RATE times from one address in the period: a 429 with Retry-After, values kept; other addresses still book', async () => {
    const id = await makeEvent(t, [group], { capacity: '1000' });
    const tier = String((await findEvent(t.ctx.db, id))!.tiers[0]!.id);
    const limit = t.ctx.config.EVENT_BOOKING_RATE;
    for (let i = 0; i < limit; i++) expect((await post(`/events/${id}/bookings`, { ...person('Rate'), tier, places: '1' }, '203.0.113.7')).statusCode).toBe(303);
    const who = person('Over');
    const over = await post(`/events/${id}/bookings`, { ...who, tier, places: '1' }, '203.0.113.7');
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.body).toContain('Too many bookings');
    expect(over.body).toContain(`value="${who.email}"`);
    const json = await t.app.inject({ method: 'POST', url: `/events/${id}/bookings.json`, payload: { ...person('Js'), tier, places: '1' }, headers: { origin: 'http://chorus.test', accept: 'application/json' }, remoteAddress: '203.0.113.7' });
    expect(json.statusCode).toBe(429);
    // The waiting list counts against the same limit.
    expect((await post(`/events/${id}/waiting-list`, { ...person('Wl'), tier, places: '1' }, '203.0.113.7')).statusCode).toBe(429);
    expect((await findEvent(t.ctx.db, id))!.placesBooked).toBe(limit);
    expect((await post(`/events/${id}/bookings`, { ...person('Else'), tier, places: '1' }, '198.51.100.4')).statusCode).toBe(303);
  });
});
