import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { listGroups } from '../../coalition/index.ts';
import { fieldErrorsOf, formList, formValues, pageCount, pageFrom, parseForm, parseParams, parseRequest, requireRole, viewerOf, type FieldErrors, type FormValues, type Option } from '../../platform/index.ts';
import { regionNames } from '../constituencies.ts';
import { ownerOptions } from '../owner-options.ts';
import type { AppContext } from '../tables.ts';
import { addTargetPolitician, addTargetSeat, removeTargetPolitician, removeTargetSeat } from './change-target-entries.ts';
import { seatsOfList } from './list-seats.ts';
import { rankSeats, SEAT_ORDERS } from './ranking.ts';
import { describeRule } from './rules.ts';
import { createTargetList, deleteTargetList, updateTargetList } from './save-target-list.ts';
import { figuresByConstituency, NO_FIGURES } from './seat-figures.ts';
import { registerMapRoutes } from './map-routes.tsx';
import { targetOpportunities } from './opportunities.ts';
import { OpportunitiesPageView } from './opportunity-views.tsx';
import { seatPageData } from './seat-page-data.ts';
import { politicianSchema, seatSchema, targetListSchema, targetListValues } from './target-form.ts';
import { listTargetLists, mayManage, politiciansOf, targetListFor, visibleGroupIds, type TargetList } from './target-lists.ts';
import { SeatPage, TargetListFormPage, TargetListPage, TargetListsPage, targetPath } from './views.tsx';

const PER_PAGE = 100;
const listParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const seatParams = z.object({ code: z.string().regex(/^[A-Za-z]\d{8}$/).transform((c) => c.toUpperCase()) });
const seatEntryParams = listParams.extend({ code: seatParams.shape.code });
const politicianParams = listParams.extend({ pid: z.string().regex(/^\d{1,9}$/).transform(Number) });
const listQuery = z.object({ order: z.enum(SEAT_ORDERS).optional().catch(undefined) }).passthrough();



async function regionOptions(ctx: AppContext): Promise<Option[]> {
  const regions = await regionNames(ctx.db);
  return [...regions.entries()].sort((a, b) => a[1].localeCompare(b[1], 'en-GB')).map(([value, label]) => ({ value, label }));
}

async function groupNames(ctx: AppContext): Promise<Map<number, string>> {
  return new Map((await listGroups(ctx.db)).map((g) => [g.id, g.name]));
}

/** The organisers' target lists and seat pages. Roles and groups are checked here and again by each command. */
export function registerTargetRoutes(app: FastifyInstance, ctx: AppContext) {
  const anyone = { preHandler: requireRole() };
  registerMapRoutes(app, ctx);
  const makers = { preHandler: requireRole('admin', 'organiser') };

  async function renderForm(request: FastifyRequest, reply: FastifyReply, list: TargetList | undefined, values: FormValues, errors?: FieldErrors, status = 200) {
    const viewer = viewerOf(request);
    const [owners, regions] = await Promise.all([ownerOptions(ctx, viewer), regionOptions(ctx)]);
    const body = request.body;
    const selected = errors ? { winning: formList(body, 'winning'), second: formList(body, 'second'), regions: formList(body, 'regions') } : list ? targetListValues(list).selected : { winning: [], second: [], regions: [] };
    return reply.render(<TargetListFormPage list={list} owners={owners} regions={regions} values={values} selected={selected} errors={errors} />, status);
  }

  async function renderList(request: FastifyRequest, reply: FastifyReply, list: TargetList, state: { values?: FormValues; errors?: FieldErrors } = {}, status = 200) {
    const viewer = viewerOf(request);
    const { order = 'marginality' } = parseRequest(listQuery, request.query);
    const page = pageFrom(request.query);
    const [seats, figures, politicians, groups, regions, canManage] = await Promise.all([
      seatsOfList(ctx.db, list.id),
      figuresByConstituency(ctx.db),
      politiciansOf(ctx.db, [list.id]),
      groupNames(ctx),
      regionNames(ctx.db),
      mayManage(ctx.db, viewer, list.groupId),
    ]);
    const ranked = rankSeats(seats.map((s) => ({ ...s, figures: figures.get(s.code) ?? NO_FIGURES })), order);
    const totalPages = pageCount(ranked.length, PER_PAGE);
    return reply.render(
      <TargetListPage
        list={list}
        ruleText={describeRule(list.rule, regions)}
        owner={list.groupId === null ? 'Coalition-wide' : (groups.get(list.groupId) ?? 'A member group')}
        canManage={canManage}
        seats={ranked.slice((page - 1) * PER_PAGE, page * PER_PAGE)}
        total={ranked.length}
        order={order}
        page={page}
        totalPages={totalPages}
        politicians={politicians}
        values={state.values}
        errors={state.errors}
        notice={reply.takeNotice()}
      />,
      status,
    );
  }

  app.get('/admin/targets', anyone, async (request, reply) => {
    const viewer = viewerOf(request);
    const lists = await listTargetLists(ctx.db, await visibleGroupIds(ctx.db, viewer));
    return reply.render(<TargetListsPage lists={lists} groups={await groupNames(ctx)} canCreate={viewer.role !== 'moderator'} notice={reply.takeNotice()} />);
  });

  // Not /admin/opportunities: that is stories' requests to speak.
  const opportunitiesQuery = z.object({ list: z.string().regex(/^\d{1,9}$/).transform(Number).optional().catch(undefined) });
  app.get('/admin/targets/opportunities', anyone, async (request, reply) => {
    const { list } = parseRequest(opportunitiesQuery, request.query);
    return reply.render(<OpportunitiesPageView {...await targetOpportunities(ctx.db, viewerOf(request), { listId: list })} />);
  });

  app.get('/admin/targets/new', makers, async (request, reply) => renderForm(request, reply, undefined, { max_majority: '' }));

  app.post('/admin/targets/new', makers, async (request, reply) => {
    const form = parseForm(targetListSchema, request.body);
    if (!form.ok) return renderForm(request, reply, undefined, form.values, form.errors, 422);
    try {
      const id = await ctx.db.transaction().execute((tx) => createTargetList(tx, viewerOf(request), form.value));
      return reply.redirectWithNotice(targetPath(id), 'created');
    } catch (error) {
      return renderForm(request, reply, undefined, formValues(request.body), fieldErrorsOf(error), 422);
    }
  });

  const listOf = (request: FastifyRequest, power: 'view' | 'manage') => targetListFor(ctx.db, viewerOf(request), parseParams(listParams, request.params, 'target list').id, power);

  app.get('/admin/targets/:id', anyone, async (request, reply) => renderList(request, reply, await listOf(request, 'view')));

  app.get('/admin/targets/:id/edit', makers, async (request, reply) => {
    const list = await listOf(request, 'manage');
    return renderForm(request, reply, list, targetListValues(list).values);
  });

  app.post('/admin/targets/:id/edit', makers, async (request, reply) => {
    const list = await listOf(request, 'manage');
    const form = parseForm(targetListSchema, request.body);
    if (!form.ok) return renderForm(request, reply, list, form.values, form.errors, 422);
    try {
      await ctx.db.transaction().execute((tx) => updateTargetList(tx, viewerOf(request), list.id, form.value));
      return reply.redirectWithNotice(targetPath(list.id), 'updated');
    } catch (error) {
      return renderForm(request, reply, list, formValues(request.body), fieldErrorsOf(error), 422);
    }
  });

  app.post('/admin/targets/:id/delete', makers, async (request, reply) => {
    const list = await listOf(request, 'manage');
    await ctx.db.transaction().execute((tx) => deleteTargetList(tx, viewerOf(request), list.id));
    return reply.redirectWithNotice('/admin/targets', 'deleted');
  });

  app.post('/admin/targets/:id/seats', makers, async (request, reply) => {
    const list = await listOf(request, 'manage');
    const form = parseForm(seatSchema, request.body);
    if (!form.ok) return renderList(request, reply, list, { values: form.values, errors: form.errors }, 422);
    try {
      await ctx.db.transaction().execute((tx) => addTargetSeat(tx, viewerOf(request), list.id, form.value.seat));
      return reply.redirectWithNotice(targetPath(list.id), 'seat-added');
    } catch (error) {
      return renderList(request, reply, list, { values: formValues(request.body), errors: fieldErrorsOf(error) }, 422);
    }
  });

  app.post('/admin/targets/:id/seats/:code/remove', makers, async (request, reply) => {
    const { id, code } = parseParams(seatEntryParams, request.params, 'seat');
    await ctx.db.transaction().execute((tx) => removeTargetSeat(tx, viewerOf(request), id, code));
    return reply.redirectWithNotice(targetPath(id), 'seat-removed');
  });

  app.post('/admin/targets/:id/politicians', makers, async (request, reply) => {
    const list = await listOf(request, 'manage');
    const form = parseForm(politicianSchema, request.body);
    if (!form.ok) return renderList(request, reply, list, { values: form.values, errors: form.errors }, 422);
    try {
      await ctx.db.transaction().execute((tx) => addTargetPolitician(tx, viewerOf(request), list.id, form.value));
      return reply.redirectWithNotice(targetPath(list.id), 'politician-added');
    } catch (error) {
      return renderList(request, reply, list, { values: formValues(request.body), errors: fieldErrorsOf(error) }, 422);
    }
  });

  app.post('/admin/targets/:id/politicians/:pid/remove', makers, async (request, reply) => {
    const { id, pid } = parseParams(politicianParams, request.params, 'politician');
    await ctx.db.transaction().execute((tx) => removeTargetPolitician(tx, viewerOf(request), id, pid));
    return reply.redirectWithNotice(targetPath(id), 'politician-removed');
  });

  app.get('/admin/seats/:code', anyone, async (request, reply) => {
    const { code } = parseParams(seatParams, request.params, 'constituency');
    return reply.render(<SeatPage {...await seatPageData(ctx.db, viewerOf(request), code)} />);
  });
}
