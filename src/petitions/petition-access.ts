import { groupIdsFor, type Role } from '../coalition/index.ts';
import { forbidden, notFound, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { findPetition, type Petition } from './store.ts';
import { transitions, type PetitionTransition } from './transitions.ts';

/**
 * What someone may do to a petition. Admins do everything; group organisers manage their own
 * groups' petitions (never moderate); moderators moderate and protect any petition (never create
 * or edit it).
 */
export type PetitionPower =
  /** See the organiser pages of the petition. */
  | 'view'
  /** Change wording, closing date, milestones, image. */
  | 'edit'
  /** Record the response, hand-in and debate. */
  | 'outcomes'
  /** Download names and counts for a hand-in. */
  | 'export'
  /** See and download the signers (names and email addresses) their role and groups allow (list-signers.ts). */
  | 'signers'
  /** Invalidate signatures, review held ones, read the trending report, switch "under attack". */
  | 'protect';

const powerRoles: Record<PetitionPower, readonly Role[]> = {
  view: ['admin', 'organiser', 'moderator'],
  edit: ['admin', 'organiser'],
  outcomes: ['admin', 'organiser'],
  export: ['admin', 'organiser'],
  signers: ['admin', 'organiser'],
  protect: ['admin', 'moderator'],
};

/** Organisers act only for petitions of a group they belong to; other roles are not tied to groups. */
export function inViewersGroups(viewer: Viewer, petition: Petition, groupIds: number[] | 'all'): boolean {
  if (viewer.role !== 'organiser') return true;
  if (groupIds === 'all') return true;
  return petition.groups.some((g) => groupIds.includes(g.id));
}

export function hasPower(viewer: Viewer, power: PetitionPower): boolean {
  return powerRoles[power].includes(viewer.role);
}

export function mayTransition(viewer: Viewer, transition: PetitionTransition): boolean {
  return transitions[transition].roles.includes(viewer.role);
}

/**
 * Loads a petition for someone about to use a power on it: 404 when it does not exist, 403 when
 * their role or group does not allow it.
 */
export async function petitionFor(q: Q, viewer: Viewer, petitionId: number, power: PetitionPower): Promise<Petition> {
  const petition = await findPetition(q, petitionId);
  if (!petition) throw notFound('petition');
  if (!hasPower(viewer, power)) throw forbidden('Your role does not allow this. Ask a coalition admin if you need it.');
  await assertInGroups(q, viewer, petition);
  return petition;
}

export async function assertInGroups(q: Q, viewer: Viewer, petition: Petition): Promise<void> {
  if (viewer.role !== 'organiser') return;
  if (!inViewersGroups(viewer, petition, await groupIdsFor(q, viewer))) {
    throw forbidden('This petition belongs to a group you do not organise for.');
  }
}
