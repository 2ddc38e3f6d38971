import { recordAudit, type AccessRemoval, type Handle } from '../platform/index.ts';
import { apiQ } from './tables.ts';

const reasons: Record<AccessRemoval['reason'], string> = {
  disabled: 'The organiser who made it was disabled',
  'access-changed': 'The organiser who made it no longer manages its group',
};

/**
 * Revokes the API keys and webhooks an organiser made that they may no longer manage (all of
 * them when the account is disabled; a coalition key or webhook unless they are still an admin),
 * in the caller's transaction, with an audit entry for each. A revoked key gets 401 at once; a
 * revoked webhook stays listed, with its log, but sends nothing more and its waiting deliveries
 * are given up. Runs when the coalition capability announces that an organiser lost access.
 */
export async function revokeCredentialsOf(handle: Handle, removal: AccessRemoval): Promise<{ keys: number; webhooks: number }> {
  if (removal.keeps === 'all') return { keys: 0, webhooks: 0 };
  const q = apiQ(handle);
  const keeps = [...removal.keeps];
  const now = new Date();
  const after = { reason: reasons[removal.reason] };

  let keyQuery = q
    .updateTable('api_tokens')
    .set({ revoked_at: now, revoked_by: removal.actor.id })
    .where('created_by', '=', removal.organiserId)
    .where('revoked_at', 'is', null);
  if (keeps.length > 0) keyQuery = keyQuery.where((eb) => eb.or([eb('group_id', 'is', null), eb('group_id', 'not in', keeps)]));
  const keys = await keyQuery.returning(['public_id', 'name', 'group_id']).execute();
  for (const key of keys) {
    await recordAudit(q, { actor: removal.actor, action: 'api.key.revoke', subjectType: 'api_key', subjectId: key.public_id, before: { name: key.name, groupId: key.group_id }, after });
  }

  let hookQuery = q
    .updateTable('webhooks')
    .set({ revoked_at: now, revoked_by: removal.actor.id })
    .where('created_by', '=', removal.organiserId)
    .where('revoked_at', 'is', null);
  if (keeps.length > 0) hookQuery = hookQuery.where((eb) => eb.or([eb('group_id', 'is', null), eb('group_id', 'not in', keeps)]));
  const hooks = await hookQuery.returning(['id', 'public_id', 'url', 'group_id', 'events']).execute();
  if (hooks.length > 0) {
    await q
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', failed_at: now, next_attempt_at: null, last_error: 'Not sent: the webhook was revoked' })
      .where('webhook_id', 'in', hooks.map((h) => h.id))
      .where('status', '=', 'pending')
      .execute();
  }
  for (const hook of hooks) {
    await recordAudit(q, {
      actor: removal.actor,
      action: 'api.webhook.revoke',
      subjectType: 'webhook',
      subjectId: hook.public_id,
      before: { url: hook.url, groupId: hook.group_id, events: hook.events },
      after,
    });
  }
  return { keys: keys.length, webhooks: hooks.length };
}
