import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { linkIn, SmtpSink } from '../../test/support/smtp.ts';
import { DomainError } from '../platform/http/errors.ts';
import { createOrganiser } from './organisers.ts';
import { MAX_RESETS_PER_IP, requestPasswordReset } from './reset-password.ts';

const oldPassword = 'the old password, long enough';
const newPassword = 'a brand new password for the reset';

async function askForReset(app: TestApp['app'], email: string) {
  const agent = new Agent(app);
  await agent.get('/forgot-password');
  return agent.post('/forgot-password', { email });
}

async function signInWith(app: TestApp['app'], email: string, password: string) {
  const agent = new Agent(app);
  await agent.get('/sign-in');
  return { agent, response: await agent.post('/sign-in', { email, password }) };
}

/** Follows a reset link as a person would: open it, type the new password twice. */
async function setPasswordThrough(app: TestApp['app'], link: string, password: string) {
  const path = new URL(link).pathname;
  const agent = new Agent(app);
  const form = await agent.get(path);
  expect(form.statusCode).toBe(200);
  expect(form.body).toContain('Set a new password');
  return { agent, path, response: await agent.post(path, { password, confirm: password }) };
}

describe('password reset by email through a real SMTP server', () => {
  let sink: SmtpSink;
  let t: TestApp;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SIGN_IN_MAX_FAILURES: '3' } });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });
  afterEach(() => vi.useRealTimers());

  it('sends a link that sets a new password once, signs in, and is refused the second time', async () => {
    await createOrganiser(t.ctx.db, { email: 'Riley@Example.org', name: 'Riley', role: 'organiser', password: oldPassword, actor: 'test' });
    const { agent: elsewhere } = await signInWith(t.app, 'riley@example.org', oldPassword);
    expect((await elsewhere.get('/admin')).statusCode).toBe(200);

    const asked = await askForReset(t.app, 'RILEY@example.org');
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Check your email');
    await t.runJobs();
    const mail = await sink.waitFor((m) => m.subject.startsWith('Reset your'));
    expect(mail.to.map((a) => a.toLowerCase())).toEqual(['riley@example.org']);
    const link = linkIn(mail, 'http://chorus.test/reset-password/');
    expect(mail.html).toContain(link);

    const { response, agent } = await setPasswordThrough(t.app, link, newPassword);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin');
    expect((await agent.get('/admin')).body).toContain('Your password has been saved');

    // The reset ended the session signed in before it.
    expect((await elsewhere.get('/admin')).statusCode).toBe(303);
    expect((await signInWith(t.app, 'riley@example.org', oldPassword)).response.statusCode).toBe(422);
    expect((await signInWith(t.app, 'riley@example.org', newPassword)).response.statusCode).toBe(303);

    const again = new Agent(t.app);
    const reopened = await again.get(new URL(link).pathname);
    expect(reopened.statusCode).toBe(410);
    expect(reopened.body).toContain('This link has already been used');
    await again.get('/forgot-password'); // a page with a form, for the CSRF token
    const reused = await again.post(new URL(link).pathname, { password: 'yet another new password', confirm: 'yet another new password' });
    expect(reused.statusCode).toBe(410);
    expect((await signInWith(t.app, 'riley@example.org', 'yet another new password')).response.statusCode).toBe(422);
  });

  it('gives the same answer for an address with no account, and sends nothing', async () => {
    const before = sink.messages.length;
    const asked = await askForReset(t.app, 'nobody@example.org');
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Check your email');
    await t.runJobs();
    expect(sink.messages.length).toBe(before);
    expect(sink.to('nobody@example.org')).toEqual([]);
  });

  it('sends nothing for a disabled account', async () => {
    const id = await createOrganiser(t.ctx.db, { email: 'gone@example.org', name: 'Gone', role: 'moderator', password: oldPassword, actor: 'test' });
    await t.ctx.db.updateTable('organisers').set({ disabled_at: new Date() }).where('id', '=', id).execute();
    await askForReset(t.app, 'gone@example.org');
    await t.runJobs();
    expect(sink.to('gone@example.org')).toEqual([]);
  });

  it('refuses a link after one hour', async () => {
    await createOrganiser(t.ctx.db, { email: 'late@example.org', name: 'Late', role: 'organiser', password: oldPassword, actor: 'test' });
    await askForReset(t.app, 'late@example.org');
    await t.runJobs();
    const link = linkIn(await sink.waitFor((m) => m.to.includes('late@example.org')), 'http://chorus.test/reset-password/');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61 * 60 * 1000 });
    const res = await new Agent(t.app).get(new URL(link).pathname);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('This link has expired');
  });

  it('lifts the pause on signing in that repeated failures caused', async () => {
    await createOrganiser(t.ctx.db, { email: 'paused@example.org', name: 'Paused', role: 'organiser', password: oldPassword, actor: 'test' });
    for (let i = 0; i < 3; i++) await signInWith(t.app, 'paused@example.org', `wrong guess ${i}`);
    expect((await signInWith(t.app, 'paused@example.org', oldPassword)).response.statusCode).toBe(429);
    await askForReset(t.app, 'paused@example.org');
    await t.runJobs();
    const link = linkIn(await sink.waitFor((m) => m.to.includes('paused@example.org')), 'http://chorus.test/reset-password/');
    expect((await setPasswordThrough(t.app, link, newPassword)).response.statusCode).toBe(303);
    expect((await signInWith(t.app, 'paused@example.org', newPassword)).response.statusCode).toBe(303);
  });

  it('keeps a typed mismatch on the form without using the link up', async () => {
    await createOrganiser(t.ctx.db, { email: 'typo@example.org', name: 'Typo', role: 'organiser', password: oldPassword, actor: 'test' });
    await askForReset(t.app, 'typo@example.org');
    await t.runJobs();
    const path = new URL(linkIn(await sink.waitFor((m) => m.to.includes('typo@example.org')), 'http://chorus.test/reset-password/')).pathname;
    const agent = new Agent(t.app);
    await agent.get(path);
    const res = await agent.post(path, { password: newPassword, confirm: 'something else entirely' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#field-confirm"');
    expect(res.body).toContain('The passwords do not match');
    expect((await agent.post(path, { password: newPassword, confirm: newPassword })).statusCode).toBe(303);
  });

  it('throttles requests for one address, then tells the person to wait', async () => {
    for (let i = 0; i < 3; i++) expect((await askForReset(t.app, 'flood@example.org')).statusCode).toBe(200);
    const blocked = await askForReset(t.app, 'Flood@example.org');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('3600');
    expect(blocked.body).toContain('Too many reset links have been asked for');
    expect(blocked.body).toContain('value="Flood@example.org"');
  });

  it('throttles requests from one client address across many email addresses', async () => {
    const ip = '203.0.113.9';
    for (let i = 0; i < MAX_RESETS_PER_IP; i++) await requestPasswordReset(t.ctx.db, { email: `person${i}@example.org`, ip });
    const refused = await requestPasswordReset(t.ctx.db, { email: 'one-more@example.org', ip }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('rate_limited');
    // Another client address is not affected.
    await expect(requestPasswordReset(t.ctx.db, { email: 'one-more@example.org', ip: '203.0.113.10' })).resolves.toBeUndefined();
  });

  it('rejects a malformed address with a field error', async () => {
    const res = await askForReset(t.app, 'not-an-address');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#field-email"');
    expect(res.body).toContain('value="not-an-address"');
    const nul = await askForReset(t.app, 'nul\u0000@example.org');
    expect(nul.statusCode).toBe(422);
    expect(nul.body).toContain('email must not contain the invisible NUL character');
  });
});

describe('password reset with no SMTP server (kept mail)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('keeps the reset mail in the admin mail viewer, and its link works', async () => {
    await createOrganiser(t.ctx.db, { email: 'kept@example.org', name: 'Kept', role: 'organiser', password: oldPassword, actor: 'test' });
    await askForReset(t.app, 'kept@example.org');
    await t.runJobs();

    const admin = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const list = await admin.agent.get('/admin/mail');
    expect(list.body).toContain('kept@example.org');
    expect(list.body).toContain('Kept (no SMTP server set up)');
    const id = /href="\/admin\/mail\/(\d+)"/.exec(list.body)?.[1];
    expect(id).toBeDefined();
    const message = await admin.agent.get(`/admin/mail/${id}`);
    const link = /href="(http:\/\/chorus\.test\/reset-password\/[^"]+)"/.exec(message.body)?.[1];
    expect(link).toBeDefined();

    expect((await setPasswordThrough(t.app, link!, newPassword)).response.statusCode).toBe(303);
    expect((await signInWith(t.app, 'kept@example.org', newPassword)).response.statusCode).toBe(303);
  });
});
