import type { AppContext } from './context.ts';
import { coalitionCron, coalitionJobs } from './coalition/jobs.ts';
import { petitionCron, petitionJobs, petitionTickers } from './petitions/jobs.ts';
import type { CronEntry, JobDefinition } from './platform/jobs/jobs.ts';
import type { Ticker } from './platform/jobs/ticker.ts';
import { mailJobs } from './platform/mail/outbox.ts';
import { apiCron, apiJobs, apiTickers } from './api/jobs.ts';
import { mailingCron, mailingJobs, mailingTickers } from './supporters/mailings/jobs.ts';
import { peopleCron, peopleJobs, peopleTickers } from './supporters/people-jobs.ts';
import { segmentCron, segmentJobs, segmentTickers } from './supporters/segments/jobs.ts';

/** Every capability's background jobs and schedules, for `chorus worker` (and serve's worker). */
export const allJobs: JobDefinition<unknown>[] = [
  ...mailJobs,
  ...coalitionJobs,
  ...petitionJobs,
  ...peopleJobs,
  ...segmentJobs,
  ...mailingJobs,
  ...apiJobs,
];
export const allCron: CronEntry[] = [...coalitionCron, ...petitionCron, ...peopleCron, ...segmentCron, ...mailingCron, ...apiCron];
/** Sub-minute loops (counting) run by every worker process; each takes a lock so one runs at a time. */
export const allTickers = (ctx: AppContext): Ticker[] => [
  ...petitionTickers(ctx),
  ...peopleTickers(ctx),
  ...segmentTickers(ctx),
  ...mailingTickers(ctx),
  ...apiTickers(ctx),
];
