import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testConfig, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { SmtpSink } from '../../../test/support/smtp.ts';
import { smtpPoolSize } from './bulk-transport.ts';
import { withMailings } from './tables.ts';
import { addPurpose } from './test-fixtures.ts';

/**
 * Kills a real `chorus worker` (SIGKILL: no goodbye) halfway through a mailing, starts another,
 * and counts what each recipient received.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RECIPIENTS = 300;

let t: TestApp;
let sink: SmtpSink;
const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const config = testConfig();
  const child = spawn(process.execPath, [path.join(root, 'bin/chorus.js'), 'worker'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: t.database.url,
      SMTP_URL: sink.url,
      BASE_URL: config.BASE_URL,
      CHORUS_SECRET: config.CHORUS_SECRET,
      MAILING_RATE: '1000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.push(child);
  return child;
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

async function waitUntil(test: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > until) throw new Error('Timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  // A slow mail server: each message is acknowledged 20 ms after it arrives, so a kill lands
  // while messages are with it. One it never acknowledged (the worker hung up) is not kept.
  sink = await new SmtpSink({ acceptDelayMs: 20 }).start();
  t = await createTestApp();
  const purpose = await addPurpose(t.ctx.db, { key: 'coalition.updates', name: 'Coalition updates' });
  await sql`
    with p as (
      insert into people (email, canonical_email, email_status, given_name)
      select 'person' || n || '@example.org', 'person' || n || '@example.org', 'verified', 'Person ' || n
      from generate_series(1, ${RECIPIENTS}) n
      returning id
    )
    insert into consents (person_id, purpose_id, status, method, given_at) select id, ${purpose}, 'given', 'test', now() from p`.execute(t.ctx.db);
  const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
  await agent.get('/admin/mailings/new');
  const created = await agent.post('/admin/mailings', { purpose_id: String(purpose), subject: 'Exactly once', body: 'Hello {{first_name}}', rate_per_second: '100' });
  const id = /mailings\/(\d+)/.exec(created.headers.location as string)![1]!;
  await agent.get(`/admin/mailings/${id}/send`);
  expect((await agent.post(`/admin/mailings/${id}/send`, { when: 'now', confirmed: String(RECIPIENTS) })).statusCode).toBe(303);
}, 60_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await Promise.all(workers.map(exited));
  await t.close();
  await sink.stop();
});

describe('a worker killed halfway through a mailing', () => {
  it('leaves the rest to the next worker, and nobody gets the mailing twice', async () => {
    const t0 = Date.now();
    const first = startWorker();
    await sink.waitFor(() => sink.messages.length >= RECIPIENTS / 3, 30_000);
    first.kill('SIGKILL');
    await exited(first);
    const atKill = sink.messages.length;
    console.log('killed at', Date.now() - t0, atKill);
    expect(atKill).toBeLessThan(RECIPIENTS);

    const second = startWorker();
    const mailings = withMailings(t.ctx.db);
    await waitUntil(async () => (await mailings.selectFrom('mailings').select('status').executeTakeFirstOrThrow()).status === 'sent', 30_000);
    console.log('done at', Date.now() - t0);
    second.kill('SIGTERM');
    await exited(second);

    const perAddress = new Map<string, number>();
    for (const m of sink.messages) for (const to of m.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    const rows = await mailings
      .selectFrom('mailing_recipients as r')
      .innerJoin('people as p', 'p.id', 'r.person_id')
      .select(['p.email', 'r.status'])
      .execute();
    expect(rows).toHaveLength(RECIPIENTS);

    console.log('unknown', rows.filter((r) => r.status === 'unknown').length, 'received', sink.messages.length);
    // Nobody twice.
    expect(Math.max(...perAddress.values())).toBe(1);
    // Every 'sent' recipient received it exactly once; the only other outcome is 'unknown'
    // (with the mail server at the kill: not resent), at most one per SMTP connection.
    const sent = rows.filter((r) => r.status === 'sent');
    const unknown = rows.filter((r) => r.status === 'unknown');
    for (const r of sent) expect(perAddress.get(r.email!), r.email!).toBe(1);
    expect(sent.length + unknown.length).toBe(RECIPIENTS);
    expect(unknown.length).toBeLessThanOrEqual(smtpPoolSize(sink.url));
    for (const r of unknown) expect(perAddress.get(r.email!) ?? 0).toBeLessThanOrEqual(1);
    // The second worker did the rest.
    expect(sink.messages.length).toBeGreaterThan(atKill);
    expect(sink.messages.length).toBe(sent.length + unknown.filter((r) => perAddress.has(r.email!)).length);
  }, 90_000);
});
