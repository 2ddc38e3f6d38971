import type { AppContext } from '../tables.ts';
import type { CronEntry, JobDefinition, Ticker } from '../../platform/index.ts';
import { resumeOrphanedMailings, startDueMailings } from './schedule-mailing.ts';
import { sendMailingJob } from './send-job.ts';

/** Sending mailings through the durable queue. */
export const mailingJobs: JobDefinition<unknown>[] = [sendMailingJob as JobDefinition<unknown>];
export const mailingCron: CronEntry[] = [];
/** Every couple of seconds: start scheduled mailings that are due, and resume any that lost their sender. */
export const mailingTickers = (ctx: AppContext): Ticker[] => [
  {
    name: 'supporters.mailings.due-and-orphaned',
    intervalMs: 2000,
    async run() {
      await startDueMailings(ctx);
      await resumeOrphanedMailings(ctx);
    },
  },
];
