import type { AppContext } from './context.ts';
import { coalitionCron, coalitionJobs } from './coalition/jobs.ts';
import { petitionCron, petitionJobs, petitionTickers } from './petitions/jobs.ts';
import type { CronEntry, JobDefinition } from './platform/jobs/jobs.ts';
import type { Ticker } from './platform/jobs/ticker.ts';
import { mailJobs } from './platform/mail/outbox.ts';

/** Every capability's background jobs and schedules, for `chorus worker` (and serve's worker). */
export const allJobs: JobDefinition<unknown>[] = [...mailJobs, ...coalitionJobs, ...petitionJobs];
export const allCron: CronEntry[] = [...coalitionCron, ...petitionCron];
/** Sub-minute loops (counting) run by every worker process; each takes a lock so one runs at a time. */
export const allTickers = (ctx: AppContext): Ticker[] => [...petitionTickers(ctx)];
