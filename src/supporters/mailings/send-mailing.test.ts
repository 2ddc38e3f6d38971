import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { SmtpSink, type ReceivedMail } from '../../../test/support/smtp.ts';
import type { Agent } from '../../../test/support/agent.ts';
import { readUnsubscribeToken, readPreferencesToken } from '../subscriber-tokens.ts';
import { unsubscribeSource } from './report.ts';
import { withMailings } from './tables.ts';
import { hasLiveConsent, withdrawConsent } from '../consent.ts';
import { addConstituency, addPerson, addPurpose, addSegmentOfList } from './test-support.ts';

let t: TestApp;
let sink: SmtpSink;
let admin: Agent;
let coalition: number;
let other: number;
const people: Record<string, { id: number; publicId: string }> = {};

beforeAll(async () => {
  sink = await new SmtpSink({
    refuse: (to) => (to.includes('gone@example.org') ? { code: 550, message: '5.1.1 <gone@example.org>: mailbox unavailable' } : undefined),
  }).start();
  t = await createTestApp({ env: { SMTP_URL: sink.url } });
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
  coalition = await addPurpose(t.ctx.db, { key: 'coalition.updates', name: 'Health Coalition updates' });
  other = await addPurpose(t.ctx.db, { key: 'coalition.other', name: 'Other news' });
  await addConstituency(t.ctx.db, 'E14000001', 'Aldershot', 'Alex Member');
  await addConstituency(t.ctx.db, 'E14000002', 'Barnsley', undefined);
  const db = t.ctx.db;
  people.ada = await addPerson(db, { email: 'ada@example.org', givenName: 'Ada', constituencyCode: 'E14000001', consents: [coalition] });
  people.bo = await addPerson(db, { email: 'bo@example.org', givenName: 'Bo <b>', constituencyCode: 'E14000002', consents: [coalition] });
  people.cy = await addPerson(db, { email: 'cy@example.org', givenName: null, consents: [coalition] });
  people.gone = await addPerson(db, { email: 'gone@example.org', givenName: 'Gone', consents: [coalition] });
  people.never = await addPerson(db, { email: 'never@example.org', givenName: 'Never', consents: [other] });
  people.left = await addPerson(db, { email: 'left@example.org', givenName: 'Left', withdrawn: [coalition] });
  people.bounced = await addPerson(db, { email: 'bounced@example.org', givenName: 'Bounced', consents: [coalition], undeliverable: true });
  people.late = await addPerson(db, { email: 'late@example.org', givenName: 'Late', consents: [coalition] });
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

const body = [
  'Dear {{first_name|friend}},',
  '',
  'Your MP in **{{constituency}}** is {{mp|not known to us}}.',
  '',
  'Please [sign our petition](https://petitions.example.org/save-our-nhs?ref=mail).',
  '',
  '<script>alert(1)</script>',
].join('\n');

async function composeAndSend(fields: Record<string, string>): Promise<number> {
  await admin.get('/admin/mailings/new');
  const created = await admin.post('/admin/mailings', { purpose_id: String(coalition), segment_id: '', subject: 'News for {{first_name}}', body, rate_per_second: '100', ...fields });
  expect(created.statusCode, /error-summary__list">(.*?)<\/ul>/s.exec(created.body)?.[1]).toBe(303);
  const id = Number(/\/admin\/mailings\/(\d+)/.exec(created.headers.location as string)![1]);
  await admin.get(`/admin/mailings/${id}/send`);
  const confirm = await admin.post(`/admin/mailings/${id}/send`, { when: 'now' });
  expect(confirm.statusCode).toBe(200);
  const count = /data-recipient-count="(\d+)"/.exec(confirm.body)![1]!;
  const sent = await admin.post(`/admin/mailings/${id}/send`, { when: 'now', send_at: '', confirmed: count });
  expect(sent.statusCode).toBe(303);
  return id;
}

/** A header as sent (mailparser turns List-* headers into objects). */
function header(mail: ReceivedMail, name: string): string | undefined {
  const head = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n(?=[ \t])/g, '');
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim();
}

const received = (address: string, id: number): ReceivedMail[] => sink.to(address).filter((m) => header(m, 'List-Unsubscribe')?.includes(`.${id}.`));

describe('sending a mailing', () => {
  let id: number;
  let progressPage: string;
  let progress: { status: string; counts: Record<string, number> };
  beforeAll(async () => {
    // Slow (5 a second, one at a time, in person order), so a withdrawal lands mid-mailing.
    id = await composeAndSend({ rate_per_second: '5' });
    const running = t.runJobs();
    await sink.waitFor((m) => m.to.includes('ada@example.org'));
    // Consent withdrawn after the recipients were fixed: checked again at the moment of sending.
    await withdrawConsent(t.ctx.db, { personId: people.late!.id, purposeId: coalition, method: 'preferences' });
    // Ada's message is at the server; her row says so a moment later.
    for (let tries = 0; tries < 100; tries++) {
      progress = JSON.parse((await admin.get(`/admin/mailings/${id}/progress.json`)).body);
      if (progress.counts.sent! >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    progressPage = (await admin.get(`/admin/mailings/${id}`)).body;
    await running;
  });

  it('shows its progress on the admin page while it is being sent', () => {
    expect(progress.status).toBe('sending');
    expect(progress.counts.recipients).toBe(5);
    expect(progress.counts.sent).toBeGreaterThanOrEqual(1);
    expect(progress.counts.sent).toBeLessThan(5);
    expect(progressPage).toContain('<h2 id="progress-title">Progress</h2>');
    expect(progressPage).toMatch(/<progress id="mailing-progress" max="5" value="\d"/);
    expect(progressPage).toContain(`data-mailing-progress="/admin/mailings/${id}/progress.json"`);
    // Without JavaScript the page refreshes itself.
    expect(progressPage).toContain('<noscript><meta http-equiv="refresh" content="10"/></noscript>');
  });

  it('reaches exactly the people with a live consent for its purpose and a deliverable address', () => {
    for (const name of ['ada', 'bo', 'cy']) expect(received(`${name}@example.org`, id), name).toHaveLength(1);
    for (const name of ['never', 'left', 'bounced', 'late']) expect(received(`${name}@example.org`, id), name).toHaveLength(0);
  });

  it('personalises each message with first name, constituency and MP, with fallbacks', () => {
    const ada = received('ada@example.org', id)[0]!;
    expect(ada.subject).toBe('News for Ada');
    expect(ada.text).toContain('Dear Ada,');
    expect(ada.text).toContain('Your MP in Aldershot is Alex Member.');
    expect(ada.html).toContain('<strong>Aldershot</strong>');
    const bo = received('bo@example.org', id)[0]!;
    expect(bo.html).toContain('Dear Bo &lt;b&gt;,');
    expect(bo.text).toContain('Your MP in Barnsley is not known to us.');
    const cy = received('cy@example.org', id)[0]!;
    expect(cy.subject).toBe('News for friend');
    expect(cy.text).toContain('Dear friend,');
    expect(cy.text).toContain('Your MP in your constituency is not known to us.');
  });

  it('never passes raw HTML from the message through', () => {
    const ada = received('ada@example.org', id)[0]!;
    expect(ada.html).not.toContain('<script>');
    expect(ada.html).toContain('&lt;script&gt;');
  });

  it('carries RFC 8058 one-click unsubscribe headers naming the person, purpose and mailing, and a preferences link', () => {
    const ada = received('ada@example.org', id)[0]!;
    expect(header(ada, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const match = /^<http:\/\/chorus\.test\/unsubscribe\/([^>]+)>$/.exec(header(ada, 'List-Unsubscribe')!);
    expect(match).not.toBeNull();
    expect(readUnsubscribeToken(t.ctx.secret, match![1]!)).toEqual({ personPublicId: people.ada!.publicId, purposeId: coalition, mailingId: id });
    expect(ada.text).toContain(`Unsubscribe: http://chorus.test/unsubscribe/${match![1]}`);
    const preferences = /http:\/\/chorus\.test\/preferences\/(\S+)/.exec(ada.text)![1]!;
    expect(readPreferencesToken(t.ctx.secret, preferences)).toBe(people.ada!.publicId);
    expect(ada.html).toMatch(/<a href="http:\/\/chorus\.test\/preferences\/[^"]+">Manage your email preferences<\/a>/);
  });

  it('marks an address refused with 550 undeliverable, with the reason, and reports it as failed', async () => {
    const gone = await t.ctx.db.selectFrom('people').select(['email_status', 'email_status_reason']).where('id', '=', people.gone!.id).executeTakeFirstOrThrow();
    expect(gone.email_status).toBe('undeliverable');
    expect(gone.email_status_reason).toContain('mailbox unavailable');
    const page = await admin.get(`/admin/mailings/${id}`);
    expect(page.body).toContain('gone@example.org');
    expect(page.body).toContain('mailbox unavailable');
  });

  it('counts a click on a tracked link against the person and redirects to the page', async () => {
    const ada = received('ada@example.org', id)[0]!;
    const link = /http:\/\/chorus\.test(\/m\/[A-Za-z0-9_.-]+)/.exec(ada.text)![1]!;
    expect(ada.html).toContain(`href="http://chorus.test${link}"`);
    const click = await t.app.inject({ method: 'GET', url: link });
    expect(click.statusCode).toBe(302);
    expect(click.headers.location).toBe('https://petitions.example.org/save-our-nhs?ref=mail');
    const scanned = await t.app.inject({ method: 'HEAD', url: link });
    expect(scanned.statusCode).toBe(302);
    const clicks = await withMailings(t.ctx.db).selectFrom('link_clicks').select(['person_id']).execute();
    expect(clicks).toEqual([{ person_id: people.ada!.id }]);
    const tampered = await t.app.inject({ method: 'GET', url: link.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAA') });
    expect(tampered.statusCode).toBe(302);
    expect((await t.app.inject({ method: 'GET', url: '/m/nosuchlink' })).statusCode).toBe(404);
  });

  it('unsubscribes with one click: a POST of List-Unsubscribe=One-Click to the header’s URL, with no cookies or form token', async () => {
    const bo = received('bo@example.org', id)[0]!;
    const url = /^<http:\/\/chorus\.test(\/unsubscribe\/[^>]+)>$/.exec(header(bo, 'List-Unsubscribe')!)![1]!;
    const wrongBody = await t.app.inject({ method: 'POST', url, payload: 'List-Unsubscribe=Maybe', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrongBody.statusCode).toBe(400);
    expect(await hasLiveConsent(t.ctx.db, people.bo!.id, coalition)).toBe(true);
    const res = await t.app.inject({ method: 'POST', url, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(200);
    expect(await hasLiveConsent(t.ctx.db, people.bo!.id, coalition)).toBe(false);
    const event = await t.ctx.db.selectFrom('consent_events').select(['event', 'source']).where('person_id', '=', people.bo!.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(event).toEqual({ event: 'withdrawn', source: unsubscribeSource(id) });
  });

  it('ends with a report: sent, failed with the SMTP reason, skipped, unsubscribed through its links, clicks', async () => {
    const mailing = await withMailings(t.ctx.db).selectFrom('mailings').select(['status', 'recipient_count', 'finished_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(mailing.status).toBe('sent');
    expect(mailing.recipient_count).toBe(5); // ada, bo, cy, gone, late
    expect(mailing.finished_at).not.toBeNull();
    const page = await admin.get(`/admin/mailings/${id}`);
    const figure = (label: string) => new RegExp(`<span class="key-figure">(\\d+)</span> ${label}`).exec(page.body)?.[1];
    expect(figure('sent')).toBe('3');
    expect(figure('failed')).toBe('1');
    expect(figure('unsubscribed through this mailing')).toBe('1');
    // Ada's click and the tampered one: the figures add up, and say why.
    expect(figure('clicks by 1 person')).toBe('2');
    expect(page.body).toMatch(/clicks by 1\s+person \(1 of them from a forwarded or altered copy we could not match to a recipient\)/);
    expect(page.body).toContain('No live consent at the time of sending');
    expect(page.body).toMatch(/data-count="skipped">1</);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor_label', 'after']).where('subject_type', '=', 'mailing').where('subject_id', '=', String(id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['mailing.create', 'mailing.send', 'mailing.finish']);
    expect(audit[1]!.after).toMatchObject({ recipients: 5 });
    expect(audit[2]!.after).toMatchObject({ sent: 3, failed: 1, skipped: 1 });
  });
});

describe('sending to a saved segment', () => {
  it('reaches only the segment’s people who also have a live consent', async () => {
    const segment = await addSegmentOfList(t.ctx.db, 'Aldershot and friends', [people.ada!.id, people.never!.id]);
    const id = await composeAndSend({ segment_id: String(segment), subject: 'Segment news' });
    await t.runJobs();
    expect(received('ada@example.org', id)).toHaveLength(1);
    for (const name of ['bo', 'cy', 'never']) expect(received(`${name}@example.org`, id)).toHaveLength(0);
  });
});

describe('scheduling', () => {
  it('does not send before the time, and sends once it is due', async () => {
    const { startDueMailings } = await import('./schedule-mailing.ts');
    const weekly = await addPurpose(t.ctx.db, { key: 'coalition.weekly', name: 'Weekly round-up' });
    await addPerson(t.ctx.db, { email: 'wren@example.org', givenName: 'Wren', consents: [weekly] });
    await addPerson(t.ctx.db, { email: 'xan@example.org', givenName: 'Xan', consents: [weekly] });
    await admin.get('/admin/mailings/new');
    const created = await admin.post('/admin/mailings', { purpose_id: String(weekly), segment_id: '', subject: 'Scheduled news', body: 'Hello {{first_name}}' });
    const id = Number(/(\d+)/.exec(created.headers.location as string)![1]);
    await admin.get(`/admin/mailings/${id}/send`);
    const inAnHour = new Date(Date.now() + 3600_000);
    const { toLondonInput } = await import('./london-time.ts');
    const confirm = await admin.post(`/admin/mailings/${id}/send`, { when: 'later', send_at: toLondonInput(inAnHour) });
    expect(confirm.body).toContain('Schedule this mailing?');
    const scheduled = await admin.post(`/admin/mailings/${id}/send`, { when: 'later', send_at: toLondonInput(inAnHour), confirmed: '2' });
    expect(scheduled.statusCode).toBe(303);
    const row = await withMailings(t.ctx.db).selectFrom('mailings').select(['status', 'scheduled_for']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('scheduled');
    expect(Math.abs(row.scheduled_for!.getTime() - inAnHour.getTime())).toBeLessThan(60_000);

    expect(await startDueMailings(t.ctx)).toEqual([]);
    await t.runJobs();
    expect(sink.messages.filter((m) => m.subject === 'Scheduled news')).toHaveLength(0);

    expect(await startDueMailings(t.ctx, new Date(row.scheduled_for!.getTime() + 1000))).toEqual([id]);
    await t.runJobs();
    expect(sink.messages.filter((m) => m.subject === 'Scheduled news').map((m) => m.to[0]).sort()).toEqual(['wren@example.org', 'xan@example.org']);
  });
});

describe('stopping a mailing', () => {
  it('stops it before anyone else gets it, audited; only a mailing being sent can be stopped', async () => {
    const id = await composeAndSend({ subject: 'Stop me {{first_name}}' });
    const page = await admin.get(`/admin/mailings/${id}`);
    expect(page.body).toContain('Stop sending');

    const stopped = await admin.post(`/admin/mailings/${id}/stop`, {});
    expect(stopped.statusCode).toBe(303);
    expect((await admin.get(stopped.headers.location as string)).body).toContain('Sending has stopped.');
    await t.runJobs();
    expect(received('ada@example.org', id)).toEqual([]);
    const row = await withMailings(t.ctx.db).selectFrom('mailings').select(['status', 'finished_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
    expect(row.finished_at).not.toBeNull();
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'mailing.stop').execute();
    expect(audit).toHaveLength(1);

    const again = await admin.post(`/admin/mailings/${id}/stop`, {});
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Only a mailing that is being sent can be stopped.');
  });
});
