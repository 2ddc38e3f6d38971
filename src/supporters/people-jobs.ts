import { z } from 'zod';
import type { AppContext, Q } from './tables.ts';
import { addJob, defineJob, type CronEntry, type JobDefinition, type Ticker } from '../platform/index.ts';
import { linkConfirmedSignatures } from './link-signatures.ts';
import { runRetention } from './retention.ts';

/** People and consent: linking confirmed signatures to people, and the retention rules. */

/** Links confirmed petition signatures to people (also run every few seconds by the ticker). */
export const linkSignaturesToPeople = defineJob('supporters.signatures.link', z.object({}).passthrough(), async (_payload, ctx) => {
  await linkConfirmedSignatures(ctx.db);
});

/** Daily: deletes or erases what the retention rules say is due. */
export const applyRetentionRules = defineJob('supporters.retention.run', z.object({}).passthrough(), async (_payload, ctx) => {
  const run = await runRetention(ctx.db);
  ctx.log.info({ removed: run.removed }, 'retention rules applied');
});

/** On demand (e.g. just after a signature is confirmed): link without waiting for the ticker. */
export async function queueSignatureLinking(q: Q): Promise<void> {
  await addJob(q, linkSignaturesToPeople, {}, { jobKey: 'supporters.signatures.link', jobKeyMode: 'preserve_run_at' });
}

export const peopleJobs: JobDefinition<unknown>[] = [linkSignaturesToPeople, applyRetentionRules];
export const peopleCron: CronEntry[] = [{ job: applyRetentionRules, match: '40 3 * * *' }];
export const peopleTickers = (ctx: AppContext): Ticker[] => [
  { name: 'supporters.signatures.link', intervalMs: 5000, run: async () => void (await linkConfirmedSignatures(ctx.db)) },
];
