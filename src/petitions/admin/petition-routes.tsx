import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { groupIdsFor, listGroups, type Group } from '../../coalition/index.ts';
import type { AppContext, PetitionState } from '../tables.ts';
import { formList, formValues, pageFrom, parseForm, parseRequest, queryText, requireRole, type FieldErrors, type FormResult, type FormValues, type Viewer } from '../../platform/index.ts';
import { countByState, listPetitionsForAdmin } from '../admin-store.ts';
import { createPetition, type PetitionWording } from '../create-petition.ts';
import { petitionFor } from '../petition-access.ts';
import { milestoneFormValues, milestonesFrom, settingsFormSchema, wordingFormSchema, type FormStart, type SettingsForm, type WordingForm } from '../petition-form.ts';
import { defaultMilestones } from '../milestones.ts';
import { EDITABLE_STATES, stateLabels } from '../states.ts';
import type { Petition } from '../store.ts';
import { updatePetition } from '../update-petition.ts';
import { PetitionListPage } from './list-page.tsx';
import { OverviewPage, overviewFacts } from './overview-page.tsx';
import { PetitionFormPage } from './petition-form-page.tsx';
import { fieldErrorsOf, petitionIdOf, viewerOf } from './admin-request.ts';
import { petitionAdminPath } from './petition-paths.ts';

const PER_PAGE = 25;

async function groupChoices(ctx: AppContext, viewer: Viewer): Promise<Group[]> {
  const allowed = await groupIdsFor(ctx.db, viewer);
  const groups = await listGroups(ctx.db);
  return allowed === 'all' ? groups : groups.filter((g) => allowed.includes(g.id));
}

function editValues(p: Petition): FormValues {
  return {
    action: p.action,
    background: p.background,
    additional_details: p.additionalDetails,
    target: p.target,
    closing_date: p.closingDate ?? '',
    image_alt: p.imageAlt ?? '',
    ...milestoneFormValues(p.milestones),
  };
}

function imageOf(form: SettingsForm) {
  return form.image ? { file: form.image, alt: form.image_alt } : undefined;
}

function wordingOf(form: WordingForm): PetitionWording {
  return { groupIds: form.groups, action: form.action, background: form.background, additionalDetails: form.additional_details, target: form.target };
}

/** Before opening the whole form is checked; after, only the closing date, milestones and image. */
function parseEditForm(wordingEditable: boolean, start: FormStart, body: unknown): FormResult<{ wording?: PetitionWording; settings: SettingsForm }> {
  if (!wordingEditable) {
    const form = parseForm(settingsFormSchema(start), body);
    return form.ok ? { ok: true, value: { settings: form.value } } : form;
  }
  const form = parseForm(wordingFormSchema(start), body);
  return form.ok ? { ok: true, value: { wording: wordingOf(form.value), settings: form.value } } : form;
}

/** ?state= filters the list by one state; any other value shows every petition. */
const listQuery = z.object({
  state: z
    .string()
    .refine((state): state is PetitionState => Object.hasOwn(stateLabels, state))
    .optional()
    .catch(undefined),
});
/** ?n= is the count a notice speaks of (signatures released, say). */
const overviewQuery = z.object({ n: queryText() });

/** List, start, look at and edit petitions. */
export function registerPetitionManagementRoutes(app: FastifyInstance, ctx: AppContext) {
  const anyone = { preHandler: requireRole() };
  const makers = { preHandler: requireRole('admin', 'organiser') };

  app.get('/admin/petitions', anyone, async (request, reply) => {
    const viewer = viewerOf(request);
    const { state } = parseRequest(listQuery, request.query);
    const groupIds = viewer.role === 'organiser' ? await groupIdsFor(ctx.db, viewer) : 'all';
    const [result, counts] = await Promise.all([
      listPetitionsForAdmin(ctx.db, { groupIds, state, page: pageFrom(request.query), perPage: PER_PAGE }),
      countByState(ctx.db, groupIds),
    ]);
    return reply.render(<PetitionListPage result={result} state={state} counts={counts} canCreate={viewer.role !== 'moderator'} ownGroupsOnly={groupIds !== 'all'} />);
  });

  async function renderForm(request: FastifyRequest, reply: FastifyReply, petition: Petition | undefined, state: { values: FormValues; selectedGroups: string[]; errors?: FieldErrors }, status = 200) {
    const groups = await groupChoices(ctx, viewerOf(request));
    return reply.render(<PetitionFormPage petition={petition} groups={groups} {...state} />, status);
  }

  app.get('/admin/petitions/new', makers, async (request, reply) => {
    const groups = await groupChoices(ctx, viewerOf(request));
    const values = milestoneFormValues(defaultMilestones);
    return renderForm(request, reply, undefined, { values, selectedGroups: groups.length === 1 ? [String(groups[0]!.id)] : [] });
  });

  app.post('/admin/petitions/new', makers, async (request, reply) => {
    const kept = { selectedGroups: formList(request.body, 'groups') };
    const form = parseForm(wordingFormSchema(), request.body);
    if (!form.ok) return renderForm(request, reply, undefined, { ...kept, values: form.values, errors: form.errors }, 422);
    try {
      const id = await ctx.db.transaction().execute((tx) =>
        createPetition(tx, { actor: viewerOf(request), ...wordingOf(form.value), closingDate: form.value.closing_date, milestones: milestonesFrom(form.value), image: imageOf(form.value) }),
      );
      return reply.redirectWithNotice(petitionAdminPath(id), 'created');
    } catch (error) {
      return renderForm(request, reply, undefined, { ...kept, values: formValues(request.body), errors: fieldErrorsOf(error) }, 422);
    }
  });

  app.get('/admin/petitions/:id', anyone, async (request, reply) => {
    const viewer = viewerOf(request);
    const petition = await petitionFor(ctx.db, viewer, petitionIdOf(request), 'view');
    const n = Number(parseRequest(overviewQuery, request.query).n);
    return reply.render(
      <OverviewPage
        petition={petition}
        viewer={viewer}
        baseUrl={ctx.config.BASE_URL}
        {...await overviewFacts(ctx.db, viewer, petition)}
        notice={reply.takeNotice()}
        noticeCount={Number.isSafeInteger(n) && n >= 0 ? n : undefined}
      />,
    );
  });

  app.get('/admin/petitions/:id/edit', makers, async (request, reply) => {
    const petition = await petitionFor(ctx.db, viewerOf(request), petitionIdOf(request), 'edit');
    return renderForm(request, reply, petition, { values: editValues(petition), selectedGroups: petition.groups.map((g) => String(g.id)) });
  });

  app.post('/admin/petitions/:id/edit', makers, async (request, reply) => {
    const viewer = viewerOf(request);
    const petition = await petitionFor(ctx.db, viewer, petitionIdOf(request), 'edit');
    const wordingEditable = EDITABLE_STATES.includes(petition.state);
    const kept = { selectedGroups: formList(request.body, 'groups') };
    const form = parseEditForm(wordingEditable, { hadImage: petition.imageUrl !== null, closingDate: petition.closingDate }, request.body);
    if (!form.ok) return renderForm(request, reply, petition, { ...kept, values: form.values, errors: form.errors }, 422);
    const { wording, settings: value } = form.value;
    try {
      await ctx.db.transaction().execute((tx) =>
        updatePetition(tx, {
          actor: viewer,
          petitionId: petition.id,
          wording,
          closingDate: value.closing_date,
          milestones: milestonesFrom(value),
          image: imageOf(value),
          imageAlt: value.image_alt || undefined,
          removeImage: value.remove_image,
        }),
      );
      return reply.redirectWithNotice(petitionAdminPath(petition.id), 'updated');
    } catch (error) {
      return renderForm(request, reply, petition, { ...kept, values: formValues(request.body), errors: fieldErrorsOf(error) }, 422);
    }
  });
}
