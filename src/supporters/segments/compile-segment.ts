import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { personCondition, type PlatformTables } from '../../platform/index.ts';
import type { PeopleTable, Q, SupportersView } from '../tables.ts';
import type { Condition, SegmentDefinition } from './definition.ts';
import { peopleSeenBy } from '../people-pages.ts';
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

/** A condition another capability offers (activity), as that capability's SQL over the person's id; false when none offers it. */
function activityExpression(condition: Extract<Condition, { kind: 'activity' }>): RawBuilder<SqlBool> {
  const offered = personCondition(condition.activity);
  return offered ? sql<SqlBool>`(${offered.matches(sql.ref('p.id'), condition.subjectId ?? null)})` : sql<SqlBool>`false`;
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
    case 'activity':
      return activityExpression(condition);
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
 * The set of people (distinct person ids, which may include people merged away or erased) that a
 * condition on another table is about, for any-of definitions. Null for conditions on people's
 * own columns (seat, region, date added).
 */
function idSets(condition: Condition): { sets: RawBuilder<unknown>[]; match: 'any' | 'all' | 'none' } | null {
  const distinct = (from: RawBuilder<unknown>) => sql`(select distinct person_id from ${from})`;
  // One tag or list: its primary key (id, person_id) gives each person once, in id order, to merge
  // with no sort. A few of them are a few such sets (any of them: any set); many, one sorted set.
  const members = (table: 'taggings' | 'list_members', key: 'tag_id' | 'list_id', ids: number[]) => [
    ...new Set(ids),
  ].map((id) => sql`(select person_id from ${sql.table(table)} where ${sql.ref(key)} = ${id}::int)`);
  const MANY = 8;
  const many = (table: 'taggings' | 'list_members', key: 'tag_id' | 'list_id', ids: number[]) => [distinct(sql`${sql.table(table)} where ${sql.ref(key)} = any(${ids}::int[])`)];
  const some = (table: 'taggings' | 'list_members', key: 'tag_id' | 'list_id', ids: number[]) =>
    new Set(ids).size > MANY ? many(table, key, ids) : members(table, key, ids);
  switch (condition.kind) {
    case 'constituency':
    case 'region':
    case 'created':
    case 'activity':
      return null;
    case 'tags':
      // All of them: one set per tag, each present; none: no set present.
      if (condition.match === 'all') return { sets: members('taggings', 'tag_id', condition.tagIds), match: 'all' };
      return { sets: some('taggings', 'tag_id', condition.tagIds), match: condition.match };
    case 'lists':
      return { sets: some('list_members', 'list_id', condition.listIds), match: 'any' };
    case 'consent':
      return { sets: [sql`(select person_id from consents where purpose_id = ${condition.purposeId}::int and status = 'given')`], match: 'any' };
    case 'action': {
      const parts = [sql`kind = ${condition.action}`];
      if (condition.subjectId) parts.push(sql`subject_id = ${condition.subjectId}`);
      if (condition.since) parts.push(sql`occurred_at >= ${londonDayStart(condition.since)}`);
      if (condition.before) parts.push(sql`occurred_at < ${londonDayStart(condition.before)}`);
      return { sets: [distinct(sql`person_actions where ${sql.join(parts, sql` and `)}`)], match: 'any' };
    }
  }
}

/**
 * A definition as left joins of the people onto each condition's set of person ids, and one test
 * per person of which sets they are in (all of them, or any). Every set comes sorted by person id
 * from its index (or is sorted once), so Postgres merges them with the people in one pass in id
 * order: no subplan per person, and no hash per set to build and probe (which, with a few sets of
 * hundreds of thousands of people, cost seconds on a million people).
 */
function setsQuery(people: SegmentQuery, definition: SegmentDefinition): SegmentQuery {
  let query = people;
  const tests: RawBuilder<SqlBool>[] = [];
  let n = 0;
  for (const condition of definition.conditions) {
    const found = idSets(condition);
    if (found === null) {
      tests.push(sql<SqlBool>`(${ownColumnsExpression(condition as OwnColumnsCondition)})`);
      continue;
    }
    const flags = found.sets.map((set) => {
      const alias = `s${n++}`;
      query = query.leftJoin(sql`${set}`.as(alias), (join) => join.on(sql<SqlBool>`${sql.ref(`${alias}.person_id`)} = p.id`)) as typeof query;
      return sql<SqlBool>`${sql.ref(`${alias}.person_id`)} ${found.match === 'none' ? sql`is null` : sql`is not null`}`;
    });
    const test = sql<SqlBool>`(${sql.join(flags, found.match === 'any' ? sql` or ` : sql` and `)})`;
    tests.push(condition.not ? sql<SqlBool>`not ${test}` : test);
  }
  if (tests.length === 0) return query as unknown as SegmentQuery;
  return query.where(sql<SqlBool>`(${sql.join(tests, definition.match === 'any' ? sql` or ` : sql` and `)})`) as unknown as SegmentQuery;
}

type OwnColumnsCondition = Extract<Condition, { kind: 'constituency' | 'region' | 'created' | 'activity' }>;

/** A condition on people's own columns as SQL over `p`, negated when it says so. */
function ownColumnsExpression(condition: OwnColumnsCondition): RawBuilder<SqlBool> {
  if (condition.kind === 'activity') return condition.not ? sql<SqlBool>`not ${activityExpression(condition)}` : activityExpression(condition);
  if (condition.kind === 'created') {
    const parts: RawBuilder<SqlBool>[] = [];
    if (condition.since) parts.push(sql<SqlBool>`p.created_at >= ${londonDayStart(condition.since)}`);
    if (condition.before) parts.push(sql<SqlBool>`p.created_at < ${londonDayStart(condition.before)}`);
    const both = sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
    return condition.not ? sql<SqlBool>`not ${both}` : both;
  }
  const column = condition.kind === 'constituency' ? sql.ref('p.constituency_code') : sql.ref('p.region_code');
  if (condition.not) return sql<SqlBool>`(${column} is null or ${column} <> all(${condition.codes}::text[]))`;
  return sql<SqlBool>`${column} = any(${condition.codes}::text[])`;
}

/**
 * Whether a definition is best counted as a merge over all the live people (setsQuery): any-of
 * definitions, and all-of ones with no seat or region to start from. All of some seats or a region
 * starts from those people (an index range) and checks each of them against the other conditions.
 */
function bySets(definition: SegmentDefinition): boolean {
  if (definition.match === 'any' && definition.conditions.length > 1) return true;
  return !definition.conditions.some((c) => (c.kind === 'constituency' || c.kind === 'region') && !c.not);
}

/**
 * The people of a segment as a Kysely query over `p`, the people as the scope sees them (see
 * peopleSeenBy; no columns selected yet): live records only (not merged away, not erased), within the scope, matching the definition. Every
 * value travels as a parameter. All of some seats or a region, with conditions on other tables as
 * EXISTS subqueries (semi and anti joins from those people); anything else, left joins of all the
 * live people onto sorted sets of person ids (setsQuery). Callers that read people through it check
 * assertWithinReach (segment-reach.ts) first, as countSegment, segmentPage and streamSegment do.
 */
export function segmentQuery(q: Q, definition: SegmentDefinition, scope: PeopleScope): SegmentQuery {
  // A group's segment reads people as the group sees them: one it was only told about by a key or
  // an import matches (on seat, region, date joined) and shows only what it was told.
  const people = scope === 'all' ? q.selectFrom('people as p') : q.selectFrom(sql<PeopleTable>`${peopleSeenBy(scope, 'many')}`.as('p'));
  const sets = bySets(definition);
  const base = sets ? setsQuery(people, definition) : people;
  return base
    .where('p.merged_into_id', 'is', null)
    .where('p.erased_at', 'is', null)
    .where((eb) => scopeExpression(eb, scope))
    .where((eb) => {
      if (sets) return sql<SqlBool>`true`;
      const parts = definition.conditions.map((condition) => conditionExpression(eb, condition));
      if (parts.length === 0) return sql<SqlBool>`true`;
      return eb.and(parts);
    });
}

/**
 * Counting a big segment hashes or sorts sets of up to a million person ids: with the default 4 MB
 * of work memory those spill to disk in batches, or Postgres falls back to one probe per person.
 * A count gets 64 MB, for its own transaction only. A count by sets (setsQuery) is one pass over
 * the live people in id order (the narrow people_live_facts index) merged with each sorted set:
 * Postgres would rather read the whole table and hash every set (in parallel, once per worker),
 * which measured two to three times slower on a million people, so for that count hashing and
 * sequential reads are off too. Inside a caller's transaction the settings are put back after.
 */
async function withCountSettings<T>(q: Q, definition: SegmentDefinition, work: (q: Q) => Promise<T>): Promise<T> {
  const settings: Array<[string, string]> = [['work_mem', '64MB']];
  if (bySets(definition)) {
    settings.push(['enable_hashjoin', 'off'], ['enable_hashagg', 'off'], ['enable_seqscan', 'off'], ['max_parallel_workers_per_gather', '0']);
  }
  const give = (tx: Q, values: Array<[string, string]>) =>
    sql`select set_config(name, value, true) from unnest(${values.map((x) => x[0])}::text[], ${values.map((x) => x[1])}::text[]) as s(name, value)`.execute(tx);
  if (q.isTransaction) {
    const { rows } = await sql<{ name: string; was: string }>`select name, current_setting(name) as was from unnest(${settings.map((x) => x[0])}::text[]) as s(name)`.execute(q);
    await give(q, settings);
    try {
      return await work(q);
    } finally {
      await give(q, rows.map((r) => [r.name, r.was]));
    }
  }
  return q.transaction().execute(async (tx) => {
    await give(tx, settings);
    return work(tx);
  });
}

/** How many people a segment holds; refused (403) when its conditions reach outside the scope. */
export async function countSegment(q: Q, definition: SegmentDefinition, scope: PeopleScope): Promise<number> {
  await assertWithinReach(q, definition, scope);
  const row = await withCountSettings(q, definition, (tx) => segmentQuery(tx, definition, scope).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
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
