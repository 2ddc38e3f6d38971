import type { AppContext } from '../../context.ts';
import type { CronEntry, JobDefinition } from '../../platform/jobs/jobs.ts';
import type { Ticker } from '../../platform/jobs/ticker.ts';

/** Imports and exports of people. */
export const segmentJobs: JobDefinition<unknown>[] = [];
export const segmentCron: CronEntry[] = [];
export const segmentTickers = (_ctx: AppContext): Ticker[] => [];
