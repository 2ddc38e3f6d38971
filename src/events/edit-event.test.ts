import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { places, seedPlaces } from '../../test/support/public-petitions.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { eventFormValues } from './event-form.ts';
import { findEvent } from './store.ts';
import { makeEvent } from './test-support.ts';

let t: TestApp;
let group: number;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  group = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
});
afterAll(() => t.close());

async function bookPlaces(eventId: number, count: number) {
  for (let i = 0; i < count; i++) {
    const event = (await findEvent(t.ctx.db, eventId))!;
    const res = await t.app.inject({
      method: 'POST',
      url: `/events/${eventId}/bookings`,
      payload: new URLSearchParams({ name: 'Pat Booker', email: `edit.${eventId}.${i}.${Date.now()}@example.org`, tier: String(event.tiers[0]!.id), places: '2' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
    });
    expect(res.statusCode).toBe(303);
  }
}

/** Everything an edit could have touched, to compare before and after a refused one. */
async function stateOf(id: number) {
  const event = (await findEvent(t.ctx.db, id))!;
  const changes = await t.ctx.db.selectFrom('event_changes').select('id').where('event_id', '=', id).execute();
  const jobs = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'events.changes.notify'`.execute(t.ctx.db);
  return { event, changes: changes.length, jobs: jobs.rows[0]!.n };
}

async function editing(id: number) {
  const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group] });
  await agent.get(`/admin/events/${id}/edit`);
  const event = (await findEvent(t.ctx.db, id))!;
  const fields = { ...eventFormValues(event), groups: [String(group)] } as Record<string, string | string[]>;
  return { agent, fields };
}

describe('editing a published event that people have booked', () => {
  it('cannot set the capacity below the places already booked: 422 naming the capacity field, and nothing of the edit is saved (not the new venue, title or ticket, no change announced)', async () => {
    const id = await makeEvent(t, [group], { title: 'Packed meeting', capacity: '20' });
    await bookPlaces(id, 3);
    const before = await stateOf(id);
    const { agent, fields } = await editing(id);
    const res = await agent.post(`/admin/events/${id}/edit`, {
      ...fields,
      title: 'Packed meeting, bigger hall',
      venue_name: 'Carrs Lane Conference Centre',
      postcode: places.south.postcode,
      capacity: '5',
      tier_2_name: 'Supporter',
      tier_2_price: '5',
      change_note: 'for access',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#field-capacity"');
    expect(res.body).toContain('6 places are already booked, so the capacity cannot be less than 6');
    // What was typed is kept for another go.
    expect(res.body).toContain('value="Carrs Lane Conference Centre"');
    expect(res.body).toContain('value="5"');
    expect(await stateOf(id)).toEqual(before);
  });

  it('cannot end before it starts: 422 naming the end, nothing saved', async () => {
    const id = await makeEvent(t, [group], { title: 'Evening rally', starts_at: '2027-05-20T18:00', ends_at: '2027-05-20T20:00' });
    await bookPlaces(id, 1);
    const before = await stateOf(id);
    const { agent, fields } = await editing(id);
    const res = await agent.post(`/admin/events/${id}/edit`, { ...fields, title: 'Evening rally moved', starts_at: '2027-05-20T19:00', ends_at: '2027-05-20T18:30' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#field-ends_at"');
    expect(res.body).toContain('The end must be after the start');
    expect(res.body).toContain('value="2027-05-20T18:30"');
    // Ending exactly when it starts is refused too.
    const same = await agent.post(`/admin/events/${id}/edit`, { ...fields, ends_at: fields.starts_at as string });
    expect(same.statusCode).toBe(422);
    expect(same.body).toContain('href="#field-ends_at"');
    expect(await stateOf(id)).toEqual(before);
  });

  it('cannot take an unknown postcode or a note over 500 characters: 422 naming each, nothing saved', async () => {
    const id = await makeEvent(t, [group], { title: 'Stall' });
    const before = await stateOf(id);
    const { agent, fields } = await editing(id);
    const res = await agent.post(`/admin/events/${id}/edit`, { ...fields, venue_name: 'Somewhere new', postcode: 'ZZ9 9ZZ' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#field-postcode"');
    const long = await agent.post(`/admin/events/${id}/edit`, { ...fields, venue_name: 'Somewhere new', change_note: 'x'.repeat(501) });
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('href="#field-change_note"');
    expect(await stateOf(id)).toEqual(before);
  });
});

describe('what the organiser is told after saving an event', () => {
  it('says “saved” once on the page the save leads to, and not again when it is loaded again', async () => {
    const id = await makeEvent(t, [group], { title: 'Notice meeting' }, false);
    const { agent, fields } = await editing(id);
    const saved = await agent.post(`/admin/events/${id}/edit`, { ...fields, title: 'Notice meeting, renamed' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/admin/events/${id}`);
    expect((await agent.get(`/admin/events/${id}`)).body).toContain('Your changes have been saved.');
    const again = await agent.get(`/admin/events/${id}`);
    expect(again.body).toContain('Notice meeting, renamed');
    expect(again.body).not.toContain('Your changes have been saved.');
  });
});
