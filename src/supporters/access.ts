import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { groupIdsFor } from '../coalition/index.ts';
import { conflict, forbidden, notFound, recordAudit, requireRole, type Viewer } from '../platform/index.ts';
import type { AppContext, Q } from './tables.ts';
import { listPurposes, type Purpose } from './consent.ts';
import { findPersonByPublicId, type Person } from './person-record.ts';

/**
 * Who may see which supporters: admins see everyone; a group organiser sees the people
 * connected to their groups and only their groups' consents; moderators see no one.
 */
export interface PeopleScope {
  viewer: Viewer;
  /** 'all' for admins, else the organiser's group ids. */
  groupIds: number[] | 'all';
}

export async function peopleScope(q: Q, viewer: Viewer): Promise<PeopleScope> {
  if (viewer.role === 'moderator') throw forbidden('Moderators cannot see supporters’ personal data.');
  return { viewer, groupIds: await groupIdsFor(q, viewer) };
}

/** Route options for the people pages: admins and group organisers (moderators are refused). */
export const organisersOnly = { preHandler: requireRole('admin', 'organiser') };

/** Who is looking, and what they may see. */
export async function scopeOf(ctx: AppContext, request: FastifyRequest): Promise<PeopleScope> {
  return peopleScope(ctx.db, request.viewer!);
}

export function isAdmin(scope: PeopleScope): boolean {
  return scope.groupIds === 'all';
}

export function requireAdmin(scope: PeopleScope): void {
  if (!isAdmin(scope)) throw forbidden('Only coalition admins can do this.');
}

/** True when the scope reaches this person (through one of its groups). */
export async function canSeePerson(q: Q, scope: PeopleScope, personId: number): Promise<boolean> {
  if (scope.groupIds === 'all') return true;
  if (scope.groupIds.length === 0) return false;
  const row = await q
    .selectFrom('person_groups')
    .select('person_id')
    .where('person_id', '=', personId)
    .where('group_id', 'in', scope.groupIds)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The person behind a URL, if the viewer may see them. Someone outside the organiser's groups
 * is "not found", so the page reveals nothing about whether they exist.
 */
export async function visiblePerson(q: Q, scope: PeopleScope, publicId: string): Promise<Person> {
  const person = await findPersonByPublicId(q, publicId);
  if (!person || !(await canSeePerson(q, scope, person.id))) throw notFound('person');
  return asSeenBy(q, scope, person);
}

/**
 * The person as the viewer's groups know them: when none of the groups sees the person's own
 * record (they were told about them by a key or an import), only what the groups were told.
 */
export async function asSeenBy(q: Q, scope: PeopleScope, person: Person): Promise<Person> {
  if (scope.groupIds === 'all' || scope.groupIds.length === 0) return person;
  const rows = await q
    .selectFrom('person_groups')
    .select(['facts', 'first_at'])
    .where('person_id', '=', person.id)
    .where('group_id', 'in', scope.groupIds)
    .orderBy('first_at')
    .execute();
  if (rows.length === 0 || rows.some((r) => r.facts === null)) return person;
  const { facts, first_at: firstAt } = rows[0]!;
  const told = facts?.at ? new Date(facts.at) : firstAt;
  return {
    ...person,
    givenName: facts?.given_name ?? null,
    familyName: facts?.family_name ?? null,
    phone: facts?.phone ?? null,
    postcode: facts?.postcode ?? null,
    constituencyCode: facts?.constituency_code ?? null,
    regionCode: facts?.region_code ?? null,
    countryCode: facts?.country_code ?? null,
    source: { utmSource: null, utmCampaign: null, referrer: null, method: null },
    firstActionAt: firstAt,
    latestActionAt: told,
    createdAt: firstAt,
    modifiedAt: told,
    toldOnly: true,
  };
}

/** A person the viewer may see whose data is still held (erasing twice is a conflict). */
export async function erasablePerson(q: Q, scope: PeopleScope, publicId: string): Promise<Person> {
  const person = await visiblePerson(q, scope, publicId);
  if (person.erasedAt) throw conflict('This person’s data has already been erased.');
  return person;
}

/** A consent purpose the viewer may see, or not found. */
export async function visiblePurpose(q: Q, scope: PeopleScope, purposeId: number): Promise<Purpose> {
  const visible = await visiblePurposeIds(q, scope);
  const purpose = (await listPurposes(q, { ids: [purposeId] }))[0];
  if (!purpose || (visible !== 'all' && !visible.includes(purpose.id))) throw notFound('purpose');
  return purpose;
}

/** Purpose ids whose consents the viewer may see. */
export async function visiblePurposeIds(q: Q, scope: PeopleScope): Promise<number[] | 'all'> {
  if (scope.groupIds === 'all') return 'all';
  return (await listPurposes(q, { groupIds: scope.groupIds })).map((p) => p.id);
}

/** A SQL condition on `people` (aliased p) limiting rows to the scope. */
export function scopeCondition(scope: PeopleScope) {
  if (scope.groupIds === 'all') return sql<boolean>`true`;
  return sql<boolean>`exists (select 1 from person_groups pg where pg.person_id = p.id and pg.group_id = any(${scope.groupIds}::int[]))`;
}

/**
 * Every look at personal data (a person page, search results, an export, a subject access
 * copy) is written to the audit log with public ids only, never the data itself.
 */
export async function auditAccess(
  q: Q,
  scope: PeopleScope,
  action: string,
  subject: { type: string; id: string | number | null },
  after?: Record<string, unknown>,
): Promise<void> {
  await recordAudit(q, { actor: scope.viewer, action, subjectType: subject.type, subjectId: subject.id, after });
}
