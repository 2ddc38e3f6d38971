import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../tables.ts';
import { conflict, formValues, invalidFields, pageCount, pageFrom, parseForm, parseRequest, queryText, requireRole } from '../../platform/index.ts';
import { decideHeldSignatures, heldByAddress, heldSelection } from '../held-signatures.ts';
import { invalidateSignatures, invalidationFormSchema, previewInvalidation } from '../invalidate-signatures.ts';
import { petitionFor } from '../petition-access.ts';
import { setUnderAttack } from '../set-under-attack.ts';
import type { Petition } from '../store.ts';
import { SIGNED_STATES } from '../transitions.ts';
import { trendingPeriods, trendingReport, type TrendingPeriod } from '../trending-report.ts';
import { HeldPage } from './held-page.tsx';
import { InvalidateFormPage, InvalidatePreviewPage } from './invalidate-page.tsx';
import { petitionIdOf, viewerOf } from './admin-request.ts';
import { petitionAdminPath } from './petition-paths.ts';
import { TrendingPage } from './trending-page.tsx';

const HELD_PER_PAGE = 50;

/** ?period= one of the trending periods; anything else shows the last day. */
const trendingQuery = z.object({
  period: z
    .string()
    .refine((period): period is TrendingPeriod => Object.hasOwn(trendingPeriods, period))
    .catch('day'),
});
/** The under-attack switch: `on=yes` turns it on, anything else off. */
const underAttackForm = z.object({ on: queryText() });

const heldFormSchema = z.object({
  ip: z.string({ message: 'Choose an address from the list' }),
  decision: z.enum(['release', 'invalidate'], { message: 'Choose to release or invalidate' }),
});

/** Moderators' and admins' tools against fake signatures: invalidation, the trending report, held signatures, "under attack". */
export function registerProtectionRoutes(app: FastifyInstance, ctx: AppContext) {
  const protectors = { preHandler: requireRole('admin', 'moderator') };

  async function signedPetition(request: FastifyRequest): Promise<Petition> {
    const petition = await petitionFor(ctx.db, viewerOf(request), petitionIdOf(request), 'protect');
    if (!SIGNED_STATES.includes(petition.state)) throw conflict('This petition has not opened, so it has no signatures yet.');
    return petition;
  }

  app.get('/admin/petitions/:id/invalidate', protectors, async (request, reply) => {
    const petition = await signedPetition(request);
    return reply.render(<InvalidateFormPage petition={petition} values={formValues(request.query)} />);
  });

  app.post('/admin/petitions/:id/invalidate/preview', protectors, async (request, reply) => {
    const petition = await signedPetition(request);
    const form = parseForm(invalidationFormSchema, request.body);
    if (!form.ok) return reply.render(<InvalidateFormPage petition={petition} values={form.values} errors={form.errors} />, 422);
    const preview = await previewInvalidation(ctx.db, petition.id, form.value.criterion);
    return reply.render(<InvalidatePreviewPage petition={petition} criterion={form.value.criterion} reason={form.value.reason} preview={preview} />);
  });

  app.post('/admin/petitions/:id/invalidate', protectors, async (request, reply) => {
    const petition = await signedPetition(request);
    const form = parseForm(invalidationFormSchema, request.body);
    if (!form.ok) return reply.render(<InvalidateFormPage petition={petition} values={form.values} errors={form.errors} />, 422);
    const result = await invalidateSignatures(ctx.db, { actor: viewerOf(request), petitionId: petition.id, ...form.value });
    return reply.redirectWithNotice(`${petitionAdminPath(petition.id)}?n=${result.invalidated}`, 'invalidated');
  });

  app.get('/admin/petitions/:id/trending', protectors, async (request, reply) => {
    const petition = await signedPetition(request);
    const { period } = parseRequest(trendingQuery, request.query);
    return reply.render(<TrendingPage petition={petition} period={period} report={await trendingReport(ctx.db, petition.id, { period })} />);
  });

  app.get('/admin/petitions/:id/held', protectors, async (request, reply) => {
    const petition = await signedPetition(request);
    const page = pageFrom(request.query);
    const held = await heldByAddress(ctx.db, petition.id, page, HELD_PER_PAGE);
    const totalPages = pageCount(held.addressCount, HELD_PER_PAGE);
    return reply.render(<HeldPage petition={petition} {...held} page={page} totalPages={totalPages} notice={reply.takeNotice()} />);
  });

  app.post('/admin/petitions/:id/held', protectors, async (request, reply) => {
    const petition = await signedPetition(request);
    const form = parseForm(heldFormSchema, request.body);
    if (!form.ok) throw invalidFields(Object.entries(form.errors).map(([field, message]) => ({ field, message })));
    const { decision } = form.value;
    await decideHeldSignatures(ctx.db, { actor: viewerOf(request), petitionId: petition.id, selection: heldSelection(form.value.ip), decision });
    return reply.redirectWithNotice(petitionAdminPath(petition.id, 'held'), decision === 'release' ? 'released' : 'invalidated');
  });

  app.post('/admin/petitions/:id/under-attack', protectors, async (request, reply) => {
    const petitionId = petitionIdOf(request);
    const on = parseRequest(underAttackForm, request.body).on === 'yes';
    await ctx.db.transaction().execute((tx) => setUnderAttack(tx, { actor: viewerOf(request), petitionId, on }));
    return reply.redirectWithNotice(petitionAdminPath(petitionId), `under-attack-${on ? 'on' : 'off'}`);
  });
}
