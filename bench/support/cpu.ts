/** CPU time of processes (Linux /proc), to read a benchmark's cost per request apart from the machine's noise. */
import fs from 'node:fs';
import path from 'node:path';

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds a running process has used so far (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The postmaster of a data folder and every process it started (backends, writers). */
export function postgresPids(pgdata: string): number[] {
  let postmaster: number;
  try {
    postmaster = Number(fs.readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return [];
  }
  const pids = [postmaster];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return pids;
}

/** Starts counting the CPU of some processes; `stop()` answers the seconds they used since. */
export function cpuMeter(pids: () => number[]): { stop(): number } {
  const before = new Map(pids().map((pid) => [pid, cpuSeconds(pid)]));
  return {
    stop() {
      let used = 0;
      for (const pid of new Set([...before.keys(), ...pids()])) used += Math.max(0, cpuSeconds(pid) - (before.get(pid) ?? 0));
      return used;
    },
  };
}
