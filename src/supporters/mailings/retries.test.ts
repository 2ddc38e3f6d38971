import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Agent } from '../../../test/support/agent.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { SmtpSink } from '../../../test/support/smtp.ts';
import { allTickers } from '../../jobs.ts';
import { withMailings } from './tables.ts';
import { addPerson, addPurpose } from './test-support.ts';

/**
 * README (Mailings): temporary refusals (4xx), and refusals of our own sender address, are tried
 * up to 5 times, 1, 3, 9 and 27 minutes apart, then count as failed; neither marks anyone
 * undeliverable. A real SMTP server refuses; time is moved on by making each retry due (its
 * retry time and the mailing's wake-up set to now) rather than by waiting, and the worker's own
 * ticker and job runner pick it up.
 */
let t: TestApp;
let admin: Agent;
let purpose: number;
const attempts: Record<string, number> = {};
let refuseSenders = false;
const sink = new SmtpSink({
  refuse: (to) => {
    for (const address of to) attempts[address] = (attempts[address] ?? 0) + 1;
    return to.includes('busy@example.org') ? { code: 451, message: '4.2.1 <busy@example.org>: mailbox busy, try again later' } : undefined;
  },
  refuseSender: (from) => {
    if (!refuseSenders) return undefined;
    attempts[`from:${from}`] = (attempts[`from:${from}`] ?? 0) + 1;
    return { code: 553, message: '5.7.1 Sender address rejected: not owned by user' };
  },
});

beforeAll(async () => {
  await sink.start();
  t = await createTestApp({ env: { SMTP_URL: sink.url } });
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
  purpose = await addPurpose(t.ctx.db, { key: 'coalition.updates', name: 'Coalition updates' });
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

async function sendMailingTo(emails: string[], subject: string): Promise<number> {
  const ids = [];
  for (const email of emails) ids.push((await addPerson(t.ctx.db, { email, givenName: 'Pat', consents: [purpose] })).id);
  await admin.get('/admin/mailings/new');
  const created = await admin.post('/admin/mailings', { purpose_id: String(purpose), segment_id: '', subject, body: 'Hello {{first_name}}', rate_per_second: '100' });
  expect(created.statusCode).toBe(303);
  const id = Number(/\/admin\/mailings\/(\d+)/.exec(created.headers.location as string)![1]);
  await admin.get(`/admin/mailings/${id}/send`);
  const confirm = await admin.post(`/admin/mailings/${id}/send`, { when: 'now' });
  const count = /data-recipient-count="(\d+)"/.exec(confirm.body)![1]!;
  expect((await admin.post(`/admin/mailings/${id}/send`, { when: 'now', send_at: '', confirmed: count })).statusCode).toBe(303);
  return id;
}

/** One turn of the worker: its tickers (the mailing watchdog wakes mailings that are due), then its jobs. */
async function workerTurn(): Promise<void> {
  const watchdog = allTickers(t.ctx).find((ticker) => ticker.name === 'supporters.mailings.due-and-orphaned');
  expect(watchdog).toBeDefined();
  await watchdog!.run();
  await t.runJobs();
}

async function recipient(mailingId: number, email: string) {
  const { rows } = await sql<{ status: string; attempts: number; reason: string | null; minutes_to_retry: number | null }>`
    select r.status, r.attempts, r.reason, extract(epoch from r.retry_at - now()) / 60 as minutes_to_retry
    from mailing_recipients r join people p on p.id = r.person_id where r.mailing_id = ${mailingId} and p.email = ${email}`.execute(t.ctx.db);
  return rows[0]!;
}

const mailingOf = (id: number) => withMailings(t.ctx.db).selectFrom('mailings').select(['status', 'wake_at']).where('id', '=', id).executeTakeFirstOrThrow();

/** Moves time on to the retry: the recipient's retry and the mailing's wake-up are due now. */
async function retryIsDue(mailingId: number): Promise<void> {
  await sql`update mailing_recipients set retry_at = now() - interval '1 second' where mailing_id = ${mailingId} and retry_at is not null`.execute(t.ctx.db);
  await sql`update mailings set wake_at = now() - interval '1 second' where id = ${mailingId} and wake_at is not null`.execute(t.ctx.db);
}

async function emailStatus(email: string) {
  return t.ctx.db.selectFrom('people').select(['email_status', 'email_status_reason']).where('email', '=', email).executeTakeFirstOrThrow();
}

describe('a temporary refusal (4xx)', () => {
  it('is tried 5 times, 1, 3, 9 and 27 minutes apart, then counts as failed, and the address is not marked undeliverable', async () => {
    const id = await sendMailingTo(['busy@example.org', 'fine@example.org'], 'Retried news');
    await t.runJobs();
    expect(sink.to('fine@example.org')).toHaveLength(1);
    expect(attempts['busy@example.org']).toBe(1);

    const gaps: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const row = await recipient(id, 'busy@example.org');
      expect(row).toMatchObject({ status: 'queued', attempts: attempt });
      expect(row.reason).toContain('mailbox busy');
      gaps.push(Math.round(row.minutes_to_retry!));
      const mailing = await mailingOf(id);
      expect(mailing.status).toBe('sending');
      expect(mailing.wake_at).not.toBeNull();

      // Not before its time: a worker turn now sends nothing.
      await workerTurn();
      expect(attempts['busy@example.org']).toBe(attempt);

      await retryIsDue(id);
      await workerTurn();
      expect(attempts['busy@example.org']).toBe(attempt + 1);
    }
    expect(gaps).toEqual([1, 3, 9, 27]);

    const last = await recipient(id, 'busy@example.org');
    expect(last).toMatchObject({ status: 'failed', attempts: 5 });
    expect(last.reason).toContain('451');
    expect((await mailingOf(id)).status).toBe('sent');
    expect(await emailStatus('busy@example.org')).toEqual({ email_status: 'verified', email_status_reason: null });

    // Nothing more is tried; the report says failed, with what the server said.
    await retryIsDue(id);
    await workerTurn();
    expect(attempts['busy@example.org']).toBe(5);
    expect(sink.to('busy@example.org')).toHaveLength(0);
    expect(sink.to('fine@example.org')).toHaveLength(1);
    const page = await admin.get(`/admin/mailings/${id}`);
    expect(/<span class="key-figure">(\d+)<\/span> failed/.exec(page.body)?.[1]).toBe('1');
    expect(page.body).toContain('mailbox busy, try again later');

    // And the address is still mailed next time.
    const next = await sendMailingTo([], 'Next news');
    await t.runJobs();
    expect((await recipient(next, 'fine@example.org')).status).toBe('sent');
    expect((await recipient(next, 'busy@example.org')).attempts).toBe(1);
  });
});

describe('our own sender address refused (5xx to MAIL FROM)', () => {
  it('is retried the same way, not a bounce: nobody is marked undeliverable', async () => {
    refuseSenders = true;
    const id = await sendMailingTo(['sender.refused@example.org'], 'Sender refused');
    await t.runJobs();
    const first = await recipient(id, 'sender.refused@example.org');
    expect(first).toMatchObject({ status: 'queued', attempts: 1 });
    expect(Math.round(first.minutes_to_retry!)).toBe(1);
    expect(first.reason).toContain('Sender address rejected');
    for (const email of ['sender.refused@example.org', 'fine@example.org', 'busy@example.org']) {
      expect((await emailStatus(email)).email_status).not.toBe('undeliverable');
    }
    // Fixed (as after a restart with the right MAIL_FROM): the retry delivers it.
    refuseSenders = false;
    await retryIsDue(id);
    await workerTurn();
    expect((await recipient(id, 'sender.refused@example.org')).status).toBe('sent');
    expect(sink.to('sender.refused@example.org')).toHaveLength(1);
  });
});
