import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import type { Agent } from '../../test/support/agent.ts';
import { giveConsent, purposeFor, wordingFor } from './consent.ts';
import { connectToGroups, upsertPerson } from './people.ts';
import { addGroup, addPostcode } from './test-support.ts';

let t: TestApp;
let admin: Agent;
let organiser: Agent;
let moderator: Agent;
let mine: number;
let theirs: number;
const people: Record<string, { id: number; publicId: string }> = {};

async function person(key: string, email: string, name: string, groupId: number | null, postcode?: string) {
  const [givenName, familyName] = name.split(' ');
  const p = await upsertPerson(t.ctx.db, { email, givenName, familyName, postcode: postcode ?? null, emailVerified: true });
  if (groupId) await connectToGroups(t.ctx.db, p.id, [groupId]);
  people[key] = p;
  return p;
}

async function auditOf(action: string) {
  return t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
}

beforeAll(async () => {
  t = await createTestApp();
  mine = await addGroup(t.ctx.db, 'my-group', 'My Group');
  theirs = await addGroup(t.ctx.db, 'their-group', 'Their Group');
  await addPostcode(t.ctx.db, 'M1 1AE', { code: 'E14001234', name: 'Manchester Central', regionCode: 'E12000002' });
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
  organiser = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [mine] })).agent;
  moderator = (await signedInAgent(t.app, t.ctx, { role: 'moderator' })).agent;
  await person('ours', 'ours@example.org', 'Olive Ours', mine, 'M1 1AE');
  await person('theirs', 'theirs@example.org', 'Theo Theirs', theirs);
  await person('both', 'both@example.org', 'Bea Both', mine);
  await connectToGroups(t.ctx.db, people.both!.id, [theirs]);
  await person('nobody', 'nobody@example.org', 'Nora Nobody', null);
  for (const [key, groupId] of [['both', mine], ['both', theirs], ['both', null]] as const) {
    const purpose = await purposeFor(t.ctx.db, { groupId });
    const words = await wordingFor(t.ctx.db, purpose.id, `Words for ${purpose.key}`);
    await giveConsent(t.ctx.db, { personId: people[key]!.id, purposeId: purpose.id, wordingId: words.id, method: 'form:test' });
  }
});
afterAll(() => t.close());

describe('who sees which supporters', () => {
  it('shows a group organiser only their groups’ people, and audits the search with public ids only', async () => {
    const res = await organiser.get('/admin/people');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('ours@example.org');
    expect(res.body).toContain('both@example.org');
    expect(res.body).not.toContain('theirs@example.org');
    expect(res.body).not.toContain('nobody@example.org');
    const audit = (await auditOf('people.search')).at(-1)!;
    expect(audit.actor_label).toContain('organiser');
    const after = audit.after as { shown: string[] };
    expect(after.shown.sort()).toEqual([people.ours!.publicId, people.both!.publicId].sort());
    expect(JSON.stringify(audit.after)).not.toContain('ours@example.org');
  });

  it('lets admins see everyone, search by name, email or postcode and filter by group', async () => {
    const all = await admin.get('/admin/people');
    for (const email of ['ours@', 'theirs@', 'both@', 'nobody@']) expect(all.body).toContain(email);
    const byPostcode = await admin.get('/admin/people?q=m11ae');
    expect(byPostcode.body).toContain('ours@example.org');
    expect(byPostcode.body).not.toContain('theirs@example.org');
    const byName = await admin.get('/admin/people?q=theo');
    expect(byName.body).toContain('theirs@example.org');
    expect(byName.body).not.toContain('ours@example.org');
    const byGroup = await admin.get(`/admin/people?group=${theirs}`);
    expect(byGroup.body).toContain('theirs@example.org');
    expect(byGroup.body).toContain('both@example.org');
    expect(byGroup.body).not.toContain('ours@example.org');
  });

  it('answers 404 to an organiser asking for another group’s person, and 403 to moderators', async () => {
    expect((await organiser.get(`/admin/people/${people.theirs!.publicId}`)).statusCode).toBe(404);
    expect((await organiser.get(`/admin/people/${people.nobody!.publicId}/consents.csv`)).statusCode).toBe(404);
    expect((await organiser.get(`/admin/people/${people.theirs!.publicId}/edit`)).statusCode).toBe(404);
    expect((await moderator.get('/admin/people')).statusCode).toBe(403);
    expect((await moderator.get(`/admin/people/${people.ours!.publicId}`)).statusCode).toBe(403);
    // Admin-only actions.
    expect((await organiser.get(`/admin/people/${people.ours!.publicId}/data.json`)).statusCode).toBe(403);
    expect((await organiser.get(`/admin/people/${people.ours!.publicId}/erase`)).statusCode).toBe(403);
    expect((await organiser.get('/admin/people/merge')).statusCode).toBe(403);
    expect((await organiser.get('/admin/retention')).statusCode).toBe(403);
  });

  it('shows an organiser only their groups’ consents on a shared person, and audits the view', async () => {
    const res = await organiser.get(`/admin/people/${people.both!.publicId}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('My Group updates');
    expect(res.body).not.toContain('Their Group updates');
    expect(res.body).not.toContain('Coalition updates');
    expect(res.body).toContain(`Words for group.${mine}.updates`);
    const view = (await auditOf('person.view')).at(-1)!;
    expect(view.subject_id).toBe(people.both!.publicId);
    expect(JSON.stringify(view)).not.toContain('both@example.org');

    const adminView = await admin.get(`/admin/people/${people.both!.publicId}`);
    expect(adminView.body).toContain('Their Group updates');
    expect(adminView.body).toContain('Coalition updates');
  });

  it('streams consent proof: per person (CSV and JSON) and per purpose, scoped and audited', async () => {
    const csv = await organiser.get(`/admin/people/${people.both!.publicId}/consents.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toBe('purpose,event,wording_version,wording,method,source,ip,occurred_at');
    expect(csv.body).toContain(`group.${mine}.updates,given,1,Words for group.${mine}.updates,form:test`);
    expect(csv.body).not.toContain(`group.${theirs}.updates`);
    const json = await admin.get(`/admin/people/${people.both!.publicId}/consents.json`);
    expect(JSON.parse(json.body).consents).toHaveLength(3);

    const myPurpose = await purposeFor(t.ctx.db, { groupId: mine });
    const theirPurpose = await purposeFor(t.ctx.db, { groupId: theirs });
    const list = await organiser.get('/admin/people/consents');
    expect(list.body).toContain('My Group updates');
    expect(list.body).not.toContain('Their Group updates');
    const proof = await organiser.get(`/admin/people/consents/${myPurpose.id}.csv`);
    expect(proof.statusCode).toBe(200);
    const lines = proof.body.trim().split('\n');
    expect(lines[0]).toBe('person_id,email,purpose,wording_version,wording,given_at,method,source,first_source');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${people.both!.publicId},both@example.org,group.${mine}.updates,1,Words for group.${mine}.updates,`);
    expect((await organiser.get(`/admin/people/consents/${theirPurpose.id}.csv`)).statusCode).toBe(404);
    for (const file of ['abc.csv', `${myPurpose.id}.json`, '99999999999.csv', '0x1.csv']) {
      expect((await organiser.get(`/admin/people/consents/${file}`)).statusCode, file).toBe(404);
    }
    const exports = await auditOf('people.export');
    expect(exports.at(-1)).toMatchObject({ subject_type: 'consent_purpose', subject_id: String(myPurpose.id) });
    expect((await auditOf('person.consents.export')).map((a) => a.subject_id)).toContain(people.both!.publicId);
  });

  it('shows organisers the embed code for their own groups only', async () => {
    const res = await organiser.get('/admin/people/forms');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('/embed/subscribe/my-group');
    expect(res.body).toContain('&lt;iframe');
    expect(res.body).not.toContain('their-group');
  });
});

describe('editing and merging', () => {
  it('edits details, refusing bad input with the field named and values kept', async () => {
    const url = `/admin/people/${people.ours!.publicId}/edit`;
    await organiser.get(url);
    const bad = await organiser.post(url, { given_name: 'Olive', family_name: 'Ours', email: 'nope', phone: 'call me', postcode: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('href="#field-email"');
    expect(bad.body).toContain('href="#field-phone"');
    expect(bad.body).toContain('value="call me"');
    // A group organiser cannot change an address, and the answer is the same whether or not
    // someone outside their groups has the new one: it tells nothing of them.
    const summary = (body: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(body)?.[0];
    const taken = await organiser.post(url, { given_name: 'Olive', family_name: 'Ours', email: 'theirs@example.org', phone: '', postcode: '' });
    const free = await organiser.post(url, { given_name: 'Olive', family_name: 'Ours', email: 'nobody.has.this@example.org', phone: '', postcode: '' });
    expect([taken.statusCode, free.statusCode]).toEqual([422, 422]);
    expect(taken.body).toContain('Only a coalition admin, or the person on their preferences page, can change an email address.');
    expect(taken.body).not.toContain('Another person');
    expect(summary(taken.body)).toBeDefined();
    expect(summary(taken.body)).toBe(summary(free.body));
    // An admin sees everyone: they are told, and merge instead.
    await admin.get(url);
    const byAdmin = await admin.post(url, { given_name: 'Olive', family_name: 'Ours', email: 'theirs@example.org', phone: '', postcode: '' });
    expect(byAdmin.statusCode).toBe(422);
    expect(byAdmin.body).toContain('Another person has this email address');
    const unknownPostcode = await organiser.post(url, { given_name: 'Olive', family_name: 'Ours', email: 'ours@example.org', phone: '', postcode: 'ZZ1 1ZZ' });
    expect(unknownPostcode.statusCode).toBe(422);
    expect(unknownPostcode.body).toContain('href="#field-postcode"');
    const ok = await organiser.post(url, { given_name: 'Olivia', family_name: 'Ours', email: 'ours@example.org', phone: '0161 496 0000', postcode: 'm1 1ae' });
    expect(ok.statusCode).toBe(303);
    const row = await t.ctx.db.selectFrom('people').selectAll().where('id', '=', people.ours!.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ given_name: 'Olivia', phone: '0161 496 0000', postcode: 'M1 1AE', constituency_code: 'E14001234' });
    const audit = (await auditOf('person.update')).at(-1)!;
    expect(audit.after).toEqual({ fields: ['given_name', 'phone'] });
  });

  it('merges two records after a preview, from the admin', async () => {
    const a = await person('dupA', 'dup.one@example.org', 'Dup One', mine);
    const b = await person('dupB', 'dup.two@example.org', 'Dup Two', theirs);
    const choose = await admin.get(`/admin/people/merge?first=${a.publicId}&second=nobody-here@example.org`);
    expect(choose.statusCode).toBe(422);
    expect(choose.body).toContain('href="#field-second"');
    const preview = await admin.get(`/admin/people/merge?first=${a.publicId}&second=dup.two@example.org`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('dup.one@example.org');
    expect(preview.body).toContain('dup.two@example.org');
    const noChoice = await admin.post('/admin/people/merge', { first: a.publicId, second: b.publicId });
    expect(noChoice.statusCode).toBe(422);
    expect(noChoice.body).toContain('href="#field-keep"');
    const merged = await admin.post('/admin/people/merge', { first: a.publicId, second: b.publicId, keep: 'second' });
    expect(merged.statusCode).toBe(303);
    expect(merged.headers.location).toBe(`/admin/people/${b.publicId}`);
    const folded = await t.ctx.db.selectFrom('people').select('merged_into_id').where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(folded.merged_into_id).toBe(b.id);
    const groups = await t.ctx.db.selectFrom('person_groups').select('group_id').where('person_id', '=', b.id).orderBy('group_id').execute();
    expect(groups.map((g) => g.group_id)).toEqual([mine, theirs].sort((x, y) => x - y));
    const page = await admin.get(String(merged.headers.location));
    expect(page.body).toContain('The two records have been merged into this one');
  });
});
