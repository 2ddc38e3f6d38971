import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { Agent } from '../../test/support/agent.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { freshIp, places, seedPlaces } from '../../test/support/public-petitions.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { findEvent } from './store.ts';
import { eraseSubmissionsOfPerson, submissionsOfPerson } from './submitters.ts';
import { eventsQ } from './tables.ts';
import { eventFields } from './test-support.ts';

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
const moderator = () => signedInAgent(t.app, t.ctx, { role: 'moderator' });
const admin = () => signedInAgent(t.app, t.ctx, { role: 'admin' });
const supporter = () => new Agent(t.app, 'http://chorus.test', freshIp());
const eventTitled = (title: string) => t.ctx.db.selectFrom('events').selectAll().where('title', '=', title).executeTakeFirst();
const mailsTo = (to: string) => t.ctx.db.selectFrom('outbound_emails').select(['kind', 'subject', 'text_body']).where('to_address', '=', to).orderBy('id').execute();
const hostFields = (overrides: Record<string, string | string[]> = {}) => {
  const { groups: _groups, ...fields } = eventFields([], overrides);
  return fields;
};
const setSupportersMayHost = async (on: boolean) => {
  const { agent } = await admin();
  await agent.get('/admin/events/settings');
  const res = await agent.post('/admin/events/settings', on ? { supporters_may_host: 'yes' } : {});
  expect(res.statusCode).toBe(303);
};

describe('host an event', () => {
  it('an organiser sends an event for their group; it waits for approval off the calendar; a moderator approves it and the organiser is emailed both times', async () => {
    const { agent, email } = await organiser();
    const form = await agent.get('/events/host');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Which groups are hosting it?');
    expect(form.body).not.toContain('name="host_email"');
    const res = await agent.post('/events/host', { ...eventFields([ours], { title: 'Northtown stall for the unit', type: 'street_stall' }), tier_1_name: 'Waged', tier_1_price: '10' }, { csrf: false });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/events/host/sent');
    const row = (await eventTitled('Northtown stall for the unit'))!;
    expect(row.state).toBe('awaiting_approval');
    expect(row.submitted_at).toBeInstanceOf(Date);
    const event = (await findEvent(t.ctx.db, row.id))!;
    expect(event.groups.map((g) => g.id)).toEqual([ours]);
    // A hosted event is free to come to: ticket fields are not taken from the host form.
    expect(event.tiers.map((x) => [x.name, x.pricePence])).toEqual([['Free', 0]]);
    expect((await t.app.inject({ method: 'GET', url: '/events' })).body).not.toContain('Northtown stall for the unit');
    expect((await t.app.inject({ method: 'GET', url: event.path })).statusCode).toBe(404);
    expect((await mailsTo(email)).map((m) => m.kind)).toEqual(['events.submission.received']);

    // The organiser cannot publish it themselves: it waits for a moderator.
    await agent.get(`/admin/events/${row.id}`);
    expect((await agent.post(`/admin/events/${row.id}/publish`, {})).statusCode).toBe(409);

    const mod = (await moderator()).agent;
    const list = await mod.get('/admin/events/submissions');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Northtown stall for the unit');
    await mod.get(`/admin/events/${row.id}/review`);
    const approved = await mod.post(`/admin/events/${row.id}/approve`, {});
    expect(approved.statusCode).toBe(303);
    const after = (await findEvent(t.ctx.db, row.id))!;
    expect(after.state).toBe('published');
    expect(after.publishedAt).toBeInstanceOf(Date);
    // The public calendar is rendered once a second for everyone, so the approved event shows within it.
    await expect.poll(async () => (await t.app.inject({ method: 'GET', url: '/events' })).body, { timeout: 5_000, interval: 250 }).toContain('Northtown stall for the unit');
    const mails = await mailsTo(email);
    expect(mails.map((m) => m.kind)).toEqual(['events.submission.received', 'events.submission.approved']);
    expect(mails[1]!.text_body).toContain(after.path);
    // Approving twice is refused.
    expect((await mod.post(`/admin/events/${row.id}/approve`, {})).statusCode).toBe(409);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'event').where('subject_id', '=', String(row.id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['event.submit', 'event.approve']);
  });

  it('supporters cannot send an event until an admin allows it; then they can, and a moderator declines it with a reason they are emailed', async () => {
    await setSupportersMayHost(false);
    const closed = supporter();
    const page = await closed.get('/events/host');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('hosted by the coalition’s member groups');
    expect(page.body).not.toContain('action="/events/host"');
    const refused = await closed.post('/events/host', { ...hostFields({ title: 'Too early stall' }), host_name: 'Pat Host', host_email: 'pat.early@example.org' }, { csrf: false });
    expect(refused.statusCode).toBe(403);
    expect(await eventTitled('Too early stall')).toBeUndefined();

    await setSupportersMayHost(true);
    const agent = supporter();
    expect((await agent.get('/events/host')).body).toContain('name="host_email"');
    const email = 'pat.host@example.org';
    const res = await agent.post('/events/host', { ...hostFields({ title: 'Pat’s coffee morning for the NHS' }), host_name: 'Pat Host', host_email: email, groups: String(theirs) }, { csrf: false });
    expect(res.statusCode).toBe(303);
    const row = (await eventTitled('Pat’s coffee morning for the NHS'))!;
    expect(row.state).toBe('awaiting_approval');
    // A supporter's event is nobody's group's, whatever the form sent.
    expect((await findEvent(t.ctx.db, row.id))!.groups).toEqual([]);
    const submission = await t.ctx.db.selectFrom('event_submissions').selectAll().where('event_id', '=', row.id).executeTakeFirstOrThrow();
    const person = await t.ctx.db.selectFrom('people').select('id').where('canonical_email', '=', email).executeTakeFirstOrThrow();
    expect([submission.name, submission.email, submission.person_id, submission.organiser_id]).toEqual(['Pat Host', email, person.id, null]);
    const actions = await t.ctx.db.selectFrom('person_actions').select(['kind', 'subject_id']).where('person_id', '=', person.id).execute();
    expect(actions).toContainEqual({ kind: 'event.submitted', subject_id: String(row.id) });

    const mod = (await moderator()).agent;
    await mod.get(`/admin/events/${row.id}/review`);
    const noReason = await mod.post(`/admin/events/${row.id}/decline`, { reason: '   ' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('href="#field-reason"');
    expect((await findEvent(t.ctx.db, row.id))!.state).toBe('awaiting_approval');
    const declined = await mod.post(`/admin/events/${row.id}/decline`, { reason: 'Please give the full address of the venue.' });
    expect(declined.statusCode).toBe(303);
    const after = (await findEvent(t.ctx.db, row.id))!;
    expect([after.state, after.declineReason, after.declinedAt instanceof Date]).toEqual(['declined', 'Please give the full address of the venue.', true]);
    expect((await t.app.inject({ method: 'GET', url: after.path })).statusCode).toBe(404);
    const mails = await mailsTo(email);
    expect(mails.map((m) => m.kind)).toEqual(['events.submission.received', 'events.submission.declined']);
    expect(mails[1]!.text_body).toContain('Please give the full address of the venue.');
    // Subject access finds it; erasure removes who sent it, the event stays.
    expect((await submissionsOfPerson(eventsQ(t.ctx.db), person.id)).map((s) => s.event)).toEqual(['Pat’s coffee morning for the NHS']);
    expect(await eraseSubmissionsOfPerson(eventsQ(t.ctx.db), person.id)).toBe(1);
    expect(await submissionsOfPerson(eventsQ(t.ctx.db), person.id)).toEqual([]);
    expect(await findEvent(t.ctx.db, row.id)).toBeDefined();
  });

  it('names every problem on the host form beside its field and keeps what was typed, saving nothing', async () => {
    await setSupportersMayHost(true);
    const agent = supporter();
    await agent.get('/events/host');
    const res = await agent.post('/events/host', { ...hostFields({ title: 'Kept <title>', starts_at: '2027-03-14T18:30', ends_at: '2027-03-14T17:00' }), host_name: '', host_email: 'not-an-email' }, { csrf: false });
    expect(res.statusCode).toBe(422);
    for (const field of ['host_name', 'host_email', 'ends_at']) expect(res.body).toContain(`href="#field-${field}"`);
    expect(res.body).toContain('value="Kept &lt;title>"');
    expect(res.body).toContain('value="not-an-email"');
    const unknown = await agent.post('/events/host', { ...hostFields({ title: 'Unknown place stall', postcode: 'ZZ9 9ZZ' }), host_name: 'Pat Host', host_email: 'pat.zz@example.org' }, { csrf: false });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('href="#field-postcode"');
    expect(unknown.body).toContain('value="Unknown place stall"');
    expect(await eventTitled('Unknown place stall')).toBeUndefined();
    expect(await eventTitled('Kept <title>')).toBeUndefined();
  });

  it('cannot be approved, declined or configured by the wrong role, or sent for another group', async () => {
    const { agent: org } = await organiser();
    await org.get('/events/host');
    expect((await org.post('/events/host', eventFields([theirs], { title: 'Not our group’s stall' }), { csrf: false })).statusCode).toBe(403);
    expect(await eventTitled('Not our group’s stall')).toBeUndefined();
    await org.post('/events/host', eventFields([ours], { title: 'Waiting stall' }), { csrf: false });
    const row = (await eventTitled('Waiting stall'))!;

    // An organiser (even of the event's own group) cannot approve, decline, list or configure.
    await org.get('/admin/events');
    expect((await org.get('/admin/events/submissions')).statusCode).toBe(403);
    expect((await org.get(`/admin/events/${row.id}/review`)).statusCode).toBe(403);
    expect((await org.post(`/admin/events/${row.id}/approve`, {})).statusCode).toBe(403);
    expect((await org.post(`/admin/events/${row.id}/decline`, { reason: 'no' })).statusCode).toBe(403);
    expect((await org.post('/admin/events/settings', { supporters_may_host: 'yes' })).statusCode).toBe(403);
    // A moderator reviews but does not change the settings.
    const mod = (await moderator()).agent;
    await mod.get('/admin/events/submissions');
    expect((await mod.get('/admin/events/settings')).statusCode).toBe(403);
    expect((await mod.post('/admin/events/settings', { supporters_may_host: 'yes' })).statusCode).toBe(403);
    // Someone not signed in cannot approve or decline.
    const anon = supporter();
    for (const path of [`/admin/events/${row.id}/approve`, `/admin/events/${row.id}/decline`]) {
      const res = await anon.post(path, { reason: 'x' }, { csrf: false });
      expect([303, 401, 403], path).toContain(res.statusCode);
      if (res.statusCode === 303) expect(String(res.headers.location)).toContain('/sign-in');
    }
    expect((await findEvent(t.ctx.db, row.id))!.state).toBe('awaiting_approval');
    // A draft made on the organisers' form is not waiting for approval, so it cannot be approved.
    const adminAgent = (await admin()).agent;
    await adminAgent.get('/admin/events/new');
    const made = await adminAgent.post('/admin/events/new', eventFields([ours], { title: 'Plain draft' }));
    const draftId = Number(/\/admin\/events\/(\d+)/.exec(String(made.headers.location))![1]);
    await mod.get('/admin/events/submissions');
    expect((await mod.post(`/admin/events/${draftId}/approve`, {})).statusCode).toBe(409);
    expect((await findEvent(t.ctx.db, draftId))!.state).toBe('draft');
    expect(places.north.postcode).toBeTruthy();
  });
});
