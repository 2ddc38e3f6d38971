import { capabilities } from './capabilities.ts';
import type { AnyContext } from './platform/capability.ts';
import type { CronEntry, JobDefinition } from './platform/jobs/jobs.ts';
import type { Ticker } from './platform/jobs/ticker.ts';
import { mailCron, mailJobs } from './platform/mail/outbox.ts';
import { rateLimitCron, rateLimitJobs } from './platform/rate-limit.ts';

/** The platform's and every capability's background jobs, for `chorus worker` (and serve's worker). */
export const allJobs: JobDefinition<unknown>[] = [...mailJobs, ...rateLimitJobs, ...capabilities.flatMap((c) => c.jobs ?? [])];
export const allCron: CronEntry[] = [...mailCron, ...rateLimitCron, ...capabilities.flatMap((c) => c.cron ?? [])];
/** Sub-minute loops (counting) run by every worker process; each takes a lock so one runs at a time. */
export const allTickers = (ctx: AnyContext): Ticker[] => capabilities.flatMap((c) => c.tickers?.(ctx) ?? []);
