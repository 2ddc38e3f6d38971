import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AppContext, Q } from '../tables.ts';
import { addJob, defineJob, type CronEntry, type JobDefinition, type Ticker } from '../../platform/index.ts';
import { detectDelimiter } from './import-rows.ts';
import { getImport, importContent, stalledImports } from './import-store.ts';
import { runImport } from './run-import.ts';

/** A running import that has not committed a batch for this long is taken to have lost its worker. */
const STALLED_AFTER_SECONDS = 120;

/** Runs (or resumes) an uploaded import, batch by batch. */
export const runPeopleImportJob = defineJob('supporters.people-import.run', z.object({ importId: z.uuid() }), async ({ importId }, ctx) => {
  const plan = await getImport(ctx.db, importId);
  if (!plan || plan.source !== 'web' || !['queued', 'running'].includes(plan.state)) return;
  const content = await importContent(ctx.db, importId);
  if (!content) return;
  const result = await runImport(ctx.db, importId, { open: () => Readable.from([content]), delimiter: detectDelimiter(content) });
  ctx.log.info({ importId, outcome: result.outcome, rows: result.counts.rows }, 'people import finished');
});

/** Queues the run of an import (one pending run per import). */
export async function queuePeopleImport(q: Q, importId: string): Promise<void> {
  await addJob(q, runPeopleImportJob, { importId }, { jobKey: `people-import:${importId}`, maxAttempts: 10 });
}

/** Every minute: imports whose worker stopped (a restart, a crash) are queued again and resume. */
export const resumeStalledImportsJob = defineJob('supporters.people-import.resume-stalled', z.object({}).loose(), async (_payload, ctx) => {
  for (const id of await stalledImports(ctx.db, STALLED_AFTER_SECONDS)) await queuePeopleImport(ctx.db, id);
});

/** Imports and exports of people. */
export const importJobs: JobDefinition<unknown>[] = [runPeopleImportJob, resumeStalledImportsJob];
export const importCron: CronEntry[] = [{ job: resumeStalledImportsJob, match: '* * * * *' }];
export const importTickers = (_ctx: AppContext): Ticker[] => [];
