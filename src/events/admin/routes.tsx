import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { groupIdsFor, listGroups, type Group } from '../../coalition/index.ts';
import { fieldErrorsOf, formList, formValues, pageFrom, parseForm, parseParams, parseRequest, requireRole, viewerOf, type FieldErrors, type FormValues, type Viewer } from '../../platform/index.ts';
import { changeEventState } from '../change-event-state.ts';
import { eventFor } from '../event-access.ts';
import { listEventChanges } from '../event-changes.ts';
import { TEXT_MAX, eventFormSchema, eventFormValues } from '../event-form.ts';
import { createEvent, updateEvent } from '../save-event.ts';
import { listEventsForAdmin, type ChorusEvent } from '../store.ts';
import type { AppContext } from '../tables.ts';
import { registerAttendeeRoutes } from './attendees-routes.tsx';
import { registerEventReviewRoutes } from './review-routes.tsx';
import { EventFormPage, EventListAdminPage, EventOverviewPage, eventAdminPath } from './views.tsx';

const PER_PAGE = 25;

const eventParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});
/** Cancelling may say why ("the venue flooded"): kept in the change history and emailed with it. */
const stateChangeBody = z
  .object({ note: z.string().trim().max(TEXT_MAX, { message: `The note must be ${TEXT_MAX} characters or fewer` }).optional() })
  .passthrough();

const eventIdOf = (request: FastifyRequest) => parseParams(eventParams, request.params, 'event').id;

/** A rule's field problems, to show on the form again; any other error goes on to the error page. */

async function groupChoices(ctx: AppContext, viewer: Viewer): Promise<Group[]> {
  const allowed = await groupIdsFor(ctx.db, viewer);
  const groups = await listGroups(ctx.db);
  return allowed === 'all' ? groups : groups.filter((g) => allowed.includes(g.id));
}

/** The organisers' event pages: list, add, look at, edit, publish and cancel. Roles and groups are checked here and again by each command. */
export function registerEventAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  registerAttendeeRoutes(app, ctx);
  const anyone = { preHandler: requireRole() };
  const makers = { preHandler: requireRole('admin', 'organiser') };
  registerEventReviewRoutes(app, ctx);

  async function renderForm(request: FastifyRequest, reply: FastifyReply, event: ChorusEvent | undefined, state: { values: FormValues; selectedGroups: string[]; errors?: FieldErrors }, status = 200) {
    const groups = await groupChoices(ctx, viewerOf(request));
    return reply.render(<EventFormPage event={event} groups={groups} {...state} />, status);
  }

  app.get('/admin/events', anyone, async (request, reply) => {
    const viewer = viewerOf(request);
    const groupIds = viewer.role === 'organiser' ? await groupIdsFor(ctx.db, viewer) : 'all';
    const page = pageFrom(request.query);
    const result = await listEventsForAdmin(ctx.db, { groupIds, page, perPage: PER_PAGE });
    return reply.render(<EventListAdminPage {...result} page={page} perPage={PER_PAGE} canCreate={viewer.role !== 'moderator'} ownGroupsOnly={groupIds !== 'all'} role={viewer.role} />);
  });

  app.get('/admin/events/new', makers, async (request, reply) => {
    const groups = await groupChoices(ctx, viewerOf(request));
    return renderForm(request, reply, undefined, { values: {}, selectedGroups: groups.length === 1 ? [String(groups[0]!.id)] : [] });
  });

  app.post('/admin/events/new', makers, async (request, reply) => {
    const kept = { selectedGroups: formList(request.body, 'groups') };
    const form = parseForm(eventFormSchema, request.body);
    if (!form.ok) return renderForm(request, reply, undefined, { ...kept, values: form.values, errors: form.errors }, 422);
    try {
      const id = await ctx.db.transaction().execute((tx) => createEvent(tx, viewerOf(request), form.value));
      return reply.redirectWithNotice(eventAdminPath(id), 'created');
    } catch (error) {
      return renderForm(request, reply, undefined, { ...kept, values: formValues(request.body), errors: fieldErrorsOf(error) }, 422);
    }
  });

  app.get('/admin/events/:id', anyone, async (request, reply) => {
    const event = await eventFor(ctx.db, viewerOf(request), eventIdOf(request), 'view');
    const changes = await listEventChanges(ctx.db, event.id);
    return reply.render(<EventOverviewPage event={event} viewer={viewerOf(request)} notice={reply.takeNotice()} changes={changes} />);
  });

  app.get('/admin/events/:id/edit', makers, async (request, reply) => {
    const event = await eventFor(ctx.db, viewerOf(request), eventIdOf(request), 'manage');
    return renderForm(request, reply, event, { values: eventFormValues(event), selectedGroups: event.groups.map((g) => String(g.id)) });
  });

  app.post('/admin/events/:id/edit', makers, async (request, reply) => {
    const event = await eventFor(ctx.db, viewerOf(request), eventIdOf(request), 'manage');
    const kept = { selectedGroups: formList(request.body, 'groups') };
    const form = parseForm(eventFormSchema, request.body);
    if (!form.ok) return renderForm(request, reply, event, { ...kept, values: form.values, errors: form.errors }, 422);
    try {
      await ctx.db.transaction().execute((tx) => updateEvent(tx, viewerOf(request), event.id, form.value));
      return reply.redirectWithNotice(eventAdminPath(event.id), 'updated');
    } catch (error) {
      return renderForm(request, reply, event, { ...kept, values: formValues(request.body), errors: fieldErrorsOf(error) }, 422);
    }
  });

  for (const transition of ['publish', 'cancel'] as const) {
    app.post(`/admin/events/:id/${transition}`, makers, async (request, reply) => {
      const id = eventIdOf(request);
      const { note } = parseRequest(stateChangeBody, request.body);
      await ctx.db.transaction().execute((tx) => changeEventState(tx, viewerOf(request), id, transition, { note }));
      return reply.redirectWithNotice(eventAdminPath(id), transition === 'publish' ? 'published' : 'cancelled');
    });
  }
}
