import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, Q } from './tables.ts';
import { formList, notFound, pageCount, pageFrom, parseForm, parseParams, queryText, requireRole, saveOrFieldErrors } from '../platform/index.ts';
import { PER_PAGE } from './admin-pages.tsx';
import { changeOrganiserAccess } from './change-organiser-access.ts';
import { disableOrganiser, enableOrganiser } from './disable-organiser.ts';
import { groupNamesById } from './groups.ts';
import { accessFields, inviteOrganiser, inviteSchema, resendInvitation } from './invite-organiser.ts';
import { InviteOrganiserPage, OrganiserPage, OrganisersPage } from './organiser-admin-views.tsx';
import { findOrganiserByPublicId, listOrganiserPage, type Organiser } from './organisers.ts';

const accessSchema = z.object(accessFields);
const organiserParams = z.object({ ref: z.string() });
/** The role as sent, to tick it again when the form comes back with errors. */
const sentRole = z.object({ role: queryText() }).catch({ role: undefined });

async function organiserFrom(q: Q, request: FastifyRequest): Promise<Organiser> {
  const organiser = await findOrganiserByPublicId(q, parseParams(organiserParams, request.params, 'organiser').ref);
  if (!organiser) throw notFound('organiser');
  return organiser;
}

/** Coalition admins manage organiser accounts: invite, role and groups, disable, resend. */
export function registerOrganiserAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  const admins = { preHandler: requireRole('admin') };
  const mail = async () => ({ brand: await ctx.brand.get(), baseUrl: ctx.config.BASE_URL });

  app.get('/admin/organisers', admins, async (request, reply) => {
    const page = pageFrom(request.query);
    const { organisers, total } = await listOrganiserPage(ctx.db, page, PER_PAGE);
    return reply.render(
      <OrganisersPage organisers={organisers} total={total} page={page} totalPages={pageCount(total, PER_PAGE)} groupNames={await groupNamesById(ctx.db)} notice={reply.takeNotice()} />,
    );
  });

  app.get('/admin/organisers/new', admins, async (_request, reply) =>
    reply.render(<InviteOrganiserPage groupNames={await groupNamesById(ctx.db)} values={{ role: 'organiser' }} />),
  );

  app.post('/admin/organisers/new', admins, async (request, reply) => {
    const groupNames = await groupNamesById(ctx.db);
    const groups = formList(request.body, 'groups');
    const form = parseForm(inviteSchema, request.body);
    if (!form.ok) return reply.render(<InviteOrganiserPage errors={form.errors} values={form.values} groups={groups} groupNames={groupNames} />, 422);
    const settings = await mail();
    const saved = await saveOrFieldErrors(() =>
      ctx.db.transaction().execute((tx) => inviteOrganiser(tx, { actor: request.viewer!, input: form.value, ...settings })),
    );
    if (!saved.ok) {
      const values = { name: form.value.name, email: form.value.email, role: form.value.role };
      return reply.render(<InviteOrganiserPage errors={saved.errors} values={values} groups={groups} groupNames={groupNames} />, 422);
    }
    return reply.redirectWithNotice('/admin/organisers', 'invited');
  });

  app.get('/admin/organisers/:ref', admins, async (request, reply) => {
    const organiser = await organiserFrom(ctx.db, request);
    return reply.render(
      <OrganiserPage organiser={organiser} groupNames={await groupNamesById(ctx.db)} isSelf={organiser.id === request.viewer!.id} notice={reply.takeNotice()} />,
    );
  });

  app.post('/admin/organisers/:ref', admins, async (request, reply) => {
    const viewer = request.viewer!;
    const organiser = await organiserFrom(ctx.db, request);
    const form = parseForm(accessSchema, request.body);
    const saved = form.ok
      ? await saveOrFieldErrors(() =>
          ctx.db.transaction().execute(async (tx) =>
            changeOrganiserAccess(tx, { actor: viewer, organiser: await organiserFrom(tx, request), role: form.value.role, groupIds: form.value.groups }),
          ),
        )
      : form;
    if (!saved.ok) {
      const { role } = sentRole.parse(request.body);
      return reply.render(
        <OrganiserPage
          organiser={organiser}
          groupNames={await groupNamesById(ctx.db)}
          isSelf={organiser.id === viewer.id}
          errors={saved.errors}
          role={role}
          groups={formList(request.body, 'groups')}
        />,
        422,
      );
    }
    return reply.redirectWithNotice(`/admin/organisers/${organiser.publicId}`, 'updated');
  });

  const statusActions = {
    disable: { run: disableOrganiser, notice: 'disabled' },
    enable: { run: enableOrganiser, notice: 'enabled' },
  } as const;
  for (const [path, action] of Object.entries(statusActions)) {
    app.post(`/admin/organisers/:ref/${path}`, admins, async (request, reply) => {
      const organiser = await ctx.db.transaction().execute(async (tx) => {
        const current = await organiserFrom(tx, request);
        await action.run(tx, { actor: request.viewer!, organiser: current });
        return current;
      });
      return reply.redirectWithNotice(`/admin/organisers/${organiser.publicId}`, action.notice);
    });
  }

  app.post('/admin/organisers/:ref/invitation', admins, async (request, reply) => {
    const settings = await mail();
    const organiser = await ctx.db.transaction().execute(async (tx) => {
      const current = await organiserFrom(tx, request);
      await resendInvitation(tx, { actor: request.viewer!, organiser: current, ...settings });
      return current;
    });
    return reply.redirectWithNotice(`/admin/organisers/${organiser.publicId}`, 'resent');
  });
}
