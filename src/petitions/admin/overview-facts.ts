import type { Viewer } from '../../platform/index.ts';
import { heldCount } from '../admin-store.ts';
import { closeAgreementsOf, closingNeedsAgreement, groupsSpokenFor, type CloseAgreements } from '../close-agreements.ts';
import { readPetitionRules } from '../petition-rules.ts';
import type { Petition, PetitionGroup } from '../store.ts';
import type { Q } from '../tables.ts';

/** What a petition's organiser page shows besides the petition: held signatures, agreements to close, approval. */
export interface OverviewFacts {
  held: number;
  /** For a shared petition an organiser would close: who has agreed, who is awaited, and which groups this viewer speaks for. */
  closing?: (CloseAgreements & { yours: PetitionGroup[] }) | undefined;
  /** False when the viewer is an admin who started the petition and the coalition does not allow self-approval. */
  mayApprove: boolean;
}

export async function overviewFacts(q: Q, viewer: Viewer, petition: Petition): Promise<OverviewFacts> {
  const held = await heldCount(q, petition.id);
  const closing =
    petition.state === 'open' && closingNeedsAgreement(viewer, petition)
      ? { ...(await closeAgreementsOf(q, petition)), yours: await groupsSpokenFor(q, viewer, petition) }
      : undefined;
  const ownPetition = viewer.role === 'admin' && petition.createdBy === viewer.id;
  const mayApprove = !ownPetition || (await readPetitionRules(q)).adminsApproveOwn;
  return { held, closing, mayApprove };
}
