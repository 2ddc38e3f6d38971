import { sql } from 'kysely';
import { Logger, parseCronItems, run, runOnce, type JobHelpers, type Runner, type TaskList } from 'graphile-worker';
import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { Handle as Q } from '../db/view.ts';
import { databaseOutageLog, isDatabaseUnavailable } from '../http/errors.ts';
import { startTickers, type Ticker } from './ticker.ts';

/**
 * A background job: a stable dotted id (`platform.email.send`), a zod payload schema, and a
 * handler. Jobs are rows in PostgreSQL (graphile-worker), so they survive restarts and crashes.
 */
export interface JobDefinition<P = unknown> {
  id: string;
  schema: z.ZodType<P>;
  maxAttempts?: number;
  run(payload: P, ctx: AppContext, helpers: JobHelpers): Promise<void>;
}

export function defineJob<S extends z.ZodType>(
  id: string,
  schema: S,
  handler: (payload: z.output<S>, ctx: AppContext, helpers: JobHelpers) => Promise<void>,
  options: { maxAttempts?: number } = {},
): JobDefinition<z.output<S>> {
  return { id, schema: schema as unknown as z.ZodType<z.output<S>>, run: handler, ...options };
}

export interface AddJobOptions {
  runAt?: Date;
  /** At most one pending job per key: adding again replaces the pending one. */
  jobKey?: string;
  /** 'preserve_run_at' keeps the first run time when the key exists (debounce). */
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
  maxAttempts?: number;
  /** Jobs in one named queue run one at a time, in order. */
  queue?: string;
  priority?: number;
}

/** Queues a job in the same transaction as the caller's writes (so both commit or neither). */
export async function addJob<P>(q: Q, job: JobDefinition<P>, payload: P, options: AddJobOptions = {}): Promise<void> {
  await sql`select graphile_worker.add_job(
      identifier => ${job.id},
      payload => ${JSON.stringify(payload)}::json,
      queue_name => ${options.queue ?? null},
      run_at => ${options.runAt ?? null}::timestamptz,
      max_attempts => ${options.maxAttempts ?? job.maxAttempts ?? 25}::int,
      job_key => ${options.jobKey ?? null},
      priority => ${options.priority ?? null}::int,
      job_key_mode => ${options.jobKeyMode ?? 'replace'}
    )`.execute(q);
}

export interface CronEntry {
  /** Job id to run. */
  job: JobDefinition<unknown>;
  /** Cron pattern, e.g. '*\/5 * * * *'. */
  match: string;
  payload?: unknown;
}

function taskList(ctx: AppContext, jobs: JobDefinition<unknown>[]): TaskList {
  const list: TaskList = {};
  for (const job of jobs) {
    if (list[job.id]) throw new Error(`Two jobs share the id ${job.id}`);
    list[job.id] = async (payload, helpers) => {
      const parsed = job.schema.safeParse(payload);
      if (!parsed.success) {
        // A payload that can never be valid must not be retried 25 times.
        helpers.logger.error(`Dropping job ${job.id}: invalid payload (${parsed.error.issues[0]?.message ?? 'unknown'})`);
        return;
      }
      await job.run(parsed.data, ctx, helpers);
    };
  }
  return list;
}

function workerLogger(ctx: AppContext): Logger {
  return new Logger((scope) => (level, message) => {
    const bindings = { job: scope.taskIdentifier, jobId: scope.jobId };
    if (level === 'error') ctx.log.error(bindings, message);
    else if (level === 'warning') ctx.log.warn(bindings, message);
    else ctx.log.debug(bindings, message);
  });
}

export interface Worker {
  stop(): Promise<void>;
}

/** Runs jobs (and the sub-minute tickers) until stopped. Several workers may run against one database. */
export async function startWorker(
  ctx: AppContext,
  jobs: JobDefinition<unknown>[],
  cron: CronEntry[],
  options: { concurrency: number; tickers?: Ticker[]; restartDelays?: RestartDelays },
): Promise<Worker> {
  const runner = await superviseRunner(ctx, () => startRunner(ctx, jobs, cron, options.concurrency), options.restartDelays);
  const tickers = startTickers(options.tickers ?? [], ctx.log);
  return {
    async stop() {
      await tickers.stop();
      await runner.stop();
    },
  };
}

/** How long to wait before starting the job runner again: doubling from `firstMs` up to `maxMs`. */
export interface RestartDelays {
  firstMs: number;
  maxMs: number;
}

const defaultRestartDelays: RestartDelays = { firstMs: 500, maxMs: 15_000 };

/**
 * Keeps a job runner going for the life of the process. graphile-worker stops its runner when it
 * loses the database (a restart, a crash, a failover): the runner is then started again, after a
 * delay that doubles while the database stays away, so jobs carry on once it is back. The first
 * start must succeed (a worker that cannot start at all should say so and exit).
 */
async function superviseRunner(ctx: AppContext, start: () => Promise<Runner>, delays: RestartDelays = defaultRestartDelays): Promise<{ stop(): Promise<void> }> {
  let stopping = false;
  let current: Runner | undefined = await start();
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const restartLater = (why: unknown) => {
    if (stopping) return;
    current = undefined;
    const delay = Math.min(delays.maxMs, delays.firstMs * 2 ** Math.min(failures, 20));
    failures++;
    if (isDatabaseUnavailable(why)) databaseOutageLog.report(ctx.log, why, 'job runner');
    else ctx.log.warn({ err: why, retryInMs: delay }, 'job runner stopped; starting it again');
    timer = setTimeout(() => {
      timer = undefined;
      if (stopping) return;
      start().then(
        (runner) => {
          if (stopping) {
            void runner.stop().catch(() => undefined);
            return;
          }
          current = runner;
          ctx.log.info({ after: failures }, 'job runner started again');
          watch(runner);
        },
        (error: unknown) => restartLater(error),
      );
    }, delay);
    timer.unref?.();
  };

  const watch = (runner: Runner) => {
    // A runner that has kept going for a minute has recovered: the next outage starts from the first delay.
    const healthy = setTimeout(() => {
      if (current === runner) failures = 0;
    }, 60_000);
    healthy.unref?.();
    runner.promise.then(
      () => {
        clearTimeout(healthy);
        if (current === runner) restartLater(new Error('the job runner stopped by itself (the database went away?)'));
      },
      (error: unknown) => {
        clearTimeout(healthy);
        if (current === runner) restartLater(error);
      },
    );
  };
  watch(current);

  return {
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      const runner = current;
      current = undefined;
      await runner?.stop().catch((error: unknown) => {
        if (!isDatabaseUnavailable(error) && !/already stopped/.test(String(error))) throw error;
      });
    },
  };
}

/**
 * While the database is away, graphile-worker can leave a rejected promise nobody awaits (marking
 * a finished job complete, outside its batcher): by default Node would end the process for it.
 * Such rejections are logged (once a second) and the process lives on; its job runner is started
 * again by superviseRunner, and the job's lock expires so it runs again. Any other unhandled
 * rejection still ends the process, as it should. Installed once, by `serve` and `worker`.
 */
export function surviveDatabaseOutages(log: AppContext['log']): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    if (isDatabaseUnavailable(reason)) {
      databaseOutageLog.report(log, reason, 'background work');
      return;
    }
    throw reason;
  });
}
let installed = false;

async function startRunner(ctx: AppContext, jobs: JobDefinition<unknown>[], cron: CronEntry[], concurrency: number): Promise<Runner> {
  return run({
    pgPool: ctx.pool,
    taskList: taskList(ctx, jobs),
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: workerLogger(ctx),
    parsedCronItems: parseCronItems(
      cron.map((entry) => ({
        task: entry.job.id,
        match: entry.match,
        identifier: `${entry.job.id}@${entry.match}`,
        payload: (entry.payload ?? {}) as Record<string, unknown>,
        options: { backfillPeriod: 0 },
      })),
    ),
  });
}

/** Runs every job that is due now, then returns (tests, one-shot CLI work). */
export async function runDueJobs(ctx: AppContext, jobs: JobDefinition<unknown>[]): Promise<void> {
  await runOnce({ pgPool: ctx.pool, taskList: taskList(ctx, jobs), logger: workerLogger(ctx), noHandleSignals: true });
}
