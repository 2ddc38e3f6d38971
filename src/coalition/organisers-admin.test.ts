import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { linkIn, SmtpSink } from '../../test/support/smtp.ts';
import { findOrganiserByEmail, getOrganiser } from './organisers.ts';

let sink: SmtpSink;
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInAgent>>;
let groupA: number;
let groupB: number;

beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: sink.url } });
  admin = await signedInAgent(t.app, t.ctx, { role: 'admin', name: 'Ada Admin' });
  groupA = (await t.ctx.db.insertInto('groups').values({ slug: 'group-a', name: 'Group A', website: null, contact_email: null, logo_media_id: null }).returning('id').executeTakeFirstOrThrow()).id;
  groupB = (await t.ctx.db.insertInto('groups').values({ slug: 'group-b', name: 'Group B', website: null, contact_email: null, logo_media_id: null }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

async function invite(fields: Record<string, string | string[]>) {
  await admin.agent.get('/admin/organisers/new');
  return admin.agent.post('/admin/organisers/new', fields);
}

async function pageOf(email: string): Promise<string> {
  const row = await findOrganiserByEmail(t.ctx.db, email);
  return `/admin/organisers/${row!.public_id}`;
}

describe('organisers admin', () => {
  it('invites an organiser by email; they sign in once with the link, choose a password, and can sign in with it', async () => {
    const res = await invite({ name: 'Olu Organiser', email: 'olu@example.org', role: 'organiser', groups: [String(groupA)] });
    expect(res.statusCode).toBe(303);
    const listed = await admin.agent.get(res.headers.location as string);
    expect(listed.body).toContain('their invitation is on its way');
    expect(listed.body).toContain('Olu Organiser');
    expect(listed.body).toContain('Group A');
    expect(listed.body).toContain('Invited (not signed in yet)');

    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes('olu@example.org'));
    // It says which group it is for.
    expect(mail.subject).toBe('You are invited to Chorus for Group A');
    expect(mail.text).toContain('Ada Admin has invited you to Chorus as a group organiser for Group A.');
    const path = new URL(linkIn(mail, 'http://chorus.test/sign-in/link/')).pathname;

    const olu = new Agent(t.app);
    expect((await olu.get(path)).body).toContain('olu@example.org');
    const signedIn = await olu.post(path, {});
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/admin/account');
    const account = await olu.get('/admin/account');
    expect(account.body).toContain('Choose a password');
    expect(account.body).not.toContain('Current password');
    const chosen = await olu.post('/admin/account/password', { password: 'olu chooses a long password', confirm: 'olu chooses a long password' });
    expect(chosen.statusCode).toBe(303);

    const again = new Agent(t.app);
    await again.get('/sign-in');
    expect((await again.post('/sign-in', { email: 'olu@example.org', password: 'olu chooses a long password' })).statusCode).toBe(303);
    expect((await again.get('/admin')).body).toContain('Group A');
    // The invitation link worked once.
    expect((await new Agent(t.app).get(path)).statusCode).toBe(410);
    const status = await admin.agent.get(await pageOf('olu@example.org'));
    expect(status.body).toContain('Active');
  });

  it('refuses bad invitations with field errors, keeping what was typed', async () => {
    const res = await invite({ name: '', email: 'not-an-email', groups: [String(groupA)] });
    expect(res.statusCode).toBe(422);
    for (const field of ['name', 'email', 'role']) expect(res.body).toContain(`href="#field-${field}"`);
    expect(res.body).toContain('value="not-an-email"');
    expect(res.body).toMatch(new RegExp(`value="${groupA}" checked`));

    const taken = await invite({ name: 'Ada Again', email: admin.email.toUpperCase(), role: 'moderator' });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('An organiser with this email address already exists');
    expect(taken.body).toContain('value="Ada Again"');

    const noSuchGroup = await invite({ name: 'Ghost', email: 'ghost@example.org', role: 'organiser', groups: ['999999'] });
    expect(noSuchGroup.statusCode).toBe(422);
    expect(noSuchGroup.body).toContain('href="#field-groups"');
    expect(await findOrganiserByEmail(t.ctx.db, 'ghost@example.org')).toBeUndefined();
  });

  it('two admins inviting the same address at once: one account is made, the other gets the email field error', async () => {
    await admin.agent.get('/admin/organisers/new');
    const fields = { name: 'Twin Organiser', email: 'twin@example.org', role: 'moderator' };
    const answers = await Promise.all([admin.agent.post('/admin/organisers/new', fields), admin.agent.post('/admin/organisers/new', fields)]);
    expect(answers.map((a) => a.statusCode).toSorted()).toEqual([303, 422]);
    expect(answers.find((a) => a.statusCode === 422)!.body).toContain('An organiser with this email address already exists');
    const rows = await t.ctx.db.selectFrom('organisers').select('id').where('email', '=', 'twin@example.org').execute();
    expect(rows).toHaveLength(1);
  });

  it('changes role and groups, audited with before and after; groups apply to group organisers only', async () => {
    await invite({ name: 'Rowan', email: 'rowan@example.org', role: 'organiser', groups: [String(groupA)] });
    const page = await pageOf('rowan@example.org');
    await admin.agent.get(page);
    const res = await admin.agent.post(page, { role: 'organiser', groups: [String(groupB)] });
    expect(res.statusCode).toBe(303);
    const rowan = (await findOrganiserByEmail(t.ctx.db, 'rowan@example.org'))!;
    expect((await getOrganiser(t.ctx.db, rowan.id))!.groupIds).toEqual([groupB]);

    await admin.agent.get(page);
    expect((await admin.agent.post(page, { role: 'moderator', groups: [String(groupB)] })).statusCode).toBe(303);
    const moderator = (await getOrganiser(t.ctx.db, rowan.id))!;
    expect(moderator.role).toBe('moderator');
    expect(moderator.groupIds).toEqual([]);

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'organiser.access.change').where('subject_id', '=', String(rowan.id)).orderBy('id').execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]!.actor_id).toBe(admin.id);
    expect(audit[0]!.before).toEqual({ role: 'organiser', groups: ['Group A'] });
    expect(audit[0]!.after).toEqual({ role: 'organiser', groups: ['Group B'] });
    expect(audit[1]!.after).toEqual({ role: 'moderator', groups: [] });
  });

  it('does not let an admin remove their own admin role or disable themselves', async () => {
    const page = `/admin/organisers/${(await getOrganiser(t.ctx.db, admin.id))!.publicId}`;
    const own = await admin.agent.get(page);
    expect(own.body).toContain('You cannot disable your own account');
    const demote = await admin.agent.post(page, { role: 'moderator' });
    expect(demote.statusCode).toBe(422);
    expect(demote.body).toContain('href="#field-role"');
    expect(demote.body).toContain('You cannot remove your own admin role');
    await admin.agent.get(page);
    expect((await admin.agent.post(`${page}/disable`, {})).statusCode).toBe(409);
    const me = (await getOrganiser(t.ctx.db, admin.id))!;
    expect(me.role).toBe('admin');
    expect(me.disabled).toBe(false);
  });

  it('disabling an account ends its sessions at once and stops sign-in; enabling lets them back', async () => {
    const other = await signedInAgent(t.app, t.ctx, { role: 'organiser', email: 'dee@example.org' });
    expect((await other.agent.get('/admin')).statusCode).toBe(200);
    const page = await pageOf('dee@example.org');
    await admin.agent.get(page);
    const res = await admin.agent.post(`${page}/disable`, {});
    expect(res.statusCode).toBe(303);
    expect((await admin.agent.get(res.headers.location as string)).body).toContain('The account has been disabled');

    expect((await other.agent.get('/admin')).statusCode).toBe(303);
    const sessions = await t.ctx.db.selectFrom('sessions').select('id').where('organiser_id', '=', other.id).execute();
    expect(sessions).toEqual([]);
    const retry = new Agent(t.app);
    await retry.get('/sign-in');
    expect((await retry.post('/sign-in', { email: 'dee@example.org', password: other.password })).statusCode).toBe(422);

    await admin.agent.get(page);
    expect((await admin.agent.post(`${page}/enable`, {})).statusCode).toBe(303);
    await retry.get('/sign-in');
    expect((await retry.post('/sign-in', { email: 'dee@example.org', password: other.password })).statusCode).toBe(303);

    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('subject_id', '=', String(other.id)).where('action', 'in', ['organiser.disable', 'organiser.enable']).orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'organiser.disable', before: { status: 'active' }, after: { status: 'disabled' } },
      { action: 'organiser.enable', before: { status: 'disabled' }, after: { status: 'active' } },
    ]);
  });

  it('resends an invitation; only the newest link works', async () => {
    await invite({ name: 'Sam', email: 'sam@example.org', role: 'moderator' });
    await t.runJobs();
    const first = new URL(linkIn(await sink.waitFor((m) => m.to.includes('sam@example.org')), 'http://chorus.test/sign-in/link/')).pathname;
    const page = await pageOf('sam@example.org');
    await admin.agent.get(page);
    const res = await admin.agent.post(`${page}/invitation`, {});
    expect(res.statusCode).toBe(303);
    await t.runJobs();
    const mails = sink.to('sam@example.org');
    expect(mails).toHaveLength(2);
    const second = new URL(linkIn(mails[1]!, 'http://chorus.test/sign-in/link/')).pathname;
    expect(second).not.toBe(first);
    expect((await new Agent(t.app).get(first)).statusCode).toBe(404);
    expect((await new Agent(t.app).get(second)).statusCode).toBe(200);
  });

  it('is for coalition admins only', async () => {
    const organiser = await signedInAgent(t.app, t.ctx, { role: 'organiser' });
    const moderator = await signedInAgent(t.app, t.ctx, { role: 'moderator' });
    for (const who of [organiser, moderator]) {
      expect((await who.agent.get('/admin/organisers')).statusCode).toBe(403);
      expect((await who.agent.get('/admin/organisers/new')).statusCode).toBe(403);
      await who.agent.get('/admin');
      expect((await who.agent.post('/admin/organisers/new', { name: 'X', email: 'x@example.org', role: 'admin' })).statusCode).toBe(403);
    }
    expect(await findOrganiserByEmail(t.ctx.db, 'x@example.org')).toBeUndefined();
    expect((await admin.agent.get('/admin/organisers/not-a-real-id')).statusCode).toBe(404);
  });
});
