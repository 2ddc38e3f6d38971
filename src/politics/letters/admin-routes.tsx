import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { listGroups } from '../../coalition/index.ts';
import { fieldErrorsOf, formValues, pageCount, pageFrom, parseForm, parseParams, requireRole, viewerOf, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { constituencyNames } from '../constituencies.ts';
import { ownerOptions } from '../owner-options.ts';
import type { AppContext } from '../tables.ts';
import { campaignSchema, campaignValues } from './campaign-form.ts';
import { adminCampaignPath, campaignFor, listCampaigns, mayManage, visibleGroupIds, type LetterCampaign } from './campaigns.ts';
import { reviewLetter } from './letter-lifecycle.ts';
import { mpResponsiveness } from './responsiveness.ts';
import { createCampaign, updateCampaign } from './save-campaign.ts';
import { lettersOfCampaign } from './store.ts';
import { CampaignAdminPage, CampaignFormPage, CampaignsAdminPage } from './admin-views.tsx';

const PER_PAGE = 50;
const idParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const letterParams = idParams.extend({ letterId: z.string().regex(/^\d{1,9}$/).transform(Number), decision: z.enum(['release', 'reject']) });



/** Organisers' letter campaigns: roles and groups checked here and again by each command. */
export function registerLetterAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  const anyone = { preHandler: requireRole() };
  const makers = { preHandler: requireRole('admin', 'organiser') };

  const seatNames = async (codes: string[]) => new Map([...(await constituencyNames(ctx.db, codes))].map(([code, seat]) => [code, seat.name]));

  async function renderForm(request: FastifyRequest, reply: FastifyReply, campaign: LetterCampaign | undefined, values: FormValues, errors?: FieldErrors, status = 200) {
    return reply.render(<CampaignFormPage campaign={campaign} owners={await ownerOptions(ctx, viewerOf(request))} values={values} errors={errors} />, status);
  }

  app.get('/admin/letters', anyone, async (request, reply) => {
    const viewer = viewerOf(request);
    const [campaigns, groups] = await Promise.all([listCampaigns(ctx.db, await visibleGroupIds(ctx.db, viewer)), listGroups(ctx.db)]);
    return reply.render(<CampaignsAdminPage campaigns={campaigns} groups={new Map(groups.map((g) => [g.id, g.name]))} canCreate={viewer.role !== 'moderator'} query={request.query} />);
  });

  app.get('/admin/letters/new', makers, async (request, reply) => renderForm(request, reply, undefined, { target: 'own_mp' }));

  app.post('/admin/letters/new', makers, async (request, reply) => {
    const form = parseForm(campaignSchema, request.body);
    if (!form.ok) return renderForm(request, reply, undefined, form.values, form.errors, 422);
    try {
      const id = await ctx.db.transaction().execute((tx) => createCampaign(tx, viewerOf(request), form.value));
      return reply.redirect(`${adminCampaignPath(id)}?notice=created`, 303);
    } catch (error) {
      return renderForm(request, reply, undefined, formValues(request.body), fieldErrorsOf(error), 422);
    }
  });

  const campaignOf = (request: FastifyRequest, power: 'view' | 'manage') => campaignFor(ctx.db, viewerOf(request), parseParams(idParams, request.params, 'letter campaign').id, power);

  app.get('/admin/letters/:id', anyone, async (request, reply) => {
    const viewer = viewerOf(request);
    const campaign = await campaignOf(request, 'view');
    const canManage = await mayManage(ctx.db, viewer, campaign.groupId);
    const page = pageFrom(request.query);
    const [responsiveness, letters, groups] = await Promise.all([
      mpResponsiveness(ctx.db, { campaignId: campaign.id }),
      canManage ? lettersOfCampaign(ctx.db, campaign.id, page, PER_PAGE) : Promise.resolve({ letters: [], total: 0 }),
      listGroups(ctx.db),
    ]);
    const owner = campaign.groupId === null ? 'Coalition-wide' : (groups.find((g) => g.id === campaign.groupId)?.name ?? 'A member group');
    return reply.render(
      <CampaignAdminPage campaign={campaign} owner={owner} canManage={canManage} responsiveness={responsiveness} letters={letters.letters} total={letters.total} page={page} totalPages={pageCount(letters.total, PER_PAGE)} query={request.query} />,
    );
  });

  app.get('/admin/letters/:id/edit', makers, async (request, reply) => {
    const campaign = await campaignOf(request, 'manage');
    return renderForm(request, reply, campaign, campaignValues(campaign, await seatNames(campaign.chosenSeats)));
  });

  app.post('/admin/letters/:id/edit', makers, async (request, reply) => {
    const campaign = await campaignOf(request, 'manage');
    const form = parseForm(campaignSchema, request.body);
    if (!form.ok) return renderForm(request, reply, campaign, form.values, form.errors, 422);
    try {
      await ctx.db.transaction().execute((tx) => updateCampaign(tx, viewerOf(request), campaign.id, form.value));
      return reply.redirect(`${adminCampaignPath(campaign.id)}?notice=updated`, 303);
    } catch (error) {
      return renderForm(request, reply, campaign, formValues(request.body), fieldErrorsOf(error), 422);
    }
  });

  app.post('/admin/letters/:id/letters/:letterId/:decision', makers, async (request, reply) => {
    const { id, letterId, decision } = parseParams(letterParams, request.params, 'letter');
    await ctx.db.transaction().execute((tx) => reviewLetter(tx, viewerOf(request), id, letterId, decision));
    return reply.redirect(`${adminCampaignPath(id)}?notice=${decision === 'release' ? 'released' : 'rejected'}`, 303);
  });
}
