import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from './tables.ts';
import { formValues, pageCount, pageFrom, parseForm, parseParams, requireRole, saveOrFieldErrors, uploadedFile } from '../platform/index.ts';
import { PER_PAGE, idFrom } from './admin-pages.tsx';
import { deleteGroup } from './delete-group.ts';
import { groupForEditing, groupManagerRoles } from './group-access.ts';
import { DeleteGroupPage, GroupFormPage, GroupsAdminPage } from './group-admin-views.tsx';
import { groupIdsFor, listGroupPage } from './groups.ts';
import { createGroup, groupInputSchema, updateGroup } from './save-group.ts';

const groupParams = z.object({ id: z.string().transform(idFrom).pipe(z.number({ message: 'Enter a group id' })) });

function groupIdParam(request: FastifyRequest): number {
  return parseParams(groupParams, request.params, 'group').id;
}

/** Managing member groups: admins every group, group organisers their own; moderators not at all. */
export function registerGroupAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  const managers = { preHandler: requireRole(...groupManagerRoles) };
  const admins = { preHandler: requireRole('admin') };

  app.get('/admin/groups', managers, async (request, reply) => {
    const viewer = request.viewer!;
    const page = pageFrom(request.query);
    const { groups, total } = await listGroupPage(ctx.db, { only: await groupIdsFor(ctx.db, viewer), page, perPage: PER_PAGE });
    return reply.render(
      <GroupsAdminPage groups={groups} total={total} page={page} totalPages={pageCount(total, PER_PAGE)} isAdmin={viewer.role === 'admin'} notice={reply.takeNotice()} />,
    );
  });

  app.get('/admin/groups/new', managers, async (_request, reply) => reply.render(<GroupFormPage />));

  app.post('/admin/groups/new', managers, async (request, reply) => {
    const form = parseForm(groupInputSchema, request.body);
    if (!form.ok) return reply.render(<GroupFormPage errors={form.errors} values={form.values} />, 422);
    const saved = await saveOrFieldErrors(() =>
      ctx.db.transaction().execute((tx) => createGroup(tx, { actor: request.viewer!, input: form.value, logo: uploadedFile(request.body, 'logo') })),
    );
    if (!saved.ok) return reply.render(<GroupFormPage errors={saved.errors} values={formValues(request.body)} />, 422);
    return reply.redirectWithNotice('/admin/groups', 'created');
  });

  app.get('/admin/groups/:id', managers, async (request, reply) => {
    const group = await groupForEditing(ctx.db, request.viewer!, groupIdParam(request));
    return reply.render(<GroupFormPage group={group} canDelete={request.viewer!.role === 'admin'} notice={reply.takeNotice()} />);
  });

  app.post('/admin/groups/:id', managers, async (request, reply) => {
    const viewer = request.viewer!;
    const group = await groupForEditing(ctx.db, viewer, groupIdParam(request));
    const canDelete = viewer.role === 'admin';
    const form = parseForm(groupInputSchema, request.body);
    if (!form.ok) return reply.render(<GroupFormPage group={group} errors={form.errors} values={form.values} canDelete={canDelete} />, 422);
    const saved = await saveOrFieldErrors(() =>
      ctx.db.transaction().execute(async (tx) => {
        // Checked again inside the transaction: the group may have gone meanwhile.
        const current = await groupForEditing(tx, viewer, group.id);
        return updateGroup(tx, { actor: viewer, group: current, input: form.value, logo: uploadedFile(request.body, 'logo') });
      }),
    );
    if (!saved.ok) return reply.render(<GroupFormPage group={group} errors={saved.errors} values={formValues(request.body)} canDelete={canDelete} />, 422);
    return reply.redirectWithNotice(`/admin/groups/${group.id}`, 'updated');
  });

  app.get('/admin/groups/:id/delete', admins, async (request, reply) => {
    const group = await groupForEditing(ctx.db, request.viewer!, groupIdParam(request));
    return reply.render(<DeleteGroupPage group={group} />);
  });

  app.post('/admin/groups/:id/delete', admins, async (request, reply) => {
    const viewer = request.viewer!;
    const id = groupIdParam(request);
    await ctx.db.transaction().execute(async (tx) => deleteGroup(tx, { actor: viewer, group: await groupForEditing(tx, viewer, id) }));
    return reply.redirectWithNotice('/admin/groups', 'deleted');
  });
}
