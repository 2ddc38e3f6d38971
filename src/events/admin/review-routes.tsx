import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DomainError, checkbox, errorsFrom, formValues, notFound, parseForm, parseParams, requireRole } from '../../platform/index.ts';
import { readHostRules, saveHostRules } from '../host-rules.ts';
import { findSubmission, listAwaitingApproval, reviewEvent, submittersOf } from '../review-event.ts';
import { findEvent } from '../store.ts';
import type { AppContext } from '../tables.ts';
import { EventSettingsPage, ReviewEventPage, SubmissionsPage, type Submission } from './review-views.tsx';

const eventParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const settingsForm = z.object({ supporters_may_host: checkbox() });

/** Moderators' review of events sent through "Host an event", and the admins' event settings. Roles are checked here and by the command. */
export function registerEventReviewRoutes(app: FastifyInstance, ctx: AppContext) {
  const reviewers = { preHandler: requireRole('admin', 'moderator') };
  const admins = { preHandler: requireRole('admin') };

  app.get('/admin/events/submissions', reviewers, async (request, reply) => {
    const events = await listAwaitingApproval(ctx.db);
    const submitters: Map<number, Submission> = await submittersOf(ctx.db, events.map((e) => e.id));
    return reply.render(<SubmissionsPage events={events} submitters={submitters} notice={reply.takeNotice()} />);
  });

  app.get('/admin/events/:id/review', reviewers, async (request, reply) => {
    const { id } = parseParams(eventParams, request.params, 'event');
    const event = await findEvent(ctx.db, id);
    if (!event) throw notFound('event');
    return reply.render(<ReviewEventPage event={event} submission={await findSubmission(ctx.db, id)} />);
  });

  app.post('/admin/events/:id/approve', reviewers, async (request, reply) => {
    const { id } = parseParams(eventParams, request.params, 'event');
    await reviewEvent(ctx, { actor: request.viewer!, eventId: id, review: { decision: 'approve' } });
    return reply.redirectWithNotice('/admin/events/submissions', 'approved');
  });

  app.post('/admin/events/:id/decline', reviewers, async (request, reply) => {
    const { id } = parseParams(eventParams, request.params, 'event');
    const reason = typeof (request.body as { reason?: unknown } | undefined)?.reason === 'string' ? String((request.body as { reason: string }).reason).replace(/\r\n?/g, '\n') : '';
    try {
      await reviewEvent(ctx, { actor: request.viewer!, eventId: id, review: { decision: 'decline', reason } });
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'invalid')) throw error;
      const event = await findEvent(ctx.db, id);
      if (!event) throw notFound('event');
      return reply.render(<ReviewEventPage event={event} submission={await findSubmission(ctx.db, id)} values={formValues(request.body)} errors={errorsFrom(error)} />, 422);
    }
    return reply.redirectWithNotice('/admin/events/submissions', 'declined');
  });

  app.get('/admin/events/settings', admins, async (request, reply) => {
    return reply.render(<EventSettingsPage rules={await readHostRules(ctx.db)} saved={reply.takeNotice() === 'saved'} />);
  });

  app.post('/admin/events/settings', admins, async (request, reply) => {
    const form = parseForm(settingsForm, request.body);
    const value = form.ok ? form.value.supporters_may_host : false;
    await ctx.db.transaction().execute((tx) => saveHostRules(tx, request.viewer!, { supportersMayHost: value }));
    return reply.redirectWithNotice('/admin/events/settings', 'saved');
  });
}

