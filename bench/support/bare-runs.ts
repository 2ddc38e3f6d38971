/** The same-run baselines: the bare Node servers of bench/support, started, loaded and stopped. */
import { freePort, startChild, waitForHttp } from './processes.ts';
import { runLoad, type LoadResult } from './run-load.ts';
import { cpuMeter } from './cpu.ts';

/**
 * Starts one of the bare servers (`bare-server.ts`, `form-server.ts`) on a free port with `env`,
 * runs `work` with its base URL and the server's pid, and stops it.
 */
export async function withBareServer<T>(script: 'bare-server.ts' | 'form-server.ts', env: Record<string, string>, work: (base: string, pid: number) => Promise<T>): Promise<T> {
  const port = await freePort();
  const server = startChild(['--import', 'tsx', `bench/support/${script}`], { ...env, PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/`, server);
    return await work(base, server.process.pid!);
  } finally {
    await server.stop();
  }
}

/** The bare server answering a small constant, under the same load (GET, connections, seconds). */
export async function bareConstantRun(connections: number, durationSeconds: number): Promise<LoadResult> {
  return withBareServer('bare-server.ts', {}, async (base) => {
    await runLoad({ url: `${base}/`, connections, durationSeconds: 2 });
    return runLoad({ url: `${base}/`, connections, durationSeconds });
  });
}

/**
 * The HTTP ceiling for a form post: the bare form server requiring `requiredFields` and answering
 * 303 to `redirectTo`, driven with `load` (the same options the real run gets, url aside) after a
 * short warm-up. Answers the load generator's figures and the server's CPU per request in µs.
 */
export async function bareFormRun(
  form: { requiredFields: string[]; redirectTo: string; path: string },
  load: (url: string, warmUp: boolean) => Record<string, unknown>,
): Promise<LoadResult & { cpuMicros: number }> {
  return withBareServer('form-server.ts', { REQUIRED_FIELDS: form.requiredFields.join(','), REDIRECT_TO: form.redirectTo }, async (base, pid) => {
    await runLoad(load(`${base}${form.path}`, true));
    const cpu = cpuMeter(() => [pid]);
    const run = await runLoad(load(`${base}${form.path}`, false));
    return { ...run, cpuMicros: (cpu.stop() / Math.max(1, run.requests)) * 1e6 };
  });
}
