import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext as AnyAppContext } from '../context.ts';
import { defineJob, formatLondon, type CronEntry } from '../platform/index.ts';
import { openFor } from './sealed-columns.ts';
import { queueRenewalReminder } from './story-emails.ts';
import { storiesKeyRing, useStoriesConfig } from './story-keys.ts';
import { newToken } from './story-tokens.ts';
import { REMINDER_DAYS_BEFORE } from './states.ts';
import type { AppContext } from './tables.ts';

const storiesContext = (ctx: AnyAppContext<Record<never, never>>) => ctx as unknown as AppContext;
const BATCH = 200;

/**
 * A month before consent lapses, one reminder with a renewal link. We keep only hashes of links,
 * so the reminder carries a token of its own, which works as the first email's link does (and that keeps working).
 */
export async function sendRenewalReminders(anyCtx: AnyAppContext<Record<never, never>>, now = new Date()): Promise<number> {
  const ctx = storiesContext(anyCtx);
  const ring = storiesKeyRing(ctx.config);
  let sent = 0;
  for (;;) {
    const batch = await ctx.db.transaction().execute(async (tx) => {
      const due = await tx
        .selectFrom('stories')
        .select(['id', 'name_sealed', 'email_sealed', 'consent_expires_at'])
        .where('state', '=', 'consented')
        .where('reminder_sent_at', 'is', null)
        .where('consent_expires_at', '<=', new Date(now.getTime() + REMINDER_DAYS_BEFORE * 86_400_000))
        .where('consent_expires_at', '>', now)
        .orderBy('id')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const story of due) {
        const manage = newToken();
        await tx.updateTable('stories').set({ reminder_sent_at: now, reminder_token_hash: manage.hash }).where('id', '=', story.id).execute();
        await queueRenewalReminder(tx, {
          to: openFor(ring, 'email_sealed', story.email_sealed),
          name: openFor(ring, 'name_sealed', story.name_sealed),
          manageToken: manage.token,
          expiresOn: formatLondon(story.consent_expires_at!, 'date'),
          brand: ctx.brand.current(),
          baseUrl: ctx.config.BASE_URL,
        });
      }
      return due.length;
    });
    sent += batch;
    if (batch < BATCH) return sent;
  }
}

/** Consent past its 12 months: the story is marked lapsed (it already stopped being usable at the expiry itself). */
export async function lapseExpiredConsents(anyCtx: AnyAppContext<Record<never, never>>, now = new Date()): Promise<number> {
  const ctx = storiesContext(anyCtx);
  const rows = await ctx.db.updateTable('stories').set({ state: 'lapsed', lapsed_at: now }).where('state', '=', 'consented').where('consent_expires_at', '<=', now).returning('id').execute();
  return rows.length;
}

/**
 * Retention: a story whose consent lapsed or was withdrawn more than STORIES_RETENTION_DAYS ago is
 * deleted (its consents and notes with it); so is one never confirmed in that time. The anonymous
 * tallies stay.
 */
export async function deleteEndedStories(anyCtx: AnyAppContext<Record<never, never>>, now = new Date()): Promise<number> {
  const ctx = storiesContext(anyCtx);
  const before = new Date(now.getTime() - ctx.config.STORIES_RETENTION_DAYS * 86_400_000);
  const rows = await sql<{ id: number }>`
    delete from stories
     where (state = 'withdrawn' and withdrawn_at < ${before})
        or (state = 'lapsed' and lapsed_at < ${before})
        or (state in ('awaiting_confirmation', 'awaiting_guardian') and created_at < ${before})
    returning id`.execute(ctx.db);
  return rows.rows.length;
}

export const storiesDaily = defineJob('stories.consent.daily', z.object({}).passthrough(), async (_payload, ctx) => {
  useStoriesConfig(ctx.config);
  await lapseExpiredConsents(ctx);
  await sendRenewalReminders(ctx);
  await deleteEndedStories(ctx);
});

export const storyJobs = [storiesDaily];
/** Daily, early morning: lapse, remind, delete. */
export const storyCron: CronEntry[] = [{ job: storiesDaily, match: '15 4 * * *' }];
