import type { FastifyInstance } from 'fastify';
import type { AppContext } from './tables.ts';
import { notFound, type FilterNode } from '../platform/index.ts';
import { sendHal, single } from './osdi/hal.ts';
import { findPersonInScope, listPeoplePage, taggingsOfPersonPage } from '../supporters/index.ts';
import { personHref, presentPeople } from './osdi/people.ts';
import { presentMember, tagKind } from './osdi/person-sets.ts';
import { clientOf, jsonBodyOnly, parseBody, requireWrite, sendPage, uuidParam } from './osdi/requests.ts';
import { personSignupSchema, signUpPerson } from './sign-up-person.ts';

/** Whether a filter compares this field anywhere in it. */
function mentions(filter: FilterNode | undefined, field: string): boolean {
  if (!filter) return false;
  return filter.kind === 'compare' ? filter.field === field : mentions(filter.left, field) || mentions(filter.right, field);
}

/** People: the collection, one person, their taggings, and the person signup helper. */
export function registerPeopleRoutes(api: FastifyInstance, ctx: AppContext) {
  const base = ctx.config.BASE_URL;
  const people = `${base}/api/v1/people`;

  api.get('/people', async (request, reply) => {
    const client = clientOf(request);
    return sendPage(request, reply, {
      baseUrl: base,
      url: people,
      rel: 'osdi:people',
      load: async (filter, page) => {
        // An incremental sync (a filter on modified_date) is also told of people erased since.
        const { rows, total } = await listPeoplePage(ctx.db, { scope: client, filter, withErased: mentions(filter, 'modified_date'), ...page });
        return { items: await presentPeople(ctx.db, base, client, rows), total };
      },
    });
  });

  api.get('/people/:id', async (request, reply) => {
    const client = clientOf(request);
    const row = await findPersonInScope(ctx.db, client, uuidParam(request, 'id', 'person'));
    if (!row) throw notFound('person');
    const [person] = await presentPeople(ctx.db, base, client, [row]);
    return sendHal(reply, single(base, person!));
  });

  api.get('/people/:id/taggings', async (request, reply) => {
    const client = clientOf(request);
    const row = await findPersonInScope(ctx.db, client, uuidParam(request, 'id', 'person'));
    if (!row) throw notFound('person');
    return sendPage(request, reply, {
      baseUrl: base,
      url: `${personHref(base, row.public_id)}/taggings`,
      rel: 'osdi:taggings',
      load: async (filter, page) => {
        const { rows, total } = await taggingsOfPersonPage(ctx.db, { scope: client, personId: row.id, filter, ...page });
        return { items: rows.map((r) => presentMember(base, tagKind, r.set_id, r)), total };
      },
    });
  });

  // The person signup helper: create or update by email, Action Network style.
  api.post('/people', { config: { csrf: 'none' }, onRequest: jsonBodyOnly, preHandler: requireWrite }, async (request, reply) => {
    const client = clientOf(request);
    const signup = parseBody(personSignupSchema, request.body);
    const saved = await ctx.db.transaction().execute((tx) => signUpPerson(tx, client, base, signup));
    const row = await findPersonInScope(ctx.db, client, saved.publicId);
    if (!row) throw notFound('person');
    const [person] = await presentPeople(ctx.db, base, client, [row]);
    return sendHal(reply.header('location', personHref(base, saved.publicId)), single(base, person!), saved.created ? 201 : 200);
  });
}
