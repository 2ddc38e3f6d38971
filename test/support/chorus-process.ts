import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { settingDocs } from '../../src/config.ts';

const STORIES_KEY_FOR_PROCESSES = Buffer.from('chorus-test-stories-key-32-bytes').toString('base64');

/** The project folder: where `npm start` runs. */
export const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const chorusBin = path.join(projectDir, 'bin', 'chorus.js');

/**
 * The environment for a `chorus` process: this one's (PATH, HOME...) without any Chorus setting,
 * plus the settings given, so each test states exactly what it configures.
 */
export function chorusEnv(settings: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(settingDocs)) delete env[name];
  // A stories key, which a process on DATABASE_URL needs to start; STORIES_KEY: '' leaves it unset.
  return { ...env, STORIES_KEY: STORIES_KEY_FOR_PROCESSES, ...settings };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningChorus {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout (waiting for it), or rejects with what was printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  exited: Promise<Finished>;
  /** Sends a signal (as Ctrl-C or a service manager would) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Finished>;
}

/**
 * Starts `node bin/chorus.js ...args` exactly as `npm start` does, with the Node that runs the
 * tests (the project's pinned Node 24).
 */
export function startChorus(args: string[], settings: Record<string, string> = {}): RunningChorus {
  const child = spawn(process.execPath, [chorusBin, ...args], { cwd: projectDir, env: chorusEnv(settings), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    listeners.forEach((listener) => listener());
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Finished>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      listeners.forEach((listener) => listener());
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (match) return done(() => resolve(match));
          if (child.exitCode !== null || child.signalCode !== null) {
            done(() => reject(new Error(`chorus exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}.\nstdout:\n${stdout}\nstderr:\n${stderr}`)));
          }
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`chorus did not print ${pattern} within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs a `chorus` command to its end. */
export function runChorus(args: string[], settings: Record<string, string> = {}): Promise<Finished> {
  return startChorus(args, settings).exited;
}
