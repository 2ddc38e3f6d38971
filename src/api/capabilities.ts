import type { Q } from './tables.ts';
import { addMember, ensureListNamed, ensureTagNamed, getCollection, peopleWithLiveConsent, type PersonSet } from '../supporters/index.ts';
import type { ApiScope } from './osdi/scope.ts';

/**
 * What the API asks of other capabilities that is more than one call to their exported functions.
 * Everything else (upsertPerson, giveConsent, resolvePostcodes, findPetition...) is imported from
 * its owner where it is used.
 */

/** Tags, lists and people as the supporters capability scopes them: a group's, or everyone's. */
function peopleScopeOf(scope: ApiScope): 'all' | number[] {
  return scope.groupId === null ? 'all' : [scope.groupId];
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

/** Adds a person to each named list of the key's group (or the coalition's), making lists that do not exist yet. */
export async function listPerson(q: Q, scope: ApiScope, personPublicId: string, listNames: string[]): Promise<void> {
  const names = [...new Map(listNames.map((n) => [n.trim().toLowerCase(), n.trim()])).values()].filter(Boolean);
  const people = peopleScopeOf(scope);
  for (const name of names) {
    const list = await getCollection(q, 'list', await ensureListNamed(q, name, scope.groupId), people);
    await addMember(q, 'list', list, personPublicId, people);
  }
}

/** Adds a person to tags or lists the key's group holds, by id (from their API URLs, already checked to be in scope). */
export async function addPersonToSets(q: Q, scope: ApiScope, set: PersonSet, personPublicId: string, setIds: number[]): Promise<void> {
  const people = peopleScopeOf(scope);
  for (const id of new Set(setIds)) await addMember(q, set, await getCollection(q, set, id, people), personPublicId, people);
}

/**
 * Which of these people the key's group (or the coalition) may email now (the supporters'
 * peopleWithLiveConsent).
 */
export async function subscribedAmong(q: Q, scope: ApiScope, personIds: number[]): Promise<Set<number>> {
  return peopleWithLiveConsent(q, scope.groupId, personIds);
}
