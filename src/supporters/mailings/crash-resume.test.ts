import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testConfig, type TestApp } from '../../../test/support/app.ts';
import type { Agent } from '../../../test/support/agent.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { SmtpSink } from '../../../test/support/smtp.ts';
import { smtpPoolSize } from './bulk-transport.ts';
import { withMailings } from './tables.ts';
import { addPurpose } from './test-support.ts';

/**
 * Real `chorus worker` processes killed with SIGKILL (no chance to tidy up) in the middle of a
 * mailing, then a new worker started: we count what each recipient received at the SMTP server.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let t: TestApp;
let sink: SmtpSink;
let admin: Agent;
const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const config = testConfig();
  const child = spawn(process.execPath, [path.join(root, 'bin/chorus.js'), 'worker'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: t.database.url, SMTP_URL: sink.url, BASE_URL: config.BASE_URL, CHORUS_SECRET: config.CHORUS_SECRET, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}

const gone = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

async function kill(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await gone(child);
}

async function waitUntil(what: string, test: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > until) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A purpose, `count` people with a live consent for it, and a mailing to them all, set going. */
async function mailingTo(prefix: string, count: number, ratePerSecond: number): Promise<number> {
  const purpose = await addPurpose(t.ctx.db, { key: `${prefix}.updates`, name: `${prefix} updates` });
  await sql`
    with p as (
      insert into people (email, canonical_email, email_status, given_name)
      select ${prefix} || n || '@example.org', ${prefix} || n || '@example.org', 'verified', 'Person ' || n from generate_series(1, ${count}) n
      returning id
    )
    insert into consents (person_id, purpose_id, status, method, given_at) select id, ${purpose}, 'given', 'test', now() from p`.execute(t.ctx.db);
  await admin.get('/admin/mailings/new');
  const created = await admin.post('/admin/mailings', { purpose_id: String(purpose), subject: `${prefix}: exactly once`, body: 'Hello {{first_name}}', rate_per_second: String(ratePerSecond) });
  const id = Number(/mailings\/(\d+)/.exec(created.headers.location as string)![1]);
  await admin.get(`/admin/mailings/${id}/send`);
  expect((await admin.post(`/admin/mailings/${id}/send`, { when: 'now', confirmed: String(count) })).statusCode).toBe(303);
  return id;
}

const receivedBy = (prefix: string) => {
  const counts = new Map<string, number>();
  for (const m of sink.messages) for (const to of m.to) if (to.startsWith(prefix)) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
};

const statusOf = (id: number) => withMailings(t.ctx.db).selectFrom('mailings').select('status').where('id', '=', id).executeTakeFirstOrThrow();

async function recipients(id: number) {
  return withMailings(t.ctx.db)
    .selectFrom('mailing_recipients as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .select(['p.email', 'r.status'])
    .where('r.mailing_id', '=', id)
    .execute();
}

beforeAll(async () => {
  // A slow mail server: each message is acknowledged 20 ms after it arrives. A message whose
  // sender hangs up before that is not kept: it was never accepted.
  sink = await new SmtpSink({ acceptDelayMs: 20 }).start();
  t = await createTestApp({ env: { MAILING_RATE: '1000' } });
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.filter((w) => w.exitCode === null && w.signalCode === null).map(kill));
  await t.close();
  await sink.stop();
});

describe('a worker killed in the middle of a mailing', () => {
  let survivor: ChildProcess | undefined;

  it('between two messages: the next worker sends the rest, and every recipient gets it exactly once', async () => {
    const id = await mailingTo('calm', 40, 20);
    const first = startWorker();
    await sink.waitFor(() => receivedBy('calm').size >= 10, 30_000);
    // Hold the worker still between two waves: it cannot check the next people's consent while
    // the consents table is locked, and nothing of its is with the mail server.
    const blocker = new pg.Client({ connectionString: t.database.url });
    await blocker.connect();
    try {
      await blocker.query('begin; lock table consents in access exclusive mode');
      await waitUntil('the worker waits between messages', async () => {
        const { rows } = await sql<{ waiting: number; sending: number }>`select
          (select count(*)::int from pg_stat_activity where datname = current_database() and application_name = 'chorus-worker' and wait_event_type = 'Lock') as waiting,
          (select count(*)::int from mailing_recipients where mailing_id = ${id} and status = 'sending') as sending`.execute(t.ctx.db);
        return rows[0]!.waiting > 0 && rows[0]!.sending === 0;
      });
      await kill(first);
      // Its server session notices the dead client and gives up the waiting statement: only then
      // is the table let go, so nothing of the killed worker's runs after its death.
      await waitUntil('the killed worker is disconnected', async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and application_name = 'chorus-worker'`.execute(t.ctx.db);
        return rows[0]!.n === 0;
      });
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    const atKill = receivedBy('calm').size;
    expect(atKill).toBeLessThan(40);

    survivor = startWorker();
    await waitUntil('the mailing is sent', async () => (await statusOf(id)).status === 'sent');
    const received = receivedBy('calm');
    const rows = await recipients(id);
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(received.size).toBe(40);
    for (const r of rows) expect(received.get(r.email!), r.email!).toBe(1);
  }, 60_000);

  it('with messages at the mail server: nobody gets it twice; those few are reported unknown, not resent', async () => {
    // The worker that finished the first mailing (or a new one, if that test failed).
    const busy = survivor ?? startWorker();
    const id = await mailingTo('busy', 300, 1000);
    await sink.waitFor(() => receivedBy('busy').size >= 100, 30_000);
    await kill(busy);
    const atKill = receivedBy('busy').size;
    expect(atKill).toBeLessThan(300);

    const last = startWorker();
    await waitUntil('the mailing is sent', async () => (await statusOf(id)).status === 'sent');
    last.kill('SIGTERM');
    await gone(last);

    const received = receivedBy('busy');
    const rows = await recipients(id);
    expect(rows).toHaveLength(300);
    expect(Math.max(...received.values())).toBe(1);
    const sent = rows.filter((r) => r.status === 'sent');
    const unknown = rows.filter((r) => r.status === 'unknown');
    for (const r of sent) expect(received.get(r.email!), r.email!).toBe(1);
    // In doubt: only what was with the mail server at the kill, at most one per connection.
    expect(sent.length + unknown.length).toBe(300);
    expect(unknown.length).toBeLessThanOrEqual(smtpPoolSize(sink.url));
    expect(received.size).toBe(sent.length + unknown.filter((r) => received.has(r.email!)).length);
    expect(received.size).toBeGreaterThan(atKill);
    const report = await admin.get(`/admin/mailings/${id}`);
    expect(report.body).toMatch(new RegExp(`data-count="unknown">${unknown.length}<`));
  }, 60_000);
});
