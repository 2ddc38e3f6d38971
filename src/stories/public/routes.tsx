import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { findGroupBySlug, findGroupsByIds, listGroups, type Group } from '../../coalition/index.ts';
import { clientIp, formList, formValues, hitRateLimits, isRateLimited, notFound, parseParams, rateLimited } from '../../platform/index.ts';
import { confirmStory, controllersOfStory, giveGuardianConsent, renewStory, storyByToken, withdrawStory } from '../consent-steps.ts';
import { openFor } from '../sealed-columns.ts';
import { STORY_USES, nhsBodyNames, parseStoryForm } from '../story-form.ts';
import { storiesKeyRing, useStoriesConfig } from '../story-keys.ts';
import { STORY_FORM_MAX_BYTES, prepareStoryPhotos, storyUploadLimits } from '../story-photos.ts';
import { storyLinks } from '../story-tokens.ts';
import { registerPrivacyNoticeRoute } from './privacy-notice.tsx';
import { tellStory } from '../tell-story.ts';
import type { AppContext } from '../tables.ts';
import { CheckEmailPage, ChooseGroupsPage, ConfirmPage, ConfirmedPage, GuardianDonePage, GuardianPage, LinkGonePage, MyStoryPage, RenewPage, RenewedPage, TellStoryPage, WithdrawnPage } from './views.tsx';

/** Stories one client address may send an hour, across every form. */
export const STORIES_PER_ADDRESS = 10;

const slugParams = z.object({ slug: z.string().max(200) });
const tokenParams = z.object({ token: z.string().max(200) });

async function allowFraming(_request: FastifyRequest, reply: FastifyReply) {
  const csp = String(reply.getHeader('content-security-policy') ?? '');
  reply.header('content-security-policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
  reply.removeHeader('x-frame-options');
}

const idsFrom = (values: string[]) => [...new Set(values.filter((v) => /^\d{1,9}$/.test(v)).map(Number))].slice(0, 50);
const privately = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');

/** Telling a story (the coalition's form, each group's, the embeddable one) and the teller's links. */
export function registerStoryPublicRoutes(app: FastifyInstance, ctx: AppContext) {
  useStoriesConfig(ctx.config);
  registerPrivacyNoticeRoute(app);

  const groupOf = async (request: FastifyRequest): Promise<Group> => {
    const group = await findGroupBySlug(ctx.db, parseParams(slugParams, request.params, 'group').slug);
    if (!group) throw notFound('We could not find that group.');
    return group;
  };

  app.get('/stories/tell', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const all = await listGroups(ctx.db);
    if (query.to !== 'chosen' && all.length > 0) return privately(reply).render(<ChooseGroupsPage groups={all} />);
    const groups = await findGroupsByIds(ctx.db, idsFrom(formList(query, 'groups')));
    return privately(reply).render(<TellStoryPage nhsBodies={await nhsBodyNames(ctx.db)} action="/stories" groups={groups} />);
  });
  app.get('/groups/:slug/stories/tell', async (request, reply) => {
    const group = await groupOf(request);
    return privately(reply).render(<TellStoryPage nhsBodies={await nhsBodyNames(ctx.db)} action={`/groups/${group.slug}/stories`} groups={[group]} group={group} />);
  });
  app.get('/embed/stories/:slug', { onRequest: allowFraming }, async (request, reply) => {
    const group = await groupOf(request);
    return privately(reply).render(<TellStoryPage nhsBodies={await nhsBodyNames(ctx.db)} action={`/embed/stories/${group.slug}`} groups={[group]} group={group} embed />);
  });

  const receive = (embed: boolean, groupsOf: (request: FastifyRequest) => Promise<Group[]>) => async (request: FastifyRequest, reply: FastifyReply) => {
    const groups = await groupsOf(request);
    const action = request.url.split('?')[0]!;
    const form = await parseStoryForm(ctx.db, request.body);
    const photos = await prepareStoryPhotos(request.body);
    if (!form.ok || Object.keys(photos.errors).length > 0) {
      const errors = { ...(form.ok ? {} : form.errors), ...photos.errors };
      const values = form.ok ? formValues(request.body) : form.values;
      return privately(reply).render(<TellStoryPage nhsBodies={await nhsBodyNames(ctx.db)} action={action} groups={groups} values={values} errors={errors} photosSent={photos.sent} embed={embed} group={embed || action.startsWith('/groups/') ? groups[0] : undefined} />, 422);
    }
    const limit = await hitRateLimits(ctx.db, [tellLimit(request)]);
    if (!limit.allowed) throw rateLimited(TOO_MANY, limit.retryAfterSeconds);
    await tellStory(ctx, { input: form.input, groups, teller: { method: 'web' }, photos: photos.photos });
    return privately(reply).render(<CheckEmailPage embed={embed} recorded={false} />);
  };
  const origin = { config: { csrf: 'origin' as const } };
  // The story forms take photos from people who are not signed in: checked (origin, size, and an
  // address already over its limit) before the body is read.
  const tellLimit = (request: FastifyRequest) => ({ bucket: 'stories.tell', key: clientIp(request) ?? 'unknown', limit: STORIES_PER_ADDRESS, windowSeconds: 3600 });
  const TOO_MANY = 'Too many stories have come from your internet connection in the last hour. Please try again later.';
  const telling = {
    config: { csrf: 'origin' as const, publicUploads: { maxBytes: STORY_FORM_MAX_BYTES }, multipartOptions: storyUploadLimits },
    preParsing: async (request: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
      const over = await isRateLimited(ctx.db, tellLimit(request));
      if (over.limited) throw rateLimited(TOO_MANY, over.retryAfterSeconds);
      return payload;
    },
  };
  app.post('/stories', telling, receive(false, async (request) => findGroupsByIds(ctx.db, idsFrom(formList(request.body, 'groups')))));
  app.post('/groups/:slug/stories', telling, receive(false, async (request) => [await groupOf(request)]));
  app.post('/embed/stories/:slug', { ...telling, onRequest: allowFraming }, receive(true, async (request) => [await groupOf(request)]));

  const tokenOf = (request: FastifyRequest) => parseParams(tokenParams, request.params, 'link').token;
  const links = storyLinks(ctx.config.BASE_URL);

  app.get('/stories/confirm/:token', async (request, reply) => {
    const story = await storyByToken(ctx.db, 'confirm_token_hash', tokenOf(request));
    if (!story) return privately(reply).render(<LinkGonePage />, 404);
    return privately(reply).render(<ConfirmPage action={`/stories/confirm/${tokenOf(request)}`} />);
  });
  app.post('/stories/confirm/:token', origin, async (request, reply) => {
    const outcome = await confirmStory(ctx, tokenOf(request));
    if (outcome.kind === 'not-found') return privately(reply).render(<LinkGonePage />, 404);
    if (outcome.kind === 'withdrawn') return privately(reply).render(<WithdrawnPage />);
    return privately(reply).render(<ConfirmedPage state={outcome.state} />);
  });

  app.get('/stories/guardian/:token', async (request, reply) => {
    const story = await storyByToken(ctx.db, 'guardian_token_hash', tokenOf(request));
    if (!story || story.state === 'withdrawn') return privately(reply).render(<LinkGonePage />, 404);
    const ring = storiesKeyRing(ctx.config);
    const controllers = await controllersOfStory(ctx, ctx.db, story.id);
    const given = (await ctx.db.selectFrom('story_consents').select(['use']).where('story_id', '=', story.id).where('kind', '=', 'use').where('given', '=', true).execute()).map((r) => r.use!);
    const uses = STORY_USES.filter((u) => given.includes(u.use)).map((u) => u.action.replace(/^(\w)/, (c) => c.toUpperCase()).replace(/\bmy story\b/g, 'the story'));
    return privately(reply).render(
      <GuardianPage action={`/stories/guardian/${tokenOf(request)}`} youngPerson={openFor(ring, 'name_sealed', story.name_sealed).split(' ')[0]!} story={openFor(ring, 'story_sealed', story.story_sealed)} uses={uses} controllers={controllers} />,
    );
  });
  app.post('/stories/guardian/:token', origin, async (request, reply) => {
    const outcome = await giveGuardianConsent(ctx, tokenOf(request));
    if (outcome.kind !== 'done') return privately(reply).render(<LinkGonePage />, 404);
    return privately(reply).render(<GuardianDonePage state={outcome.state} />);
  });

  app.get('/stories/mine/:token', async (request, reply) => {
    const story = await storyByToken(ctx.db, 'manage_token_hash', tokenOf(request));
    if (!story) return privately(reply).render(<LinkGonePage />, 404);
    const ring = storiesKeyRing(ctx.config);
    const consents = await ctx.db.selectFrom('story_consents').select(['wording', 'given', 'recorded_at']).where('story_id', '=', story.id).orderBy('id').execute();
    return privately(reply).render(
      <MyStoryPage token={tokenOf(request)} state={story.state} story={openFor(ring, 'story_sealed', story.story_sealed)} expiresAt={story.consent_expires_at} consents={consents.map((c) => ({ wording: c.wording, given: c.given, at: c.recorded_at }))} />,
    );
  });

  // One click from any story email: the link itself withdraws (withdrawing must be as easy as agreeing).
  const withdraw = async (request: FastifyRequest, reply: FastifyReply) => {
    const outcome = await withdrawStory(ctx, tokenOf(request));
    if (outcome.kind === 'not-found') return privately(reply).render(<LinkGonePage />, 404);
    return privately(reply).render(<WithdrawnPage />);
  };
  app.get('/stories/withdraw/:token', withdraw);
  app.post('/stories/withdraw/:token', origin, withdraw);

  app.get('/stories/renew/:token', async (request, reply) => {
    const story = await storyByToken(ctx.db, 'manage_token_hash', tokenOf(request));
    if (!story || story.state === 'withdrawn') return privately(reply).render(<LinkGonePage />, 404);
    return privately(reply).render(<RenewPage action={`/stories/renew/${tokenOf(request)}`} controllers={await controllersOfStory(ctx, ctx.db, story.id)} expiresAt={story.consent_expires_at} />);
  });
  app.post('/stories/renew/:token', origin, async (request, reply) => {
    const outcome = await renewStory(ctx, tokenOf(request));
    if (outcome.kind === 'done') return privately(reply).render(<RenewedPage expiresAt={outcome.story.consent_expires_at!} />);
    if (outcome.kind === 'not-renewable') return reply.redirect(links.mine(tokenOf(request)).replace(ctx.config.BASE_URL, ''), 303);
    return privately(reply).render(<LinkGonePage />, 404);
  });
}
