import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reachableBinaries, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';

// Containers usually forbid user namespaces. A stand-in `unshare` that always fails, first on
// PATH, makes this machine behave like one.
const root = process.getuid?.() === 0;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-no-userns-'));
const originalPath = process.env.PATH;
const started: EmbeddedPostgres[] = [];

beforeAll(() => {
  fs.chmodSync(scratch, 0o755); // as an ordinary folder is
  const fakeBin = path.join(scratch, 'bin');
  fs.mkdirSync(fakeBin);
  fs.writeFileSync(path.join(fakeBin, 'unshare'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  process.env.PATH = `${fakeBin}:${originalPath}`;
});
afterAll(async () => {
  process.env.PATH = originalPath;
  await Promise.all(started.map((server) => server.stop()));
  fs.rmSync(scratch, { recursive: true, force: true });
});

function expectedOwner(): number {
  return root ? Number(execFileSync('id', ['-u', 'chorus-postgres'], { encoding: 'utf8' }).trim()) : process.getuid!();
}

describe('embedded PostgreSQL where user namespaces are unavailable', () => {
  it(`starts, stops and keeps its data${root ? ', running as the system user chorus-postgres since we are root' : ''}`, async () => {
    const parent = path.join(scratch, 'open');
    fs.mkdirSync(parent, { mode: 0o755 });
    const dataDir = path.join(parent, 'data');
    const server = await startEmbeddedPostgres({ dataDir });
    started.push(server);
    expect(server.owned).toBe(true);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('create table kept (note text)');
    await client.query(`insert into kept values ('still here')`);
    await client.end();
    expect(fs.statSync(path.join(dataDir, 'postgres')).uid).toBe(expectedOwner());

    await server.stop();
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    const again = await startEmbeddedPostgres({ dataDir });
    started.push(again);
    const check = new pg.Client({ connectionString: again.url });
    await check.connect();
    expect((await check.query('select note from kept')).rows).toEqual([{ note: 'still here' }]);
    await check.end();
    await again.stop();
  });

  it(root ? 'refuses a data folder inside a folder other users cannot enter, saying which folder and what to do' : 'needs no open folders when not root', async () => {
    const closed = path.join(scratch, 'closed');
    fs.mkdirSync(closed, { mode: 0o700 });
    const attempt = startEmbeddedPostgres({ dataDir: path.join(closed, 'data') });
    if (root) {
      await expect(attempt).rejects.toThrow(`which cannot enter ${closed}. Put CHORUS_DATA_DIR in a folder other users can pass through`);
    } else {
      const server = await attempt;
      started.push(server);
      await server.stop();
    }
  });

  it('runs a copy of the binaries kept beside the data when node_modules is in a folder that user cannot enter', () => {
    // As root the system user is chorus-postgres; otherwise any other user id stands in for it
    // (the check reads the folders' permission bits, so no privilege is needed to try it).
    const user = root
      ? { uid: expectedOwner(), gid: Number(execFileSync('id', ['-g', 'chorus-postgres'], { encoding: 'utf8' }).trim()) }
      : { uid: process.getuid!() + 1, gid: process.getgid!() + 1 };
    const checkout = path.join(scratch, 'private-checkout');
    const native = path.join(checkout, 'node_modules', 'pg', 'native');
    fs.mkdirSync(path.join(native, 'bin'), { recursive: true });
    fs.chmodSync(checkout, 0o700);
    fs.writeFileSync(path.join(native, '..', 'package.json'), '{"version": "17.6.0"}');
    for (const name of ['initdb', 'postgres']) fs.writeFileSync(path.join(native, 'bin', name), '#!/bin/sh\n', { mode: 0o755 });
    const dataDir = path.join(scratch, 'open-data');
    fs.mkdirSync(dataDir, { mode: 0o711 });

    const bins = reachableBinaries(user, { initdb: path.join(native, 'bin', 'initdb'), postgres: path.join(native, 'bin', 'postgres') }, dataDir, () => undefined);
    expect(bins.initdb).toBe(path.join(dataDir, 'postgres-binaries', '17.6.0', 'bin', 'initdb'));
    expect(fs.statSync(bins.postgres).mode & 0o755).toBe(0o755);
    // Reachable binaries are used where they are.
    const open = { initdb: bins.initdb, postgres: bins.postgres };
    expect(reachableBinaries(user, open, dataDir, () => undefined)).toEqual(open);
  });
});
