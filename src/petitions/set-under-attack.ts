import { notFound, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { lockPetition } from './admin-store.ts';
import { petitionFor } from './petition-access.ts';
import { auditPetition } from './petition-audit.ts';
import { findPetition } from './store.ts';

/**
 * Switches a petition's "under attack" mode: while it is on, the public sign form asks each
 * browser for a proof-of-work challenge before a signature is accepted.
 */
export async function setUnderAttack(q: Q, props: { actor: Viewer; petitionId: number; on: boolean }): Promise<void> {
  if (!(await lockPetition(q, props.petitionId))) throw notFound('petition');
  const before = await petitionFor(q, props.actor, props.petitionId, 'protect');
  if (before.underAttack === props.on) return;
  await q.updateTable('petitions').set({ under_attack: props.on, updated_at: new Date() }).where('id', '=', props.petitionId).execute();
  await auditPetition(q, props.actor, props.on ? 'petition.under-attack.on' : 'petition.under-attack.off', before, await findPetition(q, props.petitionId));
}
