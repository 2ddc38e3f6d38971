import { sql } from 'kysely';
import type { Tx } from '../tables.ts';
import { fingerprint } from './similarity.ts';

const openings = [
  'I am writing as one of your constituents because the maternity unit at our local hospital is under threat, and I do not think the case for keeping it has been heard.',
  'My daughter was born at our local hospital two years ago, and the midwives there saved us both when things went wrong in the middle of the night.',
  'As a community nurse in this constituency for eleven years, I see every week what happens when services move further away from the people who need them.',
  'I have lived here all my life, and I am worried about what the plans to close our maternity unit would mean for families without a car.',
  'I am a GP receptionist, and I already hear from frightened parents-to-be who do not know where they would go if the unit closes.',
  'My wife and I are expecting our first child in the spring, and the nearest alternative unit is a fifty-minute drive on a good day.',
];
const middles = [
  'The consultation talks about efficiency, but it does not say how long an ambulance would take from the villages on the edge of the county.',
  'Travelling further in labour is not a small inconvenience: it is a risk, and it falls hardest on those with the least.',
  'Staff have told me they were not asked what they thought before the plans were drawn up, and several are thinking of leaving.',
  'The bus service to the other hospital stops at six in the evening, so visiting a sick baby would be impossible for many families here.',
  'If the problem is recruiting midwives, closing the unit will make it worse, not better: people train where they can work.',
];
const asks = [
  'Will you ask the Secretary of State to call in the decision and publish the travel-time analysis?',
  'Will you meet local parents and staff before the consultation closes, and tell us where you stand?',
  'Please speak up for us in Parliament and ask the trust to pause the plans until there is a proper assessment.',
];
const names = ['Amira Hassan', 'Tom Bradley', 'Priya Nair', 'Gareth Jones', 'Siobhan Kelly', 'Daniel Okafor', 'Helen Marsh', 'Wojciech Nowak', 'Fiona Campbell', 'Luke Turner', 'Grace Adeyemi', 'Ruth Evans'];

/**
 * DEMO DATA: a coalition-wide letter campaign with letters to some of the demo seats' MPs,
 * delivered weeks ago by post, with their writers' questionnaire answers (some replies, some form
 * letters). The writers are made up; their letters are in no supporter's record. Loaded once.
 */
export async function loadLettersDemo(tx: Tx): Promise<{ campaigns: number; letters: number }> {
  const existing = await tx.selectFrom('letter_campaigns').select('id').limit(1).executeTakeFirst();
  if (existing) return { campaigns: 0, letters: 0 };
  const seats = await tx.selectFrom('mps as m').innerJoin('constituencies as c', 'c.code', 'm.constituency_code').select(['m.constituency_code', 'm.name']).orderBy('c.name').limit(8).execute();
  const { id } = await tx
    .insertInto('letter_campaigns')
    .values({
      title: 'Keep our maternity units open',
      about: 'Trusts across the country are consulting on closing smaller maternity units. Write to your MP, in your own words, and ask them to stand up for safe births close to home.',
      talking_points: [
        'Why the unit matters to you or your family',
        'How far, and how long, the nearest other unit is from you',
        'What closing it would mean for staff and recruitment',
        'Ask your MP to say where they stand, and to press for a pause',
      ].join('\n'),
      deadline: sql<string>`(now() at time zone 'Europe/London')::date + 60`,
      target: 'own_mp',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  let count = 0;
  for (const [i, name] of names.entries()) {
    const seat = seats[i % Math.max(1, seats.length)];
    if (!seat) break;
    const body = `Dear ${seat.name},\n\n${openings[i % openings.length]} ${middles[(i * 2) % middles.length]}\n\n${middles[(i * 3 + 1) % middles.length]} ${asks[i % asks.length]}\n\nYours sincerely,\n${name}`;
    const fp = fingerprint(id, body);
    const deliveredDaysAgo = 15 + ((i * 7) % 30);
    const replied = i % 3 !== 2;
    await tx
      .insertInto('letters')
      .values({
        campaign_id: id,
        writer_name: name,
        writer_email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org`,
        writer_address: `${10 + i} High Street`,
        writer_postcode: null,
        writer_constituency: seat.constituency_code,
        mp_seat_code: seat.constituency_code,
        mp_name: seat.name,
        body,
        delivery: 'post',
        state: 'ready',
        minhash: fp.minhash,
        bands: fp.bands,
        confirmed_at: sql<Date>`now() - make_interval(days => ${deliveredDaysAgo})`,
        delivered_at: sql<Date>`now() - make_interval(days => ${deliveredDaysAgo})`,
        questionnaire_sent_at: sql<Date>`now() - make_interval(days => ${deliveredDaysAgo - 14})`,
        answered_at: sql<Date>`now() - make_interval(days => ${Math.max(0, deliveredDaysAgo - 15)})`,
        got_reply: replied,
        form_letter: replied ? (i % 2 === 0 ? 'yes' : 'no') : null,
        reply_days: replied ? 4 + ((i * 5) % 12) : null,
      })
      .execute();
    count++;
  }
  return { campaigns: 1, letters: count };
}
