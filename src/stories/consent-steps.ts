import { recordAudit } from '../platform/index.ts';
import { openFor } from './sealed-columns.ts';
import { queueWithdrawnEmail } from './story-emails.ts';
import { CONSENT_VERSION, guardianWording, renewalWording } from './story-form.ts';
import { storiesKeyRing } from './story-keys.ts';
import { hashToken, tokenShape } from './story-tokens.ts';
import { RENEWABLE_STATES, WITHDRAWABLE_STATES, consentExpiry } from './states.ts';
import { countStoryTold, controllersOf } from './tell-story.ts';
import type { AppContext, Q, StoriesTable, Tx } from './tables.ts';
import type { Selectable } from 'kysely';
import { groupNamesOf } from '../coalition/index.ts';

export type StoryRow = Selectable<StoriesTable>;
type TokenColumn = 'confirm_token_hash' | 'manage_token_hash' | 'guardian_token_hash';

/** The story a link's token belongs to (locked for update inside a transaction), or undefined. */
export async function storyByToken(q: Q, column: TokenColumn, token: string, lock = false): Promise<StoryRow | undefined> {
  if (!tokenShape.test(token)) return undefined;
  const hash = hashToken(token);
  let query =
    column === 'manage_token_hash'
      ? q.selectFrom('stories').selectAll().where((w) => w.or([w('manage_token_hash', '=', hash), w('reminder_token_hash', '=', hash)]))
      : q.selectFrom('stories').selectAll().where(column, '=', hash);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The coalition and the story's groups, as its consents name them. */
export async function controllersOfStory(ctx: AppContext, q: Q, storyId: number): Promise<string[]> {
  const groupIds = (await q.selectFrom('story_groups').select('group_id').where('story_id', '=', storyId).execute()).map((r) => r.group_id);
  const names = await groupNamesOf(q, groupIds);
  return controllersOf(ctx.brand.current().name, groupIds.map((id) => ({ name: names.get(id) ?? '' })).filter((g) => g.name !== ''));
}

/** Marks the story consented when every consent it needs is in; counts it once in the tallies. */
async function consentIfComplete(tx: Tx, story: StoryRow, now: Date): Promise<StoryRow['state']> {
  const confirmed = story.confirmed_at !== null;
  const guardianOk = !story.under_18 || story.guardian_confirmed_at !== null;
  const state = !confirmed ? 'awaiting_confirmation' : !guardianOk ? 'awaiting_guardian' : 'consented';
  await tx
    .updateTable('stories')
    .set(state === 'consented' ? { state, consented_at: now, consent_expires_at: consentExpiry(now) } : { state })
    .where('id', '=', story.id)
    .execute();
  if (state === 'consented') await countStoryTold(tx, story.constituency_code, now);
  return state;
}

export type StepOutcome = { kind: 'done'; state: StoryRow['state']; story: StoryRow } | { kind: 'not-found' } | { kind: 'withdrawn' };

/** The teller's double opt-in: their confirmation, from the link in the email. Safe to repeat. */
export async function confirmStory(ctx: AppContext, token: string, now = new Date()): Promise<StepOutcome> {
  return ctx.db.transaction().execute(async (tx) => {
    const story = await storyByToken(tx, 'confirm_token_hash', token, true);
    if (!story) return { kind: 'not-found' };
    if (story.state === 'withdrawn') return { kind: 'withdrawn' };
    if (story.confirmed_at) return { kind: 'done', state: story.state, story };
    const confirmed = { ...story, confirmed_at: now };
    await tx.updateTable('stories').set({ confirmed_at: now }).where('id', '=', story.id).execute();
    return { kind: 'done', state: await consentIfComplete(tx, confirmed, now), story: confirmed };
  });
}

/** A parent or guardian's consent, recorded in the exact words shown to them. */
export async function giveGuardianConsent(ctx: AppContext, token: string, now = new Date()): Promise<StepOutcome> {
  const ring = storiesKeyRing(ctx.config);
  return ctx.db.transaction().execute(async (tx) => {
    const story = await storyByToken(tx, 'guardian_token_hash', token, true);
    if (!story) return { kind: 'not-found' };
    if (story.state === 'withdrawn') return { kind: 'withdrawn' };
    if (story.guardian_confirmed_at) return { kind: 'done', state: story.state, story };
    const controllers = await controllersOfStory(ctx, tx, story.id);
    const youngPerson = openFor(ring, 'name_sealed', story.name_sealed).split(' ')[0]!;
    await tx
      .insertInto('story_consents')
      .values({ story_id: story.id, kind: 'guardian', use: null, given: true, wording: guardianWording(youngPerson, controllers), wording_version: CONSENT_VERSION, controllers: JSON.stringify(controllers), method: 'web' })
      .execute();
    const agreed = { ...story, guardian_confirmed_at: now };
    await tx.updateTable('stories').set({ guardian_confirmed_at: now }).where('id', '=', story.id).execute();
    return { kind: 'done', state: await consentIfComplete(tx, agreed, now), story: agreed };
  });
}

/**
 * Withdrawal: at once, from any story email's link or the teller's page; the story stops being
 * used in the same transaction. Safe to repeat (a second click finds it already withdrawn).
 */
export async function withdrawStory(ctx: AppContext, token: string, now = new Date()): Promise<StepOutcome> {
  const ring = storiesKeyRing(ctx.config);
  return ctx.db.transaction().execute(async (tx) => {
    const story = await storyByToken(tx, 'manage_token_hash', token, true);
    if (!story) return { kind: 'not-found' };
    if (!WITHDRAWABLE_STATES.includes(story.state)) return { kind: 'withdrawn' };
    await tx.updateTable('stories').set({ state: 'withdrawn', withdrawn_at: now }).where('id', '=', story.id).execute();
    await recordAudit(tx, { actor: 'storyteller', action: 'story.withdraw', subjectType: 'story', subjectId: story.id });
    await queueWithdrawnEmail(tx, { to: openFor(ring, 'email_sealed', story.email_sealed), name: openFor(ring, 'name_sealed', story.name_sealed), brand: ctx.brand.current(), baseUrl: ctx.config.BASE_URL });
    return { kind: 'done', state: 'withdrawn', story: { ...story, state: 'withdrawn', withdrawn_at: now } };
  });
}

/** Renewal for another 12 months (from the reminder's link), recorded in the words shown. */
export async function renewStory(ctx: AppContext, token: string, now = new Date()): Promise<StepOutcome | { kind: 'not-renewable'; story: StoryRow }> {
  return ctx.db.transaction().execute(async (tx) => {
    const story = await storyByToken(tx, 'manage_token_hash', token, true);
    if (!story) return { kind: 'not-found' };
    if (story.state === 'withdrawn') return { kind: 'withdrawn' };
    if (!RENEWABLE_STATES.includes(story.state)) return { kind: 'not-renewable', story };
    const controllers = await controllersOfStory(ctx, tx, story.id);
    await tx
      .insertInto('story_consents')
      .values({ story_id: story.id, kind: 'renewal', use: null, given: true, wording: renewalWording(controllers), wording_version: CONSENT_VERSION, controllers: JSON.stringify(controllers), method: 'web' })
      .execute();
    const expires = consentExpiry(now);
    await tx.updateTable('stories').set({ state: 'consented', renewed_at: now, consent_expires_at: expires, reminder_sent_at: null, lapsed_at: null }).where('id', '=', story.id).execute();
    return { kind: 'done', state: 'consented', story: { ...story, state: 'consented', renewed_at: now, consent_expires_at: expires } };
  });
}
