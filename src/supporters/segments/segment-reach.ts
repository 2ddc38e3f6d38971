import { sql } from 'kysely';
import { findPetition } from '../../petitions/index.ts';
import { forbidden, personCondition } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import type { PeopleScope } from './compile-segment.ts';
import type { Condition, SegmentDefinition } from './definition.ts';

/**
 * Whether a segment's conditions stay within the data of the groups it is counted for. A group
 * organiser (or a group's segment, or a group's mailing) may build on the coalition's and their
 * own groups' tags, lists and consent purposes, and on the petitions of their groups (and, for
 * "clicked mailing X", their groups' mailings): counting people by another group's tag would
 * tell them who that group has tagged. The builder offers only these, and refuses others when
 * counting or saving; a segment saved before that check, or a coalition segment used within a
 * group, is checked again here each time it is counted, shown, exported or mailed.
 */

/** A condition naming something outside the scope: its position in the definition and the property. */
export interface OutOfReach {
  position: number;
  property: 'tagIds' | 'listIds' | 'purposeId' | 'subjectId';
  what: string;
}

async function ownedElsewhere(q: Q, table: 'tags' | 'lists' | 'consent_purposes' | 'mailings', ids: number[], scope: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  // Ids that are missing altogether count as outside too: they can only come from a hand-made request.
  const { rows } = await sql<{ id: number }>`
    select wanted.id from unnest(${ids}::int[]) as wanted(id)
    where not exists (select 1 from ${sql.table(table)} x where x.id = wanted.id and (x.group_id is null or x.group_id = any(${scope}::int[])))`.execute(q);
  return new Set(rows.map((r) => r.id));
}

/** A mailing is a group's when it is sent as its purpose; the coalition's are not a group organiser's to see. */
async function mailingsElsewhere(q: Q, ids: number[], scope: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const { rows } = await sql<{ id: number }>`
    select wanted.id from unnest(${ids}::int[]) as wanted(id)
    where not exists (
      select 1 from mailings m join consent_purposes cp on cp.id = m.purpose_id
      where m.id = wanted.id and cp.group_id = any(${scope}::int[]))`.execute(q);
  return new Set(rows.map((r) => r.id));
}

const subjectNumber = (c: Condition & { kind: 'action' }) => (c.subjectId && /^\d{1,9}$/.test(c.subjectId) ? Number(c.subjectId) : null);
const isPetitionAction = (c: Condition) => c.kind === 'action' && c.action.startsWith('petition.') && Boolean(c.subjectId);
const isMailingAction = (c: Condition) => c.kind === 'action' && c.action.startsWith('mailing.') && Boolean(c.subjectId);

/** The conditions of a definition that name a tag, list, purpose, petition or mailing the scope may not use. */
export async function outOfReach(q: Q, definition: SegmentDefinition, scope: PeopleScope): Promise<OutOfReach[]> {
  if (scope === 'all') return [];
  const c = definition.conditions;
  const tagIds = c.flatMap((x) => (x.kind === 'tags' ? x.tagIds : []));
  const listIds = c.flatMap((x) => (x.kind === 'lists' ? x.listIds : []));
  const purposeIds = c.flatMap((x) => (x.kind === 'consent' ? [x.purposeId] : []));
  const mailingIds = c.flatMap((x) => (x.kind === 'action' && isMailingAction(x) ? [subjectNumber(x) ?? 0] : []));
  const [tags, lists, purposes, mailings] = await Promise.all([
    ownedElsewhere(q, 'tags', tagIds, scope),
    ownedElsewhere(q, 'lists', listIds, scope),
    ownedElsewhere(q, 'consent_purposes', purposeIds, scope),
    mailingsElsewhere(q, mailingIds, scope),
  ]);
  const found: OutOfReach[] = [];
  // Another capability's subjects (an event): that capability says which are outside these groups.
  for (const [position, x] of c.entries()) {
    if (x.kind !== 'activity' || x.subjectId === undefined) continue;
    const offered = personCondition(x.activity);
    if (offered && (await offered.outOfReach(q, [x.subjectId], scope)).has(x.subjectId)) found.push({ position, property: 'subjectId', what: offered.subjectLabel.replace(/^Which /, '').toLowerCase() });
  }
  for (const [position, x] of c.entries()) {
    if (x.kind === 'tags' && x.tagIds.some((id) => tags.has(id))) found.push({ position, property: 'tagIds', what: 'tag' });
    if (x.kind === 'lists' && x.listIds.some((id) => lists.has(id))) found.push({ position, property: 'listIds', what: 'list' });
    if (x.kind === 'consent' && purposes.has(x.purposeId)) found.push({ position, property: 'purposeId', what: 'consent purpose' });
    if (x.kind === 'action' && isMailingAction(x) && mailings.has(subjectNumber(x) ?? 0)) found.push({ position, property: 'subjectId', what: 'mailing' });
    if (x.kind === 'action' && isPetitionAction(x)) {
      // Petitions are the petitions capability's: one look-up each (a definition has at most 20 conditions).
      const id = subjectNumber(x);
      const petition = id === null ? undefined : await findPetition(q, id);
      if (!petition || !petition.groups.some((g) => scope.includes(g.id))) found.push({ position, property: 'subjectId', what: 'petition' });
    }
  }
  return found;
}

/**
 * Refuses (403) to use a definition within a scope it reaches outside of, naming the condition,
 * before anything is counted or read: nothing about the other group's people comes out.
 */
export async function assertWithinReach(q: Q, definition: SegmentDefinition, scope: PeopleScope): Promise<void> {
  const found = await outOfReach(q, definition, scope);
  if (found.length === 0) return;
  const named = found.map((f) => `condition ${f.position + 1} uses ${/^[aeiou]/.test(f.what) ? 'an' : 'a'} ${f.what} of another group`).join('; ');
  throw forbidden(`This segment cannot be used here: ${named}. Edit its conditions to use your own group’s.`);
}
