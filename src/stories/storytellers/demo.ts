import { createHash, randomBytes } from 'node:crypto';
import type { KeyRing } from '../../platform/index.ts';
import { onePostcodePerConstituency, type DemoTargetSeat } from '../../politics/index.ts';
import { connectToGroups, personForUnprovenAction } from '../../supporters/index.ts';
import type { Tx } from '../tables.ts';
import { moveStoryteller } from './change-storyteller.ts';
import { STAGES } from './stages.ts';
import { SEALED } from './storytellers.ts';
import type { StorytellerStage } from './tables.ts';

const TOPICS = ['Mental health waiting times', 'A&E and ambulances', 'GP appointments', 'Maternity care', 'Cancer care', 'NHS staff workload'];

/** Fictional storytellers (example.org addresses), one or more at every stage. */
const PEOPLE: Array<{ name: string; stage: StorytellerStage; topics: number[]; phone?: string }> = [
  { name: 'Priya Sharma', stage: 'recruited', topics: [3] },
  { name: 'Tom Evans', stage: 'consented', topics: [1, 5] },
  { name: 'Grace Mensah', stage: 'trained', topics: [0] },
  { name: 'Owen Hughes', stage: 'ready', topics: [0, 2], phone: '07700 900123' },
  { name: 'Fatima Begum', stage: 'ready', topics: [0] },
  { name: 'Daniel Brooks', stage: 'spoke', topics: [4], phone: '07700 900456' },
];

const demoEmail = (name: string) => `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.storyteller@example.org`;

/**
 * The storyteller demo: the topic list, storytellers at each pipeline stage, a training session
 * they attended, and a request from the press that one ready storyteller said yes to.
 */
export async function loadStorytellerDemo(tx: Tx, ring: KeyRing, groupIds: number[], targetSeats: readonly DemoTargetSeat[] = []) {
  const topicIds: number[] = [];
  for (const name of TOPICS) topicIds.push((await tx.insertInto('speaking_topics').values({ name }).returning('id').executeTakeFirstOrThrow()).id);
  const places = await onePostcodePerConstituency(tx);
  const groups = groupIds.slice(0, 2);
  if (groups.length === 0) return { storytellers: 0 };
  const session = await tx.insertInto('training_sessions').values({ title: 'Telling your story to the media', starts_at: new Date(Date.now() - 21 * 86_400_000) }).returning('id').executeTakeFirstOrThrow();
  const ids: Record<string, number> = {};
  let readyPlaced = 0;
  for (const [i, p] of PEOPLE.entries()) {
    // Those ready to speak live in the target seats when there are any, so the opportunities for action there have someone to ask.
    const ready = p.stage === 'ready' || p.stage === 'spoke';
    const place = ready && targetSeats.length > 0 ? targetSeats[readyPlaced++ % targetSeats.length] : places[i % Math.max(1, places.length)];
    const person = await personForUnprovenAction(tx, { email: demoEmail(p.name), givenName: p.name.split(' ')[0]!, familyName: p.name.split(' ')[1] ?? null, source: { method: 'storyteller' } });
    const group = groups[i % groups.length]!;
    await connectToGroups(tx, person.id, [group]);
    const row = await tx
      .insertInto('storytellers')
      .values({
        person_id: person.id,
        name_sealed: ring.sealText(p.name, SEALED.name),
        email_sealed: ring.sealText(demoEmail(p.name), SEALED.email),
        phone_sealed: ring.sealOptional(p.phone ?? null, SEALED.phone),
        postcode_sealed: ring.sealOptional(place?.postcode ?? null, SEALED.postcode),
        constituency_code: place?.constituencyCode ?? null,
        region_code: place?.regionCode ?? null,
        recruited_at: new Date(Date.now() - (60 - i) * 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[p.name] = row.id;
    await tx.insertInto('storyteller_groups').values({ storyteller_id: row.id, group_id: group }).execute();
    await tx.insertInto('storyteller_topics').values(p.topics.map((t) => ({ storyteller_id: row.id, topic_id: topicIds[t]! }))).execute();
    const reached = STAGES.indexOf(p.stage);
    for (const stage of STAGES.slice(1, reached + 1)) {
      if (stage === 'trained') await tx.insertInto('training_attendance').values({ session_id: session.id, storyteller_id: row.id }).execute();
      await moveStoryteller(tx, row.id, stage, STAGES);
    }
    if (p.stage !== 'recruited') {
      await tx.insertInto('storyteller_notes').values({ storyteller_id: row.id, author_name: 'Demo organiser', note_sealed: ring.sealText(`Met ${p.name.split(' ')[0]} at a stall; happy to talk about it, prefers evenings.`, SEALED.note) }).execute();
    }
  }
  const deadline = new Date(Date.now() + 4 * 86_400_000).toISOString().slice(0, 10);
  const opportunity = await tx
    .insertInto('speaking_opportunities')
    .values({
      requester_kind: 'press',
      requester_sealed: ring.sealText('Sam Reporter, newsdesk@example.org', SEALED.requester),
      outlet: 'BBC Points West',
      wanted: 'A parent whose child waited for mental health care, for a short interview.',
      constituency_code: places[3]?.constituencyCode ?? null,
      region_code: places[3]?.regionCode ?? null,
      topic_id: topicIds[0]!,
      deadline,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = () => createHash('sha256').update(randomBytes(24)).digest('hex');
  await tx.insertInto('opportunity_asks').values({ opportunity_id: opportunity.id, storyteller_id: ids['Owen Hughes']!, token_hash: token(), answer: 'yes', answered_at: new Date() }).execute();
  await tx.insertInto('opportunity_asks').values({ opportunity_id: opportunity.id, storyteller_id: ids['Fatima Begum']!, token_hash: token() }).execute();
  return { storytellers: PEOPLE.length, opportunityId: opportunity.id };
}
