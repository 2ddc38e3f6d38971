import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { createPetition, freePort, places, seedPlaces } from '../../test/support/public-petitions.ts';
import type { AppContext } from '../context.ts';
import { countSignatures } from './jobs.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Server {
  child: ChildProcess;
  url: string;
}

/** The real `chorus serve`, as a separate process, on its own port. */
async function startServer(databaseUrl: string, port: number): Promise<Server> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['bin/chorus.js', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: url,
      SERVE_WITH_WORKER: 'false',
      CHORUS_SECRET: 'crash-test-secret-that-is-long-enough-0123',
      TRUST_PROXY: '1',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`chorus serve exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url };
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`chorus serve did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopped(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

const spots = [
  { postcode: places.north.postcode, country: 'GB' },
  { postcode: places.south.postcode, country: 'GB' },
  { postcode: places.west.postcode, country: 'GB' },
  { postcode: '', country: 'FR' },
];

let database: TestDatabase;
let server: Server | undefined;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedPlaces(database.db);
});
afterAll(async () => {
  if (server) {
    server.child.kill('SIGTERM');
    await stopped(server.child);
  }
  await database.drop();
});

describe('a server killed in the middle of a burst of signatures', () => {
  it('keeps every signature it answered, exactly once, and the counts reconcile with the confirmed rows', { timeout: 120_000 }, async () => {
    const petition = await createPetition(database.db, { action: 'Crash test petition' });
    const port = await freePort();
    server = await startServer(database.url, port);

    const total = 1500;
    const answered = new Map<string, number>();
    let ok = 0;
    let killed = false;
    let next = 0;
    const sign = async (i: number) => {
      const spot = spots[i % spots.length]!;
      const email = `crash${i}@example.org`;
      const body = new URLSearchParams({ name: `Crash Signer ${i}`, email, country: spot.country, postcode: spot.postcode });
      try {
        const res = await fetch(`${server!.url}/petitions/${petition.id}/signatures`, {
          method: 'POST',
          body,
          redirect: 'manual',
          headers: { origin: server!.url, 'x-forwarded-for': `10.9.${(i >> 8) & 255}.${i & 255}` },
        });
        answered.set(email, res.status);
        if (res.status === 303) ok++;
      } catch {
        // Connection reset by the kill: the signer saw no answer.
      }
    };
    const workers = Array.from({ length: 64 }, async () => {
      while (next < total) {
        const i = next++;
        await sign(i);
        if (!killed && ok >= 300) {
          killed = true;
          server!.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all(workers);
    await stopped(server.child);
    expect(killed).toBe(true);
    const succeeded = [...answered].filter(([, status]) => status === 303).map(([email]) => email);
    expect(succeeded.length).toBeGreaterThanOrEqual(300);
    expect(succeeded.length).toBeLessThan(total);
    // Every answer before the kill was a success (no 5xx under load).
    expect([...answered.values()].every((s) => s === 303)).toBe(true);

    // Restart on the same database: it serves again.
    server = await startServer(database.url, port);
    const after = await fetch(`${server.url}/petitions/${petition.id}/signatures`, {
      method: 'POST',
      body: new URLSearchParams({ name: 'After Restart', email: 'after@example.org', postcode: places.north.postcode }),
      redirect: 'manual',
      headers: { origin: server.url, 'x-forwarded-for': '10.10.0.1' },
    });
    expect(after.status).toBe(303);
    succeeded.push('after@example.org');

    const stored = await sql<{ email: string; n: number }>`
      select email, count(*)::int as n from signatures where petition_id = ${petition.id} group by email`.execute(database.db);
    const storedCount = new Map(stored.rows.map((r) => [r.email, r.n]));
    for (const email of succeeded) expect(storedCount.get(email), email).toBe(1);
    expect(stored.rows.every((r) => r.n === 1)).toBe(true);

    // Confirm everything stored, count in batches as the worker does, and reconcile exactly.
    await database.db.updateTable('signatures').set({ state: 'validated', validated_at: new Date() }).where('petition_id', '=', petition.id).execute();
    await countSignatures({ db: database.db } as AppContext);
    const expected = await sql<{ dimension: string; key: string; n: number }>`
      select 'constituency' as dimension, constituency_code as key, count(*)::int as n from signatures
        where petition_id = ${petition.id} and constituency_code is not null group by constituency_code
      union all
      select 'country', country_code, count(*)::int from signatures where petition_id = ${petition.id} group by country_code
      union all
      select 'region', region_code, count(*)::int from signatures where petition_id = ${petition.id} and region_code is not null group by region_code`.execute(
      database.db,
    );
    const counts = await database.db.selectFrom('petition_counts').select(['dimension', 'key', 'count as n']).where('petition_id', '=', petition.id).execute();
    const sort = (rows: Array<{ dimension: string; key: string; n: number }>) => [...rows].sort((a, b) => `${a.dimension}${a.key}`.localeCompare(`${b.dimension}${b.key}`));
    expect(sort(counts)).toEqual(sort(expected.rows));
    const totalRow = await database.db.selectFrom('petitions').select('signature_count').where('id', '=', petition.id).executeTakeFirstOrThrow();
    expect(totalRow.signature_count).toBe(stored.rows.length);
    expect(new Set(counts.filter((c) => c.dimension === 'country').map((c) => c.key))).toEqual(new Set(['GB', 'FR']));
  });
});
