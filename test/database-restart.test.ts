import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../src/platform/db/database.ts';
import { freePort, processAlive, startEmbeddedPostgres, type EmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import type { Database } from '../src/schema.ts';
import { startChorus, type RunningChorus } from './support/chorus-process.ts';
import { createPetition, places, seedPlaces } from './support/public-petitions.ts';
import { SmtpSink } from './support/smtp.ts';

// PostgreSQL crashes (SIGKILL of its postmaster) under `chorus serve` with its worker inside, and
// comes back on the same data folder and port, as a service manager would restart it.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-pg-restart-'));
const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
let pgPort: number;
let postgres: EmbeddedPostgres | undefined;
let handle: DatabaseHandle<Database> | undefined;
let serve: RunningChorus | undefined;
let sink: SmtpSink;
let baseUrl: string;

beforeAll(async () => {
  sink = await new SmtpSink().start();
  pgPort = await freePort();
  postgres = await startEmbeddedPostgres({ dataDir, port: pgPort });
});
afterAll(async () => {
  await serve?.stop('SIGTERM');
  await handle?.close();
  await postgres?.stop();
  await sink?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts PostgreSQL again on the same folder and port; the killed server's processes may take a moment to go. */
async function restartPostgres(): Promise<EmbeddedPostgres> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await startEmbeddedPostgres({ dataDir, port: pgPort });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}

async function waitForHealth(status: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await fetch(`${baseUrl}/healthz`).then((r) => r.status, () => 0);
    if (got === status) return;
    if (Date.now() > deadline) throw new Error(`/healthz did not answer ${status} within ${timeoutMs} ms (last ${got})\n${serve?.stdout().slice(-3000)}`);
    await sleep(200);
  }
}

describe('PostgreSQL killed and restarted under a running `chorus serve`', () => {
  it('answers 503 (never 500) while it is gone, stays up, and serves and runs jobs again when it is back', { timeout: 180_000 }, async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    serve = startChorus(['serve'], {
      DATABASE_URL: postgres!.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: baseUrl,
      SMTP_URL: sink.url,
      CHORUS_SECRET: 'database-restart-test-secret-long-enough-0123',
      TRUST_PROXY: '1',
      LOG_LEVEL: 'warn',
    });
    await serve.waitFor(/Press Ctrl-C to stop/, 60_000);

    handle = connectDatabase<Database>(postgres!.url, 2, 'chorus-test');
    await seedPlaces(handle.db);
    const petition = await createPetition(handle.db, { action: 'Ride out a database restart' });
    await handle.close();
    handle = undefined;

    let n = 0;
    const sign = (email: string) =>
      fetch(`${baseUrl}/petitions/${petition.id}/signatures`, {
        method: 'POST',
        body: new URLSearchParams({ name: 'Restart Signer', email, postcode: places.north.postcode }),
        redirect: 'manual',
        headers: { origin: baseUrl, 'x-forwarded-for': `10.20.${(n >> 8) & 255}.${n++ & 255}` },
      });

    // The worker sends confirmation emails before the crash.
    expect((await sign('before@example.org')).status).toBe(303);
    await sink.waitFor((m) => m.to.includes('before@example.org'), 20_000);

    // Load: signers and readers, without pause, through the crash and the restart.
    const statuses: Array<{ phase: 'up' | 'down' | 'back'; status: number; retryAfter: string | null; inFlight: boolean }> = [];
    let phase: 'up' | 'down' | 'back' = 'up';
    let loading = true;
    const failures: string[] = [];
    const loaders = Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; loading; i++) {
        const started = phase;
        try {
          const res =
            w % 4 === 3
              ? await fetch(`${baseUrl}/petitions?q=${encodeURIComponent(`reader ${w} ${i}`)}`, { redirect: 'manual' })
              : await sign(`load-${w}-${i}@example.org`);
          await res.arrayBuffer();
          // In flight at the kill: started before it, answered after it.
          statuses.push({ phase, status: res.status, retryAfter: res.headers.get('retry-after'), inFlight: started === 'up' && phase !== 'up' });
        } catch (error) {
          failures.push(String(error));
        }
      }
    });

    await sleep(1500);
    const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    expect(processAlive(postmaster)).toBe(true);
    process.kill(postmaster, 'SIGKILL');
    phase = 'down';
    await waitForHealth(503, 10_000);
    await sleep(3000);

    postgres = await restartPostgres();
    await waitForHealth(200, 60_000);
    phase = 'back';
    await sleep(1000);
    loading = false;
    await Promise.all(loaders);

    // serve lived through it, and every answer was a success or "unavailable, try again".
    expect(serve.child.exitCode, serve.stderr()).toBeNull();
    expect(failures, 'requests that got no answer at all').toEqual([]);
    const byStatus = (p: string) => statuses.filter((s) => s.phase === p).map((s) => s.status);
    expect(statuses.filter((s) => s.status >= 500 && s.status !== 503), 'answers other than 503 among the 5xx').toEqual([]);
    expect(byStatus('down').filter((s) => s === 503).length).toBeGreaterThan(0);
    // Answered before the kill: all successes. In flight at the kill: a success or a 503.
    expect(byStatus('up').filter((s) => s !== 303 && s !== 200)).toEqual([]);
    expect(statuses.filter((s) => s.inFlight && s.status !== 303 && s.status !== 200 && s.status !== 503)).toEqual([]);
    console.log(`database restart: ${statuses.length} answers, ${statuses.filter((s) => s.inFlight).length} in flight at the kill, ${byStatus('down').filter((s) => s === 503).length} 503s while down`);
    expect(statuses.filter((s) => s.status === 503 && !s.retryAfter), '503s without Retry-After').toEqual([]);

    // Back: signing works and the worker inside serve sends its confirmation again.
    const after = await sign('after@example.org');
    expect(after.status).toBe(303);
    await sink.waitFor((m) => m.to.includes('after@example.org'), 60_000);
    expect(serve.child.exitCode).toBeNull();

    // The log said the database was unavailable about once a second, not once a request, and
    // printed no stack for it.
    const log = serve.stdout() + serve.stderr();
    const outageLines = log.split('\n').filter((line) => line.includes('database unavailable'));
    expect(outageLines.length).toBeGreaterThan(0);
    const unavailableAnswers = statuses.filter((s) => s.status === 503).length;
    expect(outageLines.length).toBeLessThan(Math.max(20, unavailableAnswers / 5));
    expect(log).not.toMatch(/"msg":"request failed"/);
  });
});
