import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { pageCount, pageFrom, parseForm, parseParams, recordAudit, requireRole, viewerOf } from '../../platform/index.ts';
import { openFor } from '../sealed-columns.ts';
import { isUsable } from '../states.ts';
import { storyForViewer, storyGroupScope } from '../story-access.ts';
import { storiesKeyRing } from '../story-keys.ts';
import type { AppContext } from '../tables.ts';
import { approvePublishedVersion, askForChanges, publicationByToken } from './approve-published-version.ts';
import { clearSafeguardingFlag, flagForSafeguarding, holdStory, releaseStory, savePublishedVersion, sendForApproval } from './moderate-story.ts';
import { IDENTIFY_WORDS, agreedToPublish, exactDateIn, openPublication, openedPublication, publicationOf } from './published-version.ts';
import { isSafeguardingLead, useSafeguardingLead } from './safeguarding-lead.ts';
import { holdActive, safeguardingActive } from './states.ts';
import { ApprovalPage, ModeratePage, QueuePage, type QueueRow } from './views.tsx';
import { LinkGonePage } from '../public/views.tsx';

const idParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const tokenParams = z.object({ token: z.string().max(200) });
const text = (field: string, max: number) => z.string({ message: `Enter the ${field}` }).trim().min(1, { message: `Enter the ${field}` }).max(max, { message: `The ${field} must be ${max} characters or fewer` });

export const versionForm = z.object({
  title: text('title', 120),
  text: text('published text', 8000).refine((t) => exactDateIn(t) === null, { message: 'Take out the exact date: write “last spring” or “in March” instead' }),
  redactions: z
    .string({ message: 'Words to take out must be text' })
    .max(2000, { message: 'Words to take out must be 2000 characters or fewer' })
    .optional()
    .transform((v) => (v ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0)),
  service: z.enum(['ae', 'ambulance', 'gp', 'hospital', 'maternity', 'mental_health', 'cancer', 'community', 'dental', 'social_care', 'other'], { message: 'Choose a service' }),
  topic: z.enum(['waiting', 'staffing', 'closure', 'access', 'good_care', 'funding', 'other'], { message: 'Choose a topic' }),
});
export const flagForm = z.object({ reason: z.enum(['at_risk', 'child', 'abuse'], { message: 'Choose what the worry is' }), note: text('worry', 2000) });
const clearForm = z.object({ note: text('note of what you did', 2000) });
const holdForm = z.object({ hold_reason: z.enum(['complaint', 'legal'], { message: 'Choose why it is held' }) });
const changesForm = z.object({ changes: text('changes you would like', 2000) });

const PER_PAGE = 50;
const nocache = { 'cache-control': 'private, no-store' };

/** /admin/stories/moderation (the queue), each story's moderation page and its actions; the teller's approval link. */
export function registerModerationRoutes(app: FastifyInstance, ctx: AppContext) {
  useSafeguardingLead(ctx.config);
  const readers = { preHandler: requireRole('admin', 'moderator', 'organiser') };
  const ring = () => storiesKeyRing(ctx.config);

  app.get('/admin/stories/moderation', readers, async (request, reply) => {
    const viewer = viewerOf(request);
    const page = pageFrom(request.query);
    const scope = await storyGroupScope(ctx.db, viewer);
    const lead = isSafeguardingLead(viewer);
    const base = (scoped = true) => {
      let q = ctx.db.selectFrom('stories').leftJoin('story_publications', 'story_publications.story_id', 'stories.id');
      if (scoped && scope !== 'all') q = q.where(sql<boolean>`exists (select 1 from story_groups g where g.story_id = stories.id and g.group_id = any(${scope.length ? scope : [-1]}::int[]))`);
      return q;
    };
    const columns = ['stories.id', 'stories.state', 'stories.created_at', 'story_publications.state as moderation', sql<boolean>`coalesce(${holdActive()}, false)`.as('held'), sql<boolean>`coalesce(${safeguardingActive()}, false)`.as('flagged')] as const;
    const notFlagged = sql<boolean>`not coalesce(${safeguardingActive()}, false)`;
    const [rows, total, flagged] = await Promise.all([
      base().select(columns).where(notFlagged).orderBy('stories.id', 'desc').limit(PER_PAGE).offset((page - 1) * PER_PAGE).execute(),
      base().select(sql<string>`count(*)`.as('n')).where(notFlagged).executeTakeFirstOrThrow(),
      // The lead sees every flagged story, whichever groups it was told to.
      lead ? base(false).select(columns).where(safeguardingActive()).orderBy('stories.id').execute() : Promise.resolve([]),
    ]);
    await recordAudit(ctx.db, { actor: viewer, action: 'story.queue.view', subjectType: 'story', subjectId: null, after: { page } });
    return reply.headers(nocache).render(<QueuePage rows={rows as QueueRow[]} flagged={flagged as QueueRow[]} page={page} totalPages={pageCount(Number(total.n), PER_PAGE)} isLead={lead} />);
  });

  const storyOf = async (request: FastifyRequest) => storyForViewer(ctx.db, viewerOf(request), parseParams(idParams, request.params, 'story').id);

  const renderModerate = async (request: FastifyRequest, reply: FastifyReply, story: Awaited<ReturnType<typeof storyOf>>, form?: { errors: Record<string, string>; values: Record<string, string> }) => {
    const keys = ring();
    const publication = await publicationOf(ctx.db, story.id);
    const original = openFor(keys, 'story_sealed', story.story_sealed);
    const opened = publication ? openedPublication(keys, story, publication) : openedPublication(keys, story, { title_sealed: null, text_sealed: null, redactions_sealed: null });
    const draft = publication?.text_sealed
      ? { title: opened.title, text: opened.text, redactions: opened.redactions.join('\n'), service: publication.service ?? '', topic: publication.topic ?? '' }
      : { title: '', text: original, redactions: '', service: '', topic: '' };
    return reply.headers(nocache).render(
      <ModeratePage
        storyId={story.id}
        original={original}
        storyState={story.state}
        usable={isUsable(story)}
        agreedToPublish={await agreedToPublish(ctx.db, story.id)}
        identifyAs={story.identify_as}
        byline={opened.byline}
        publication={publication}
        draft={draft}
        changesWanted={openPublication(keys, 'changes_wanted_sealed', publication?.changes_wanted_sealed ?? null)}
        safeguardingNote={isSafeguardingLead(viewerOf(request)) ? openPublication(keys, 'safeguarding_note_sealed', publication?.safeguarding_note_sealed ?? null) : null}
        isLead={isSafeguardingLead(viewerOf(request))}
        errors={form?.errors}
        values={form?.values}
      />,
      form ? 422 : 200,
    );
  };

  app.get('/admin/stories/:id/moderate', readers, async (request, reply) => {
    const story = await storyOf(request);
    await recordAudit(ctx.db, { actor: viewerOf(request), action: 'story.moderate.view', subjectType: 'story', subjectId: story.id });
    return renderModerate(request, reply, story);
  });

  app.post('/admin/stories/:id/moderate', readers, async (request, reply) => {
    const story = await storyOf(request);
    const form = parseForm(versionForm, request.body);
    if (!form.ok) return renderModerate(request, reply, story, form);
    await savePublishedVersion(ctx, viewerOf(request), story.id, form.value);
    return reply.redirect(`/admin/stories/${story.id}/moderate`, 303);
  });

  app.post('/admin/stories/:id/moderate/send', readers, async (request, reply) => {
    const story = await storyOf(request);
    await sendForApproval(ctx, viewerOf(request), story.id);
    return reply.redirect(`/admin/stories/${story.id}/moderate`, 303);
  });

  app.post('/admin/stories/:id/safeguarding', readers, async (request, reply) => {
    const story = await storyOf(request);
    const form = parseForm(flagForm, request.body);
    if (!form.ok) return renderModerate(request, reply, story, form);
    await flagForSafeguarding(ctx, viewerOf(request), story.id, form.value);
    return reply.redirect(isSafeguardingLead(viewerOf(request)) ? `/admin/stories/${story.id}/moderate` : '/admin/stories/moderation', 303);
  });

  app.post('/admin/stories/:id/safeguarding/clear', readers, async (request, reply) => {
    const story = await storyOf(request);
    const form = parseForm(clearForm, request.body);
    if (!form.ok) return renderModerate(request, reply, story, form);
    await clearSafeguardingFlag(ctx, viewerOf(request), story.id, form.value);
    return reply.redirect(`/admin/stories/${story.id}/moderate`, 303);
  });

  app.post('/admin/stories/:id/hold', readers, async (request, reply) => {
    const story = await storyOf(request);
    const form = parseForm(holdForm, request.body);
    if (!form.ok) return renderModerate(request, reply, story, form);
    await holdStory(ctx, viewerOf(request), story.id, form.value.hold_reason);
    return reply.redirect(`/admin/stories/${story.id}/moderate`, 303);
  });

  app.post('/admin/stories/:id/release', readers, async (request, reply) => {
    const story = await storyOf(request);
    await releaseStory(ctx, viewerOf(request), story.id);
    return reply.redirect(`/admin/stories/${story.id}/moderate`, 303);
  });

  // The teller's link from the approval email.
  const privately = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
  const tokenOf = (request: FastifyRequest) => parseParams(tokenParams, request.params, 'link').token;
  const origin = { config: { csrf: 'origin' as const } };

  const renderApproval = async (request: FastifyRequest, reply: FastifyReply, form?: { errors: Record<string, string>; values: Record<string, string> }) => {
    const found = await publicationByToken(ctx.db, tokenOf(request));
    if (!found || found.story.state === 'withdrawn') return privately(reply).render(<LinkGonePage />, 404);
    const opened = openedPublication(ring(), found.story, found.publication);
    return privately(reply).render(
      <ApprovalPage action={`/stories/approve/${tokenOf(request)}`} title={opened.title} text={opened.text} byline={opened.byline} identifiedAs={IDENTIFY_WORDS[found.story.identify_as]} state={found.publication.state} usable={isUsable(found.story)} errors={form?.errors} values={form?.values} />,
      form ? 422 : 200,
    );
  };
  app.get('/stories/approve/:token', async (request, reply) => renderApproval(request, reply));
  app.post('/stories/approve/:token', origin, async (request, reply) => {
    const outcome = await approvePublishedVersion(ctx, tokenOf(request));
    if (outcome.kind === 'not-found') return privately(reply).render(<LinkGonePage />, 404);
    return renderApproval(request, reply);
  });
  app.post('/stories/approve/:token/changes', origin, async (request, reply) => {
    const form = parseForm(changesForm, request.body);
    if (!form.ok) return renderApproval(request, reply, form);
    const outcome = await askForChanges(ctx, tokenOf(request), form.value.changes);
    if (outcome.kind === 'not-found') return privately(reply).render(<LinkGonePage />, 404);
    return renderApproval(request, reply);
  });
}
