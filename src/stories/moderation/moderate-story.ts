import { DomainError, invalidField, recordAudit, type Viewer } from '../../platform/index.ts';
import { openFor } from '../sealed-columns.ts';
import { isUsable } from '../states.ts';
import { storiesKeyRing } from '../story-keys.ts';
import { newToken } from '../story-tokens.ts';
import type { AppContext } from '../tables.ts';
import { queueApprovalEmail, queueSafeguardingEmail } from './emails.ts';
import { agreedToPublish, applyRedactions, ensurePublication, sealPublication } from './published-version.ts';
import { isSafeguardingLead, safeguardingLeadEmail } from './safeguarding-lead.ts';
import { HOLD_REASONS, SAFEGUARDING_REASONS, SENDABLE_STATES, labelOf } from './states.ts';
import type { HoldReason, PublishedService, PublishedTopic, SafeguardingReason } from './tables.ts';

export interface PublishedVersionInput {
  title: string;
  text: string;
  /** Words and phrases to take out, each replaced by "[removed]" wherever it appears. */
  redactions: string[];
  service: PublishedService;
  topic: PublishedTopic;
}

/**
 * A moderator writes (or rewrites) the published version, apart from the original. Any change
 * needs the teller's approval again, so a version that was live stops being shown until they approve.
 */
export async function savePublishedVersion(ctx: AppContext, viewer: Viewer, storyId: number, input: PublishedVersionInput, now = new Date()) {
  const ring = storiesKeyRing(ctx.config);
  const text = applyRedactions(input.text, input.redactions);
  const title = applyRedactions(input.title, input.redactions);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await ensurePublication(tx, storyId);
    await tx
      .updateTable('story_publications')
      .set({
        state: 'drafting',
        title_sealed: sealPublication(ring, 'title_sealed', title),
        text_sealed: sealPublication(ring, 'text_sealed', text),
        redactions_sealed: sealPublication(ring, 'redactions_sealed', JSON.stringify(input.redactions)),
        service: input.service,
        topic: input.topic,
        approval_token_hash: null,
        drafted_by: viewer.id,
        drafted_by_name: viewer.name,
        drafted_at: now,
        approved_at: null,
      })
      .where('id', '=', before.id)
      .execute();
    await recordAudit(tx, { actor: viewer, action: 'story.published.draft', subjectType: 'story', subjectId: storyId, before: { state: before.state }, after: { state: 'drafting', redactions: input.redactions.length, service: input.service, topic: input.topic } });
    return { title, text };
  });
}

/** Sends the written version to the teller to approve or ask for changes; only for a story they agreed to publish. */
export async function sendForApproval(ctx: AppContext, viewer: Viewer, storyId: number, now = new Date()): Promise<void> {
  const ring = storiesKeyRing(ctx.config);
  await ctx.db.transaction().execute(async (tx) => {
    const story = await tx.selectFrom('stories').selectAll().where('id', '=', storyId).forUpdate().executeTakeFirstOrThrow();
    const publication = await ensurePublication(tx, storyId);
    if (publication.text_sealed === null) throw invalidField('text', 'Write the published version first');
    if (!SENDABLE_STATES.includes(publication.state)) throw new DomainError('conflict', 'The storyteller has already approved this version.');
    if (!isUsable(story, now)) throw new DomainError('conflict', 'This story’s consent has ended (withdrawn, lapsed or not yet confirmed): it cannot be published.');
    if (!(await agreedToPublish(tx, storyId))) throw new DomainError('conflict', 'The storyteller did not agree to publication on the hub.');
    const token = newToken();
    await tx.updateTable('story_publications').set({ state: 'awaiting_approval', sent_for_approval_at: now, approval_token_hash: token.hash }).where('id', '=', publication.id).execute();
    await queueApprovalEmail(tx, { to: openFor(ring, 'email_sealed', story.email_sealed), name: openFor(ring, 'name_sealed', story.name_sealed), token: token.token, brand: ctx.brand.current(), baseUrl: ctx.config.BASE_URL });
    await recordAudit(tx, { actor: viewer, action: 'story.published.send', subjectType: 'story', subjectId: storyId, before: { state: publication.state }, after: { state: 'awaiting_approval' } });
  });
}

/**
 * A safeguarding flag: someone may be at risk, a child, abuse disclosed. The story is hidden from
 * everyone but the named safeguarding lead (the queue, its page, exports, the public) and the lead is emailed.
 */
export async function flagForSafeguarding(ctx: AppContext, viewer: Viewer, storyId: number, input: { reason: SafeguardingReason; note: string }, now = new Date()): Promise<void> {
  const ring = storiesKeyRing(ctx.config);
  await ctx.db.transaction().execute(async (tx) => {
    const publication = await ensurePublication(tx, storyId);
    await tx
      .updateTable('story_publications')
      .set({ safeguarding_flagged_at: now, safeguarding_reason: input.reason, safeguarding_flagged_by: viewer.id, safeguarding_note_sealed: sealPublication(ring, 'safeguarding_note_sealed', `${viewer.name}: ${input.note}`), safeguarding_cleared_at: null })
      .where('id', '=', publication.id)
      .execute();
    const lead = safeguardingLeadEmail();
    if (lead) await queueSafeguardingEmail(tx, { to: lead, storyId, reason: labelOf(SAFEGUARDING_REASONS, input.reason).toLowerCase(), flaggedBy: viewer.name, brand: ctx.brand.current(), baseUrl: ctx.config.BASE_URL });
    await recordAudit(tx, { actor: viewer, action: 'story.safeguarding.flag', subjectType: 'story', subjectId: storyId, after: { reason: input.reason, leadEmailed: lead !== undefined } });
  });
}

/** The lead has acted: what they did is recorded (sealed), and the story is back in the queue. */
export async function clearSafeguardingFlag(ctx: AppContext, viewer: Viewer, storyId: number, input: { note: string }, now = new Date()): Promise<void> {
  if (!isSafeguardingLead(viewer)) throw new DomainError('forbidden', 'Only the coalition’s safeguarding lead may clear a safeguarding flag.');
  const ring = storiesKeyRing(ctx.config);
  await ctx.db.transaction().execute(async (tx) => {
    const publication = await ensurePublication(tx, storyId);
    if (publication.safeguarding_flagged_at === null || publication.safeguarding_cleared_at !== null) throw new DomainError('conflict', 'This story has no safeguarding flag to clear.');
    const earlier = ring.openOptional(publication.safeguarding_note_sealed, 'story_publications.safeguarding_note_sealed') ?? '';
    await tx
      .updateTable('story_publications')
      .set({ safeguarding_cleared_at: now, safeguarding_note_sealed: sealPublication(ring, 'safeguarding_note_sealed', `${earlier}\n${viewer.name} (safeguarding lead): ${input.note}`) })
      .where('id', '=', publication.id)
      .execute();
    await recordAudit(tx, { actor: viewer, action: 'story.safeguarding.clear', subjectType: 'story', subjectId: storyId });
  });
}

/** Tied to a live complaint or legal case: held, so it is not published, until released. */
export async function holdStory(ctx: AppContext, viewer: Viewer, storyId: number, reason: HoldReason, now = new Date()): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const publication = await ensurePublication(tx, storyId);
    await tx.updateTable('story_publications').set({ held_at: now, held_reason: reason, released_at: null }).where('id', '=', publication.id).execute();
    await recordAudit(tx, { actor: viewer, action: 'story.hold', subjectType: 'story', subjectId: storyId, after: { reason: labelOf(HOLD_REASONS, reason) } });
  });
}

export async function releaseStory(ctx: AppContext, viewer: Viewer, storyId: number, now = new Date()): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const publication = await ensurePublication(tx, storyId);
    if (publication.held_at === null || publication.released_at !== null) throw new DomainError('conflict', 'This story is not held.');
    await tx.updateTable('story_publications').set({ released_at: now }).where('id', '=', publication.id).execute();
    await recordAudit(tx, { actor: viewer, action: 'story.release', subjectType: 'story', subjectId: storyId });
  });
}
