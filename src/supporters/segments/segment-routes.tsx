import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, Q } from '../tables.ts';
import { DomainError, errorsFrom, formValues, parseForm, parseParams, parseRequest, recordAudit, requireRole, requiredText, type FieldErrors, personConditions } from '../../platform/index.ts';
import { definitionFromDraft, draftFromDefinition, draftFromQuery, outOfReachErrors, type Draft, type DraftResult } from './builder-query.ts';
import { BuilderPage, formatCount } from './builder-view.tsx';
import { actionKinds, collectionChoices } from '../collections/collections.ts';
import { countSegment, segmentPage, type PeopleScope } from './compile-segment.ts';
import type { BuilderChoices } from './condition-fields.tsx';
import { segmentPurposes } from '../consent-purposes.ts';
import { exportSegmentCsv } from './export-segment.ts';
import { assertWithinReach, outOfReach } from './segment-reach.ts';
import { canManage } from '../ownership.ts';
import { createSegment, deleteSegment, getSegment, listSegments, segmentScope, updateSegment, type SavedSegment } from './segment-store.ts';
import { SegmentPage, SegmentsIndexPage } from './segment-views.tsx';
import { segmentNames } from './describe-segment.ts';
import { applySeatPicker, seatsOnce } from './constituency-picker.ts';
import { constituencyNames } from '../../politics/index.ts';
import { listPetitionsPage } from '../../petitions/index.ts';
import { ownerOptions, parseOwner, scopeOf, viewerOf } from '../viewer-scope.ts';

const PEOPLE_SHOWN = 50;
/** Petitions the builder offers by title (older ones can still be named by number in the address). */
const PETITIONS_OFFERED = 500;

async function builderChoices(q: Q, scope: PeopleScope): Promise<BuilderChoices> {
  const [tags, lists, purposes, kinds] = await Promise.all([
    collectionChoices(q, 'tag', scope),
    collectionChoices(q, 'list', scope),
    segmentPurposes(q, scope),
    actionKinds(q),
  ]);
  // What other capabilities offer to build on (events: booked, attended), each with the viewer's own subjects.
  const activities = await Promise.all(
    personConditions().map(async (c) => ({ key: c.key, label: c.label, subjectLabel: c.subjectLabel, anySubject: c.anySubject, subjects: await c.choices(q, scope) })),
  );
  return { tags, lists, purposes, actionKinds: kinds, activities };
}

/** The petitions whose signers the viewer may count: every one for admins, their groups' for organisers; newest first. */
async function petitionChoices(q: Q, scope: PeopleScope): Promise<Array<{ id: number; title: string }>> {
  const owners = scope === 'all' ? [null] : scope;
  const pages = await Promise.all(owners.map((groupId) => listPetitionsPage(q, { scope: { groupId }, filter: undefined, page: 1, perPage: PETITIONS_OFFERED })));
  const byId = new Map(pages.flatMap((p) => p.petitions).map((p) => [p.id, { id: p.id, title: p.action }]));
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

/**
 * The builder's draft as a definition for this viewer: well formed, and naming only tags, lists,
 * purposes and petitions within their scope (a hand-made request could name any id).
 */
async function definitionFor(q: Q, draft: Draft, scope: PeopleScope, choices: BuilderChoices): Promise<DraftResult> {
  const result = definitionFromDraft(draft, choices);
  if (!result.ok) return result;
  const found = await outOfReach(q, result.definition, scope);
  return found.length === 0 ? result : { ok: false, errors: outOfReachErrors(draft, found) };
}

/** A query string (the save form's hidden copy of the builder) as the parsed-query object Fastify gives. */
function queryObject(text: string): Record<string, string[]> {
  // Keys come from the request (`constructor`, `__proto__`): a map without a prototype.
  const object = Object.create(null) as Record<string, string[]>;
  for (const [key, value] of new URLSearchParams(text)) (object[key] ??= []).push(value);
  return object;
}

const segmentParams = z.object({ id: z.string().regex(/^\d{1,9}$/, { message: 'Enter a segment id' }).transform(Number) });
/** The builder's conditions as the query string carries them (`c0.kind=tags&c0.values=…`), read by draftFromQuery. */
const builderQuery = z.record(z.string(), z.unknown());

function segmentId(request: FastifyRequest): number {
  return parseParams(segmentParams, request.params, 'segment').id;
}

const saveForm = z.object({ name: requiredText('a name for the segment', 120), group: z.string().optional(), query: z.string().max(20_000).default('') });

export function registerSegmentBuilderRoutes(app: FastifyInstance, ctx: AppContext) {
  const guard = { preHandler: requireRole('admin', 'organiser') };
  // Notices ("The segment has been saved") show once: a reload does not show them again.

  async function renderBuilder(
    request: FastifyRequest,
    reply: FastifyReply,
    props: { segment?: SavedSegment; draft: Draft; saveErrors?: FieldErrors; saveValues?: Record<string, string> },
  ) {
    const scope = await scopeOf(ctx.db, viewerOf(request));
    const seats = seatsOnce(ctx.db);
    const seatSearches = await applySeatPicker(ctx.db, props.draft, seats);
    const hasSeats = props.draft.conditions.some((c) => c.kind === 'constituency');
    const choices = { ...(await builderChoices(ctx.db, scope)), petitions: await petitionChoices(ctx.db, scope), ...(hasSeats ? { seats: await seats() } : {}) };
    const result = await definitionFor(ctx.db, props.draft, scope, choices);
    const count = result.ok ? await countSegment(ctx.db, result.definition, scope) : null;
    // Adding or removing a condition is not a check: what is still being filled in is not flagged.
    const unchecked = !result.ok && props.draft.editing === true && !props.saveErrors;
    const page = (
      <BuilderPage
        segment={props.segment}
        draft={props.draft}
        choices={choices}
        seatSearches={seatSearches}
        count={count}
        unchecked={unchecked}
        errors={result.ok || unchecked ? undefined : result.errors}
        owners={await ownerOptions(ctx.db, scope)}
        saveErrors={props.saveErrors}
        saveValues={props.saveValues}
      />
    );
    return reply.render(page, (result.ok || unchecked) && !props.saveErrors ? 200 : 422);
  }

  /** Saves a new or changed segment from the save form; re-renders the builder with problems. */
  async function save(request: FastifyRequest, reply: FastifyReply, existing?: SavedSegment) {
    const viewer = viewerOf(request);
    const scope = await scopeOf(ctx.db, viewer);
    const form = parseForm(saveForm, request.body);
    const body = formValues(request.body);
    const draft = draftFromQuery(queryObject(body.query ?? ''));
    await applySeatPicker(ctx.db, draft, seatsOnce(ctx.db));
    const result = await definitionFor(ctx.db, draft, scope, await builderChoices(ctx.db, scope));
    let saveErrors: FieldErrors = form.ok ? {} : form.errors;
    let groupId: number | null = null;
    try {
      groupId = await parseOwner(ctx.db, body.group, scope);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      saveErrors = { ...saveErrors, ...errorsFrom(error) };
    }
    // A group's segment counts that group's people, so it builds only on what that group may use.
    if (result.ok && groupId !== null) {
      const found = await outOfReach(ctx.db, result.definition, [groupId]);
      const named = found.map((f) => `condition ${f.position + 1} uses a ${f.what} of another group`).join('; ');
      if (found.length > 0) saveErrors = { ...saveErrors, group: `That group’s segment cannot use other groups’ data: ${named}` };
    }
    if (!form.ok || !result.ok || Object.keys(saveErrors).length > 0) {
      return renderBuilder(request, reply, { segment: existing, draft, saveErrors, saveValues: body });
    }
    const props = { name: form.value.name, groupId, definition: result.definition };
    const id = await ctx.db.transaction().execute(async (tx) => {
      if (!existing) return createSegment(tx, props, viewer, scope);
      await updateSegment(tx, existing, props, viewer, scope);
      return existing.id;
    });
    return reply.redirectWithNotice(`/admin/segments/${id}`, 'saved');
  }

  app.get('/admin/segments', guard, async (request, reply) => {
    const scope = await scopeOf(ctx.db, viewerOf(request));
    const segments = await listSegments(ctx.db, scope);
    const names = await segmentNames(ctx.db, segments.map((s) => s.definition));
    return reply.render(<SegmentsIndexPage segments={segments} names={names} notice={reply.takeNotice()} />);
  });

  app.get('/admin/segments/new', guard, async (request, reply) => renderBuilder(request, reply, { draft: draftFromQuery(parseRequest(builderQuery, request.query)) }));

  /** The live count for public/segments.js: always JSON, problems named by field. */
  app.get('/admin/segments/count', guard, async (request, reply) => {
    const scope = await scopeOf(ctx.db, viewerOf(request));
    const draft = draftFromQuery(parseRequest(builderQuery, request.query));
    await applySeatPicker(ctx.db, draft, seatsOnce(ctx.db));
    const result = await definitionFor(ctx.db, draft, scope, await builderChoices(ctx.db, scope));
    reply.header('cache-control', 'no-store');
    if (!result.ok) {
      const errors = Object.entries(result.errors).map(([field, message]) => ({ field, message }));
      return reply.code(422).send({ error: 'invalid', message: errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors });
    }
    const count = await countSegment(ctx.db, result.definition, scope);
    return reply.send({ count, text: formatCount(count) });
  });

  app.post('/admin/segments', guard, async (request, reply) => save(request, reply));

  app.get('/admin/segments/:id', guard, async (request, reply) => {
    const scope = await scopeOf(ctx.db, viewerOf(request));
    const segment = await getSegment(ctx.db, segmentId(request), scope);
    const people = segmentScope(scope, segment);
    const [count, first] = await Promise.all([countSegment(ctx.db, segment.definition, people), segmentPage(ctx.db, segment.definition, people, 0, PEOPLE_SHOWN)]);
    // The first people are personal data: the look is audited, as every such view is.
    await recordAudit(ctx.db, { actor: viewerOf(request), action: 'segment.people.view', subjectType: 'segment', subjectId: segment.id, after: { shown: first.length } });
    const [names, seats] = await Promise.all([segmentNames(ctx.db, [segment.definition]), constituencyNames(ctx.db, first.flatMap((p) => (p.constituency_code ? [p.constituency_code] : [])))]);
    return reply.render(
      <SegmentPage
        segment={segment}
        names={names}
        count={count}
        people={first}
        constituencies={new Map([...seats].map(([code, seat]) => [code, seat.name]))}
        manage={canManage(scope, segment)}
        notice={reply.takeNotice()}
      />,
    );
  });

  app.get('/admin/segments/:id/edit', guard, async (request, reply) => {
    const scope = await scopeOf(ctx.db, viewerOf(request));
    const segment = await getSegment(ctx.db, segmentId(request), scope);
    const query = parseRequest(builderQuery, request.query);
    const draft = Object.keys(query).length === 0 ? draftFromDefinition(segment.definition) : draftFromQuery(query);
    return renderBuilder(request, reply, { segment, draft });
  });

  app.post('/admin/segments/:id', guard, async (request, reply) => {
    const scope = await scopeOf(ctx.db, viewerOf(request));
    return save(request, reply, await getSegment(ctx.db, segmentId(request), scope));
  });

  app.post('/admin/segments/:id/delete', guard, async (request, reply) => {
    const viewer = viewerOf(request);
    const scope = await scopeOf(ctx.db, viewer);
    const segment = await getSegment(ctx.db, segmentId(request), scope);
    await ctx.db.transaction().execute((tx) => deleteSegment(tx, segment, viewer, scope));
    return reply.redirectWithNotice('/admin/segments', 'deleted');
  });

  app.get('/admin/segments/:id/export.csv', guard, async (request, reply) => {
    const viewer = viewerOf(request);
    const scope = await scopeOf(ctx.db, viewer);
    const segment = await getSegment(ctx.db, segmentId(request), scope);
    // Refused before the download starts (the stream would only fail after its first line).
    await assertWithinReach(ctx.db, segment.definition, segmentScope(scope, segment));
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="segment-${segment.id}-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(exportSegmentCsv(ctx.db, segment, segmentScope(scope, segment), viewer));
  });
}
