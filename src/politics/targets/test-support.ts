import { sql } from 'kysely';
import type { TestApp } from '../../../test/support/app.ts';
import { addConfirmedSignatures, createPetition, places } from '../../../test/support/public-petitions.ts';
import { makeEvent } from '../../events/test-support.ts';
import { countNewSignatures } from '../../petitions/count-signatures.ts';
import { purposeOf, sealFor } from '../../stories/sealed-columns.ts';
import { storiesKeyRing } from '../../stories/story-keys.ts';
import { SEALED } from '../../stories/storytellers/storytellers.ts';
import { STAGES } from '../../stories/storytellers/stages.ts';
import type { StorytellerStage } from '../../stories/storytellers/tables.ts';
import { newToken } from '../../stories/story-tokens.ts';

type App = Pick<TestApp, 'ctx'>;
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
let serial = 0;

/** 2024 results for the three test seats: Northtown 1%, Southvale 3%, Westbury 20%. */
export async function seedResults(t: App) {
  for (const [p, majority, first, second] of [[places.north, 400, 'Lab', 'Con'], [places.south, 1200, 'Con', 'LD'], [places.west, 8000, 'Lab', 'RUK']] as const) {
    await t.ctx.db.updateTable('constituencies').set({ majority, valid_votes: 40000, first_party: first, second_party: second, result: `${first} hold` }).where('code', '=', p.code).execute();
  }
}

/** Counted signatures in a seat, validated `ageDays` ago. */
export async function signaturesIn(t: App, place: { code: string; region: string }, count: number, ageDays = 0) {
  const petition = await createPetition(t.ctx.db, { action: `Petition ${++serial} for the map` });
  await addConfirmedSignatures(t.ctx.db, petition.id, [{ constituency: place, count }]);
  if (ageDays > 0) await t.ctx.db.updateTable('signatures').set({ validated_at: daysAgo(ageDays) }).where('petition_id', '=', petition.id).execute();
  await countNewSignatures(t.ctx.db);
}

export async function supportersIn(t: App, code: string, count: number, ageDays = 0) {
  for (let i = 0; i < count; i++) await t.ctx.db.insertInto('people').values({ email: `map.person.${++serial}@example.org`, constituency_code: code, created_at: daysAgo(ageDays) }).execute();
}

/** The private words every story fixture holds, sealed: no page may ever show them. */
export const SECRET_NAME = 'Marigold Secretname';
export const SECRET_EMAIL = 'marigold.secret@example.org';

/**
 * A story in a seat: 'ready' (consented, nothing published), 'published' (approved version, agreed
 * to the hub), 'flagged' (a safeguarding flag stands) or 'withdrawn'.
 */
export async function storyIn(t: App, place: { code: string; region: string }, kind: 'ready' | 'published' | 'flagged' | 'withdrawn', ageDays = 0) {
  const ring = storiesKeyRing(t.ctx.config);
  const at = daysAgo(ageDays);
  const { id } = await t.ctx.db
    .insertInto('stories')
    .values({
      state: kind === 'withdrawn' ? 'withdrawn' : 'consented',
      method: 'web',
      story_sealed: sealFor(ring, 'story_sealed', 'A long wait in A&E.'),
      service_sealed: sealFor(ring, 'service_sealed', 'A&E'),
      happened_when: 'last_year',
      postcode_sealed: sealFor(ring, 'postcode_sealed', 'SO1 1AA'),
      constituency_code: place.code,
      region_code: place.region,
      name_sealed: sealFor(ring, 'name_sealed', SECRET_NAME),
      email_sealed: sealFor(ring, 'email_sealed', SECRET_EMAIL),
      media_links_sealed: sealFor(ring, 'media_links_sealed', '[]'),
      identify_as: 'first_name',
      speak_to_press: true,
      speak_to_politicians: true,
      under_18: false,
      confirm_token_hash: newToken().hash,
      manage_token_hash: newToken().hash,
      created_at: at,
      confirmed_at: at,
      consented_at: at,
      consent_expires_at: new Date(Date.now() + 200 * DAY),
      withdrawn_at: kind === 'withdrawn' ? at : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.ctx.db
    .insertInto('story_consents')
    .values({ story_id: id, kind: 'use', use: 'publish_hub', given: true, wording: 'Publish on the hub', wording_version: 'test', controllers: JSON.stringify(['The coalition']), method: 'web' })
    .execute();
  if (kind === 'published') {
    const sealed = (column: string, plain: string) => ring.sealText(plain, purposeOf('story_publications', column));
    await t.ctx.db
      .insertInto('story_publications')
      .values({ story_id: id, state: 'approved', title_sealed: sealed('title_sealed', 'A long wait'), text_sealed: sealed('text_sealed', 'A long wait in A&E.'), service: 'ae', topic: 'waiting', approved_at: at, first_published_at: at })
      .execute();
  }
  if (kind === 'flagged') await t.ctx.db.insertInto('story_publications').values({ story_id: id, state: 'drafting', safeguarding_flagged_at: at, safeguarding_reason: 'at_risk' }).execute();
  return id;
}

/** A storyteller in a seat and group, at a stage (made ready `ageDays` ago); their public id. */
export async function storytellerIn(t: App, place: { code: string; region: string }, group: number, stage: StorytellerStage, options: { ageDays?: number; topic?: string } = {}) {
  const ring = storiesKeyRing(t.ctx.config);
  const readyAt = stage === 'ready' || stage === 'spoke' ? daysAgo(options.ageDays ?? 0) : null;
  const before = daysAgo((options.ageDays ?? 0) + 1);
  const past = (from: StorytellerStage) => (STAGES.indexOf(stage) >= STAGES.indexOf(from) ? before : null);
  const row = await t.ctx.db
    .insertInto('storytellers')
    .values({ name_sealed: ring.sealText(SECRET_NAME, SEALED.name), email_sealed: ring.sealText(SECRET_EMAIL, SEALED.email), constituency_code: place.code, region_code: place.region, stage, consented_at: past('consented'), trained_at: past('trained'), ready_at: readyAt, spoke_at: stage === 'spoke' ? readyAt : null })
    .returning(['id', 'public_id'])
    .executeTakeFirstOrThrow();
  await t.ctx.db.insertInto('storyteller_groups').values({ storyteller_id: row.id, group_id: group }).execute();
  if (options.topic) {
    const topic = await sql<{ id: number }>`insert into speaking_topics (name) values (${options.topic}) on conflict do nothing returning id`.execute(t.ctx.db);
    const topicId = topic.rows[0]?.id ?? (await t.ctx.db.selectFrom('speaking_topics').select('id').where('name', '=', options.topic).executeTakeFirstOrThrow()).id;
    await t.ctx.db.insertInto('storyteller_topics').values({ storyteller_id: row.id, topic_id: topicId }).execute();
  }
  return row.public_id;
}

/** A published hustings with the seat's MP, at a venue in the seat. */
export async function hustingsIn(t: TestApp, place: { postcode: string; name: string }, group: number) {
  return makeEvent(t, [group], { title: `Hustings: ${place.name}`, postcode: place.postcode, type: 'hustings', politician: 'mp' });
}
