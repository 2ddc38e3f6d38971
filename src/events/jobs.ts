import { z } from 'zod';
import { defineJob, type CronEntry } from '../platform/index.ts';
import { sweepWaitingLists } from './waiting-list.ts';

/** Every minute: offers unclaimed for 24 hours lapse and move on to the next person; free places go to those waiting. */
export const sweepWaitingListsJob = defineJob('events.waiting-list.sweep', z.object({}).passthrough(), async (_payload, ctx) => {
  await sweepWaitingLists(ctx);
});

export const eventJobs = [sweepWaitingListsJob];
export const eventCron: CronEntry[] = [{ job: sweepWaitingListsJob, match: '* * * * *' }];
