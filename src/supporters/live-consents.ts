import type { Handle } from '../platform/index.ts';
import { COALITION_PURPOSE_KEY, groupPurposeKey, liveConsentCondition } from './consent.ts';
import { supportersQ } from './tables.ts';

/**
 * Which of these people one group (null: the coalition) may email now: a batch form of
 * hasLiveConsent, for the group's own updates purpose.
 */
export async function peopleWithLiveConsent(handle: Handle, groupId: number | null, personIds: readonly number[]): Promise<Set<number>> {
  if (personIds.length === 0) return new Set();
  const q = supportersQ(handle);
  const key = groupId === null ? COALITION_PURPOSE_KEY : groupPurposeKey(groupId);
  const purpose = await q.selectFrom('consent_purposes').select('id').where('key', '=', key).executeTakeFirst();
  if (!purpose) return new Set();
  const rows = await q
    .selectFrom('consents')
    .select('consents.person_id')
    .where('consents.purpose_id', '=', purpose.id)
    .where('consents.person_id', 'in', [...personIds])
    .where(liveConsentCondition)
    .execute();
  return new Set(rows.map((r) => r.person_id));
}
