import { sql } from 'kysely';
import type { Handle, KeyRing } from '../../platform/index.ts';
import { activeKeyRing } from '../story-keys.ts';
import { storiesQ } from '../tables.ts';
import { asksOf, notesOf, SEALED, trainingOf } from './storytellers.ts';

/** Everything held about a person as a storyteller, opened, for their subject access copy. */
export async function storytellerDataOf(handle: Handle, ring: KeyRing, personId: number) {
  const q = storiesQ(handle);
  const rows = await q.selectFrom('storytellers').selectAll().where('person_id', '=', personId).orderBy('id').execute();
  return Promise.all(
    rows.map(async (r) => {
      const topics = await q.selectFrom('storyteller_topics').innerJoin('speaking_topics', 'speaking_topics.id', 'storyteller_topics.topic_id').select('speaking_topics.name').where('storyteller_topics.storyteller_id', '=', r.id).execute();
      return {
        name: ring.openText(r.name_sealed, SEALED.name),
        email: ring.openText(r.email_sealed, SEALED.email),
        phone: ring.openOptional(r.phone_sealed, SEALED.phone),
        postcode: ring.openOptional(r.postcode_sealed, SEALED.postcode),
        constituencyCode: r.constituency_code,
        regionCode: r.region_code,
        stage: r.stage,
        recruitedAt: r.recruited_at,
        consentedAt: r.consented_at,
        trainedAt: r.trained_at,
        readyAt: r.ready_at,
        spokeAt: r.spoke_at,
        topics: topics.map((t) => t.name),
        notes: await notesOf(q, ring, r.id),
        training: (await trainingOf(q, r.id)).map((t) => ({ title: t.title, startsAt: t.starts_at })),
        requests: (await asksOf(q, ring, r.id)).map((a) => ({ outlet: a.outlet, askedAt: a.askedAt, answer: a.answer, answeredAt: a.answeredAt, outcome: a.outcome })),
      };
    }),
  );
}

/** Removes a person's storyteller records with their notes, training attendance and answers. */
export async function eraseStorytellerData(handle: Handle, personId: number): Promise<number> {
  const result = await sql`delete from storytellers where person_id = ${personId}`.execute(storiesQ(handle));
  return Number(result.numAffectedRows ?? 0);
}

export const storytellerPersonalData = [
  {
    name: 'storytellers',
    label: 'Storyteller records (pipeline, topics, notes, training, requests to speak and their answers)',
    tables: ['storytellers', 'storyteller_notes', 'training_attendance', 'opportunity_asks'],
    export: (q: Handle, personId: number) => storytellerDataOf(q, activeKeyRing(), personId),
    erase: async (q: Handle, personId: number) => void (await eraseStorytellerData(q, personId)),
    retention: 'Kept while the person is a storyteller, until they ask for it to be erased; notes and answers go with the record.',
  },
];
