import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { findGroupBySlug } from './groups.ts';
import { tinyPng } from './test-support.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInAgent>>;
const publicVisitor = () => new Agent(t.app);

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInAgent(t.app, t.ctx, { role: 'admin', name: 'Ada Admin' });
});
afterAll(() => t.close());

const groupFields = (overrides: Record<string, string> = {}) => ({
  name: 'Save Our Hospital',
  slug: '',
  description: 'Neighbours defending the A&E.\n\nWe meet every Tuesday.',
  website: 'https://soh.example',
  contactEmail: 'hello@soh.example',
  ...overrides,
});

async function addGroupAsAdmin(fields: Record<string, string>) {
  await admin.agent.get('/admin/groups/new');
  const res = await admin.agent.postMultipart('/admin/groups/new', groupFields(fields));
  expect(res.statusCode, res.body).toBe(303);
  return (await findGroupBySlug(t.ctx.db, fields.slug || ''))!;
}

describe('groups admin (coalition admin)', () => {
  it('creates, edits and deletes a group, and the public pages show each change at once', async () => {
    await admin.agent.get('/admin/groups/new');
    const created = await admin.agent.postMultipart('/admin/groups/new', groupFields());
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/admin/groups');
    const list = await admin.agent.get(created.headers.location as string);
    expect(list.body).toContain('The group has been added');
    expect(list.body).toContain('Save Our Hospital');

    // The slug was made from the name.
    const group = (await findGroupBySlug(t.ctx.db, 'save-our-hospital'))!;
    expect(group).toBeDefined();
    const page = await publicVisitor().get('/groups/save-our-hospital');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Neighbours defending the A&amp;E.');
    expect(page.body).toContain('<p>We meet every Tuesday.</p>');
    expect(page.body).toContain('href="mailto:hello@soh.example"');
    expect((await publicVisitor().get('/groups')).body).toContain('Save Our Hospital');
    expect((await publicVisitor().get('/')).body).toContain('Save Our Hospital');

    await admin.agent.get(`/admin/groups/${group.id}`);
    const edited = await admin.agent.postMultipart(
      `/admin/groups/${group.id}`,
      groupFields({ name: 'Save Our General Hospital', slug: 'save-our-general', website: '', contactEmail: '' }),
    );
    expect(edited.statusCode).toBe(303);
    expect((await publicVisitor().get('/groups/save-our-hospital')).statusCode).toBe(404);
    const renamed = await publicVisitor().get('/groups/save-our-general');
    expect(renamed.statusCode).toBe(200);
    expect(renamed.body).toContain('<h1>Save Our General Hospital</h1>');
    expect(renamed.body).not.toContain('hello@soh.example');

    // Deleting asks first; the GET changes nothing.
    const confirm = await admin.agent.get(`/admin/groups/${group.id}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Delete Save Our General Hospital?');
    expect((await publicVisitor().get('/groups/save-our-general')).statusCode).toBe(200);
    const deleted = await admin.agent.post(`/admin/groups/${group.id}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    expect((await publicVisitor().get('/groups/save-our-general')).statusCode).toBe(404);
    expect((await publicVisitor().get('/groups')).body).not.toContain('Save Our General Hospital');
  });

  it('records every change in the audit log with the admin, before and after', async () => {
    const group = await addGroupAsAdmin({ name: 'Audit Trail Group', slug: 'audit-trail' });
    await admin.agent.get(`/admin/groups/${group.id}`);
    await admin.agent.postMultipart(`/admin/groups/${group.id}`, groupFields({ name: 'Audit Trail Group', slug: 'audit-trail', description: 'Changed words' }));
    await admin.agent.post(`/admin/groups/${group.id}/delete`, {});
    const entries = await t.ctx.db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'group').where('subject_id', '=', String(group.id)).orderBy('id').execute();
    expect(entries.map((e) => e.action)).toEqual(['group.create', 'group.update', 'group.delete']);
    for (const entry of entries) expect(entry.actor_id).toBe(admin.id);
    const update = entries[1]!;
    expect((update.before as { description: string }).description).toBe('Neighbours defending the A&E.\n\nWe meet every Tuesday.');
    expect((update.after as { description: string }).description).toBe('Changed words');
    expect((entries[2]!.before as { slug: string }).slug).toBe('audit-trail');
  });

  it('refuses a slug another group uses, naming the field and keeping what was typed', async () => {
    await addGroupAsAdmin({ name: 'Keep Our NHS Public', slug: 'keep-our-nhs-public' });
    await admin.agent.get('/admin/groups/new');
    const res = await admin.agent.postMultipart('/admin/groups/new', groupFields({ name: 'Another KONP', slug: 'keep-our-nhs-public', description: 'Typed words stay' }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#field-slug"');
    expect(res.body).toContain('Another group already uses the web address “keep-our-nhs-public”');
    expect(res.body).toContain('value="Another KONP"');
    expect(res.body).toContain('Typed words stay');
    const count = await t.ctx.db.selectFrom('groups').select((eb) => eb.fn.countAll<string>().as('n')).where('name', '=', 'Another KONP').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);

    // Editing another group onto a taken slug is refused the same way.
    const other = await addGroupAsAdmin({ name: 'Other Group', slug: 'other-group' });
    await admin.agent.get(`/admin/groups/${other.id}`);
    const clash = await admin.agent.postMultipart(`/admin/groups/${other.id}`, groupFields({ name: 'Other Group', slug: 'keep-our-nhs-public' }));
    expect(clash.statusCode).toBe(422);
    expect(clash.body).toContain('href="#field-slug"');
    expect((await findGroupBySlug(t.ctx.db, 'other-group'))?.id).toBe(other.id);
  });

  it('shows each bad field beside the field and in the summary', async () => {
    await admin.agent.get('/admin/groups/new');
    const res = await admin.agent.postMultipart('/admin/groups/new', {
      name: '',
      slug: 'Not A Slug!',
      description: 'Kept description',
      website: 'soh.example',
      contactEmail: 'not an email',
    });
    expect(res.statusCode).toBe(422);
    for (const field of ['name', 'slug', 'website', 'contactEmail']) expect(res.body).toContain(`href="#field-${field}"`);
    expect(res.body).toContain('Enter the group’s name');
    expect(res.body).toContain('Enter the website as a full address starting with https://');
    expect(res.body).toContain('Enter an email address in the correct format');
    expect(res.body).toContain('only lowercase letters, numbers and single hyphens');
    expect(res.body).toContain('value="soh.example"');
    expect(res.body).toContain('Kept description');

    // A name with nothing to make a slug from, and no slug typed.
    await admin.agent.get('/admin/groups/new');
    const noSlug = await admin.agent.postMultipart('/admin/groups/new', groupFields({ name: '!!!' }));
    expect(noSlug.statusCode).toBe(422);
    expect(noSlug.body).toContain('Enter a web address for the group');
  });

  it('answers any typed input with the saved group or field errors, never a server error', async () => {
    // Any Unicode, including the NUL character PostgreSQL cannot store.
    const text = (maxLength: number) => fc.oneof(fc.string({ unit: 'binary', maxLength }), fc.constant('before\u0000after'));
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          name: text(200),
          slug: fc.oneof(text(80), fc.stringMatching(/^[a-z0-9-]{1,70}$/)),
          description: text(400),
          website: fc.oneof(fc.webUrl(), text(50)),
          contactEmail: fc.oneof(fc.emailAddress(), text(50)),
        }),
        async (fields) => {
          await admin.agent.get('/admin/groups/new');
          const res = await admin.agent.post('/admin/groups/new', fields);
          expect([303, 422]).toContain(res.statusCode);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('stores an uploaded PNG logo and shows it; a file that is not an image is refused', async () => {
    const png = tinyPng(3, 2);
    await admin.agent.get('/admin/groups/new');
    const res = await admin.agent.postMultipart('/admin/groups/new', groupFields({ name: 'Logo Group', slug: 'logo-group' }), {
      logo: { filename: 'logo.png', type: 'image/png', data: png },
    });
    expect(res.statusCode).toBe(303);
    const group = (await findGroupBySlug(t.ctx.db, 'logo-group'))!;
    expect(group.logoUrl).toMatch(/^\/media\/[0-9a-f-]{36}$/);
    expect((await publicVisitor().get('/groups/logo-group')).body).toContain(`src="${group.logoUrl}"`);
    const image = await publicVisitor().get(group.logoUrl!);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.equals(png)).toBe(true);

    const mediaBefore = await t.ctx.db.selectFrom('media').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    await admin.agent.get('/admin/groups/new');
    const fake = await admin.agent.postMultipart('/admin/groups/new', groupFields({ name: 'Fake Logo Group', slug: 'fake-logo' }), {
      logo: { filename: 'logo.png', type: 'image/png', data: Buffer.from('<svg>this is not a PNG</svg>') },
    });
    expect(fake.statusCode).toBe(422);
    expect(fake.body).toContain('href="#field-logo"');
    expect(fake.body).toContain('The image must be a PNG, JPEG, WebP or GIF file');
    expect(fake.body).toContain('value="Fake Logo Group"');
    expect(await findGroupBySlug(t.ctx.db, 'fake-logo')).toBeUndefined();
    const mediaAfter = await t.ctx.db.selectFrom('media').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(mediaAfter.n).toBe(mediaBefore.n);

    // Removing the logo takes it off the public page.
    await admin.agent.get(`/admin/groups/${group.id}`);
    const removed = await admin.agent.postMultipart(`/admin/groups/${group.id}`, groupFields({ name: 'Logo Group', slug: 'logo-group', removeLogo: 'yes' }));
    expect(removed.statusCode).toBe(303);
    expect((await findGroupBySlug(t.ctx.db, 'logo-group'))!.logoUrl).toBeNull();
    expect((await publicVisitor().get('/groups/logo-group')).body).not.toContain('/media/');
  });
});

describe('groups admin (other roles)', () => {
  it('lets a group organiser see and edit only their own groups, and add a group they then organise', async () => {
    const mine = await addGroupAsAdmin({ name: 'Mine Group', slug: 'mine-group' });
    const theirs = await addGroupAsAdmin({ name: 'Theirs Group', slug: 'theirs-group' });
    const organiser = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [mine.id] });

    const list = await organiser.agent.get('/admin/groups');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Mine Group');
    expect(list.body).not.toContain('Theirs Group');

    expect((await organiser.agent.get(`/admin/groups/${theirs.id}`)).statusCode).toBe(403);
    await organiser.agent.get(`/admin/groups/${mine.id}`);
    const sneaky = await organiser.agent.postMultipart(`/admin/groups/${theirs.id}`, groupFields({ name: 'Hijacked', slug: 'theirs-group' }));
    expect(sneaky.statusCode).toBe(403);
    expect((await findGroupBySlug(t.ctx.db, 'theirs-group'))!.name).toBe('Theirs Group');

    await organiser.agent.get(`/admin/groups/${mine.id}`);
    const ok = await organiser.agent.postMultipart(`/admin/groups/${mine.id}`, groupFields({ name: 'Mine Group Renamed', slug: 'mine-group' }));
    expect(ok.statusCode).toBe(303);
    expect((await publicVisitor().get('/groups/mine-group')).body).toContain('Mine Group Renamed');

    // Deleting a group is for coalition admins.
    expect((await organiser.agent.get(`/admin/groups/${mine.id}/delete`)).statusCode).toBe(403);
    await organiser.agent.get(`/admin/groups/${mine.id}`);
    expect((await organiser.agent.post(`/admin/groups/${mine.id}/delete`, {})).statusCode).toBe(403);

    await organiser.agent.get('/admin/groups/new');
    const added = await organiser.agent.postMultipart('/admin/groups/new', groupFields({ name: 'Brand New Local Group', slug: '' }));
    expect(added.statusCode).toBe(303);
    const newGroup = (await findGroupBySlug(t.ctx.db, 'brand-new-local-group'))!;
    const membership = await t.ctx.db.selectFrom('organiser_groups').selectAll().where('organiser_id', '=', organiser.id).execute();
    expect(membership.map((m) => m.group_id).sort()).toEqual([mine.id, newGroup.id].sort());
    expect((await organiser.agent.get('/admin/groups')).body).toContain('Brand New Local Group');
    expect((await organiser.agent.get('/admin')).body).toContain(`href="/admin/groups/${newGroup.id}"`);
  });

  it('does not let a moderator manage groups', async () => {
    const group = await addGroupAsAdmin({ name: 'Moderated Group', slug: 'moderated-group' });
    const moderator = await signedInAgent(t.app, t.ctx, { role: 'moderator' });
    const dashboard = await moderator.agent.get('/admin');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).not.toContain('href="/admin/groups"');
    expect((await moderator.agent.get('/admin/groups')).statusCode).toBe(403);
    expect((await moderator.agent.get('/admin/groups/new')).statusCode).toBe(403);
    expect((await moderator.agent.get(`/admin/groups/${group.id}`)).statusCode).toBe(403);
    await moderator.agent.get('/admin');
    expect((await moderator.agent.postMultipart('/admin/groups/new', groupFields({ name: 'Moderator Group', slug: 'moderator-group' }))).statusCode).toBe(403);
    expect(await findGroupBySlug(t.ctx.db, 'moderator-group')).toBeUndefined();
  });

  it('answers 404 for a group that does not exist or an id that is not a number', async () => {
    expect((await admin.agent.get('/admin/groups/999999')).statusCode).toBe(404);
    expect((await admin.agent.get('/admin/groups/abc')).statusCode).toBe(404);
    expect((await admin.agent.get('/admin/groups/99999999999999999999')).statusCode).toBe(404);
  });

  it('refuses a NUL character in an address or query with a 4xx naming it, not a server error', async () => {
    const publicPage = await publicVisitor().get('/groups/keep%00out');
    expect(publicPage.statusCode).toBe(422);
    expect(publicPage.body).toContain('slug must not contain the invisible NUL character');
    expect((await admin.agent.get('/admin/audit?action=%00')).statusCode).toBe(422);
  });
});
