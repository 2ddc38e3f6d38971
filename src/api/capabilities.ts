import { sql } from 'kysely';
import type { Q } from '../schema.ts';
import { COALITION_PURPOSE_KEY, groupPurposeKey, listPurposes, liveConsentCondition } from '../supporters/consent.ts';
import { addMember, getCollection } from '../supporters/segments/collections.ts';
import type { ApiScope } from './osdi/scope.ts';

/**
 * What the API asks of other capabilities that is more than one call to their exported functions.
 * Everything else (upsertPerson, giveConsent, resolvePostcodes, findPetition...) is imported from
 * its owner where it is used. Where the owner has no function yet (marked MISSING), the adapter
 * here does the smallest honest thing, so the owner's function can replace it here, and only here.
 */

/** Tags, lists and people as the supporters capability scopes them: a group's, or everyone's. */
function peopleScopeOf(scope: ApiScope): 'all' | number[] {
  return scope.groupId === null ? 'all' : [scope.groupId];
}

/**
 * MISSING in supporters: the tags twin of `ensureListNamed` (segments/collections.ts). The tag of
 * this name owned by the group (null: the coalition), made if missing; names match without case.
 */
async function ensureTagNamed(q: Q, name: string, groupId: number | null): Promise<number> {
  await sql`insert into tags (name, group_id) values (${name}, ${groupId}::int) on conflict do nothing`.execute(q);
  const found = await sql<{ id: number }>`
    select id from tags where group_id is not distinct from ${groupId}::int and lower(name) = lower(${name})`.execute(q);
  return found.rows[0]!.id;
}

/**
 * Tags a person with each named tag of the key's group (or the coalition's, for a coalition key),
 * making tags that do not exist yet; the tagging itself is the supporters' addMember, so its
 * rules (the person must be one the key's group sees) apply.
 */
export async function tagPerson(q: Q, scope: ApiScope, personPublicId: string, tagNames: string[]): Promise<void> {
  const names = [...new Map(tagNames.map((n) => [n.trim().toLowerCase(), n.trim()])).values()].filter(Boolean);
  const people = peopleScopeOf(scope);
  for (const name of names) {
    const tag = await getCollection(q, 'tag', await ensureTagNamed(q, name, scope.groupId), people);
    await addMember(q, 'tag', tag, personPublicId, people);
  }
}

/**
 * Which of these people the key's group (or the coalition) may email now: a batch form of the
 * supporters' hasLiveConsent, through their exported purpose lookup and live-consent condition.
 */
export async function subscribedAmong(q: Q, scope: ApiScope, personIds: number[]): Promise<Set<number>> {
  if (personIds.length === 0) return new Set();
  const key = scope.groupId === null ? COALITION_PURPOSE_KEY : groupPurposeKey(scope.groupId);
  const [purpose] = await listPurposes(q, { key });
  if (!purpose) return new Set();
  const rows = await q
    .selectFrom('consents')
    .select('consents.person_id')
    .where('consents.purpose_id', '=', purpose.id)
    .where('consents.person_id', 'in', personIds)
    .where(liveConsentCondition)
    .execute();
  return new Set(rows.map((r) => r.person_id));
}
