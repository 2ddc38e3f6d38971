import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../tables.ts';
import { conflict, formValues, parseForm, requireRole } from '../../platform/index.ts';
import { petitionFor } from '../petition-access.ts';
import { outcomeFormSchema, recordOutcome } from '../record-outcome.ts';
import { OUTCOME_STATES } from '../transitions.ts';
import { OutcomesPage, outcomeValues } from './outcomes-page.tsx';
import { fieldErrorsOf, petitionIdOf, viewerOf } from './admin-request.ts';
import { petitionAdminPath } from './petition-paths.ts';

/** Recording the response, the hand-in and the debate or meeting. */
export function registerOutcomeRoutes(app: FastifyInstance, ctx: AppContext) {
  const makers = { preHandler: requireRole('admin', 'organiser') };

  app.get('/admin/petitions/:id/outcomes', makers, async (request, reply) => {
    const petition = await petitionFor(ctx.db, viewerOf(request), petitionIdOf(request), 'outcomes');
    if (!OUTCOME_STATES.includes(petition.state)) throw conflict('Outcomes are recorded for open or closed petitions.');
    return reply.render(<OutcomesPage petition={petition} values={outcomeValues(petition)} />);
  });

  app.post('/admin/petitions/:id/outcomes', makers, async (request, reply) => {
    const viewer = viewerOf(request);
    const petition = await petitionFor(ctx.db, viewer, petitionIdOf(request), 'outcomes');
    const form = parseForm(outcomeFormSchema, request.body);
    if (!form.ok) return reply.render(<OutcomesPage petition={petition} values={form.values} errors={form.errors} />, 422);
    try {
      await ctx.db.transaction().execute((tx) => recordOutcome(tx, { actor: viewer, petitionId: petition.id, outcome: form.value }));
    } catch (error) {
      return reply.render(<OutcomesPage petition={petition} values={formValues(request.body)} errors={fieldErrorsOf(error)} />, 422);
    }
    return reply.redirectWithNotice(petitionAdminPath(petition.id), 'outcomes');
  });
}
