import { recordAudit } from '../../platform/index.ts';
import { isUsable } from '../states.ts';
import { storiesKeyRing } from '../story-keys.ts';
import { hashToken, tokenShape } from '../story-tokens.ts';
import type { AppContext, Q } from '../tables.ts';
import type { StoryRow } from '../consent-steps.ts';
import { sealPublication, type PublicationRow } from './published-version.ts';
import { APPROVABLE_STATES } from './states.ts';

/** The publication (and its story) an approval link's token belongs to. */
export async function publicationByToken(q: Q, token: string, lock = false): Promise<{ publication: PublicationRow; story: StoryRow } | undefined> {
  if (!tokenShape.test(token)) return undefined;
  let query = q.selectFrom('story_publications').selectAll().where('approval_token_hash', '=', hashToken(token));
  if (lock) query = query.forUpdate();
  const publication = await query.executeTakeFirst();
  if (!publication) return undefined;
  const story = await q.selectFrom('stories').selectAll().where('id', '=', publication.story_id).executeTakeFirstOrThrow();
  return { publication, story };
}

export type ApprovalOutcome = { kind: 'approved' | 'changes-asked' } | { kind: 'not-found' } | { kind: 'not-usable' } | { kind: 'already'; state: PublicationRow['state'] };

/**
 * The teller approves the published version from their email's link: only then does it go live
 * (and only while their consent lasts, for publication on the hub, named as they chose).
 */
export async function approvePublishedVersion(ctx: AppContext, token: string, now = new Date()): Promise<ApprovalOutcome> {
  return ctx.db.transaction().execute(async (tx) => {
    const found = await publicationByToken(tx, token, true);
    if (!found) return { kind: 'not-found' };
    const { publication, story } = found;
    if (!isUsable(story, now)) return { kind: 'not-usable' };
    if (!APPROVABLE_STATES.includes(publication.state)) return { kind: 'already', state: publication.state };
    await tx
      .updateTable('story_publications')
      .set({ state: 'approved', approved_at: now, first_published_at: publication.first_published_at ?? now })
      .where('id', '=', publication.id)
      .execute();
    await recordAudit(tx, { actor: 'storyteller', action: 'story.published.approve', subjectType: 'story', subjectId: story.id });
    return { kind: 'approved' };
  });
}

/** The teller asks for changes instead: the version goes back to the moderators with their words (sealed). */
export async function askForChanges(ctx: AppContext, token: string, changes: string, now = new Date()): Promise<ApprovalOutcome> {
  const ring = storiesKeyRing(ctx.config);
  return ctx.db.transaction().execute(async (tx) => {
    const found = await publicationByToken(tx, token, true);
    if (!found) return { kind: 'not-found' };
    const { publication, story } = found;
    if (!APPROVABLE_STATES.includes(publication.state)) return { kind: 'already', state: publication.state };
    await tx
      .updateTable('story_publications')
      .set({ state: 'changes_requested', changes_requested_at: now, changes_wanted_sealed: sealPublication(ring, 'changes_wanted_sealed', changes) })
      .where('id', '=', publication.id)
      .execute();
    await recordAudit(tx, { actor: 'storyteller', action: 'story.published.changes', subjectType: 'story', subjectId: story.id });
    return { kind: 'changes-asked' };
  });
}
