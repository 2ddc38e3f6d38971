import type { AppContext } from '../context.ts';
import type { CronEntry, JobDefinition } from '../platform/jobs/jobs.ts';
import type { Ticker } from '../platform/jobs/ticker.ts';

/** Webhook deliveries. */
export const apiJobs: JobDefinition<unknown>[] = [];
export const apiCron: CronEntry[] = [];
export const apiTickers = (_ctx: AppContext): Ticker[] => [];
