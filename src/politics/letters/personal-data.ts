import { sql } from 'kysely';
import type { PersonalDataProvider } from '../../platform/capability.ts';
import { politicsQ } from '../tables.ts';
import { UNCONFIRMED_LETTER_DAYS } from './retention.ts';

/** A writer's letters to MPs are supporter data: exported whole, and erased leaving only the anonymous counts. */
export const letterPersonalData: PersonalDataProvider = {
  name: 'letters-to-mps',
  label: 'Letters to MPs',
  tables: ['letters'],
  async export(handle, personId) {
    const rows = await politicsQ(handle)
      .selectFrom('letters as l')
      .innerJoin('letter_campaigns as c', 'c.id', 'l.campaign_id')
      .select(['c.title as campaign', 'l.mp_name', 'l.writer_name', 'l.writer_email', 'l.writer_address', 'l.writer_postcode', 'l.body', 'l.delivery', 'l.state', 'l.created_at', 'l.confirmed_at', 'l.delivered_at', 'l.body_deleted_at', 'l.got_reply', 'l.form_letter', 'l.reply_days', 'l.answered_at'])
      .where('l.person_id', '=', personId)
      .orderBy('l.id')
      .execute();
    return rows;
  },
  async erase(handle, personId) {
    await sql`update letters set person_id = null, writer_name = null, writer_email = null, writer_address = null, writer_postcode = null,
        body = null, body_deleted_at = coalesce(body_deleted_at, now()), updated_at = now()
      where person_id = ${personId}`.execute(politicsQ(handle));
  },
  retention: `A letter’s words and its writer’s address are deleted LETTERS_RETENTION_DAYS after it was delivered (a daily job); letters whose email was never confirmed are deleted after ${UNCONFIRMED_LETTER_DAYS} days. The counts per MP and the questionnaire answers stay, without the writer.`,
};
