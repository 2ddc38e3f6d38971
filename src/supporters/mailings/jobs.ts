import type { AppContext } from '../../context.ts';
import type { CronEntry, JobDefinition } from '../../platform/jobs/jobs.ts';
import type { Ticker } from '../../platform/jobs/ticker.ts';

/** Sending mailings through the durable queue. */
export const mailingJobs: JobDefinition<unknown>[] = [];
export const mailingCron: CronEntry[] = [];
export const mailingTickers = (_ctx: AppContext): Ticker[] => [];
