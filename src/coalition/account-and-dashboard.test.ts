import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function signIn(email: string, password: string) {
  const agent = new Agent(t.app);
  await agent.get('/sign-in');
  return { agent, response: await agent.post('/sign-in', { email, password }) };
}

describe('my account', () => {
  it('changes the password with the current one, keeps this session and ends the others', async () => {
    const me = await signedInAgent(t.app, t.ctx, { role: 'moderator', email: 'mo@example.org' });
    const { agent: otherDevice } = await signIn('mo@example.org', me.password);
    expect((await otherDevice.get('/admin')).statusCode).toBe(200);

    const page = await me.agent.get('/admin/account');
    expect(page.body).toContain('Change your password');
    expect(page.body).toContain('mo@example.org');
    const res = await me.agent.post('/admin/account/password', { current: me.password, password: 'my new and longer password', confirm: 'my new and longer password' });
    expect(res.statusCode).toBe(303);
    expect((await me.agent.get(res.headers.location as string)).body).toContain('Your password has been changed');

    expect((await otherDevice.get('/admin')).statusCode).toBe(303);
    expect((await signIn('mo@example.org', me.password)).response.statusCode).toBe(422);
    expect((await signIn('mo@example.org', 'my new and longer password')).response.statusCode).toBe(303);
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'organiser.password.change').where('actor_id', '=', me.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before).toBeNull();
    expect(audit[0]!.after).toBeNull();
  });

  it('refuses a wrong current password, a short one and a mismatch, naming each field', async () => {
    const me = await signedInAgent(t.app, t.ctx, { role: 'organiser' });
    await me.agent.get('/admin/account');
    const wrong = await me.agent.post('/admin/account/password', { current: 'not my password at all', password: 'a perfectly good password', confirm: 'a perfectly good password' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('href="#field-current"');
    expect(wrong.body).toContain('Your current password is not correct');

    const short = await me.agent.post('/admin/account/password', { current: me.password, password: 'short', confirm: 'different' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('Password must be 12 characters or more');

    const mismatch = await me.agent.post('/admin/account/password', { current: me.password, password: 'a perfectly good password', confirm: 'a perfectly good passw0rd' });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('href="#field-confirm"');
    // Still the old password.
    expect((await signIn(me.email, me.password)).response.statusCode).toBe(303);
  });

  it('sends the old password address to the account page', async () => {
    const me = await signedInAgent(t.app, t.ctx, { role: 'organiser' });
    const res = await me.agent.get('/account/password');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/account');
  });
});

describe('dashboard', () => {
  it('shows an admin every admin area with the coalition’s numbers', async () => {
    const admin = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const res = await admin.agent.get('/admin');
    expect(res.statusCode).toBe(200);
    for (const href of ['/admin/groups', '/admin/organisers', '/admin/brand', '/admin/audit', '/admin/mail', '/admin/account']) {
      expect(res.body).toContain(`<a href="${href}">`);
    }
    expect(res.body).toMatch(/The coalition has \d+ member groups? and \d+ organiser/);
  });

  it('shows a group organiser their own groups and how to add one, and no admin-only areas', async () => {
    const group = await t.ctx.db
      .insertInto('groups')
      .values({ slug: 'dash-group', name: 'Dashboard Group', website: null, contact_email: null, logo_media_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const organiser = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group.id] });
    const res = await organiser.agent.get('/admin');
    expect(res.body).toContain('Your groups');
    expect(res.body).toContain(`<a href="/admin/groups/${group.id}">Dashboard Group</a>`);
    expect(res.body).toContain('href="/groups/dash-group"');
    expect(res.body).toContain('href="/admin/groups/new"');
    expect(res.body).not.toContain('href="/admin/organisers"');
    expect(res.body).not.toContain('href="/admin/audit"');
  });

  it('shows a moderator moderation and their account, not groups', async () => {
    const moderator = await signedInAgent(t.app, t.ctx, { role: 'moderator' });
    const res = await moderator.agent.get('/admin');
    expect(res.body).toContain('<a href="/admin/moderation">');
    expect(res.body).toContain('<a href="/admin/account">');
    expect(res.body).not.toContain('href="/admin/groups');
    expect(res.body).not.toContain('Your groups');
  });
});
