import { groupIdsFor, type Role } from '../coalition/index.ts';
import { forbidden, notFound, recordAudit, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { findEvent, type ChorusEvent } from './store.ts';

/** What someone may do to an event: see its organiser pages, or change it (edit, publish, cancel). */
export type EventPower = 'view' | 'manage';

const powerRoles: Record<EventPower, readonly Role[]> = {
  view: ['admin', 'organiser', 'moderator'],
  manage: ['admin', 'organiser'],
};

export function hasPower(viewer: Viewer, power: EventPower): boolean {
  return powerRoles[power].includes(viewer.role);
}

/** Organisers act only for events of a group they organise for; other roles are not tied to groups. */
export async function inViewersGroups(q: Q, viewer: Viewer, event: ChorusEvent): Promise<boolean> {
  if (viewer.role !== 'organiser') return true;
  const allowed = await groupIdsFor(q, viewer);
  return allowed === 'all' || event.groups.some((g) => allowed.includes(g.id));
}

/**
 * Loads an event for someone about to use a power on it: 404 when it does not exist, 403 when
 * their role or groups do not allow it. Checked on the server for every organiser request.
 */
export async function eventFor(q: Q, viewer: Viewer, eventId: number, power: EventPower): Promise<ChorusEvent> {
  const event = await findEvent(q, eventId);
  if (!event) throw notFound('event');
  if (!hasPower(viewer, power)) throw forbidden('Your role does not allow this. Ask a coalition admin if you need it.');
  if (!(await inViewersGroups(q, viewer, event))) throw forbidden('This event belongs to a group you do not organise for.');
  return event;
}

/** The parts of an event an audit entry keeps, before and after a change. */
export function eventSnapshot(e: ChorusEvent) {
  return {
    state: e.state,
    title: e.title,
    type: e.type,
    startsAt: e.startsAt,
    endsAt: e.endsAt,
    venueName: e.venueName,
    address: e.address,
    postcode: e.postcode,
    onlineUrl: e.onlineUrl,
    groups: e.groups.map((g) => g.id),
    capacity: e.capacity,
    tiers: e.tiers.map((t) => ({ id: t.id, name: t.name, pricePence: t.pricePence, capacity: t.capacity })),
  };
}

export async function auditEvent(q: Q, actor: Viewer, action: string, before: ChorusEvent | undefined, after: ChorusEvent | undefined): Promise<void> {
  const id = (after ?? before)!.id;
  await recordAudit(q, { actor, action, subjectType: 'event', subjectId: id, before: before ? eventSnapshot(before) : undefined, after: after ? eventSnapshot(after) : undefined });
}
