import type { FastifyInstance } from 'fastify';
import type { AppContext } from './tables.ts';
import { notFound } from '../platform/index.ts';
import { sendHal, single } from './osdi/hal.ts';
import { findSetInScope, findSetMember, listSetMembersPage, listSetsPage } from '../supporters/index.ts';
import { presentMember, presentSet, setHref, type PersonSetKind } from './osdi/person-sets.ts';
import { clientOf, idParam, sendPage, uuidParam } from './osdi/requests.ts';

/** Tags and their taggings, or lists and their items (read only). */
export function registerPersonSetRoutes(api: FastifyInstance, ctx: AppContext, kind: PersonSetKind) {
  const base = ctx.config.BASE_URL;
  const what = kind.path === 'tags' ? 'tag' : 'list';
  const memberWhat = kind.path === 'tags' ? 'tagging' : 'list item';

  api.get(`/${kind.path}`, async (request, reply) => {
    const client = clientOf(request);
    return sendPage(request, reply, {
      baseUrl: base,
      url: `${base}/api/v1/${kind.path}`,
      rel: kind.rel,
      load: async (filter, page) => {
        const { rows, total } = await listSetsPage(ctx.db, kind.set, { scope: client, filter, ...page });
        return { items: rows.map((r) => presentSet(base, kind, r)), total };
      },
    });
  });

  api.get(`/${kind.path}/:id`, async (request, reply) => {
    const set = await findSetInScope(ctx.db, kind.set, clientOf(request), idParam(request, 'id', what));
    if (!set) throw notFound(what);
    return sendHal(reply, single(base, presentSet(base, kind, set)));
  });

  api.get(`/${kind.path}/:id/${kind.memberPath}`, async (request, reply) => {
    const client = clientOf(request);
    const set = await findSetInScope(ctx.db, kind.set, client, idParam(request, 'id', what));
    if (!set) throw notFound(what);
    return sendPage(request, reply, {
      baseUrl: base,
      url: `${setHref(base, kind, set.id)}/${kind.memberPath}`,
      rel: kind.memberRel,
      load: async (filter, page) => {
        const { rows, total } = await listSetMembersPage(ctx.db, kind.set, { scope: client, setId: set.id, filter, ...page });
        return { items: rows.map((r) => presentMember(base, kind, set.id, r)), total };
      },
    });
  });

  api.get(`/${kind.path}/:id/${kind.memberPath}/:person`, async (request, reply) => {
    const client = clientOf(request);
    const set = await findSetInScope(ctx.db, kind.set, client, idParam(request, 'id', what));
    if (!set) throw notFound(what);
    const member = await findSetMember(ctx.db, kind.set, client, set.id, uuidParam(request, 'person', memberWhat));
    if (!member) throw notFound(memberWhat);
    return sendHal(reply, single(base, presentMember(base, kind, set.id, member)));
  });
}
