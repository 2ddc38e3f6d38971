import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/platform/db/embedded-postgres.ts';
import { runChorus, startChorus, type RunningChorus } from './support/chorus-process.ts';
import { createEmptyDatabase, type TestDatabase } from './support/db.ts';
import { HttpAgent } from './support/http-agent.ts';
import { linkIn, SmtpSink } from './support/smtp.ts';

// Production layout from the README: DATABASE_URL points at a PostgreSQL server Chorus did not
// start (here the test run's own server), `chorus migrate`, then `serve` and `worker` apart.
let database: TestDatabase;
let sink: SmtpSink;
let settings: Record<string, string>;
const unusedDataDir = path.join(os.tmpdir(), `chorus-must-stay-unused-${process.pid}`);
const processes: RunningChorus[] = [];

beforeAll(async () => {
  [database, sink] = await Promise.all([createEmptyDatabase(), new SmtpSink().start()]);
  const port = await freePort();
  settings = {
    DATABASE_URL: database.url,
    CHORUS_DATA_DIR: unusedDataDir,
    PORT: String(port),
    BASE_URL: `http://127.0.0.1:${port}`,
    SMTP_URL: sink.url,
    SERVE_WITH_WORKER: 'false',
    LOG_LEVEL: 'warn',
  };
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop('SIGTERM')));
  await sink?.stop();
  await database?.drop();
});

async function tables(): Promise<string[]> {
  const result = await database.pool.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'public'`);
  return result.rows.map((r) => r.table_name);
}

async function appliedMigrations(): Promise<unknown[]> {
  return (await database.pool.query('select * from schema_migrations order by name')).rows;
}

describe('on a PostgreSQL server named by DATABASE_URL', () => {
  it('`chorus migrate` fills an empty database, and running it again changes nothing', async () => {
    expect(await tables()).toEqual([]);
    const first = await runChorus(['migrate'], settings);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Database is up to date.');
    expect(await tables()).toEqual(expect.arrayContaining(['schema_migrations', 'groups', 'organisers', 'outbound_emails']));
    const applied = await appliedMigrations();
    expect(applied.length).toBeGreaterThan(0);
    const again = await runChorus(['migrate'], settings);
    expect(again.code, again.stderr).toBe(0);
    expect(await appliedMigrations()).toEqual(applied);
  });

  it('`chorus serve` and `chorus worker` run on it, send mail over SMTP, stop cleanly, and no embedded server is started', async () => {
    const added = await runChorus(['user', 'add', 'alex@example.org', '--name', 'Alex Admin', '--role', 'admin'], settings);
    expect(added.code, added.stderr).toBe(0);

    const serve = startChorus(['serve'], settings);
    const worker = startChorus(['worker'], settings);
    processes.push(serve, worker);
    await Promise.all([serve.waitFor(/Press Ctrl-C to stop/), worker.waitFor(/Chorus worker running/)]);
    expect(serve.stdout()).toContain(`Chorus is running at ${settings.BASE_URL}`);
    expect(serve.stdout()).toContain('Database: DATABASE_URL');
    expect(serve.stdout()).toContain('Mail: sent over SMTP_URL');

    const health = await fetch(`${settings.BASE_URL}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });

    // A password reset asked for through `serve` is sent by the separate `worker`.
    const visitor = new HttpAgent(settings.BASE_URL!);
    await visitor.get('/forgot-password');
    expect((await visitor.post('/forgot-password', { email: 'alex@example.org' })).status).toBe(200);
    const mail = await sink.waitFor((m) => m.to.includes('alex@example.org'));
    expect(mail.subject).toContain('Reset your');
    expect((await visitor.get(linkIn(mail, `${settings.BASE_URL}/reset-password/`))).status).toBe(200);

    const [served, worked] = await Promise.all([serve.stop('SIGTERM'), worker.stop('SIGTERM')]);
    expect(served.code, served.stderr).toBe(0);
    expect(worked.code, worked.stderr).toBe(0);
    // The embedded server creates CHORUS_DATA_DIR first thing; it was never touched.
    expect(fs.existsSync(unusedDataDir)).toBe(false);
  });
});
