import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganiser } from '../src/coalition/organisers.ts';
import { freePort } from '../src/platform/db/embedded-postgres.ts';
import { startChorus, type RunningChorus } from './support/chorus-process.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { HttpAgent } from './support/http-agent.ts';

/**
 * README (configuration): with CHORUS_SECRET unset, "one is generated once and kept in the
 * database, shared by every Chorus process". Two real `chorus serve` processes start together on
 * one database with no CHORUS_SECRET: what one signs (the CSRF cookie a form relies on) the other
 * accepts, and a restart signs nobody out.
 */
let database: TestDatabase;
const running: RunningChorus[] = [];
const password = 'correct horse battery staple';

async function startServe(port: number): Promise<RunningChorus> {
  const serve = startChorus(['serve'], {
    DATABASE_URL: database.url,
    PORT: String(port),
    BASE_URL: `http://127.0.0.1:${port}`,
    SERVE_WITH_WORKER: 'false',
    LOG_LEVEL: 'warn',
  });
  running.push(serve);
  return serve;
}

beforeAll(async () => {
  database = await createTestDatabase();
  await createOrganiser(database.db, { email: 'two.serves@example.org', name: 'Two Serves', role: 'admin', password, actor: 'test' });
});
afterAll(async () => {
  await Promise.all(running.map((serve) => serve.stop('SIGTERM')));
  await database.drop();
});

const storedSecrets = async () =>
  (await database.pool.query<{ value: unknown }>(`select value from settings where key = 'secret'`)).rows.map((r) => r.value);

describe('the generated signing secret', () => {
  it('is made once for two serves started together, so a form from one is accepted by the other, and a restart signs nobody out', async () => {
    expect(await storedSecrets()).toEqual([]);
    const [portA, portB] = [await freePort(), await freePort()];
    const a = await startServe(portA);
    const b = await startServe(portB);
    await Promise.all([a.waitFor(/Press Ctrl-C to stop/), b.waitFor(/Press Ctrl-C to stop/)]);
    const secrets = await storedSecrets();
    expect(secrets).toHaveLength(1);
    expect(typeof secrets[0]).toBe('string');
    expect((secrets[0] as string).length).toBeGreaterThanOrEqual(32);
    for (const serve of [a, b]) expect(serve.stdout() + serve.stderr()).not.toContain(secrets[0] as string);

    const urlA = `http://127.0.0.1:${portA}`;
    const urlB = `http://127.0.0.1:${portB}`;
    // Signed in on A; the tags page (and its form token) from A; the form sent to B.
    const browser = new HttpAgent(urlA);
    await browser.get('/sign-in');
    expect((await browser.post('/sign-in', { email: 'two.serves@example.org', password })).status).toBe(303);
    expect((await browser.get('/admin/tags')).status).toBe(200);
    const made = await browser.moveTo(urlB).post('/admin/tags', { name: 'Made across two serves', group: 'coalition' });
    expect(made.status, made.body.slice(0, 300)).toBe(303);
    expect((await browser.get('/admin/tags')).body).toContain('Made across two serves');

    // A restarted: the same browser is still signed in there, and its forms still work.
    await a.stop('SIGTERM');
    const again = await startServe(portA);
    await again.waitFor(/Press Ctrl-C to stop/);
    browser.moveTo(urlA);
    const page = await browser.get('/admin/tags');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Made across two serves');
    expect((await browser.post('/admin/tags', { name: 'Made after the restart', group: 'coalition' })).status).toBe(303);
    expect(await storedSecrets()).toEqual(secrets);
  }, 90_000);
});
