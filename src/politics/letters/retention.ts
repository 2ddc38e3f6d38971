import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/index.ts';
import { politicsQ, type Q } from '../tables.ts';

/** Days after which letters whose writers never confirmed their email are deleted. */
export const UNCONFIRMED_LETTER_DAYS = 14;

/**
 * Least data: a letter's words and its writer's address are deleted `days` after delivery (the
 * letter row stays, so the counts and the questionnaire answers are kept); letters never
 * confirmed, and rejected ones, go whole after 14 days.
 */
export async function applyLetterRetention(q: Q, days: number, now: Date = new Date()): Promise<{ bodies: number; letters: number }> {
  const bodies = await q
    .updateTable('letters')
    .set({ body: null, writer_address: null, body_deleted_at: now, updated_at: now })
    .where('body', 'is not', null)
    .where('delivered_at', '<', sql<Date>`${now}::timestamptz - make_interval(days => ${days})`)
    .executeTakeFirst();
  const letters = await q
    .deleteFrom('letters')
    .where('delivered_at', 'is', null)
    .where((eb) => eb.or([eb('confirmed_at', 'is', null), eb('state', '=', 'rejected')]))
    .where('created_at', '<', sql<Date>`${now}::timestamptz - make_interval(days => ${UNCONFIRMED_LETTER_DAYS})`)
    .executeTakeFirst();
  return { bodies: Number(bodies.numUpdatedRows), letters: Number(letters.numDeletedRows) };
}

export const deleteOldLetterBodies = defineJob('politics.letters.retention', z.object({}).passthrough(), async (_payload, ctx: AppContext) => {
  await applyLetterRetention(politicsQ(ctx.db), ctx.config.LETTERS_RETENTION_DAYS);
});
