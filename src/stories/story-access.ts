import { sql } from 'kysely';
import { groupIdsFor } from '../coalition/index.ts';
import { DomainError, recordAudit, type Viewer } from '../platform/index.ts';
import type { Q, Db } from './tables.ts';
import { isSafeguardingLead } from './moderation/safeguarding-lead.ts';
import { safeguardingActive } from './moderation/states.ts';

/** A story under a safeguarding flag is hidden from everyone but the lead (see moderation/). */
const flagged = sql<boolean>`exists (select 1 from story_publications where story_publications.story_id = stories.id and ${safeguardingActive()})`;

/**
 * Who may see a story: coalition admins and moderators, and organisers of a group the teller chose.
 * Anyone else is refused, and the refusal is in the audit log.
 */
export async function storyGroupScope(q: Q, viewer: Viewer): Promise<number[] | 'all'> {
  if (viewer.role === 'admin' || viewer.role === 'moderator') return 'all';
  return groupIdsFor(q, viewer);
}

export async function storyForViewer(db: Db, viewer: Viewer, storyId: number) {
  const story = await db.selectFrom('stories').selectAll().where('id', '=', storyId).executeTakeFirst();
  if (!story) throw new DomainError('not_found', 'We could not find that story.');
  if (await db.selectFrom('stories').select('id').where('id', '=', storyId).where(flagged).executeTakeFirst()) {
    // The lead sees every flagged story, whichever groups it was told to; nobody else sees it.
    if (isSafeguardingLead(viewer)) return story;
    await recordAudit(db, { actor: viewer, action: 'story.view.safeguarding', subjectType: 'story', subjectId: storyId });
    throw new DomainError('forbidden', 'This story is with the coalition’s safeguarding lead.');
  }
  const scope = await storyGroupScope(db, viewer);
  if (scope !== 'all') {
    const shared = await db.selectFrom('story_groups').select('group_id').where('story_id', '=', storyId).where('group_id', 'in', scope.length ? scope : [-1]).executeTakeFirst();
    if (!shared) {
      await recordAudit(db, { actor: viewer, action: 'story.view.refused', subjectType: 'story', subjectId: storyId });
      throw new DomainError('forbidden', 'This story was not told to any of your groups.');
    }
  }
  return story;
}

/** The stories a viewer may see, newest first (a page of them). */
export async function storiesForViewer(db: Db, viewer: Viewer, page: number, perPage: number) {
  const scope = await storyGroupScope(db, viewer);
  let query = db.selectFrom('stories').select(['id', 'state', 'method', 'constituency_code', 'created_at', 'consent_expires_at', 'under_18']);
  if (!isSafeguardingLead(viewer)) query = query.where(sql<boolean>`not ${flagged}`);
  if (scope !== 'all') query = query.where(sql<boolean>`exists (select 1 from story_groups g where g.story_id = stories.id and g.group_id = any(${scope.length ? scope : [-1]}::int[]))`);
  return query.orderBy('id', 'desc').limit(perPage).offset((page - 1) * perPage).execute();
}
