import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { defineJob, queueEmail, type EmailBlock } from '../../platform/index.ts';
import { politicsQ } from '../tables.ts';
import { findCampaign } from './campaigns.ts';
import { mpsForSeats } from './store.ts';

export const TO_MP_KIND = 'politics.letters.to-mp';

export const letterSubject = (writerName: string, constituent: boolean) => (constituent ? `Letter from your constituent, ${writerName}` : `Letter from ${writerName}`);

/**
 * Delivers one confirmed letter. By email: from the hub in the writer's name, Reply-To the
 * writer, to the MP's parliamentary address (from `chorus import mp-contacts`). By post: the
 * letter is ready for its writer to print (its PDF link), so it counts as delivered now.
 */
export const deliverLetter = defineJob('politics.letters.deliver', z.object({ letterId: z.number().int() }), async ({ letterId }, anyCtx: AppContext) => {
  const db = politicsQ(anyCtx.db);
  await db.transaction().execute(async (tx) => {
    const letter = await tx.selectFrom('letters').selectAll().where('id', '=', letterId).forUpdate().executeTakeFirst();
    if (!letter || letter.delivered_at || letter.state !== 'ready' || !letter.confirmed_at || !letter.body || !letter.writer_name || !letter.writer_email) return;
    if (letter.delivery === 'email') {
      const [mp] = await mpsForSeats(tx, [letter.mp_seat_code]);
      const campaign = await findCampaign(tx, letter.campaign_id);
      if (!mp?.email || !campaign) throw new Error(`No email address for the MP of ${letter.mp_seat_code}`);
      const constituent = letter.writer_constituency === letter.mp_seat_code;
      const blocks: EmailBlock[] = [
        ...letter.body.split(/\n{2,}/).map((text): EmailBlock => ({ type: 'paragraph', text })),
        { type: 'small', text: [letter.writer_name, ...(letter.writer_address ?? '').split('\n'), letter.writer_postcode ?? ''].filter(Boolean).join('\n') },
      ];
      await queueEmail(tx, {
        kind: TO_MP_KIND,
        to: mp.email,
        fromName: letter.writer_name,
        headers: { 'Reply-To': letter.writer_email },
        brand: anyCtx.brand.current(),
        baseUrl: anyCtx.config.BASE_URL,
        content: {
          subject: letterSubject(letter.writer_name, constituent),
          blocks,
          footer: [`${letter.writer_name} wrote this letter in their own words through ${anyCtx.brand.current().name} (“${campaign.title}”). Reply to this email to reach them.`],
        },
        // The letter's copy in the outbox goes with its body.
        keepDays: anyCtx.config.LETTERS_RETENTION_DAYS,
      });
    }
    await tx.updateTable('letters').set({ delivered_at: sql`now()`, updated_at: sql`now()` }).where('id', '=', letterId).execute();
  });
});
