import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { findGroupsByIds, groupIdsFor, listGroups } from '../../coalition/index.ts';
import { csvStream, DomainError, fieldErrorsOf, formatLondon, formList, formValues, invalidField, pageFrom, parseForm, parseParams, parseRequest, recordAudit, requireRole, viewerOf, type FieldErrors, type Viewer } from '../../platform/index.ts';
import { constituencyNames, lookupPostcode, regionNames } from '../../politics/index.ts';
import { storiesKeyRing, useStoriesConfig } from '../story-keys.ts';
import type { AppContext } from '../tables.ts';
import { addSpeakingTopic, addStoryteller, addStorytellerNote, advanceStoryteller, setStorytellerTopics } from './change-storyteller.ts';
import { askForm, attendanceForm, noteForm, topicsForm, opportunityForm, outcomeForm, stageForm, storytellerForm, topicForm, trainingForm } from './forms.ts';
import { askStorytellers, createOpportunity, findOpportunity, listOpportunities, matchStorytellers, recordOutcome, yesContacts, type Opportunity } from './opportunities.ts';
import { STAGES } from './stages.ts';
import { asksOf, listStorytellers, listTopics, notesOf, storytellerFor, storytellerScope, trainingOf, SEALED, type Storyteller } from './storytellers.ts';
import type { StorytellerStage } from './tables.ts';
import { attendanceChoices, createTrainingSession, findTrainingSession, listTrainingSessions, recordAttendance } from './training.ts';
import { registerAskRoutes } from './ask-routes.tsx';
import { OpportunityFormPage, OpportunityListPage, OpportunityPage, StorytellerFormPage, StorytellerListPage, StorytellerPage, TopicsPage, TrainingListPage, TrainingSessionPage, opportunityPath, storytellerPath } from './views.tsx';

const PER_PAGE = 25;
const idParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const storytellerParams = z.object({ publicId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i) });
const askParams = storytellerParams.extend({ askId: z.string().regex(/^\d{1,9}$/).transform(Number) });
const listQuery = z.object({ stage: z.enum(STAGES as [StorytellerStage, ...StorytellerStage[]]).optional().catch(undefined) });


/** A rule's field problems, to show on the form again; any other error goes on to the error page. */

/**
 * Every storyteller page: the pipeline (/admin/storytellers), training, topics, requests to
 * speak (/admin/opportunities) and the storyteller's own yes/no page. Roles on every route; a
 * storyteller's record only through storytellerFor (groups checked, refusals audited).
 */
export function registerStorytellerRoutes(app: FastifyInstance, ctx: AppContext) {
  useStoriesConfig(ctx.config);
  const ring = () => storiesKeyRing(ctx.config);
  const staff = { preHandler: requireRole('admin', 'organiser', 'moderator') };
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');
  registerAskRoutes(app, ctx);

  async function names(codes: Array<string | null>, groupIds: number[] = []) {
    const [constituencies, regions, topics, groups] = await Promise.all([constituencyNames(ctx.db, codes.filter((c): c is string => !!c)), regionNames(ctx.db), listTopics(ctx.db), findGroupsByIds(ctx.db, groupIds)]);
    return {
      constituencies: new Map([...constituencies].map(([code, c]) => [code, c.name])),
      regions,
      topics: new Map(topics.map((t) => [t.id, t.name])),
      groups: new Map(groups.map((g) => [g.id, g.name])),
    };
  }

  async function groupOptions(viewer: Viewer) {
    const scope = viewer.role === 'organiser' ? await groupIdsFor(ctx.db, viewer) : 'all';
    const groups = await listGroups(ctx.db);
    return (scope === 'all' ? groups : groups.filter((g) => scope.includes(g.id))).map((g) => ({ value: String(g.id), label: g.name }));
  }
  const topicOptions = async () => (await listTopics(ctx.db)).map((t) => ({ value: String(t.id), label: t.name }));

  // The pipeline list.
  app.get('/admin/storytellers', staff, async (request, reply) => {
    const viewer = viewerOf(request);
    const { stage } = parseRequest(listQuery, request.query);
    const page = pageFrom(request.query);
    const scope = await storytellerScope(ctx.db, viewer);
    const result = await listStorytellers(ctx.db, ring(), scope, { stage, page, perPage: PER_PAGE });
    await recordAudit(ctx.db, { actor: viewer, action: 'storyteller.list.view', subjectType: 'storyteller', subjectId: null, after: { stage: stage ?? 'all', page, shown: result.items.length } });
    return noStore(reply).render(<StorytellerListPage {...result} page={page} perPage={PER_PAGE} stage={stage} names={await names(result.items.map((i) => i.constituencyCode))} notice={reply.takeNotice()} />);
  });

  async function renderNew(request: FastifyRequest, reply: FastifyReply, errors?: FieldErrors) {
    const viewer = viewerOf(request);
    const groups = await groupOptions(viewer);
    const fresh = errors === undefined;
    return reply.render(
      <StorytellerFormPage
        groups={groups}
        topics={await topicOptions()}
        values={fresh ? {} : formValues(request.body)}
        selectedGroups={fresh ? (groups.length === 1 ? [groups[0]!.value] : []) : formList(request.body, 'groups')}
        selectedTopics={fresh ? [] : formList(request.body, 'topics')}
        errors={errors}
      />,
      fresh ? 200 : 422,
    );
  }
  app.get('/admin/storytellers/new', staff, (request, reply) => renderNew(request, reply));
  app.post('/admin/storytellers/new', staff, async (request, reply) => {
    const form = parseForm(storytellerForm, request.body);
    if (!form.ok) return renderNew(request, reply, form.errors);
    try {
      const publicId = await ctx.db.transaction().execute((tx) => addStoryteller(tx, ring(), viewerOf(request), { ...form.value, groupIds: form.value.groups, topicIds: form.value.topics }));
      return reply.redirectWithNotice(storytellerPath(publicId), 'created');
    } catch (error) {
      return renderNew(request, reply, fieldErrorsOf(error));
    }
  });

  // Topics.
  app.get('/admin/storytellers/topics', staff, async (request, reply) => reply.render(<TopicsPage topics={await listTopics(ctx.db)} canAdd={viewerOf(request).role !== 'organiser'} notice={reply.takeNotice()} />));
  app.post('/admin/storytellers/topics', { preHandler: requireRole('admin', 'moderator') }, async (request, reply) => {
    const form = parseForm(topicForm, request.body);
    const again = async (errors: FieldErrors) => reply.render(<TopicsPage topics={await listTopics(ctx.db)} canAdd values={formValues(request.body)} errors={errors} />, 422);
    if (!form.ok) return again(form.errors);
    try {
      await ctx.db.transaction().execute((tx) => addSpeakingTopic(tx, viewerOf(request), form.value.name));
      return reply.redirectWithNotice('/admin/storytellers/topics', 'topic');
    } catch (error) {
      return again(fieldErrorsOf(error));
    }
  });

  // Training.
  async function renderTraining(request: FastifyRequest, reply: FastifyReply, errors?: FieldErrors) {
    const page = pageFrom(request.query);
    const result = await listTrainingSessions(ctx.db, page, PER_PAGE);
    return reply.render(<TrainingListPage {...result} page={page} perPage={PER_PAGE} values={errors ? formValues(request.body) : {}} errors={errors} notice={reply.takeNotice()} />, errors ? 422 : 200);
  }
  app.get('/admin/storytellers/training', staff, (request, reply) => renderTraining(request, reply));
  app.post('/admin/storytellers/training', staff, async (request, reply) => {
    const form = parseForm(trainingForm, request.body);
    if (!form.ok) return renderTraining(request, reply, form.errors);
    const v = form.value;
    try {
      const id = await ctx.db.transaction().execute((tx) => createTrainingSession(tx, viewerOf(request), v.event !== undefined ? { eventId: v.event } : { title: v.title!, startsAt: new Date(`${v.date!}T09:00:00Z`) }));
      return reply.redirectWithNotice(`/admin/storytellers/training/${id}`, 'training');
    } catch (error) {
      return renderTraining(request, reply, fieldErrorsOf(error));
    }
  });

  async function renderSession(request: FastifyRequest, reply: FastifyReply, errors?: FieldErrors) {
    const { id } = parseParams(idParams, request.params, 'training session');
    const session = await findTrainingSession(ctx.db, id);
    if (!session) throw new DomainError('not_found', 'We could not find that training session.');
    const viewer = viewerOf(request);
    const rows = await attendanceChoices(ctx.db, await storytellerScope(ctx.db, viewer), id);
    const keys = ring();
    const choices = rows.map((r) => ({ public_id: r.public_id, name: keys.openText(r.name_sealed, SEALED.name), stage: r.stage, attended: r.attended_at !== null }));
    await recordAudit(ctx.db, { actor: viewer, action: 'training.view', subjectType: 'training-session', subjectId: id });
    return noStore(reply).render(<TrainingSessionPage session={session} choices={choices} errors={errors} notice={reply.takeNotice()} />, errors ? 422 : 200);
  }
  app.get('/admin/storytellers/training/:id', staff, (request, reply) => renderSession(request, reply));
  app.post('/admin/storytellers/training/:id/attendance', staff, async (request, reply) => {
    const { id } = parseParams(idParams, request.params, 'training session');
    const form = parseForm(attendanceForm, request.body);
    if (!form.ok) return renderSession(request, reply, form.errors);
    try {
      const viewer = viewerOf(request);
      await ctx.db.transaction().execute(async (tx) => recordAttendance(tx, viewer, await storytellerScope(tx, viewer), id, form.value.attended));
      return reply.redirectWithNotice(`/admin/storytellers/training/${id}`, 'attendance');
    } catch (error) {
      return renderSession(request, reply, fieldErrorsOf(error));
    }
  });

  // One storyteller's record.
  const storytellerOf = (request: FastifyRequest) => storytellerFor(ctx.db, ring(), viewerOf(request), parseParams(storytellerParams, request.params, 'storyteller').publicId);
  async function renderRecord(request: FastifyRequest, reply: FastifyReply, storyteller: Storyteller, errors?: FieldErrors) {
    const keys = ring();
    const [notes, training, asks] = await Promise.all([notesOf(ctx.db, keys, storyteller.id), trainingOf(ctx.db, storyteller.id), asksOf(ctx.db, keys, storyteller.id)]);
    await recordAudit(ctx.db, { actor: viewerOf(request), action: 'storyteller.view', subjectType: 'storyteller', subjectId: storyteller.publicId });
    return noStore(reply).render(
      <StorytellerPage storyteller={storyteller} topics={await topicOptions()} notes={notes} training={training} asks={asks} names={await names([storyteller.constituencyCode], storyteller.groupIds)} notice={reply.takeNotice()} errors={errors} values={errors ? formValues(request.body) : undefined} />,
      errors ? 422 : 200,
    );
  }
  app.get('/admin/storytellers/:publicId', staff, async (request, reply) => renderRecord(request, reply, await storytellerOf(request)));

  app.post('/admin/storytellers/:publicId/stage', staff, async (request, reply) => {
    const storyteller = await storytellerOf(request);
    const form = parseForm(stageForm, request.body);
    if (!form.ok) return renderRecord(request, reply, storyteller, form.errors);
    await ctx.db.transaction().execute((tx) => advanceStoryteller(tx, viewerOf(request), storyteller, form.value.to));
    return reply.redirectWithNotice(storytellerPath(storyteller.publicId), form.value.to);
  });

  app.post('/admin/storytellers/:publicId/notes', staff, async (request, reply) => {
    const storyteller = await storytellerOf(request);
    const form = parseForm(noteForm, request.body);
    if (!form.ok) return renderRecord(request, reply, storyteller, form.errors);
    await ctx.db.transaction().execute((tx) => addStorytellerNote(tx, ring(), viewerOf(request), storyteller, form.value.note));
    return reply.redirectWithNotice(storytellerPath(storyteller.publicId), 'noted');
  });

  app.post('/admin/storytellers/:publicId/topics', staff, async (request, reply) => {
    const storyteller = await storytellerOf(request);
    const form = parseForm(topicsForm, request.body);
    if (!form.ok) return renderRecord(request, reply, storyteller, form.errors);
    try {
      await ctx.db.transaction().execute((tx) => setStorytellerTopics(tx, viewerOf(request), storyteller, form.value.topics));
    } catch (error) {
      return renderRecord(request, reply, storyteller, fieldErrorsOf(error));
    }
    return reply.redirectWithNotice(storytellerPath(storyteller.publicId), 'topics');
  });

  app.post('/admin/storytellers/:publicId/asks/:askId/outcome', staff, async (request, reply) => {
    const storyteller = await storytellerOf(request);
    const { askId } = parseParams(askParams, request.params, 'request');
    const form = parseForm(outcomeForm, request.body);
    if (!form.ok) return renderRecord(request, reply, storyteller, form.errors);
    await ctx.db.transaction().execute((tx) => recordOutcome(tx, ring(), viewerOf(request), storyteller, askId, { withWhom: form.value.with_whom, where: form.value.where, links: form.value.links }));
    return reply.redirectWithNotice(storytellerPath(storyteller.publicId), 'outcome');
  });

  // Requests to speak.
  app.get('/admin/opportunities', staff, async (request, reply) => {
    const page = pageFrom(request.query);
    return reply.render(<OpportunityListPage {...await listOpportunities(ctx.db, page, PER_PAGE)} page={page} perPage={PER_PAGE} />);
  });

  async function renderNewOpportunity(request: FastifyRequest, reply: FastifyReply, errors?: FieldErrors) {
    const regions = [...(await regionNames(ctx.db))].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
    return reply.render(<OpportunityFormPage topics={await topicOptions()} regions={regions} values={errors ? formValues(request.body) : {}} errors={errors} />, errors ? 422 : 200);
  }
  app.get('/admin/opportunities/new', staff, (request, reply) => renderNewOpportunity(request, reply));
  app.post('/admin/opportunities/new', staff, async (request, reply) => {
    const form = parseForm(opportunityForm, request.body);
    if (!form.ok) return renderNewOpportunity(request, reply, form.errors);
    const v = form.value;
    try {
      const id = await ctx.db.transaction().execute(async (tx) => {
        let place: { constituencyCode: string | null; regionCode: string | null } = { constituencyCode: null, regionCode: v.region ?? null };
        if (v.postcode) {
          const found = await lookupPostcode(tx, v.postcode);
          if (found.status !== 'found') throw invalidField('postcode', 'Enter a real UK postcode, like BS1 4DJ, or leave it empty');
          place = { constituencyCode: found.constituencyCode, regionCode: found.regionCode ?? v.region ?? null };
        }
        return createOpportunity(tx, ring(), viewerOf(request), { requesterKind: v.kind, requester: v.requester, outlet: v.outlet, wanted: v.wanted, topicId: v.topic, deadline: v.deadline, ...place });
      });
      return reply.redirectWithNotice(opportunityPath(id), 'opportunity');
    } catch (error) {
      return renderNewOpportunity(request, reply, fieldErrorsOf(error));
    }
  });

  async function opportunityOf(request: FastifyRequest): Promise<Opportunity> {
    const { id } = parseParams(idParams, request.params, 'request');
    const found = await findOpportunity(ctx.db, ring(), id);
    if (!found) throw new DomainError('not_found', 'We could not find that request.');
    return found;
  }
  async function renderOpportunity(request: FastifyRequest, reply: FastifyReply, opportunity: Opportunity, errors?: FieldErrors) {
    const viewer = viewerOf(request);
    const matches = await matchStorytellers(ctx.db, ring(), await storytellerScope(ctx.db, viewer), opportunity);
    await recordAudit(ctx.db, { actor: viewer, action: 'opportunity.view', subjectType: 'opportunity', subjectId: opportunity.id, after: { contactsShown: matches.filter((m) => m.contact).map((m) => m.publicId) } });
    return noStore(reply).render(<OpportunityPage opportunity={opportunity} matches={matches} names={await names([opportunity.constituencyCode, ...matches.map((m) => m.constituencyCode)])} errors={errors} notice={reply.takeNotice()} />, errors ? 422 : 200);
  }
  app.get('/admin/opportunities/:id', staff, async (request, reply) => renderOpportunity(request, reply, await opportunityOf(request)));

  app.post('/admin/opportunities/:id/asks', staff, async (request, reply) => {
    const opportunity = await opportunityOf(request);
    const form = parseForm(askForm, request.body);
    if (!form.ok) return renderOpportunity(request, reply, opportunity, form.errors);
    const viewer = viewerOf(request);
    try {
      await ctx.db.transaction().execute(async (tx) => askStorytellers(ctx, tx, ring(), viewer, await storytellerScope(tx, viewer), opportunity, form.value.storytellers));
      return reply.redirectWithNotice(opportunityPath(opportunity.id), 'asked');
    } catch (error) {
      return renderOpportunity(request, reply, opportunity, fieldErrorsOf(error));
    }
  });

  app.get('/admin/opportunities/:id/contacts.csv', staff, async (request, reply) => {
    const opportunity = await opportunityOf(request);
    const viewer = viewerOf(request);
    const contacts = await yesContacts(ctx.db, ring(), await storytellerScope(ctx.db, viewer), opportunity);
    await recordAudit(ctx.db, { actor: viewer, action: 'opportunity.export', subjectType: 'opportunity', subjectId: opportunity.id, after: { rows: contacts.length } });
    async function* rows() {
      for (const c of contacts) yield [c.contact!.name, c.contact!.email, c.contact!.phone ?? '', formatLondon(new Date())];
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="request-${opportunity.id}-contacts.csv"`)
      .header('cache-control', 'no-store')
      .send(csvStream(['Name', 'Email', 'Phone', 'Exported at'], rows()));
  });
}
