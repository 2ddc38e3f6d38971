import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, processAlive, startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { startChorus, type RunningChorus } from './support/chorus-process.ts';
import { HttpAgent } from './support/http-agent.ts';

// The newcomer's path: `npm start` (node bin/chorus.js serve --demo) in a fresh folder, then again.
const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-start-'));
const dataDir = path.join(dataRoot, '.chorus');
const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
const password = 'a newcomer password';
let port: number;
let baseUrl: string;
let running: RunningChorus | undefined;

afterAll(async () => {
  await running?.stop('SIGINT');
  fs.rmSync(dataRoot, { recursive: true, force: true });
});

async function stopLikeCtrlC(chorus: RunningChorus) {
  const postgresPid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  expect(processAlive(postgresPid)).toBe(true);
  const finished = await chorus.stop('SIGINT');
  expect(finished.code, finished.stderr).toBe(0);
  // The embedded PostgreSQL went with it, cleanly (it removes its pid file on a clean shutdown).
  expect(processAlive(postgresPid)).toBe(false);
  expect(fs.existsSync(pidFile)).toBe(false);
  expect(fs.readFileSync(path.join(dataDir, 'postgres.log'), 'utf8')).toContain('database system is shut down');
}

describe('npm start from a fresh clone', () => {
  it('starts within 30 seconds and prints the address and a one-time sign-in link for the admin', async () => {
    expect(process.versions.node.split('.')[0]).toBe('24'); // the project's pinned Node, as npm scripts use
    port = await freePort();
    baseUrl = `http://localhost:${port}`;
    const started = Date.now();
    running = startChorus(['serve', '--demo'], { CHORUS_DATA_DIR: dataDir, PORT: String(port) });
    const [link] = await running.waitFor(/http:\/\/localhost:\d+\/sign-in\/link\/[\w-]+/, 30_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(running.stdout()).toContain(`Chorus is running at ${baseUrl}`);
    expect(running.stdout()).toContain('Sign in as the coalition admin (admin@chorus.example)');
    expect(link.startsWith(`${baseUrl}/sign-in/link/`)).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);

    const health = await fetch(`${baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });

    // The link signs the admin in once, and asks them to choose a password.
    const admin = new HttpAgent(baseUrl);
    const confirm = await admin.get(link);
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('admin@chorus.example');
    const signedIn = await admin.post(link, {});
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/admin/account');
    expect((await admin.get('/admin/account')).body).toContain('Choose a password');
    const saved = await admin.post('/admin/account/password', { password, confirm: password });
    expect(saved.status).toBe(303);
    expect((await admin.get('/admin/mail')).status).toBe(200);
    // The link was used up.
    expect((await new HttpAgent(baseUrl).get(link)).status).toBe(410);

    // A second process on the same folder joins the running server rather than starting another.
    const joined = await startEmbeddedPostgres({ dataDir });
    expect(joined.owned).toBe(false);
    const client = new pg.Client({ connectionString: joined.url });
    await client.connect();
    await client.query(`insert into groups (slug, name, description) values ('ward-7-friends', 'Friends of Ward 7', 'Keeping the stroke ward open.')`);
    await client.end();
    expect((await fetch(`${baseUrl}/groups`).then((r) => r.text()))).toContain('Friends of Ward 7');
  }, 60_000);

  it('stops the server and the embedded PostgreSQL cleanly on Ctrl-C (SIGINT), exit code 0', async () => {
    await stopLikeCtrlC(running!);
    running = undefined;
    await expect(fetch(`${baseUrl}/healthz`)).rejects.toThrow();
  }, 60_000);

  it('starts again on the same data: no second demo load, the group and the password are still there', async () => {
    running = startChorus(['serve', '--demo'], { CHORUS_DATA_DIR: dataDir, PORT: String(port) });
    await running.waitFor(/Press Ctrl-C to stop/);
    expect(running.stdout()).not.toContain('/sign-in/link/');
    expect(running.stdout()).toContain(`Sign in at ${baseUrl}/sign-in as admin@chorus.example`);
    expect(running.stdout()).toContain('npx chorus user reset admin@chorus.example');

    const groups = await fetch(`${baseUrl}/groups`).then((r) => r.text());
    expect(groups).toContain('Friends of Ward 7');
    expect(groups.match(/>Keep Our NHS Public<\/a>/g)).toHaveLength(1); // the demo groups, once (each group's card names it once)

    const admin = new HttpAgent(baseUrl);
    await admin.get('/sign-in');
    const signIn = await admin.post('/sign-in', { email: 'admin@chorus.example', password });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/admin');

    await stopLikeCtrlC(running);
    running = undefined;
  }, 60_000);
});
