import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../tables.ts';
import { conflict, forbidden, formValues, pageFrom, parseForm, requireRole } from '../../platform/index.ts';
import { moderationQueue } from '../admin-store.ts';
import { changePetitionState, type ChangePetitionStateProps } from '../change-petition-state.ts';
import { mayTransition, petitionFor } from '../petition-access.ts';
import { readPetitionRules } from '../petition-rules.ts';
import type { Petition } from '../store.ts';
import { rejectionReasons, type RejectionCode } from '../states.ts';
import { REJECTABLE_STATES, type PetitionTransition } from '../transitions.ts';
import { ModerationQueuePage, RejectPage } from './moderation-page.tsx';
import { OverviewPage, overviewFacts } from './overview-page.tsx';
import { fieldErrorsOf, petitionIdOf, viewerOf } from './admin-request.ts';
import { petitionAdminPath } from './petition-paths.ts';

const PER_PAGE = 20;

const rejectFormSchema = z.object({
  code: z.enum(Object.keys(rejectionReasons) as [RejectionCode, ...RejectionCode[]], { message: 'Choose why the petition is being rejected' }),
  details: z
    .string({ message: 'Explain the decision' })
    .trim()
    .min(1, { message: 'Explain the decision' })
    .max(1000, { message: 'The explanation must be 1,000 characters or fewer' }),
});

const reopenFormSchema = z.object({ closing_date: z.string().trim().optional().transform((v) => (v ? v : undefined)) });

const noticeFor: Record<PetitionTransition, string> = {
  submit: 'submitted',
  approve: 'approved',
  reject: 'rejected',
  hide: 'hidden',
  close: 'closed',
  reopen: 'reopened',
};

/** The moderation queue and every change of state (submit, approve, reject, hide, close, reopen). */
export function registerModerationRoutes(app: FastifyInstance, ctx: AppContext) {
  const anyone = { preHandler: requireRole() };
  const moderators = { preHandler: requireRole('admin', 'moderator') };

  app.get('/admin/moderation', moderators, async (request, reply) => {
    const viewer = viewerOf(request);
    const [result, rules] = await Promise.all([moderationQueue(ctx.db, pageFrom(request.query), PER_PAGE), readPetitionRules(ctx.db)]);
    const mayApprove = (p: Petition) => rules.adminsApproveOwn || viewer.role !== 'admin' || p.createdBy !== viewer.id;
    return reply.render(<ModerationQueuePage result={result} notice={reply.takeNotice()} mayApprove={mayApprove} />);
  });

  /**
   * Applies a transition; a decision on a petition from the queue goes back to the queue. A shared
   * petition one group agrees to close stays open, and its page says which groups are awaited.
   */
  const seeOther = (reply: FastifyReply, to: { path: string; notice: string }) => reply.redirectWithNotice(to.path, to.notice);

  async function transition(props: ChangePetitionStateProps): Promise<{ path: string; notice: string }> {
    const { before, change } = await ctx.db.transaction().execute(async (tx) => {
      const was = (await petitionFor(tx, props.actor, props.petitionId, 'view')).state;
      return { before: was, change: await changePetitionState(tx, props) };
    });
    if (!change.changed) return { path: petitionAdminPath(props.petitionId), notice: 'close-agreed' };
    const fromQueue = before === 'awaiting_moderation' && props.transition !== 'submit';
    return { path: fromQueue ? '/admin/moderation' : petitionAdminPath(props.petitionId), notice: noticeFor[props.transition] };
  }

  for (const name of ['submit', 'approve', 'hide', 'close'] as const) {
    app.post(`/admin/petitions/:id/${name}`, anyone, async (request, reply) =>
      seeOther(reply, await transition({ actor: viewerOf(request), petitionId: petitionIdOf(request), transition: name })),
    );
  }

  app.get('/admin/petitions/:id/reject', moderators, async (request, reply) => {
    const petition = await petitionFor(ctx.db, viewerOf(request), petitionIdOf(request), 'view');
    if (!mayTransition(viewerOf(request), 'reject')) throw forbidden();
    if (!REJECTABLE_STATES.includes(petition.state)) throw conflict('This petition cannot be rejected in its current state.');
    return reply.render(<RejectPage petition={petition} />);
  });

  app.post('/admin/petitions/:id/reject', moderators, async (request, reply) => {
    const viewer = viewerOf(request);
    const petition = await petitionFor(ctx.db, viewer, petitionIdOf(request), 'view');
    const form = parseForm(rejectFormSchema, request.body);
    if (!form.ok) return reply.render(<RejectPage petition={petition} errors={form.errors} values={form.values} />, 422);
    return seeOther(reply, await transition({ actor: viewer, petitionId: petition.id, transition: 'reject', rejection: form.value }));
  });

  app.post('/admin/petitions/:id/reopen', { preHandler: requireRole('admin') }, async (request, reply) => {
    const viewer = viewerOf(request);
    const petitionId = petitionIdOf(request);
    const form = parseForm(reopenFormSchema, request.body);
    try {
      return seeOther(reply, await transition({ actor: viewer, petitionId, transition: 'reopen', closingDate: form.ok ? form.value.closing_date : undefined }));
    } catch (error) {
      const errors = fieldErrorsOf(error);
      const petition = await petitionFor(ctx.db, viewer, petitionId, 'view');
      return reply.render(<OverviewPage petition={petition} viewer={viewer} baseUrl={ctx.config.BASE_URL} {...await overviewFacts(ctx.db, viewer, petition)} errors={errors} values={formValues(request.body)} />, 422);
    }
  });
}
