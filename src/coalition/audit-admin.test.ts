import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { auditChanges, recordAudit, withoutSecrets } from '../platform/audit.ts';
import { upsertPerson } from '../supporters/people.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInAgent>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInAgent(t.app, t.ctx, { role: 'admin', name: 'Ada Admin', email: 'ada@example.org' });
});
afterAll(() => t.close());

describe('the audit guard', () => {
  it('strips passwords, hashes, tokens and secrets at any depth, whatever the caller passes', async () => {
    const value = {
      name: 'Kept',
      password: 'hunter2hunter2',
      password_hash: '$argon2id$v=19$m=19456',
      nested: { token: 'abc', sessionToken: 'def', secret: 'ghi', 'reset-token': 'jkl', email: 'kept@example.org' },
      list: [{ passwordHash: 'x', role: 'admin' }],
    };
    expect(withoutSecrets(value)).toEqual({ name: 'Kept', nested: { email: 'kept@example.org' }, list: [{ role: 'admin' }] });
    await recordAudit(t.ctx.db, { actor: 'test', action: 'test.guard', subjectType: 'test', subjectId: 1, before: value, after: value });
    const row = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'test.guard').executeTakeFirstOrThrow();
    const stored = JSON.stringify([row.before, row.after]);
    for (const secret of ['hunter2', 'argon2', 'abc', 'def', 'ghi', 'jkl']) expect(stored).not.toContain(secret);
    expect(stored).toContain('kept@example.org');
  });

  it('lists each field with before and after, marking only real changes', () => {
    expect(auditChanges({ name: 'A', slug: 'a', logoUrl: null }, { name: 'B', slug: 'a', logoUrl: null })).toEqual([
      { field: 'name', before: 'A', after: 'B', changed: true },
      { field: 'slug', before: 'a', after: 'a', changed: false },
      { field: 'logoUrl', before: null, after: null, changed: false },
    ]);
    expect(auditChanges(null, { groups: ['X'] })).toEqual([{ field: 'groups', before: undefined, after: ['X'], changed: false }]);
  });
});

describe('the audit log page', () => {
  it('shows who did what and when, with a before/after table, newest first, and no secrets', async () => {
    await admin.agent.get('/admin/groups/new');
    await admin.agent.postMultipart('/admin/groups/new', { name: 'Old Name', slug: 'audited', description: '', website: '', contactEmail: '' });
    const group = await t.ctx.db.selectFrom('groups').select('id').where('slug', '=', 'audited').executeTakeFirstOrThrow();
    await admin.agent.get(`/admin/groups/${group.id}`);
    await admin.agent.postMultipart(`/admin/groups/${group.id}`, { name: 'New <Name>', slug: 'audited', description: '', website: '', contactEmail: '' });
    // A password change is audited without the password.
    await admin.agent.get('/admin/account');
    await admin.agent.post('/admin/account/password', { current: admin.password, password: 'a fresh secret password', confirm: 'a fresh secret password' });

    const page = await admin.agent.get('/admin/audit');
    expect(page.statusCode).toBe(200);
    const body = page.body;
    // Newest first: the password change, then the group update, then the group's creation.
    const order = ['organiser.password.change', 'group.update', 'group.create'].map((action) => body.indexOf(`<code>${action}</code>`));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(body).toContain('By Ada Admin &lt;ada@example.org>');
    expect(body).toMatch(/<time dateTime="[^"]+Z">\d{1,2} \w{3} \d{4}, \d{2}:\d{2}<\/time>/i);
    expect(body).toContain('<caption class="table__caption table__caption--small">Before and after</caption>');
    expect(body).toMatch(/<tr class="audit-changes__row--changed"><th scope="row">name<strong class="tag tag--yellow audit-changes__tag">changed<\/strong><\/th><td>Old Name<\/td><td>New &lt;Name><\/td><\/tr>/);
    expect(body).toMatch(/<tr><th scope="row">slug<\/th><td>audited<\/td><td>audited<\/td><\/tr>/);
    expect(body).not.toContain('a fresh secret password');
    expect(body).not.toContain('$argon2');

    const everything = await t.ctx.db.selectFrom('audit_log').select(['before', 'after']).execute();
    const stored = JSON.stringify(everything);
    expect(stored).not.toContain('argon2');
    expect(stored).not.toContain('a fresh secret password');
    expect(stored).not.toContain(admin.password);
  });

  it('filters by action, subject type and actor, and paginates', async () => {
    for (let i = 0; i < 30; i++) await recordAudit(t.ctx.db, { actor: 'system', action: 'test.bulk', subjectType: 'widget', subjectId: i, after: { n: i } });
    const byAction = await admin.agent.get('/admin/audit?action=test.bulk');
    expect(byAction.body).toContain('30 entries match the filter');
    expect(byAction.body).not.toContain('<code>group.create</code>');
    expect(byAction.body).toContain('Page 1 of 2');
    expect(byAction.body).toContain('href="/admin/audit?action=test.bulk&amp;page=2"');
    const second = await admin.agent.get('/admin/audit?action=test.bulk&page=2');
    expect((second.body.match(/<code>test\.bulk<\/code>/g) ?? []).length).toBe(5);

    const bySubject = await admin.agent.get('/admin/audit?subject=group');
    expect(bySubject.body).toContain('<code>group.update</code>');
    expect(bySubject.body).not.toContain('<code>test.bulk</code>');

    const byActor = await admin.agent.get(`/admin/audit?actor=${encodeURIComponent('Ada Admin <ada@example.org>')}`);
    expect(byActor.body).toContain('<code>group.update</code>');
    expect(byActor.body).not.toContain('<code>test.bulk</code>');
    expect(byActor.body).toContain('<option value="Ada Admin &lt;ada@example.org>" selected>');

    // Odd query strings are not errors.
    expect((await admin.agent.get('/admin/audit?page=-4&action[]=x')).statusCode).toBe(200);
  });

  it('writes each entry as a sentence for people, naming the person, group and petition instead of ids, which stay in its details', async () => {
    const person = await upsertPerson(t.ctx.db, { email: 'audited.person@example.org', givenName: 'Aud', familyName: 'Ited' });
    const group = await t.ctx.db.insertInto('groups').values({ slug: 'sentence-group', name: 'Sentence Group', website: null, contact_email: null, logo_media_id: null }).returning('id').executeTakeFirstOrThrow();
    const petition = await t.ctx.db.insertInto('petitions').values({ slug: 'audited', action: 'Fund the audited clinic', background: 'Because.', target: 'The board' }).returning('id').executeTakeFirstOrThrow();
    await admin.agent.get(`/admin/people?q=${encodeURIComponent('audited.person')}`);
    await admin.agent.get(`/admin/people/${person.publicId}`);
    await admin.agent.get(`/admin/groups/${group.id}`);
    await admin.agent.postMultipart(`/admin/groups/${group.id}`, { name: 'Sentence Group', slug: 'sentence-group', description: 'Now described', website: '', contactEmail: '' });
    await recordAudit(t.ctx.db, { actor: 'system', action: 'petition.approve', subjectType: 'petition', subjectId: petition.id });

    const body = (await admin.agent.get('/admin/audit')).body;
    const titles = [...body.matchAll(/<h2 class="audit-entry__title">([\s\S]*?)<\/h2>/g)].map((m) => m[1]!);
    expect(titles).toContain('Searched people and was shown 1 person of 1 match');
    expect(titles).toContain(`Looked at the record of <a href="/admin/people/${person.publicId}">Aud Ited</a>`);
    expect(titles).toContain(`Edited the group <a href="/admin/groups/${group.id}">Sentence Group</a>`);
    expect(titles).toContain(`Approved and opened the petition <a href="/admin/petitions/${petition.id}">“Fund the audited clinic”</a>`);
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
    for (const title of titles) {
      const words = title.replace(/<[^>]+>/g, '');
      expect(words, title).not.toMatch(uuid);
      expect(words, title).not.toMatch(/\b[a-z-]+\.[a-z-]+(\.[a-z-]+)*\b/);
    }
    // The ids are still there for whoever needs them, in each entry's details.
    expect(body).toContain('<code>people.search</code>');
    expect(body).toContain(`<code>${person.publicId}</code>`);
    // The action filter offers words too.
    expect(body).toContain('<option value="people.search">Searched people</option>');
  });

  it('is for coalition admins only', async () => {
    const organiser = await signedInAgent(t.app, t.ctx, { role: 'organiser' });
    expect((await organiser.agent.get('/admin/audit')).statusCode).toBe(403);
    const anonymous = await new Agent(t.app).get('/admin/audit');
    expect(anonymous.statusCode).toBe(303);
  });
});
