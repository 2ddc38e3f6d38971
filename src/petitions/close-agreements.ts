import { groupIdsFor } from '../coalition/index.ts';
import type { Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import type { Petition, PetitionGroup } from './store.ts';

/**
 * A petition shared by several groups closes early only when every one of them agrees (or an
 * admin closes it): each group's organiser agrees for their group, and the last agreement closes
 * it. These are the agreements so far; change-petition-state.ts holds the rule.
 */
export interface CloseAgreements {
  /** The petition's groups that have agreed to close it now. */
  agreed: PetitionGroup[];
  /** The petition's groups still to agree. */
  waitingFor: PetitionGroup[];
}

export async function closeAgreementsOf(q: Q, petition: Petition): Promise<CloseAgreements> {
  const rows = await q.selectFrom('petition_close_agreements').select('group_id').where('petition_id', '=', petition.id).execute();
  const agreed = new Set(rows.map((r) => r.group_id));
  return { agreed: petition.groups.filter((g) => agreed.has(g.id)), waitingFor: petition.groups.filter((g) => !agreed.has(g.id)) };
}

/** Whether closing this petition needs its groups' agreement when this person asks (a shared petition, not an admin). */
export function closingNeedsAgreement(actor: Viewer, petition: Petition): boolean {
  return actor.role !== 'admin' && petition.groups.length > 1;
}

/** The petition's groups this organiser speaks for (the ones they organise). */
export async function groupsSpokenFor(q: Q, actor: Viewer, petition: Petition): Promise<PetitionGroup[]> {
  const own = await groupIdsFor(q, actor);
  return petition.groups.filter((g) => own === 'all' || own.includes(g.id));
}

/**
 * Records the organiser's groups' agreement to close (once per group); answers the agreements so
 * far and the groups this request newly agreed for.
 */
export async function agreeToClose(q: Q, actor: Viewer, petition: Petition, now: Date): Promise<CloseAgreements & { newlyAgreed: number[] }> {
  const groups = await groupsSpokenFor(q, actor, petition);
  const inserted =
    groups.length === 0
      ? []
      : await q
          .insertInto('petition_close_agreements')
          .values(groups.map((g) => ({ petition_id: petition.id, group_id: g.id, organiser_id: actor.id, agreed_at: now })))
          .onConflict((oc) => oc.columns(['petition_id', 'group_id']).doNothing())
          .returning('group_id')
          .execute();
  return { ...(await closeAgreementsOf(q, petition)), newlyAgreed: inserted.map((r) => r.group_id) };
}

/** Forgets the agreements once the petition has changed state (closed, reopened, hidden...). */
export async function clearCloseAgreements(q: Q, petitionId: number): Promise<void> {
  await q.deleteFrom('petition_close_agreements').where('petition_id', '=', petitionId).execute();
}
