import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listGroups } from '../coalition/index.ts';
import type { AppContext } from './tables.ts';
import { DomainError, errorsFrom, formValues, parseForm, parseParams } from '../platform/index.ts';
import { auditAccess, isAdmin, organisersOnly, scopeOf, visiblePerson, visiblePurposeIds } from './access.ts';
import { consentEventsOf, consentsOf } from './consent.ts';
import { editPerson, editPersonSchema } from './edit-person.ts';
import { registerMergeRoutes } from './merge-routes.tsx';
import { PeopleListPage } from './people-views.tsx';
import { groupsOfPerson, listsOfPerson, tagsOfPerson, timelineOf } from './person-record.ts';
import { EditPersonPage, PersonPage } from './person-views.tsx';
import { registerRetentionRoutes } from './retention-routes.tsx';
import { registerRightsRoutes } from './rights-routes.tsx';
import { searchPeople } from './search-people.ts';
import { registerSignUpFormAdmin } from './signup-forms-admin.tsx';

const searchQuery = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  group: z.coerce.number().int().positive().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

const personParams = z.object({ publicId: z.string() });

/** Organisers' people pages: search, person record and timeline, merge, consent proof, subject access, erasure. */
export function registerPeopleAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  // Notices ("Saved") show once: a reload does not show them again.
  app.get('/admin/people', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    const query = searchQuery.parse(request.query ?? {});
    const allGroups = await listGroups(ctx.db);
    const groups = scope.groupIds === 'all' ? allGroups : allGroups.filter((g) => (scope.groupIds as number[]).includes(g.id));
    const groupId = query.group && groups.some((g) => g.id === query.group) ? query.group : undefined;
    const search = { text: query.q, groupId, page: query.page ?? 1 };
    const result = await searchPeople(ctx.db, scope, search);
    await auditAccess(ctx.db, scope, 'people.search', { type: 'people', id: null }, {
      page: search.page,
      total: result.total,
      shown: result.rows.map((r) => r.publicId),
    });
    return reply.header('cache-control', 'no-store').render(<PeopleListPage result={result} search={search} groups={groups} isAdmin={isAdmin(scope)} />);
  });

  app.get('/admin/people/:publicId', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    const person = await visiblePerson(ctx.db, scope, parseParams(personParams, request.params, 'person').publicId);
    const purposes = await visiblePurposeIds(ctx.db, scope);
    const groups = scope.groupIds;
    const [consents, events, personGroups, tags, lists, timeline] = await Promise.all([
      consentsOf(ctx.db, person.id, purposes),
      consentEventsOf(ctx.db, person.id, purposes),
      groupsOfPerson(ctx.db, person.id, groups),
      tagsOfPerson(ctx.db, person.id, groups),
      listsOfPerson(ctx.db, person.id, groups),
      timelineOf(ctx.db, person.id, groups),
    ]);
    await auditAccess(ctx.db, scope, 'person.view', { type: 'person', id: person.publicId });
    return reply
      .header('cache-control', 'no-store')
      .render(
        <PersonPage
          person={person}
          consents={consents}
          events={events}
          groups={personGroups}
          tags={tags}
          lists={lists}
          timeline={timeline}
          isAdmin={isAdmin(scope)}
          notice={reply.takeNotice()}
        />,
      );
  });

  app.get('/admin/people/:publicId/edit', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    const person = await visiblePerson(ctx.db, scope, parseParams(personParams, request.params, 'person').publicId);
    if (person.erasedAt) throw new DomainError('conflict', 'This person’s data has been erased.');
    await auditAccess(ctx.db, scope, 'person.view', { type: 'person', id: person.publicId }, { page: 'edit' });
    return reply.header('cache-control', 'no-store').render(<EditPersonPage person={person} isAdmin={isAdmin(scope)} />);
  });

  app.post('/admin/people/:publicId/edit', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    const person = await visiblePerson(ctx.db, scope, parseParams(personParams, request.params, 'person').publicId);
    if (person.erasedAt) throw new DomainError('conflict', 'This person’s data has been erased.');
    const form = parseForm(editPersonSchema, request.body);
    if (!form.ok) return reply.render(<EditPersonPage person={person} isAdmin={isAdmin(scope)} errors={form.errors} values={form.values} />, 422);
    try {
      await ctx.db.transaction().execute((tx) => editPerson(tx, person, form.value, scope));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid') {
        return reply.render(<EditPersonPage person={person} isAdmin={isAdmin(scope)} errors={errorsFrom(error)} values={formValues(request.body)} />, 422);
      }
      throw error;
    }
    return reply.redirectWithNotice(`/admin/people/${person.publicId}`, 'saved');
  });

  registerMergeRoutes(app, ctx);
  registerRightsRoutes(app, ctx);
  registerRetentionRoutes(app, ctx);
  registerSignUpFormAdmin(app, ctx);
}
