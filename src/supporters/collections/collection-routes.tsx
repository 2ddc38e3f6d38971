import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, Tx } from '../tables.ts';
import { DomainError, errorsFrom, formValues, invalidField, optionalText, pageFrom, parseForm, parseParams, parseRequest, queryText, recordAudit, requireRole, requiredText, type FieldErrors } from '../../platform/index.ts';
import { CollectionPage, CollectionsPage, MEMBERS_PER_PAGE, words } from './collection-views.tsx';
import { addMember, addSegmentMembers, createCollection, deleteCollection, getCollection, listCollections, listMembers, removeMember, searchPeopleByEmail, updateCollection, type Collection, type CollectionKind } from './collections.ts';
import type { PeopleScope } from '../segments/compile-segment.ts';
import { canManage } from '../ownership.ts';
import { getSegment, listSegments, segmentScope } from '../segments/segment-store.ts';
import { ownerOptions, parseOwner, scopeOf, viewerOf } from '../viewer-scope.ts';

const nameForm = z.object({ name: requiredText('a name', 100), description: optionalText('description', 500) });
const personForm = z.object({ person: z.uuid({ message: 'Choose a person from the search results' }) });
const collectionParams = z.object({ id: z.string().regex(/^\d{1,9}$/, { message: 'Enter an id' }).transform(Number) });
const collectionQuery = z.object({ page: queryText(), q: queryText() });
const segmentForm = z.object({ segment: z.string({ message: 'Choose a segment' }).regex(/^\d{1,9}$/, { message: 'Choose a segment' }) });

/** Tags or lists: /admin/tags and /admin/lists, the same pages with different words. */
export function registerCollectionRoutes(app: FastifyInstance, ctx: AppContext, kind: CollectionKind) {
  const guard = { preHandler: requireRole('admin', 'organiser') };
  const base = words[kind].base;
  // Notices ("Tag saved") show once: a reload does not show them again.

  async function load(request: FastifyRequest) {
    const viewer = viewerOf(request);
    const scope = await scopeOf(ctx.db, viewer);
    const { id } = parseParams(collectionParams, request.params, kind);
    return { viewer, scope, collection: await getCollection(ctx.db, kind, id, scope) };
  }

  async function showCollection(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, string> } = {}) {
    const { viewer, scope, collection } = await load(request);
    const query = parseRequest(collectionQuery, request.query);
    const page = pageFrom(query);
    const search = (query.q ?? '').slice(0, 254);
    const manage = canManage(scope, collection);
    // A members page shows personal data: written to the audit log, as every such view is.
    await recordAudit(ctx.db, {
      actor: viewer,
      action: `${kind}.members.view`,
      subjectType: kind,
      subjectId: collection.id,
      after: { page, ...(manage && search ? { searched: true } : {}) },
    });
    const segments = manage ? (await listSegments(ctx.db, scope)).map((s) => ({ value: String(s.id), label: s.name })) : [];
    return reply.render(
      <CollectionPage
        collection={collection}
        members={await listMembers(ctx.db, kind, collection.id, scope, page, MEMBERS_PER_PAGE)}
        page={page}
        manage={manage}
        search={search}
        found={manage && search ? await searchPeopleByEmail(ctx.db, search, scope) : null}
        segments={segments}
        notice={extra.errors ? undefined : reply.takeNotice()}
        {...extra}
      />,
      extra.errors ? 422 : 200,
    );
  }

  /**
   * Runs a change, then goes to the page it names with its notice (shown once); a rule's field
   * problem re-renders the page with it beside the field.
   */
  async function change(
    request: FastifyRequest,
    reply: FastifyReply,
    work: (c: { q: Tx; collection: Collection; scope: PeopleScope }) => Promise<{ path: string; notice: string }>,
  ) {
    const { scope, collection } = await load(request);
    try {
      const next = await ctx.db.transaction().execute((q) => work({ q, collection, scope }));
      return reply.redirectWithNotice(next.path, next.notice);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid') return showCollection(request, reply, { errors: errorsFrom(error), values: formValues(request.body) });
      throw error;
    }
  }

  app.get(base, guard, async (request, reply) => {
    const scope = await scopeOf(ctx.db, viewerOf(request));
    const notice = reply.takeNotice();
    return reply.render(<CollectionsPage kind={kind} collections={await listCollections(ctx.db, kind, scope)} owners={await ownerOptions(ctx.db, scope)} notice={notice} />);
  });

  app.post(base, guard, async (request, reply) => {
    const viewer = viewerOf(request);
    const scope = await scopeOf(ctx.db, viewer);
    const form = parseForm(nameForm, request.body);
    const values = formValues(request.body);
    let errors: FieldErrors = form.ok ? {} : form.errors;
    try {
      const groupId = await parseOwner(ctx.db, values.group, scope);
      if (form.ok) {
        const id = await ctx.db.transaction().execute((tx) => createCollection(tx, kind, { ...form.value, groupId }, viewer, scope));
        return reply.redirectWithNotice(`${base}/${id}`, 'created');
      }
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'invalid') throw error;
      errors = { ...errors, ...errorsFrom(error) };
    }
    const page = <CollectionsPage kind={kind} collections={await listCollections(ctx.db, kind, scope)} owners={await ownerOptions(ctx.db, scope)} errors={errors} values={values} />;
    return reply.render(page, 422);
  });

  app.get(`${base}/:id`, guard, async (request, reply) => showCollection(request, reply));

  app.post(`${base}/:id`, guard, async (request, reply) => {
    const form = parseForm(nameForm, request.body);
    if (!form.ok) return showCollection(request, reply, { errors: form.errors, values: form.values });
    return change(request, reply, async ({ q, collection, scope }) => {
      await updateCollection(q, kind, collection, form.value, viewerOf(request), scope);
      return { path: `${base}/${collection.id}`, notice: 'saved' };
    });
  });

  app.post(`${base}/:id/delete`, guard, async (request, reply) =>
    change(request, reply, async ({ q, collection, scope }) => {
      await deleteCollection(q, kind, collection, viewerOf(request), scope);
      return { path: base, notice: 'deleted' };
    }),
  );

  app.post(`${base}/:id/members`, guard, async (request, reply) =>
    change(request, reply, async ({ q, collection, scope }) => {
      const form = parseForm(personForm, request.body);
      if (!form.ok) throw invalidField('person', form.errors.person ?? 'Choose a person from the search results');
      const added = await addMember(q, kind, collection, form.value.person, scope);
      return { path: `${base}/${collection.id}`, notice: added ? 'added' : 'already-in' };
    }),
  );

  app.post(`${base}/:id/members/remove`, guard, async (request, reply) =>
    change(request, reply, async ({ q, collection, scope }) => {
      const form = parseForm(personForm, request.body);
      if (!form.ok) throw invalidField('person', form.errors.person ?? 'Choose a person');
      await removeMember(q, kind, collection, form.value.person, scope);
      return { path: `${base}/${collection.id}`, notice: 'removed' };
    }),
  );

  app.post(`${base}/:id/segment`, guard, async (request, reply) =>
    change(request, reply, async ({ q, collection, scope }) => {
      const form = parseForm(segmentForm, request.body);
      if (!form.ok) throw invalidField('segment', form.errors.segment ?? 'Choose a segment');
      const segment = await getSegment(q, Number(form.value.segment), scope).catch(() => {
        throw invalidField('segment', 'Choose a segment');
      });
      const added = await addSegmentMembers(q, kind, collection, segment, segmentScope(scope, segment), viewerOf(request));
      return { path: `${base}/${collection.id}`, notice: `segment-added-${added}` };
    }),
  );
}
