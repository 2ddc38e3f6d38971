import type { AppContext } from '../context.ts';
import type { CronEntry, JobDefinition } from '../platform/jobs/jobs.ts';
import type { Ticker } from '../platform/jobs/ticker.ts';

/** People and consent: linking confirmed signatures to people, double opt-in mails, retention. */
export const peopleJobs: JobDefinition<unknown>[] = [];
export const peopleCron: CronEntry[] = [];
export const peopleTickers = (_ctx: AppContext): Ticker[] => [];
