import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { groupIdsFor, listGroups } from '../../coalition/index.ts';
import { DomainError, clientIp, errorsFrom, formList, formValues, type FieldErrors, type FormValues, type Viewer } from '../../platform/index.ts';
import { parseHostForm } from '../host-form.ts';
import { readHostRules } from '../host-rules.ts';
import { submitEvent } from '../submit-event.ts';
import type { AppContext } from '../tables.ts';
import { HostEventPage, HostSubmittedPage, type HostMode } from './host-views.tsx';

const isOrganiser = (viewer: Viewer | null | undefined): viewer is Viewer => viewer?.role === 'admin' || viewer?.role === 'organiser';

/** "Host an event": organisers of member groups always, supporters when the coalition allows it. */
export function registerHostEventRoutes(app: FastifyInstance, ctx: AppContext) {
  async function modeFor(request: FastifyRequest, selectedGroups?: string[]): Promise<HostMode> {
    const viewer = request.viewer;
    if (isOrganiser(viewer)) {
      const allowed = await groupIdsFor(ctx.db, viewer);
      const groups = (await listGroups(ctx.db)).filter((g) => allowed === 'all' || allowed.includes(g.id));
      return { kind: 'organiser', groups, selectedGroups: selectedGroups ?? (groups.length === 1 ? [String(groups[0]!.id)] : []) };
    }
    return (await readHostRules(ctx.db)).supportersMayHost ? { kind: 'supporter' } : { kind: 'closed' };
  }

  const render = (reply: FastifyReply, mode: HostMode, state: { values?: FormValues; errors?: FieldErrors } = {}, status = 200) =>
    reply.header('cache-control', 'private, no-store').render(<HostEventPage mode={mode} {...state} />, status);

  app.get('/events/host', async (request, reply) => render(reply, await modeFor(request)));

  app.post('/events/host', { config: { csrf: 'origin' as const } }, async (request, reply) => {
    const mode = await modeFor(request, formList(request.body, 'groups'));
    if (mode.kind === 'closed') throw new DomainError('forbidden', 'The coalition is not taking events from supporters at the moment. Ask a member group to host it.');
    const form = parseHostForm(request.body, mode.kind);
    if (!form.ok) return render(reply, mode, { values: form.values, errors: form.errors }, 422);
    const submitter = mode.kind === 'organiser' ? { kind: 'organiser' as const, viewer: request.viewer! } : { kind: 'supporter' as const, name: form.host!.name, email: form.host!.email };
    try {
      await submitEvent(ctx, { submitter, input: form.input, ip: clientIp(request) });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid') return render(reply, mode, { values: formValues(request.body), errors: errorsFrom(error) }, 422);
      throw error;
    }
    return reply.redirect('/events/host/sent', 303);
  });

  app.get('/events/host/sent', async (_request, reply) => reply.header('cache-control', 'private, no-store').render(<HostSubmittedPage />));
}
