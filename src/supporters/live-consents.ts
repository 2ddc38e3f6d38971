import { sql, type RawBuilder } from 'kysely';
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

/**
 * "This person has a live consent for one of these groups' purposes", over the caller's own column
 * of people's ids: the supporters' manifest offers it to other capabilities (platform hears-from.ts),
 * so petitions can show a group's organisers only the signers who agreed to hear from the group.
 */
export function hearsFromGroups(person: RawBuilder<unknown>, groupIds: readonly number[]): RawBuilder<boolean> {
  if (groupIds.length === 0) return sql<boolean>`false`;
  return sql<boolean>`exists (select 1 from consents join consent_purposes on consent_purposes.id = consents.purpose_id
    where consents.person_id = ${person} and consent_purposes.group_id in (${sql.join([...groupIds])}) and ${liveConsentCondition})`;
}
