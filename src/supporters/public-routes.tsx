import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import { findGroupBySlug, type Group } from '../coalition/index.ts';
import type { AppContext } from './tables.ts';
import { clientIp, formList, formValues, hitRateLimits, notFound, parseForm, parseParams, parseRequest, type FieldErrors, type FormValues } from '../platform/index.ts';
import { PreferencesPage, UnsubscribePage, UnsubscribedPage } from './preferences-views.tsx';
import { personForPreferences, preferencesOf, readUnsubscribe, unsubscribe } from './preferences.ts';
import { confirmSignUp, readSignUp, sendersOf, signUp } from './sign-up.ts';
import { arrivalSource, checkSignUp, consentBoxes, signUpFormSchema, signUpProblems, type ConsentBox } from './signup-form.ts';
import { CheckEmailPage, ConfirmSignUpPage, EmbedSubscribePage, GroupSubscribePage, JoinPage, SignUpConfirmedPage } from './signup-views.tsx';
import { preferencesUrl } from './subscriber-tokens.ts';
import { updatePreferences } from './update-preferences.ts';

/** Lets any site frame this response (the embeddable form); every other page refuses framing. */
async function allowFraming(_request: FastifyRequest, reply: FastifyReply) {
  const csp = String(reply.getHeader('content-security-policy') ?? '');
  reply.header('content-security-policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
  reply.removeHeader('x-frame-options');
}

type FormPage = (props: { boxes: ConsentBox[]; arrival: Record<string, string>; errors?: FieldErrors; values?: FormValues; group?: Group }) => VNode;

interface SignUpForm {
  path: string;
  method: string;
  embed: boolean;
  /** The group the form subscribes to (from the URL), or null for the coalition. */
  group(request: FastifyRequest): Promise<Group | null>;
  page: FormPage;
}

/** Sign-ups (each sends a confirmation email) one client address may make an hour, across every form. */
export const SIGN_UPS_PER_ADDRESS = 20;
const tooManySignUps = 'Too many sign-ups have come from your internet connection in the last hour. Please try again later.';

const groupParams = z.object({ slug: z.string() });
const tokenParams = z.object({ token: z.string() });
const preferencesQuery = z.object({ saved: z.enum(['saved', 'withdrawn-all']).optional().catch(undefined) });

const chooseAction = 'Choose “Save my preferences” or “Unsubscribe from everything”.';
/** Ticked `purposes` (ids; others are ignored), each with its `wording_<id>` shown beside it. */
const preferencesForm = z
  .looseObject({ action: z.enum(['save', 'withdraw-all'], { message: chooseAction }) })
  .transform((body) => {
    const chosen = new Map<number, number | undefined>();
    for (const value of formList(body, 'purposes')) {
      const purposeId = Number(value);
      if (!Number.isSafeInteger(purposeId)) continue;
      const wordingId = Number(body[`wording_${purposeId}`]);
      chosen.set(purposeId, Number.isSafeInteger(wordingId) ? wordingId : undefined);
    }
    return { action: body.action, chosen };
  });

const oneClickMessage = 'Send List-Unsubscribe=One-Click to unsubscribe';
const oneClickForm = z.object({ 'List-Unsubscribe': z.literal('One-Click', { message: oneClickMessage }) });

async function groupFromUrl(ctx: AppContext, request: FastifyRequest): Promise<Group> {
  const group = await findGroupBySlug(ctx.db, parseParams(groupParams, request.params, 'group').slug);
  if (!group) throw notFound('group');
  return group;
}

/** Public sign-up forms, double opt-in confirmation, preferences and one-click unsubscribe. */
export function registerSupporterPublicRoutes(app: FastifyInstance, ctx: AppContext) {
  const forms: SignUpForm[] = [
    { path: '/join', method: 'form:join', embed: false, group: async () => null, page: (p) => <JoinPage {...p} /> },
    {
      path: '/groups/:slug/subscribe',
      method: 'form:group-subscribe',
      embed: false,
      group: (request) => groupFromUrl(ctx, request),
      page: (p) => <GroupSubscribePage {...p} group={p.group!} />,
    },
    {
      path: '/embed/subscribe/:slug',
      method: 'form:embed',
      embed: true,
      group: (request) => groupFromUrl(ctx, request),
      page: (p) => <EmbedSubscribePage {...p} group={p.group!} />,
    },
  ];

  for (const form of forms) {
    const hooks = form.embed ? { onRequest: allowFraming } : {};
    app.get(form.path, hooks, async (request, reply) => {
      const group = await form.group(request);
      const boxes = await consentBoxes(ctx.db, await ctx.brand.get(), group?.id ?? null);
      const arrival = arrivalSource(request.query, request.headers.referer);
      return reply.header('cache-control', 'no-store').render(form.page({ boxes, arrival, group: group ?? undefined }));
    });

    app.post(form.path, { ...hooks, config: { csrf: 'origin' } }, async (request, reply) => {
      const group = await form.group(request);
      const brand = await ctx.brand.get();
      const boxes = await consentBoxes(ctx.db, brand, group?.id ?? null);
      const arrival = arrivalSource({}, undefined);
      const parsed = parseForm(signUpFormSchema, request.body);
      if (!parsed.ok) {
        const errors = await signUpProblems(ctx.db, request.body, parsed.errors, boxes);
        return reply.render(form.page({ boxes, arrival, errors, values: parsed.values, group: group ?? undefined }), 422);
      }
      const checked = await checkSignUp(ctx.db, parsed.value, boxes);
      if (!checked.ok) {
        return reply.render(form.page({ boxes, arrival, errors: checked.errors, values: formValues(request.body), group: group ?? undefined }), 422);
      }
      const ip = clientIp(request) ?? 'unknown';
      const counted = await hitRateLimits(ctx.db, [{ bucket: 'supporters.sign-up.address', key: ip, limit: SIGN_UPS_PER_ADDRESS, windowSeconds: 3600 }]);
      if (!counted.allowed) {
        reply.header('retry-after', String(counted.retryAfterSeconds));
        return reply.render(form.page({ boxes, arrival, errors: { email: tooManySignUps }, values: formValues(request.body), group: group ?? undefined }), 429);
      }
      await ctx.db.transaction().execute((tx) =>
        signUp(tx, { ...checked.request, method: form.method, ip }, { brand, baseUrl: ctx.config.BASE_URL, secret: ctx.secret }),
      );
      return reply.render(<CheckEmailPage email={parsed.value.email} embed={form.embed} />);
    });
  }

  // The email link shows a button: mail scanners that open links must not confirm on their own.
  app.get('/subscribe/confirm/:token', async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params);
    const pending = await readSignUp(ctx.db, ctx.secret, token);
    const senders = await sendersOf(ctx.db, pending.purposes, await ctx.brand.get());
    return reply.header('cache-control', 'no-store').render(<ConfirmSignUpPage token={token} senders={senders} />);
  });

  app.post('/subscribe/confirm/:token', { config: { csrf: 'origin' } }, async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params);
    const confirmed = await ctx.db.transaction().execute((tx) => confirmSignUp(tx, ctx.secret, token, clientIp(request)));
    const senders = await sendersOf(ctx.db, confirmed.purposes, await ctx.brand.get());
    return reply.render(
      <SignUpConfirmedPage
        senders={senders}
        alreadyConfirmed={confirmed.alreadyConfirmed}
        preferencesHref={preferencesUrl('', ctx.secret, confirmed.personPublicId)}
      />,
    );
  });

  app.get('/preferences/:token', async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params);
    const person = await personForPreferences(ctx.db, ctx.secret, token);
    const lines = await preferencesOf(ctx.db, person.id, await ctx.brand.get());
    const { saved } = parseRequest(preferencesQuery, request.query);
    return reply.header('cache-control', 'no-store').render(<PreferencesPage token={token} email={person.email ?? ''} lines={lines} saved={saved} />);
  });

  // Protected by the token itself and by the Origin check: no cookie is needed.
  app.post('/preferences/:token', { config: { csrf: 'origin' } }, async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params);
    const person = await personForPreferences(ctx.db, ctx.secret, token);
    const { action, chosen } = parseRequest(preferencesForm, request.body, chooseAction);
    const brand = await ctx.brand.get();
    await ctx.db.transaction().execute((tx) => updatePreferences(tx, { person, brand, action, chosen, ip: clientIp(request) }));
    return reply.redirect(`/preferences/${token}?saved=${action === 'save' ? 'saved' : 'withdrawn-all'}`, 303);
  });

  app.get('/unsubscribe/:token', async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params);
    const found = await readUnsubscribe(ctx.db, ctx.secret, token);
    return reply.header('cache-control', 'no-store').render(<UnsubscribePage token={token} purpose={found.purpose} email={found.person.email ?? ''} />);
  });

  // RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` from anywhere, with no
  // cookies; the signed token is the authority, so there is no CSRF or Origin check.
  app.post('/unsubscribe/:token', { config: { csrf: 'none' } }, async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params);
    parseRequest(oneClickForm, request.body, `${oneClickMessage}.`);
    const done = await ctx.db.transaction().execute((tx) => unsubscribe(tx, ctx.secret, token, clientIp(request)));
    return reply
      .code(200)
      .render(<UnsubscribedPage purpose={done.purpose} changed={done.changed} preferencesHref={preferencesUrl('', ctx.secret, done.person.publicId)} />);
  });
}
