import { sql, type Expression, type RawBuilder } from 'kysely';

/**
 * Who is in a saved segment, as a subquery of person ids for `people.id in (...)`.
 *
 * Stand-in until the segments capability exports `segmentQuery(q, definition, scope)`: this reads
 * only a small subset of a definition — `{ "all" | "any": [ { "list": id } | { "tag": id } |
 * { "constituency": code } ] }` — and anything else matches nobody (never everybody).
 */
export interface SegmentScope {
  /** Groups whose people the sender may reach: the mailing's group, or every group for the coalition. */
  groupIds: number[] | 'all';
}

type Condition = { list: number } | { tag: number } | { constituency: string };

function conditionSql(condition: unknown): RawBuilder<unknown> | undefined {
  if (!condition || typeof condition !== 'object') return undefined;
  const c = condition as Partial<Record<'list' | 'tag' | 'constituency', unknown>>;
  if (Number.isSafeInteger(c.list)) return sql`id in (select person_id from list_members where list_id = ${c.list as number})`;
  if (Number.isSafeInteger(c.tag)) return sql`id in (select person_id from taggings where tag_id = ${c.tag as number})`;
  if (typeof c.constituency === 'string') return sql`id in (select id from people where constituency_code = ${c.constituency})`;
  return undefined;
}

export function segmentPersonIds(definition: unknown, _scope: SegmentScope): Expression<unknown> {
  const d = (definition ?? {}) as { all?: unknown; any?: unknown };
  const mode = Array.isArray(d.all) ? 'all' : Array.isArray(d.any) ? 'any' : undefined;
  const conditions = mode ? (d[mode] as Condition[]).map(conditionSql) : [];
  if (!mode || conditions.length === 0 || conditions.some((c) => c === undefined)) return sql`select null::bigint where false`;
  const joined = sql.join(conditions as RawBuilder<unknown>[], mode === 'all' ? sql` and ` : sql` or `);
  return sql`select id from people where ${joined}`;
}
