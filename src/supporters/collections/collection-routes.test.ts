import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { connectToGroups, upsertPerson } from '../people.ts';

let t: TestApp;
let admin: Agent;
let organiser: Agent;
const group: Record<string, number> = {};
const person: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  for (const g of ['A', 'B']) group[g] = (await t.ctx.db.insertInto('groups').values({ slug: `group-${g.toLowerCase()}`, name: `Group ${g}` }).returning('id').executeTakeFirstOrThrow()).id;
  for (const [name, g] of [['ada', 'A'], ['alan', 'A'], ['bea', 'B']] as const) {
    const p = await upsertPerson(t.ctx.db, { email: `${name}@example.org`, givenName: name });
    await connectToGroups(t.ctx.db, p.id, [group[g]!]);
    person[name] = p.publicId;
  }
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
  organiser = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group.A!] })).agent;
});
afterAll(() => t.close());

async function create(agent: Agent, kind: 'tags' | 'lists', fields: Record<string, string>) {
  await agent.get(`/admin/${kind}`);
  return agent.post(`/admin/${kind}`, fields);
}

function idFrom(location: unknown): string {
  return /\/(\d+)$/.exec(String(location))![1]!;
}

describe('tags', () => {
  it('creates a coalition-wide tag, refuses a duplicate or empty name with the field named', async () => {
    const made = await create(admin, 'tags', { name: 'Volunteer', group: 'coalition' });
    expect(made.statusCode).toBe(303);
    expect(made.headers.location).toMatch(/^\/admin\/tags\/\d+$/);
    const again = await create(admin, 'tags', { name: 'volunteer', group: 'coalition' });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('There is already a tag called');
    expect(again.body).toContain('href="#field-name"');
    const empty = await create(admin, 'tags', { name: '  ', group: 'coalition' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Enter a name');
    const list = await admin.get('/admin/tags');
    expect(list.body).toContain('Volunteer');
    expect(list.body).toContain('Whole coalition');
  });

  it("lets an organiser make their group's tags only", async () => {
    expect((await create(organiser, 'tags', { name: 'Nurse', group: String(group.A) })).statusCode).toBe(303);
    const coalition = await create(organiser, 'tags', { name: 'Nurse', group: 'coalition' });
    expect(coalition.statusCode).toBe(422);
    expect(coalition.body).toContain('Choose one of your groups');
    expect((await create(organiser, 'tags', { name: 'Nurse', group: String(group.B) })).statusCode).toBe(422);
  });

  it('finds people by email, adds and removes them, and counts them', async () => {
    const made = await create(organiser, 'tags', { name: 'Steward', group: String(group.A) });
    const base = `/admin/tags/${idFrom(made.headers.location)}`;
    const search = await organiser.get(`${base}?q=a`);
    expect(search.body).not.toContain('People found');
    const found = await organiser.get(`${base}?q=${encodeURIComponent('ada@')}`);
    expect(found.body).toContain('People found');
    expect(found.body).toContain(person.ada);
    // Group B's people are not found by a group A organiser.
    expect((await organiser.get(`${base}?q=bea`)).body).toContain('Nobody you can see');

    expect((await organiser.post(`${base}/members`, { person: person.ada! })).headers.location).toBe(base);
    await organiser.get(base);
    expect((await organiser.post(`${base}/members`, { person: person.ada! })).headers.location).toBe(base);
    await organiser.get(base);
    await organiser.post(`${base}/members`, { person: person.alan! });
    const page = await organiser.get(base);
    expect(page.body).toContain('with 2 people you can see');
    expect(page.body).toContain('ada@example.org');

    const outsider = await organiser.post(`${base}/members`, { person: person.bea! });
    expect(outsider.statusCode).toBe(422);
    expect(outsider.body).toContain('Choose a person from the search results');
    await organiser.get(base);
    const notAnId = await organiser.post(`${base}/members`, { person: 'not-an-id' });
    expect(notAnId.statusCode).toBe(422);
    expect(notAnId.body).toContain('href="#field-person"');

    await organiser.get(base);
    expect((await organiser.post(`${base}/members/remove`, { person: person.alan! })).statusCode).toBe(303);
    expect((await organiser.get(base)).body).toContain('with 1 person you can see');
  });

  it('renames and deletes; organisers cannot change coalition-wide tags', async () => {
    const made = await create(admin, 'tags', { name: 'Old name', group: 'coalition' });
    const base = `/admin/tags/${idFrom(made.headers.location)}`;
    await admin.get(base);
    expect((await admin.post(base, { name: 'New name' })).headers.location).toBe(base);
    expect((await admin.get(base)).body).toContain('<h1>New name</h1>');

    const organiserView = await organiser.get(base);
    expect(organiserView.statusCode).toBe(200);
    expect(organiserView.body).toContain('Only coalition admins can change this tag');
    await organiser.get('/admin/tags');
    expect((await organiser.post(base, { name: 'Hijacked' })).statusCode).toBe(403);
    expect((await organiser.post(`${base}/delete`, {})).statusCode).toBe(403);

    await admin.get(base);
    await admin.post(`${base}/members`, { person: person.bea! });
    await admin.get(base);
    expect((await admin.post(`${base}/delete`, {})).headers.location).toBe('/admin/tags');
    expect((await admin.get(base)).statusCode).toBe(404);
    for (const id of ['abc', '1.5', '9999999999']) expect((await admin.get(`/admin/tags/${id}`)).statusCode, id).toBe(404);
    expect(await t.ctx.db.selectFrom('taggings').select('tag_id').where('tag_id', '=', Number(idFrom(made.headers.location))).execute()).toEqual([]);
  });
});

describe('lists', () => {
  it('creates a list with a description and adds everyone in a segment at once', async () => {
    const made = await create(admin, 'lists', { name: 'Meeting invitees', description: 'For the March meeting', group: 'coalition' });
    expect(made.statusCode).toBe(303);
    const base = `/admin/lists/${idFrom(made.headers.location)}`;
    expect((await admin.get(base)).body).toContain('For the March meeting');

    await admin.get('/admin/segments/new');
    const segment = await admin.post('/admin/segments', { name: 'Everyone', group: 'coalition', query: 'match=all' });
    const segmentId = /\d+/.exec(String(segment.headers.location))![0];
    await admin.get(base);
    const added = await admin.post(`${base}/segment`, { segment: segmentId });
    expect(added.headers.location).toBe(base);
    expect((await admin.get(added.headers.location as string)).body).toContain('3 people added from the segment');
    await admin.get(base);
    expect((await admin.post(`${base}/segment`, { segment: segmentId })).headers.location).toBe(base);
    await admin.get(base);
    const missing = await admin.post(`${base}/segment`, { segment: '' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('href="#field-segment"');

    const lists = await admin.get('/admin/lists');
    expect(lists.body).toMatch(/Meeting invitees<\/a><\/td><td>Whole coalition<\/td><td class="numeric">3<\/td>/);
    // An organiser sees the coalition's list, counting only their own people.
    expect((await organiser.get('/admin/lists')).body).toMatch(/Meeting invitees<\/a><\/td><td>Whole coalition<\/td><td class="numeric">2<\/td>/);
  });
});

describe('looking at members', () => {
  it('writes an audit entry naming the viewer and the tag or list for each members page and search', async () => {
    const { agent, id: viewerId } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group.A!] });
    for (const kind of ['tags', 'lists'] as const) {
      const made = await create(agent, kind, { name: `Audited ${kind}`, group: String(group.A) });
      expect(made.statusCode).toBe(303);
      const id = idFrom(made.headers.location);
      expect((await agent.get(`/admin/${kind}/${id}?q=ada`)).statusCode).toBe(200);
      const entries = await t.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'subject_id', 'after'])
        .where('actor_id', '=', viewerId)
        .where('action', '=', `${kind.slice(0, -1)}.members.view`)
        .execute();
      expect(entries.map((e) => e.subject_id)).toContain(id);
      expect(entries.find((e) => e.subject_id === id)!.after).toMatchObject({ page: 1, searched: true });
    }
  });
});
