import type { FastifyRequest } from 'fastify';
import { findGroupById, groupIdsFor, listGroups } from '../coalition/index.ts';
import { forbidden, invalidField, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import type { PeopleScope } from './segments/compile-segment.ts';

/** The signed-in organiser (the route's guard has checked there is one). */
export function viewerOf(request: FastifyRequest): Viewer {
  if (!request.viewer) throw forbidden();
  return request.viewer;
}

/** Whose people the viewer may see: everyone for admins, their groups' people for organisers. */
export async function scopeOf(q: Q, viewer: Viewer): Promise<PeopleScope> {
  return groupIdsFor(q, viewer);
}

/** Choices for "owned by": the whole coalition (admins only) and the groups the viewer acts for. */
export async function ownerOptions(q: Q, scope: PeopleScope): Promise<Array<{ value: string; label: string }>> {
  const groups = (await listGroups(q)).filter((g) => scope === 'all' || scope.includes(g.id));
  return [...(scope === 'all' ? [{ value: 'coalition', label: 'Whole coalition' }] : []), ...groups.map((g) => ({ value: String(g.id), label: g.name }))];
}

/** Reads an "owned by" field: 'coalition' or a group id the viewer may choose. */
export async function parseOwner(q: Q, value: unknown, scope: PeopleScope): Promise<number | null> {
  if (value === 'coalition' && scope === 'all') return null;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) {
    const id = Number(value);
    if ((scope === 'all' || scope.includes(id)) && (await findGroupById(q, id))) return id;
  }
  throw invalidField('group', scope === 'all' ? 'Choose who owns this' : 'Choose one of your groups');
}
