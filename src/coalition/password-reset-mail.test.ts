import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { linkIn, SmtpSink } from '../../test/support/smtp.ts';
import { allCron } from '../jobs.ts';
import { deleteExpiredMail, expireMail } from '../platform/mail/outbox.ts';
import { createOrganiser } from './organisers.ts';

const password = 'the old password, long enough';
const newPassword = 'a brand new password for the reset';

async function storedMail(t: TestApp, to: string) {
  return t.ctx.db.selectFrom('outbound_emails').selectAll().where('to_address', '=', to).execute();
}

describe('sign-in links in stored mail, with an SMTP server', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await createTestApp({ env: { SMTP_URL: sink.url } });
    admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('cannot find a sent reset link in the mail table or the viewer, and the mailed link still works', async () => {
    await createOrganiser(t.ctx.db, { email: 'robin@example.org', name: 'Robin', role: 'organiser', password, actor: 'test' });
    const asker = new Agent(t.app);
    await asker.get('/forgot-password');
    await asker.post('/forgot-password', { email: 'robin@example.org' });
    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes('robin@example.org'));
    const link = linkIn(mail, 'http://chorus.test/reset-password/');
    const token = link.slice('http://chorus.test/reset-password/'.length);
    expect(token.length).toBeGreaterThan(20);
    expect(mail.html).toContain(token);

    const [stored] = await storedMail(t, 'robin@example.org');
    expect(stored).toMatchObject({ kind: 'organiser.password-reset', status: 'sent', secrets: null });
    expect(stored!.text_body).not.toContain(token);
    expect(stored!.html_body).not.toContain(token);
    expect(stored!.text_body).toContain('http://chorus.test/reset-password/[[chorus-secret-0]]');

    // The viewer, with SMTP set up, shows who was sent what and when, not the message.
    const list = await admin.get('/admin/mail');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('robin@example.org');
    const page = await admin.get(`/admin/mail/${stored!.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Reset your');
    expect(page.body).not.toContain('reset-password/');
    expect(page.body).toContain('the message itself is not shown here');
    expect((await admin.get(`/admin/mail/${stored!.id}/html`)).statusCode).toBe(404);

    // The link in the mail itself still works.
    const path = new URL(link).pathname;
    const agent = new Agent(t.app);
    expect((await agent.get(path)).statusCode).toBe(200);
    expect((await agent.post(path, { password: newPassword, confirm: newPassword })).statusCode).toBe(303);
  });

  it('sends an invitation whole, keeping no live link, and deletes it after eight days', async () => {
    await admin.get('/admin/organisers/new');
    const invited = await admin.post('/admin/organisers/new', { name: 'Ines', email: 'ines@example.org', role: 'moderator' });
    expect(invited.statusCode).toBe(303);
    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes('ines@example.org'));
    const link = linkIn(mail, 'http://chorus.test/sign-in/link/');
    const token = link.slice('http://chorus.test/sign-in/link/'.length);
    const [stored] = await storedMail(t, 'ines@example.org');
    expect(stored).toMatchObject({ kind: 'organiser.invitation', status: 'sent', secrets: null });
    expect(`${stored!.text_body}${stored!.html_body}`).not.toContain(token);

    const sentAt = stored!.created_at.getTime();
    await deleteExpiredMail(t.ctx.db, new Date(sentAt + 7 * 86_400_000));
    expect(await storedMail(t, 'ines@example.org')).toHaveLength(1);
    await deleteExpiredMail(t.ctx.db, new Date(sentAt + 8 * 86_400_000 + 60_000));
    expect(await storedMail(t, 'ines@example.org')).toHaveLength(0);
  });
});

describe('retention of transactional mail', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(); // no SMTP: mail is kept for the viewer, with its links
  });
  afterAll(() => t.close());

  it('deletes a password reset two days on, by an hourly job, and leaves other mail to its own rules', async () => {
    await createOrganiser(t.ctx.db, { email: 'old@example.org', name: 'Old', role: 'organiser', password, actor: 'test' });
    const asker = new Agent(t.app);
    await asker.get('/forgot-password');
    await asker.post('/forgot-password', { email: 'old@example.org' });
    await t.runJobs();
    const [kept] = await storedMail(t, 'old@example.org');
    expect(kept).toMatchObject({ kind: 'organiser.password-reset', status: 'kept' });
    // Kept unsent for the viewer: its link is still whole there.
    expect(kept!.secrets).toHaveLength(1);
    const admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
    expect((await admin.get(`/admin/mail/${kept!.id}`)).body).toContain(`reset-password/${kept!.secrets![0]}`);

    await t.ctx.db
      .insertInto('outbound_emails')
      .values({ kind: 'test.other', to_address: 'other@example.org', subject: 's', text_body: 't', html_body: 'h', headers: '{}', status: 'sent', last_error: null, message_id: null, sent_at: null, created_at: new Date(Date.now() - 90 * 86_400_000) })
      .execute();
    expect(allCron.filter((c) => c.job === expireMail).map((c) => c.match)).toEqual(['17 * * * *']);
    // A day on, nothing goes; three days on, the reset goes, the other message stays.
    await t.ctx.db.updateTable('outbound_emails').set({ delete_after: new Date(Date.now() + 86_400_000) }).where('id', '=', kept!.id).execute();
    await expireMail.run({}, t.ctx, undefined as never);
    expect(await storedMail(t, 'old@example.org')).toHaveLength(1);
    await t.ctx.db.updateTable('outbound_emails').set({ delete_after: new Date(Date.now() - 1000) }).where('id', '=', kept!.id).execute();
    await expireMail.run({}, t.ctx, undefined as never);
    expect(await storedMail(t, 'old@example.org')).toHaveLength(0);
    expect(await storedMail(t, 'other@example.org')).toHaveLength(1);
  });

  it('keeps the delete time two days after the reset was asked for', async () => {
    await createOrganiser(t.ctx.db, { email: 'when@example.org', name: 'When', role: 'organiser', password, actor: 'test' });
    const asker = new Agent(t.app);
    await asker.get('/forgot-password');
    await asker.post('/forgot-password', { email: 'when@example.org' });
    await t.runJobs();
    const [row] = await storedMail(t, 'when@example.org');
    const days = (row!.delete_after!.getTime() - row!.created_at.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(1.99);
    expect(days).toBeLessThan(2.01);
  });
});
