import { startChild } from './processes.ts';

export interface LoadResult {
  requests: number;
  rps: number;
  duration: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  codes: Record<string, number>;
}

/** Runs the load generator in its own process and returns its figures. */
export async function runLoad(options: Record<string, unknown>): Promise<LoadResult> {
  const child = startChild(['--import', 'tsx', 'bench/support/loadgen.ts', JSON.stringify(options)], {});
  const code = await child.exited;
  const line = child.output().trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (code !== 0 || !line) throw new Error(`load generator failed (exit ${code}):\n${child.output()}`);
  return JSON.parse(line) as LoadResult;
}
