import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganiser } from '../src/coalition/organisers.ts';
import { freePort } from '../src/platform/db/embedded-postgres.ts';
import { addPurpose } from '../src/supporters/mailings/test-support.ts';
import { withMailings } from '../src/supporters/mailings/tables.ts';
import { createTestApp, testConfig, type TestApp } from './support/app.ts';
import { startChorus, type RunningChorus } from './support/chorus-process.ts';
import { HttpAgent } from './support/http-agent.ts';
import { signedInAgent } from './support/organisers.ts';
import { SmtpSink } from './support/smtp.ts';

/**
 * README (Mailings): sending runs in the worker at the mailing's speed, at most MAILING_RATE
 * messages a second, over its own SMTP connections, so a big mailing never holds up password
 * resets. A real `chorus serve` (with its worker) sends a mailing saved at 1,000 a second while
 * MAILING_RATE is 25; a password reset is asked for over HTTP in the middle of it.
 */
const RATE = 25;
const PEOPLE = 200;
let t: TestApp;
let sink: SmtpSink;
let serve: RunningChorus | undefined;
const arrivals: Array<{ to: string; at: number }> = [];

beforeAll(async () => {
  // Each message is acknowledged 20 ms after it arrives, as a busy provider would.
  sink = await new SmtpSink({
    acceptDelayMs: 20,
    refuse: (to) => {
      arrivals.push({ to: to[0]!, at: Date.now() });
      return undefined;
    },
  }).start();
  t = await createTestApp({ env: { MAILING_RATE: '1000' } });
}, 60_000);
afterAll(async () => {
  await serve?.stop('SIGTERM');
  await t.close();
  await sink.stop();
});

async function waitUntil(what: string, test: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > until) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const mailingArrivals = () => arrivals.filter((a) => a.to.startsWith('bulk'));

describe('a large mailing', () => {
  it('is sent no faster than MAILING_RATE, and a password reset asked for meanwhile arrives within seconds, while it is still sending', async () => {
    // Saved at 1,000 a second (the composing app allowed it); the worker's MAILING_RATE is 25.
    const admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
    await createOrganiser(t.ctx.db, { email: 'resetter@example.org', name: 'Reset Me', role: 'organiser', password: 'an old password that works', actor: 'test' });
    const purpose = await addPurpose(t.ctx.db, { key: 'bulk.updates', name: 'Bulk updates' });
    await sql`
      with p as (
        insert into people (email, canonical_email, email_status, given_name)
        select 'bulk' || n || '@example.org', 'bulk' || n || '@example.org', 'verified', 'Person ' || n from generate_series(1, ${PEOPLE}) n
        returning id
      )
      insert into consents (person_id, purpose_id, status, method, given_at) select id, ${purpose}, 'given', 'test', now() from p`.execute(t.ctx.db);
    await admin.get('/admin/mailings/new');
    const created = await admin.post('/admin/mailings', { purpose_id: String(purpose), subject: 'Big news', body: 'Hello {{first_name}}', rate_per_second: '1000' });
    expect(created.statusCode).toBe(303);
    const id = Number(/mailings\/(\d+)/.exec(created.headers.location as string)![1]);
    await admin.get(`/admin/mailings/${id}/send`);
    expect((await admin.post(`/admin/mailings/${id}/send`, { when: 'now', confirmed: String(PEOPLE) })).statusCode).toBe(303);

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    serve = startChorus(['serve'], {
      DATABASE_URL: t.database.url,
      PORT: String(port),
      BASE_URL: baseUrl,
      SMTP_URL: sink.url,
      CHORUS_SECRET: testConfig().CHORUS_SECRET!,
      MAILING_RATE: String(RATE),
      LOG_LEVEL: 'warn',
    });
    await serve.waitFor(/Press Ctrl-C to stop/);

    await waitUntil('the mailing is under way', () => mailingArrivals().length >= 2 * RATE);
    const visitor = new HttpAgent(baseUrl);
    await visitor.get('/forgot-password');
    const asked = Date.now();
    expect((await visitor.post('/forgot-password', { email: 'resetter@example.org' })).status).toBe(200);
    const reset = await sink.waitFor((m) => m.to.includes('resetter@example.org'), 10_000);
    const tookMs = Date.now() - asked;
    const sentByThen = mailingArrivals().length;
    const status = (await withMailings(t.ctx.db).selectFrom('mailings').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    expect(reset.subject).toMatch(/password/i);
    expect(tookMs).toBeLessThan(5000);
    expect(sentByThen).toBeLessThan(PEOPLE);
    expect(status).toBe('sending');

    await waitUntil('the whole mailing has arrived', () => mailingArrivals().length >= PEOPLE, 60_000);
    const times = mailingArrivals().map((a) => a.at);
    const perSecond = (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
    expect(perSecond).toBeLessThanOrEqual(RATE * 1.15);
    // No burst either: no second holds more than the rate (and a wave's worth of slack).
    for (const start of times) expect(times.filter((at) => at >= start && at < start + 1000).length).toBeLessThanOrEqual(RATE + 5);
    expect(new Set(mailingArrivals().map((a) => a.to)).size).toBe(PEOPLE);
  }, 90_000);
});
