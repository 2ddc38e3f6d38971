import { sql } from 'kysely';
import { Logger, parseCronItems, run, runOnce, type JobHelpers, type Runner, type TaskList } from 'graphile-worker';
import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { Handle as Q } from '../db/view.ts';
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
  options: { concurrency: number; tickers?: Ticker[] },
): Promise<Worker> {
  const runner = await startRunner(ctx, jobs, cron, options.concurrency);
  const tickers = startTickers(options.tickers ?? [], ctx.log);
  return {
    async stop() {
      await tickers.stop();
      await runner.stop();
    },
  };
}

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
