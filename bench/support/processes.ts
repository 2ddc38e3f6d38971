import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/platform/db/embedded-postgres.ts';

export { freePort };

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');

export interface Child {
  process: ChildProcess;
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs a project command (`node bin/chorus.js ...` or a tsx script) as a separate process. */
/** A process on DATABASE_URL needs a stories key; a benchmark's database is thrown away, so a fresh one does. */
const BENCH_STORIES_KEY = randomBytes(32).toString('base64');

export function startChild(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, { cwd: projectRoot, env: { STORIES_KEY: BENCH_STORIES_KEY, ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls a URL until it answers 200 (a server that has started). */
export async function waitForHttp(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`process exited early:\n${child.output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${child.output()}`);
}

/** Starts `chorus serve` on a free port against a database, without the worker unless asked. */
export async function startChorus(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<{ url: string; child: Child }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // BENCH_PROFILE=dir writes a V8 CPU profile of the server to that folder when it stops.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = startChild([...profile, 'bin/chorus.js', 'serve'], {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    BASE_URL: url,
    LOG_LEVEL: 'warn',
    SERVE_WITH_WORKER: 'false',
    CHORUS_SECRET: 'benchmark-secret-benchmark-secret-0123456789',
    ...extraEnv,
  });
  await waitForHttp(`${url}/healthz`, child);
  return { url, child };
}

/** Resident memory of a process in MB (Linux /proc). */
export async function rssMb(pid: number): Promise<number> {
  const fs = await import('node:fs/promises');
  try {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
