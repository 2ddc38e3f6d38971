import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { PlatformTables } from '../../platform/index.ts';
import type { PeopleTable, Q, SupportersView } from '../tables.ts';
import type { Condition, SegmentDefinition } from './definition.ts';
import { assertWithinReach } from './segment-reach.ts';

/**
 * Whose people a query may see: 'all' for coalition admins, otherwise the ids of the groups the
 * viewer organises (people connected to one of them through person_groups). Matches
 * coalition/groups.ts groupIdsFor.
 */
export type PeopleScope = 'all' | number[];

type PeopleDb = SupportersView & PlatformTables & { p: PeopleTable };
type Eb = ExpressionBuilder<PeopleDb, 'p'>;
export type SegmentQuery = SelectQueryBuilder<PeopleDb, 'p', object>;

/** The first moment of a calendar day in Europe/London, as a timestamptz (parametrised). */
function londonDayStart(day: string) {
  return sql<Date>`(${day}::date::timestamp at time zone 'Europe/London')`;
}

function anyTag(eb: Eb, tagIds: number[]) {
  return eb.exists(
    eb
      .selectFrom('taggings as t')
      .select(sql.lit(1).as('one'))
      .whereRef('t.person_id', '=', 'p.id')
      .where(sql<boolean>`t.tag_id = any(${tagIds}::int[])`),
  );
}

/** A condition, negated when it says so. */
function conditionExpression(eb: Eb, condition: Condition): Expression<SqlBool> {
  if (condition.kind === 'constituency' || condition.kind === 'region') {
    const column = condition.kind === 'constituency' ? eb.ref('p.constituency_code') : eb.ref('p.region_code');
    // Someone with no known seat is "not in these seats". Spelled out rather than with coalesce(),
    // which would hide the column from its index.
    if (condition.not) return sql<SqlBool>`(${column} is null or ${column} <> all(${condition.codes}::text[]))`;
    return sql<SqlBool>`${column} = any(${condition.codes}::text[])`;
  }
  const expression = matchExpression(eb, condition);
  return condition.not ? eb.not(expression) : expression;
}

/** What the people who match a condition (other than by seat) have in common. */
function matchExpression(eb: Eb, condition: Exclude<Condition, { kind: 'constituency' | 'region' }>): Expression<SqlBool> {
  switch (condition.kind) {
    case 'tags':
      if (condition.match === 'all') return eb.and(condition.tagIds.map((id) => anyTag(eb, [id])));
      if (condition.match === 'none') return eb.not(anyTag(eb, condition.tagIds));
      return anyTag(eb, condition.tagIds);
    case 'lists':
      return eb.exists(
        eb
          .selectFrom('list_members as lm')
          .select(sql.lit(1).as('one'))
          .whereRef('lm.person_id', '=', 'p.id')
          .where(sql<boolean>`lm.list_id = any(${condition.listIds}::int[])`),
      );
    case 'action': {
      let actions = eb
        .selectFrom('person_actions as a')
        .select(sql.lit(1).as('one'))
        .whereRef('a.person_id', '=', 'p.id')
        .where('a.kind', '=', condition.action);
      if (condition.subjectId) actions = actions.where('a.subject_id', '=', condition.subjectId);
      if (condition.since) actions = actions.where('a.occurred_at', '>=', londonDayStart(condition.since));
      if (condition.before) actions = actions.where('a.occurred_at', '<', londonDayStart(condition.before));
      return eb.exists(actions);
    }
    case 'consent':
      return eb.exists(
        eb
          .selectFrom('consents as c')
          .select(sql.lit(1).as('one'))
          .whereRef('c.person_id', '=', 'p.id')
          .where('c.purpose_id', '=', condition.purposeId)
          .where('c.status', '=', 'given'),
      );
    case 'created': {
      const parts: Expression<SqlBool>[] = [];
      if (condition.since) parts.push(eb('p.created_at', '>=', londonDayStart(condition.since)));
      if (condition.before) parts.push(eb('p.created_at', '<', londonDayStart(condition.before)));
      return eb.and(parts);
    }
  }
}

function scopeExpression(eb: Eb, scope: PeopleScope): Expression<SqlBool> {
  if (scope === 'all') return sql<SqlBool>`true`;
  if (scope.length === 0) return sql<SqlBool>`false`;
  return eb.exists(
    eb
      .selectFrom('person_groups as pg')
      .select(sql.lit(1).as('one'))
      .whereRef('pg.person_id', '=', 'p.id')
      .where(sql<boolean>`pg.group_id = any(${scope}::int[])`),
  );
}

/**
 * The people of a segment as a Kysely query over `people as p` (no columns selected yet): live
 * records only (not merged away, not erased), within the scope, matching the definition. Every
 * value travels as a parameter; conditions on other tables are EXISTS subqueries. Callers
 * that read people through it check assertWithinReach (segment-reach.ts) first, as countSegment,
 * segmentPage and streamSegment do.
 */
export function segmentQuery(q: Q, definition: SegmentDefinition, scope: PeopleScope): SegmentQuery {
  return q
    .selectFrom('people as p')
    .where('p.merged_into_id', 'is', null)
    .where('p.erased_at', 'is', null)
    .where((eb) => scopeExpression(eb, scope))
    .where((eb) => {
      const parts = definition.conditions.map((condition) => conditionExpression(eb, condition));
      if (parts.length === 0) return sql<SqlBool>`true`;
      return definition.match === 'any' ? eb.or(parts) : eb.and(parts);
    });
}

/** How many people a segment holds; refused (403) when its conditions reach outside the scope. */
export async function countSegment(q: Q, definition: SegmentDefinition, scope: PeopleScope): Promise<number> {
  await assertWithinReach(q, definition, scope);
  const row = await segmentQuery(q, definition, scope).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What mailings and exports read about each person of a segment. */
export interface SegmentPerson {
  id: number;
  public_id: string;
  email: string | null;
  email_status: 'unverified' | 'verified' | 'undeliverable';
  given_name: string | null;
  family_name: string | null;
  phone: string | null;
  postcode: string | null;
  constituency_code: string | null;
  region_code: string | null;
  country_code: string | null;
  created_at: Date;
}

const personColumns = [
  'p.id',
  'p.public_id',
  'p.email',
  'p.email_status',
  'p.given_name',
  'p.family_name',
  'p.phone',
  'p.postcode',
  'p.constituency_code',
  'p.region_code',
  'p.country_code',
  'p.created_at',
] as const;

function pageOf(q: Q, definition: SegmentDefinition, scope: PeopleScope, afterId: number, limit: number): Promise<SegmentPerson[]> {
  return segmentQuery(q, definition, scope).select(personColumns).where('p.id', '>', afterId).orderBy('p.id').limit(limit).execute();
}

/** One page of a segment in id order, after `afterId` (keyset pagination); refused (403) when it reaches outside the scope. */
export async function segmentPage(q: Q, definition: SegmentDefinition, scope: PeopleScope, afterId: number, limit: number): Promise<SegmentPerson[]> {
  await assertWithinReach(q, definition, scope);
  return pageOf(q, definition, scope, afterId, limit);
}

/**
 * The whole segment in batches (keyset pagination on id), so a caller never holds every row:
 * each batch is one short query. People added while streaming may or may not be included.
 */
export async function* streamSegment(
  q: Q,
  definition: SegmentDefinition,
  scope: PeopleScope,
  options: { batchSize?: number } = {},
): AsyncGenerator<SegmentPerson[]> {
  const batchSize = options.batchSize ?? 1000;
  await assertWithinReach(q, definition, scope);
  let afterId = 0;
  for (;;) {
    const batch = await pageOf(q, definition, scope, afterId, batchSize);
    if (batch.length === 0) return;
    yield batch;
    if (batch.length < batchSize) return;
    afterId = batch[batch.length - 1]!.id;
  }
}
