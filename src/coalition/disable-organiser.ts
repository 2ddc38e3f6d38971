import { conflict, organiserAccessRemoved, recordAudit, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import type { Organiser } from './organisers.ts';
import { endAllSessions } from './sessions.ts';

/** Shown in lists and recorded in the audit log. */
export function organiserStatus(organiser: Pick<Organiser, 'disabled' | 'hasPassword'>): 'disabled' | 'invited' | 'active' {
  return organiser.disabled ? 'disabled' : organiser.hasPassword ? 'active' : 'invited';
}

/**
 * Stops an account from signing in: ends its sessions and voids its unused links at once, and
 * tells the other capabilities, which revoke what it made (the api: its keys and webhooks).
 */
export async function disableOrganiser(q: Q, props: { actor: Viewer; organiser: Organiser }): Promise<void> {
  const { actor, organiser } = props;
  if (actor.id === organiser.id) throw conflict('You cannot disable your own account. Ask another admin to do it.');
  if (organiser.disabled) return;
  await q.updateTable('organisers').set({ disabled_at: new Date() }).where('id', '=', organiser.id).execute();
  await endAllSessions(q, organiser.id);
  await q.deleteFrom('organiser_tokens').where('organiser_id', '=', organiser.id).where('used_at', 'is', null).execute();
  await recordAudit(q, {
    actor,
    action: 'organiser.disable',
    subjectType: 'organiser',
    subjectId: organiser.id,
    before: { status: organiserStatus(organiser) },
    after: { status: 'disabled' },
  });
  await organiserAccessRemoved(q, { organiserId: organiser.id, keeps: [], reason: 'disabled', actor });
}

/** Lets a disabled account sign in again (with its existing password, or a new invitation). */
export async function enableOrganiser(q: Q, props: { actor: Viewer; organiser: Organiser }): Promise<void> {
  const { actor, organiser } = props;
  if (!organiser.disabled) return;
  await q.updateTable('organisers').set({ disabled_at: null }).where('id', '=', organiser.id).execute();
  await recordAudit(q, {
    actor,
    action: 'organiser.enable',
    subjectType: 'organiser',
    subjectId: organiser.id,
    before: { status: 'disabled' },
    after: { status: organiserStatus({ disabled: false, hasPassword: organiser.hasPassword }) },
  });
}
