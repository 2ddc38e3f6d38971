import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from './tables.ts';
import { defineJob, type CronEntry, type Ticker } from '../platform/index.ts';
import { closingDateNotPassed } from './closing-date.ts';
import { sendConfirmationEmails } from './confirmation-emails.ts';
import { countNewSignatures, withCounterLock } from './count-signatures.ts';
import { markReachedMilestones } from './store.ts';

const COUNT_BATCH = 50_000;

/** Adds confirmed signatures to the counts; one process at a time, every second. */
export async function countSignatures(ctx: AppContext): Promise<number> {
  const total = await withCounterLock(ctx.db, async (q) => {
    let counted = 0;
    const touched = new Set<number>();
    for (;;) {
      const result = await countNewSignatures(q, COUNT_BATCH);
      counted += result.counted;
      result.petitions.forEach((id) => touched.add(id));
      if (result.counted < COUNT_BATCH) break;
    }
    if (touched.size > 0) await markReachedMilestones(q, [...touched]);
    return counted;
  });
  return total ?? 0;
}

export function petitionTickers(ctx: AppContext): Ticker[] {
  return [{ name: 'petitions.signatures.count', intervalMs: 1000, run: async () => void (await countSignatures(ctx)) }];
}

/** Every minute: close open petitions whose closing date has passed. */
export const closeExpiredPetitions = defineJob('petitions.close-expired', z.object({}).passthrough(), async (_p, ctx) => {
  await sql`update petitions set state = 'closed', closed_at = now(), updated_at = now()
    where state = 'open' and not ${closingDateNotPassed()}`.execute(ctx.db);
});

/** Hourly: delete signatures nobody confirmed (least data kept). */
export const deleteUnconfirmedSignatures = defineJob('petitions.signatures.delete-unconfirmed', z.object({}).passthrough(), async (_p, ctx) => {
  await sql`delete from signatures
    where state = 'pending' and created_at < now() - make_interval(days => ${ctx.config.UNCONFIRMED_SIGNATURE_DAYS})`.execute(ctx.db);
});

export const petitionJobs = [sendConfirmationEmails, closeExpiredPetitions, deleteUnconfirmedSignatures];
export const petitionCron: CronEntry[] = [
  { job: closeExpiredPetitions, match: '* * * * *' },
  { job: deleteUnconfirmedSignatures, match: '23 * * * *' },
  // A sweep in case a wake-up was lost (a process stopped just after a commit, mail retried after an outage).
  { job: sendConfirmationEmails, match: '* * * * *' },
];
