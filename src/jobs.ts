import type { CronEntry, JobDefinition } from './platform/jobs/jobs.ts';
import { mailJobs } from './platform/mail/outbox.ts';
import { coalitionJobs, coalitionCron } from './coalition/jobs.ts';

/** Every capability's background jobs and schedules, for `chorus worker` (and serve's worker). */
export const allJobs: JobDefinition<unknown>[] = [...mailJobs, ...coalitionJobs];
export const allCron: CronEntry[] = [...coalitionCron];
