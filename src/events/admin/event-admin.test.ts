import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { findEvent } from '../store.ts';
import { eventFields, makeEvent } from '../test-support.ts';

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

const organiser = () => signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
const idFrom = (location: unknown) => Number(/\/admin\/events\/(\d+)/.exec(String(location))![1]);

describe('organisers adding an event', () => {
  it('adds a draft event for their group: London times stored as UTC, the postcode’s constituency and region found', async () => {
    const { agent } = await organiser();
    await agent.get('/admin/events/new');
    const res = await agent.post('/admin/events/new', eventFields([ours], {
      starts_at: '2027-06-10T18:30',
      ends_at: '2027-06-10T20:30',
      tier_1_name: 'Waged',
      tier_1_price: '10',
      tier_1_capacity: '40',
      tier_2_name: 'Unwaged',
      tier_2_price: '£5.50',
      capacity: '60',
    }));
    expect(res.statusCode).toBe(303);
    const event = (await findEvent(t.ctx.db, idFrom(res.headers.location)))!;
    expect(event.state).toBe('draft');
    // British Summer Time: 18:30 in London is 17:30 UTC.
    expect(event.startsAt.toISOString()).toBe('2027-06-10T17:30:00.000Z');
    expect(event.endsAt.toISOString()).toBe('2027-06-10T19:30:00.000Z');
    expect(event.constituency).toEqual({ code: places.north.code, name: places.north.name });
    expect(event.region).toEqual({ code: places.north.region, name: places.north.regionName });
    expect(event.groups.map((g) => g.id)).toEqual([ours]);
    expect(event.access).toMatchObject({ stepFree: true, hearingLoop: true, bsl: false });
    expect(event.capacity).toBe(60);
    expect(event.tiers.map((x) => [x.name, x.pricePence, x.capacity])).toEqual([['Waged', 1000, 40], ['Unwaged', 550, null]]);

    const page = await agent.get(res.headers.location as string);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Thursday, 10 June 2027 at 18:30');
    // The edit form shows the times as typed, in UK time.
    const edit = await agent.get(`/admin/events/${event.id}/edit`);
    expect(edit.body).toContain('value="2027-06-10T18:30"');
  });

  it('gives a free event without tickets one free ticket', async () => {
    const id = await makeEvent(t, [ours], {}, false);
    expect((await findEvent(t.ctx.db, id))!.tiers.map((x) => [x.name, x.pricePence])).toEqual([['Free', 0]]);
  });

  it('names every problem beside its field and keeps what was typed: end before start, unknown postcode, negative and fractional prices', async () => {
    const { agent } = await organiser();
    await agent.get('/admin/events/new');
    const res = await agent.post('/admin/events/new', eventFields([ours], {
      title: 'Kept <title> & all',
      starts_at: '2027-03-14T18:30',
      ends_at: '2027-03-14T17:00',
      tier_1_name: 'Waged',
      tier_1_price: '-5',
      tier_2_name: 'Unwaged',
      tier_2_price: '5.505',
    }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('The end must be after the start');
    expect(res.body).toContain('Enter a price of £0 or more');
    expect(res.body).toContain('no fractions of a penny');
    expect(res.body).toContain('href="#field-ends_at"');
    expect(res.body).toContain('href="#field-tier_1_price"');
    expect(res.body).toContain('href="#field-tier_2_price"');
    expect(res.body).toContain('value="Kept &lt;title> &amp; all"');
    expect(res.body).toContain('value="5.505"');

    // The postcode is looked up once the form is otherwise right.
    const unknown = await agent.post('/admin/events/new', eventFields([ours], { title: 'Kept title', postcode: 'ZZ9 9ZZ' }));
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('href="#field-postcode"');
    expect(unknown.body).toContain('value="Kept title"');
    expect(await t.ctx.db.selectFrom('events').select('id').where('title', '=', 'Kept title').execute()).toEqual([]);
  });

  it('names an impossible time, a missing type and a missing place', async () => {
    const { agent } = await organiser();
    await agent.get('/admin/events/new');
    const res = await agent.post('/admin/events/new', eventFields([ours], { starts_at: '2027-03-28T01:30', type: 'party', postcode: '' }));
    expect(res.statusCode).toBe(422);
    // 01:30 on the last Sunday of March does not happen in London (the clocks go forward).
    expect(res.body).toContain('href="#field-starts_at"');
    expect(res.body).toContain('href="#field-type"');
    expect(res.body).toContain('href="#field-postcode"');
  });

  it('cannot add an event for a group they do not organise for', async () => {
    const { agent } = await organiser();
    await agent.get('/admin/events/new');
    const res = await agent.post('/admin/events/new', eventFields([theirs], { title: 'Not ours to make' }));
    expect(res.statusCode).toBe(403);
    expect(await t.ctx.db.selectFrom('events').select('id').where('title', '=', 'Not ours to make').execute()).toEqual([]);
  });

  it('cannot see, edit, publish or cancel another group’s event', async () => {
    const id = await makeEvent(t, [theirs], { title: 'Their meeting' }, false);
    const { agent } = await organiser();
    expect((await agent.get(`/admin/events/${id}`)).statusCode).toBe(403);
    expect((await agent.get(`/admin/events/${id}/edit`)).statusCode).toBe(403);
    await agent.get('/admin/events');
    expect((await agent.post(`/admin/events/${id}/edit`, eventFields([ours], { title: 'Taken over' }))).statusCode).toBe(403);
    expect((await agent.post(`/admin/events/${id}/publish`, {})).statusCode).toBe(403);
    expect((await agent.post(`/admin/events/${id}/cancel`, {})).statusCode).toBe(403);
    const event = (await findEvent(t.ctx.db, id))!;
    expect([event.title, event.state]).toEqual(['Their meeting', 'draft']);
    const list = await agent.get('/admin/events');
    expect(list.body).not.toContain('Their meeting');
  });

  it('cannot be done by a moderator (who may look)', async () => {
    const id = await makeEvent(t, [ours], {}, false);
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'moderator' });
    expect((await agent.get(`/admin/events/${id}`)).statusCode).toBe(200);
    expect((await agent.get('/admin/events/new')).statusCode).toBe(403);
    await agent.get(`/admin/events/${id}`);
    expect((await agent.post(`/admin/events/${id}/publish`, {})).statusCode).toBe(403);
  });
});

describe('organisers changing an event', () => {
  it('cannot lower the capacity, or a ticket’s places, below the places already booked', async () => {
    const id = await makeEvent(t, [ours], { capacity: '20', tier_1_name: 'Waged', tier_1_price: '10', tier_1_capacity: '10' });
    const event = (await findEvent(t.ctx.db, id))!;
    await t.ctx.db.updateTable('events').set({ places_booked: 8 }).where('id', '=', id).execute();
    await t.ctx.db.updateTable('ticket_tiers').set({ places_booked: 8 }).where('id', '=', event.tiers[0]!.id).execute();
    const { agent } = await organiser();
    await agent.get(`/admin/events/${id}/edit`);
    const fields = eventFields([ours], { title: 'Changed title', capacity: '5', tier_1_id: String(event.tiers[0]!.id), tier_1_name: 'Waged', tier_1_price: '10', tier_1_capacity: '6' });
    const res = await agent.post(`/admin/events/${id}/edit`, fields);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('8 places are already booked, so the capacity cannot be less than 8');
    expect(res.body).toContain('href="#field-tier_1_capacity"');
    expect(res.body).toContain('value="Changed title"');
    expect((await findEvent(t.ctx.db, id))!.title).toBe(event.title);

    // Removing the booked ticket is refused too; a capacity at the places booked is fine.
    const removed = await agent.post(`/admin/events/${id}/edit`, { ...fields, capacity: '8', tier_1_id: '', tier_1_name: 'Other', tier_1_capacity: '' });
    expect(removed.statusCode).toBe(422);
    expect(removed.body).toContain('8 places are booked on Waged, so it cannot be removed');
    const ok = await agent.post(`/admin/events/${id}/edit`, { ...fields, capacity: '8', tier_1_capacity: '8' });
    expect(ok.statusCode).toBe(303);
    const after = (await findEvent(t.ctx.db, id))!;
    expect([after.title, after.capacity, after.tiers[0]!.capacity, after.sequence > event.sequence]).toEqual(['Changed title', 8, 8, true]);
  });

  it('publishes and cancels, stamping each moment', async () => {
    const id = await makeEvent(t, [ours], {}, false);
    const { agent } = await organiser();
    await agent.get(`/admin/events/${id}`);
    expect((await agent.post(`/admin/events/${id}/publish`, {})).statusCode).toBe(303);
    let event = (await findEvent(t.ctx.db, id))!;
    expect(event.state).toBe('published');
    expect(event.publishedAt).toBeInstanceOf(Date);
    // Publishing twice is refused.
    expect((await agent.post(`/admin/events/${id}/publish`, {})).statusCode).toBe(409);
    expect((await agent.post(`/admin/events/${id}/cancel`, {})).statusCode).toBe(303);
    event = (await findEvent(t.ctx.db, id))!;
    expect(event.state).toBe('cancelled');
    expect(event.cancelledAt).toBeInstanceOf(Date);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'event').where('subject_id', '=', String(id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['event.create', 'event.publish', 'event.cancel']);
  });
});
