import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { groupIdsFor, groupManagerRoles, listGroups } from '../coalition/index.ts';
import type { AppContext } from './tables.ts';
import { checkbox, conflict, formList, formValues, invalidField, pageCount, pageFrom, parseForm, parseParams, parseRequest, requireRole, requiredText, saveOrFieldErrors, type Option, type Viewer } from '../platform/index.ts';
import { ApiAdminPage, DeleteWebhookPage, KeyCreatedPage, NewKeyPage, NewWebhookPage, WebhookCreatedPage } from './admin-views.tsx';
import { createApiToken, findApiToken, listApiTokens, revokeApiToken } from './tokens.ts';
import { DeliveryPage, WebhookPage } from './webhook-views.tsx';
import { queueTestDelivery } from './webhooks/deliver.ts';
import { findDelivery, listDeliveries } from './webhooks/delivery-log.ts';
import { createWebhook, deleteWebhook, findWebhook, listWebhooks, webhookUrl } from './webhooks/webhooks.ts';

const COALITION = 'coalition';
/** Keys, webhooks and deliveries shown on one admin page. */
const PER_PAGE = 25;

const groupChoice = z.string({ message: 'Choose whose data' }).trim().min(1, { message: 'Choose whose data' });

const keySchema = z.object({
  name: requiredText('a name for the key', 100),
  group: groupChoice,
  scope: z.enum(['read', 'write'], { message: 'Choose what the key may do' }),
  confirms_signatures: checkbox(),
});

/**
 * A key may vouch for its signers (its signatures stored confirmed, with no email) only when an
 * admin makes it, and only a write key (a read key records nothing).
 */
function confirmsSignatures(viewer: Viewer, ticked: boolean, scope: 'read' | 'write'): boolean {
  if (!ticked) return false;
  if (viewer.role !== 'admin') throw invalidField('confirms_signatures', 'Only an admin can let a key record signatures as confirmed');
  if (scope !== 'write') throw invalidField('confirms_signatures', 'Only a read and write key records signatures: choose Read and write, or untick this');
  return true;
}

const webhookSchema = (baseUrl: string, allowHosts: readonly string[] | undefined) =>
  z.object({
    url: webhookUrl(baseUrl, allowHosts),
    group: groupChoice,
    events: z
      .array(z.enum(['signature', 'signup'], { message: 'Choose what to send from the list' }), { message: 'Choose what to send' })
      .min(1, { message: 'Choose what to send' }),
  });

/** The groups a viewer may choose: admins every group and the whole coalition; organisers their own groups. */
async function groupOptions(ctx: AppContext, viewer: Viewer): Promise<{ options: Option[]; allowed: number[] | 'all' }> {
  const allowed = await groupIdsFor(ctx.db, viewer);
  const groups = (await listGroups(ctx.db)).filter((g) => allowed === 'all' || allowed.includes(g.id));
  const options = groups.map((g) => ({ value: String(g.id), label: g.name }));
  if (allowed === 'all') options.unshift({ value: COALITION, label: 'Whole coalition (every group)' });
  return { options, allowed };
}

/** The chosen group, checked against what the viewer may choose (form values can be edited). */
function chosenGroup(value: string, allowed: number[] | 'all'): number | null {
  if (value === COALITION && allowed === 'all') return null;
  const id = /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
  if (allowed === 'all' ? !Number.isSafeInteger(id) : !allowed.includes(id)) throw invalidField('group', 'Choose a group from the list');
  return id;
}

/** Key, webhook and delivery ids in the path; the stores answer not found for one that does not fit. */
const pathParams = z.record(z.string(), z.string());
/** The webhook form's fields, with its repeated `events` read as a list. */
const webhookBody = z.record(z.string(), z.unknown());

function param(request: FastifyRequest, name: string): string {
  return parseParams(pathParams, request.params)[name] ?? '';
}

/** Shows a secret once: never cached, never kept by the browser's history cache. */
function renderOnce(reply: FastifyReply) {
  return reply.header('cache-control', 'no-store');
}

/**
 * /admin/api: API keys and webhooks. Admins manage every group's (and the coalition's); group
 * organisers only their own groups'.
 */
export function registerApiAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  const managers = { preHandler: requireRole(...groupManagerRoles) };
  const scopeOf = (request: FastifyRequest) => groupIdsFor(ctx.db, request.viewer!);
  // Notices ("The key has been revoked") show once: a reload does not show them again.

  app.get('/admin/api', managers, async (request, reply) => {
    const groups = await scopeOf(request);
    const [tokens, hooks] = await Promise.all([listApiTokens(ctx.db, groups), listWebhooks(ctx.db, groups)]);
    return reply.render(<ApiAdminPage tokens={tokens} hooks={hooks} notice={reply.takeNotice()} />);
  });

  app.get('/admin/api/keys/new', managers, async (request, reply) => {
    const { options } = await groupOptions(ctx, request.viewer!);
    return reply.render(<NewKeyPage groupOptions={options} isAdmin={request.viewer!.role === 'admin'} />);
  });

  app.post('/admin/api/keys/new', managers, async (request, reply) => {
    const viewer = request.viewer!;
    const { options, allowed } = await groupOptions(ctx, viewer);
    const form = parseForm(keySchema, request.body);
    const isAdmin = viewer.role === 'admin';
    if (!form.ok) return reply.render(<NewKeyPage groupOptions={options} isAdmin={isAdmin} errors={form.errors} values={form.values} />, 422);
    const { name, group, scope } = form.value;
    const saved = await saveOrFieldErrors(() =>
      ctx.db.transaction().execute((tx) =>
        createApiToken(tx, { actor: viewer, name, groupId: chosenGroup(group, allowed), scope, confirmsSignatures: confirmsSignatures(viewer, form.value.confirms_signatures, scope) }),
      ),
    );
    if (!saved.ok) return reply.render(<NewKeyPage groupOptions={options} isAdmin={isAdmin} errors={saved.errors} values={formValues(request.body)} />, 422);
    return renderOnce(reply).render(<KeyCreatedPage token={saved.value.token} name={name} />);
  });

  app.post('/admin/api/keys/:id/revoke', managers, async (request, reply) => {
    const viewer = request.viewer!;
    await ctx.db.transaction().execute(async (tx) => revokeApiToken(tx, viewer, await findApiToken(tx, param(request, 'id'), await groupIdsFor(tx, viewer))));
    return reply.redirectWithNotice('/admin/api', 'revoked');
  });

  app.get('/admin/api/webhooks/new', managers, async (request, reply) => {
    const { options } = await groupOptions(ctx, request.viewer!);
    return reply.render(<NewWebhookPage groupOptions={options} selectedEvents={['signature', 'signup']} />);
  });

  app.post('/admin/api/webhooks/new', managers, async (request, reply) => {
    const viewer = request.viewer!;
    const { options, allowed } = await groupOptions(ctx, viewer);
    const body = { ...parseRequest(webhookBody, request.body), events: formList(request.body, 'events') };
    const refuse = (errors: Record<string, string>) =>
      reply.render(<NewWebhookPage groupOptions={options} errors={errors} values={formValues(request.body)} selectedEvents={body.events} />, 422);
    const form = parseForm(webhookSchema(ctx.config.BASE_URL, ctx.config.OUTBOUND_ALLOW_HOSTS), body);
    if (!form.ok) return refuse(form.errors);
    const { url, group, events } = form.value;
    const saved = await saveOrFieldErrors(() =>
      ctx.db.transaction().execute(async (tx) => {
        const made = await createWebhook(tx, { actor: viewer, groupId: chosenGroup(group, allowed), url, events });
        return { ...made, hook: await findWebhook(tx, made.publicId, allowed) };
      }),
    );
    if (!saved.ok) return refuse(saved.errors);
    return renderOnce(reply).render(<WebhookCreatedPage hook={saved.value.hook} secret={saved.value.secret} />);
  });

  app.get('/admin/api/webhooks/:id', managers, async (request, reply) => {
    const hook = await findWebhook(ctx.db, param(request, 'id'), await scopeOf(request));
    const page = pageFrom(request.query);
    const { deliveries, total } = await listDeliveries(ctx.db, hook.id, page, PER_PAGE);
    return reply.render(<WebhookPage hook={hook} deliveries={deliveries} total={total} page={page} totalPages={pageCount(total, PER_PAGE)} notice={reply.takeNotice()} />);
  });

  app.get('/admin/api/webhooks/:id/deliveries/:delivery', managers, async (request, reply) => {
    const hook = await findWebhook(ctx.db, param(request, 'id'), await scopeOf(request));
    const found = await findDelivery(ctx.db, hook.id, param(request, 'delivery'));
    return reply.header('cache-control', 'no-store').render(<DeliveryPage hook={hook} {...found} />);
  });

  app.post('/admin/api/webhooks/:id/test', managers, async (request, reply) => {
    const hook = await findWebhook(ctx.db, param(request, 'id'), await scopeOf(request));
    if (hook.revokedAt) throw conflict('This webhook has been revoked, so it sends nothing, not even a test.');
    await ctx.db.transaction().execute((tx) => queueTestDelivery(tx, hook.id, ctx.brand.current().name));
    return reply.redirectWithNotice(`/admin/api/webhooks/${hook.publicId}`, 'test-queued');
  });

  app.get('/admin/api/webhooks/:id/delete', managers, async (request, reply) => {
    const hook = await findWebhook(ctx.db, param(request, 'id'), await scopeOf(request));
    return reply.render(<DeleteWebhookPage hook={hook} />);
  });

  app.post('/admin/api/webhooks/:id/delete', managers, async (request, reply) => {
    const viewer = request.viewer!;
    await ctx.db.transaction().execute(async (tx) => deleteWebhook(tx, viewer, await findWebhook(tx, param(request, 'id'), await groupIdsFor(tx, viewer))));
    return reply.redirectWithNotice('/admin/api', 'deleted');
  });
}
