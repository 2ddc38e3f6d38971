import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { seedPlaces } from '../../../test/support/public-petitions.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { countSegment } from '../../supporters/segments/compile-segment.ts';
import { giveConsent, purposeFor } from '../../supporters/index.ts';
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

let n = 0;
async function book(eventId: number, name: string, places = '1') {
  const event = (await findEvent(t.ctx.db, eventId))!;
  const email = `person${++n}.${Date.now()}@example.org`;
  const res = await t.app.inject({
    method: 'POST',
    url: `/events/${eventId}/bookings`,
    payload: new URLSearchParams({ name, email, tier: String(event.tiers[0]!.id), places }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
  });
  expect(res.statusCode, res.body).toBe(303);
  return t.ctx.db.selectFrom('bookings').select(['id', 'reference', 'person_id']).where('email', '=', email).executeTakeFirstOrThrow();
}

const booked = (eventId: number | undefined, activity = 'event.booked', not = false) => ({
  version: 1 as const,
  match: 'all' as const,
  conditions: [{ kind: 'activity' as const, activity, ...(eventId === undefined ? {} : { subjectId: eventId }), not }],
});

describe('booked and attended as segment conditions', () => {
  it('counts people booked on an event (not those who cancelled) and those checked in on the door, of one event or any', async () => {
    const id = await makeEvent(t, [ours], { title: 'Segment hustings' });
    const a = await book(id, 'Ann Booked');
    const b = await book(id, 'Ben Cancelled');
    await book(id, 'Cat Arrived');
    await t.ctx.db.updateTable('bookings').set({ status: 'cancelled' }).where('id', '=', b.id).execute();
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
    await agent.get(`/admin/events/${id}/check-in`);
    expect((await agent.post(`/admin/events/${id}/check-in`, { reference: a.reference })).statusCode).toBe(200);

    expect(await countSegment(t.ctx.db, booked(id), 'all')).toBe(2);
    expect(await countSegment(t.ctx.db, booked(id, 'event.attended'), 'all')).toBe(1);
    expect(await countSegment(t.ctx.db, booked(id, 'event.attended', true), [ours])).toBeGreaterThanOrEqual(1);
    expect(await countSegment(t.ctx.db, booked(undefined), 'all')).toBeGreaterThanOrEqual(2);
    // Combined any-of with another condition (the merge plan) gives the same people.
    expect(await countSegment(t.ctx.db, { version: 1, match: 'any', conditions: [booked(id).conditions[0]!, { kind: 'region', codes: ['E99999999'], not: false }] }, 'all')).toBe(2);

    // The builder offers it, counts it, and describes it in words once saved.
    const count = await agent.get(`/admin/segments/count?match=all&c0.kind=activity&c0.activity=event.booked&c0.subject=${id}`);
    expect(count.statusCode).toBe(200);
    expect(JSON.parse(count.body).count).toBe(2);
    const builder = await agent.get(`/admin/segments/new?match=all&c0.kind=activity&c0.activity=event.attended&c0.subject=${id}`);
    expect(builder.body).toContain('Attended an event (checked in)');
    expect(builder.body).toContain('Segment hustings');
  });

  it('cannot be counted by another group’s organiser for an event that is not theirs', async () => {
    const id = await makeEvent(t, [ours], { title: 'Not theirs' });
    await book(id, 'Dee Private');
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [theirs] });
    const count = await agent.get(`/admin/segments/count?match=all&c0.kind=activity&c0.activity=event.booked&c0.subject=${id}`);
    // Refused as the builder refuses another group's petition: the event's field is named, nothing counted.
    expect(count.statusCode).toBe(422);
    expect(count.body).toContain('c0.subject');
    expect(count.body).not.toContain('"count"');
    const builder = await agent.get('/admin/segments/new?match=all&c0.kind=activity&c0.activity=event.booked');
    expect(builder.body).not.toContain('Not theirs');
    // An activity nobody offers is a field problem, not a count.
    const unknown = await agent.get('/admin/segments/count?match=all&c0.kind=activity&c0.activity=event.teleported');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('c0.activity');
  });
});

describe('the person’s timeline', () => {
  it('says in words that they booked and attended', async () => {
    const id = await makeEvent(t, [ours], { title: 'Timeline meeting' });
    const a = await book(id, 'Eve Timeline', '2');
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    await agent.get(`/admin/events/${id}/check-in`);
    await agent.post(`/admin/events/${id}/check-in`, { booking: String(a.id) });
    const person = await t.ctx.db.selectFrom('people').select('public_id').where('id', '=', a.person_id!).executeTakeFirstOrThrow();
    const page = await agent.get(`/admin/people/${person.public_id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Booked 2 places at “Timeline meeting” (${a.reference})`);
    expect(page.body).toContain(`Attended “Timeline meeting” (${a.reference})`);
    expect(page.body).not.toContain('>event.booked<');
  });
});

describe('message everyone booked', () => {
  it('says who will and will not receive it, and saves a mailing through mailings to the people booked who agreed to hear from the group', async () => {
    const id = await makeEvent(t, [ours], { title: 'Mailing meeting' });
    const agreed = await book(id, 'Fay Agreed');
    await book(id, 'Gus Silent');
    const cancelled = await book(id, 'Hal Cancelled');
    await t.ctx.db.updateTable('bookings').set({ status: 'cancelled' }).where('id', '=', cancelled.id).execute();
    const purpose = await purposeFor(t.ctx.db, { groupId: ours });
    await giveConsent(t.ctx.db, { personId: agreed.person_id!, purposeId: purpose.id, wordingId: null, method: 'form:join' });
    await giveConsent(t.ctx.db, { personId: cancelled.person_id!, purposeId: purpose.id, wordingId: null, method: 'form:join' });

    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
    const page = await agent.get(`/admin/events/${id}/message`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2 people are booked on this event');
    expect(page.body).toMatch(/Northtown Save Our NHS[^<]*<\/th>\s*<td class="numeric">1<\/td>\s*<td class="numeric">1<\/td>/);
    expect(page.body).toContain('will <strong>not</strong> receive it');

    const missing = await agent.post(`/admin/events/${id}/message`, { purpose_id: String(purpose.id), subject: '', body: '' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('href="#field-subject"');
    expect(missing.body).toContain('href="#field-body"');
    const wrongSender = await agent.post(`/admin/events/${id}/message`, { purpose_id: '999999', subject: 'Hi', body: 'Hello' });
    expect(wrongSender.statusCode).toBe(422);
    expect(wrongSender.body).toContain('href="#field-purpose_id"');

    const res = await agent.post(`/admin/events/${id}/message`, { purpose_id: String(purpose.id), subject: 'Room change', body: 'Hello {{first_name}}, we are in the main hall.' });
    expect(res.statusCode).toBe(303);
    const mailingId = Number(/\/admin\/mailings\/(\d+)$/.exec(String(res.headers.location))![1]);
    const mailing = await agent.get(`/admin/mailings/${mailingId}`);
    expect(mailing.statusCode).toBe(200);
    expect(mailing.body).toContain('Room change');
    const stored = await t.ctx.db.selectFrom('mailings').select(['subject', 'status', 'segment_snapshot', 'purpose_id']).where('id', '=', mailingId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ subject: 'Room change', status: 'draft', purpose_id: purpose.id });
    expect((stored.segment_snapshot as { definition: unknown }).definition).toEqual(booked(id));
  });

  it('cannot be used by another group’s organiser', async () => {
    const id = await makeEvent(t, [ours], { title: 'Private mailing' });
    await book(id, 'Ivy Private');
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [theirs] });
    expect((await agent.get(`/admin/events/${id}/message`)).statusCode).toBe(403);
    await agent.get('/admin/events');
    const purpose = await purposeFor(t.ctx.db, { groupId: theirs });
    const before = await t.ctx.db.selectFrom('mailings').select('id').execute();
    expect((await agent.post(`/admin/events/${id}/message`, { purpose_id: String(purpose.id), subject: 'Hi', body: 'Hello' })).statusCode).toBe(403);
    expect(await t.ctx.db.selectFrom('mailings').select('id').execute()).toEqual(before);
  });
});
