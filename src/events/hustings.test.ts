import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { places, seedPlaces } from '../../test/support/public-petitions.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { actionOpportunities, countsByConstituency } from './index.ts';
import { findEvent } from './store.ts';
import { eventFields, makeEvent } from './test-support.ts';

let t: TestApp;
let ours: number;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  ours = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
});
afterAll(() => t.close());

const idFrom = (location: unknown) => Number(/\/admin\/events\/(\d+)/.exec(String(location))![1]);

describe('hustings with an MP or a candidate', () => {
  it('flags the venue’s MP from the MPs data, shows “Your MP … will be there”, and lists it as an opportunity for action in that seat', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
    await agent.get('/admin/events/new');
    const res = await agent.post('/admin/events/new', eventFields([ours], { title: 'Northtown hustings', type: 'hustings', politician: 'mp' }));
    expect(res.statusCode, res.body).toBe(303);
    const id = idFrom(res.headers.location);
    let event = (await findEvent(t.ctx.db, id))!;
    expect(event.politician).toEqual({ kind: 'mp', constituency: { code: places.north.code, name: places.north.name }, name: places.north.mp, party: 'Independent' });
    await agent.get(`/admin/events/${id}`);
    await agent.post(`/admin/events/${id}/publish`, {});
    const page = await t.app.inject({ method: 'GET', url: event.path });
    expect(page.body).toContain(`Your MP ${places.north.mp} (Independent), MP for ${places.north.name}, will be there.`);
    // The edit form shows the flag as saved.
    const edit = await agent.get(`/admin/events/${id}/edit`);
    expect(edit.body).toMatch(/value="mp"[^>]*checked/);

    const inSeat = await actionOpportunities(t.ctx.db, { constituencyCode: places.north.code });
    expect(inSeat.map((o) => [o.eventId, o.politician.name, o.constituency.code])).toContainEqual([id, places.north.mp, places.north.code]);
    expect((await actionOpportunities(t.ctx.db, { constituencyCode: places.south.code })).some((o) => o.eventId === id)).toBe(false);

    // A candidate for another seat (by postcode), on the same event.
    const changed = await agent.post(`/admin/events/${id}/edit`, eventFields([ours], { title: 'Northtown hustings', type: 'hustings', politician: 'candidate', politician_seat: places.south.postcode, politician_name: 'Alex Candidate', politician_party: 'Green Party' }));
    expect(changed.statusCode, changed.body).toBe(303);
    event = (await findEvent(t.ctx.db, id))!;
    expect(event.politician).toEqual({ kind: 'candidate', constituency: { code: places.south.code, name: places.south.name }, name: 'Alex Candidate', party: 'Green Party' });
    expect((await t.app.inject({ method: 'GET', url: event.path })).body).toContain(`Alex Candidate (Green Party), candidate in ${places.south.name}, will be there.`);
    expect((await actionOpportunities(t.ctx.db, { constituencyCode: places.south.code })).map((o) => o.eventId)).toContain(id);
  });

  it('names the field for a candidate without a name, an unknown seat, or a seat with no MP recorded; nothing saved', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
    await agent.get('/admin/events/new');
    const noName = await agent.post('/admin/events/new', eventFields([ours], { title: 'Bad hustings 1', politician: 'candidate' }));
    expect(noName.statusCode).toBe(422);
    expect(noName.body).toContain('href="#field-politician_name"');
    const badSeat = await agent.post('/admin/events/new', eventFields([ours], { title: 'Bad hustings 2', politician: 'mp', politician_seat: 'E99999999' }));
    expect(badSeat.statusCode).toBe(422);
    expect(badSeat.body).toContain('href="#field-politician_seat"');
    expect(badSeat.body).toContain('value="E99999999"');
    const badKind = await agent.post('/admin/events/new', eventFields([ours], { title: 'Bad hustings 3', politician: 'mayor' }));
    expect(badKind.statusCode).toBe(422);
    expect(badKind.body).toContain('href="#field-politician"');
    await t.ctx.db.deleteFrom('mps').where('constituency_code', '=', places.west.code).execute();
    const noMp = await agent.post('/admin/events/new', eventFields([ours], { title: 'Bad hustings 4', politician: 'mp', politician_seat: places.west.code }));
    expect(noMp.statusCode).toBe(422);
    expect(noMp.body).toContain('We have no MP recorded');
    expect(await t.ctx.db.selectFrom('events').select('id').where('title', 'like', 'Bad hustings%').execute()).toEqual([]);
  });

  it('counts events and bookings per constituency, cancelled events and bookings left out', async () => {
    const before = new Map((await countsByConstituency(t.ctx.db)).map((c) => [c.constituencyCode, c]));
    const id = await makeEvent(t, [ours], { postcode: places.south.postcode });
    const cancelled = await makeEvent(t, [ours], { postcode: places.south.postcode });
    await t.ctx.db.updateTable('events').set({ state: 'cancelled' }).where('id', '=', cancelled).execute();
    const event = (await findEvent(t.ctx.db, id))!;
    for (const places of ['2', '3']) {
      const res = await t.app.inject({ method: 'POST', url: `/events/${id}/bookings`, payload: new URLSearchParams({ name: 'Count Me', email: `count${places}.${Date.now()}@example.org`, tier: String(event.tiers[0]!.id), places }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' } });
      expect(res.statusCode).toBe(303);
    }
    const after = (await countsByConstituency(t.ctx.db)).find((c) => c.constituencyCode === places.south.code)!;
    const was = before.get(places.south.code) ?? { events: 0, upcoming: 0, bookings: 0, places: 0, attended: 0 };
    expect([after.events - was.events, after.upcoming - was.upcoming, after.bookings - was.bookings, after.places - was.places]).toEqual([1, 1, 2, 5]);
  });
});
