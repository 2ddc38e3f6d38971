import { sql } from 'kysely';
import { assertGroupsExist } from '../../coalition/index.ts';
import { DomainError, conflict, forbidden, invalidField, recordAudit, type KeyRing, type Viewer } from '../../platform/index.ts';
import { lookupPostcode } from '../../politics/index.ts';
import { connectToGroups, personForUnprovenAction, splitName } from '../../supporters/index.ts';
import type { Tx } from '../tables.ts';
import { CONSENTABLE_STAGES, READYABLE_STAGES, stageStamp } from './stages.ts';
import { SEALED, storytellerScope, type Storyteller } from './storytellers.ts';
import type { StorytellerStage } from './tables.ts';

export interface NewStoryteller {
  name: string;
  email: string;
  phone?: string | undefined;
  postcode?: string | undefined;
  groupIds: number[];
  topicIds: number[];
}

/**
 * Adds a storyteller at the first stage (recruited): their supporter record found or made (as an
 * event booking does), their details sealed, their place found from the postcode.
 */
export async function addStoryteller(tx: Tx, ring: KeyRing, viewer: Viewer, input: NewStoryteller): Promise<string> {
  if (input.groupIds.length === 0) throw invalidField('groups', 'Choose at least one group');
  const scope = await storytellerScope(tx, viewer);
  if (scope !== 'all' && input.groupIds.some((g) => !scope.includes(g))) throw invalidField('groups', 'Choose groups you organise for');
  await assertGroupsExist(tx, 'groups', input.groupIds);
  let place: { constituencyCode: string | null; regionCode: string | null; postcode: string | null } = { constituencyCode: null, regionCode: null, postcode: null };
  if (input.postcode) {
    const found = await lookupPostcode(tx, input.postcode);
    if (found.status !== 'found') throw invalidField('postcode', 'Enter a real UK postcode, like BS1 4DJ, or leave it empty');
    place = { constituencyCode: found.constituencyCode, regionCode: found.regionCode, postcode: found.postcode };
  }
  const known = await tx.selectFrom('speaking_topics').select('id').where('id', 'in', input.topicIds.length ? input.topicIds : [-1]).execute();
  if (known.length !== new Set(input.topicIds).size) throw invalidField('topics', 'Choose topics from the list');
  const split = splitName(input.name);
  const person = await personForUnprovenAction(tx, { email: input.email, givenName: split.givenName || null, familyName: split.familyName, source: { method: 'storyteller' } });
  await connectToGroups(tx, person.id, input.groupIds);
  const row = await tx
    .insertInto('storytellers')
    .values({
      person_id: person.id,
      name_sealed: ring.sealText(input.name, SEALED.name),
      email_sealed: ring.sealText(input.email, SEALED.email),
      phone_sealed: ring.sealOptional(input.phone ?? null, SEALED.phone),
      postcode_sealed: ring.sealOptional(place.postcode, SEALED.postcode),
      constituency_code: place.constituencyCode,
      region_code: place.regionCode,
    })
    .returning(['id', 'public_id'])
    .executeTakeFirstOrThrow();
  await tx.insertInto('storyteller_groups').values(input.groupIds.map((group_id) => ({ storyteller_id: row.id, group_id }))).execute();
  if (input.topicIds.length) await tx.insertInto('storyteller_topics').values([...new Set(input.topicIds)].map((topic_id) => ({ storyteller_id: row.id, topic_id }))).execute();
  await recordAudit(tx, { actor: viewer, action: 'storyteller.create', subjectType: 'storyteller', subjectId: row.public_id, after: { stage: 'recruited', groups: input.groupIds, topics: input.topicIds, constituency: place.constituencyCode } });
  return row.public_id;
}

/**
 * Moves a storyteller on by one stage (sets of stages that may move are in stages.ts). Each stage's
 * stamp is set the first time it is reached and never moved after, so the pipeline's dates hold.
 * Returns false when the storyteller was not at a stage that may move (someone moved them first).
 */
export async function moveStoryteller(tx: Tx, storytellerId: number, to: StorytellerStage, from: readonly StorytellerStage[]): Promise<boolean> {
  const stamp = stageStamp[to];
  const result = await sql`
    update storytellers set stage = ${to}, ${sql.ref(stamp)} = coalesce(${sql.ref(stamp)}, now())
    where id = ${storytellerId} and stage in (${sql.join([...from])})`.execute(tx);
  return Number(result.numAffectedRows ?? 0) > 0;
}

const manualMoves = { consented: CONSENTABLE_STAGES, ready: READYABLE_STAGES } as const;

/** An organiser records the storyteller's consent to take part, or marks them ready to speak. */
export async function advanceStoryteller(tx: Tx, viewer: Viewer, storyteller: Storyteller, to: keyof typeof manualMoves): Promise<void> {
  if (!(await moveStoryteller(tx, storyteller.id, to, manualMoves[to]))) throw conflict(to === 'ready' ? 'Only a trained storyteller can be marked ready to speak.' : 'This storyteller has already consented.');
  await recordAudit(tx, { actor: viewer, action: 'storyteller.stage', subjectType: 'storyteller', subjectId: storyteller.publicId, before: { stage: storyteller.stage }, after: { stage: to } });
}

export async function addStorytellerNote(tx: Tx, ring: KeyRing, viewer: Viewer, storyteller: Storyteller, text: string): Promise<void> {
  await tx.insertInto('storyteller_notes').values({ storyteller_id: storyteller.id, author_id: viewer.id, author_name: viewer.name, note_sealed: ring.sealText(text, SEALED.note) }).execute();
  // The note's words stay out of the log: it is as sensitive as the record.
  await recordAudit(tx, { actor: viewer, action: 'storyteller.note.add', subjectType: 'storyteller', subjectId: storyteller.publicId });
}

/** Adds a topic to the coalition's list (admins and moderators keep it). */
export async function addSpeakingTopic(tx: Tx, viewer: Viewer, name: string): Promise<number> {
  if (viewer.role === 'organiser') throw forbidden('Coalition admins and moderators keep the list of topics.');
  const taken = await tx.selectFrom('speaking_topics').select('id').where(sql<boolean>`lower(name) = lower(${name})`).executeTakeFirst();
  if (taken) throw new DomainError('invalid', 'That topic is already on the list', { problems: [{ field: 'name', message: 'That topic is already on the list' }] });
  const row = await tx.insertInto('speaking_topics').values({ name }).returning('id').executeTakeFirstOrThrow();
  await recordAudit(tx, { actor: viewer, action: 'speaking-topic.create', subjectType: 'speaking-topic', subjectId: row.id, after: { name } });
  return row.id;
}

/** Sets the topics a storyteller can speak on (from the coalition's list). */
export async function setStorytellerTopics(tx: Tx, viewer: Viewer, storyteller: Storyteller, topicIds: number[]): Promise<void> {
  const wanted = [...new Set(topicIds)];
  const known = wanted.length ? await tx.selectFrom('speaking_topics').select('id').where('id', 'in', wanted).execute() : [];
  if (known.length !== wanted.length) throw invalidField('topics', 'Choose topics from the list');
  await tx.deleteFrom('storyteller_topics').where('storyteller_id', '=', storyteller.id).execute();
  if (wanted.length) await tx.insertInto('storyteller_topics').values(wanted.map((topic_id) => ({ storyteller_id: storyteller.id, topic_id }))).execute();
  await recordAudit(tx, { actor: viewer, action: 'storyteller.topics', subjectType: 'storyteller', subjectId: storyteller.publicId, before: { topics: storyteller.topicIds }, after: { topics: wanted } });
}
