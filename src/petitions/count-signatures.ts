import { sql } from 'kysely';
import type { Db, Q } from './tables.ts';
import { countedSignature } from './states.ts';

/** Only one counter runs at a time across every process (session-level advisory lock key). */
const COUNTER_LOCK = [7302, 1] as const;

export interface CountResult {
  counted: number;
  petitions: number[];
}

/**
 * Adds newly confirmed signatures to the aggregated counts in one statement: marks a batch of
 * uncounted rows as counted and adds them to the per-constituency, per-country and per-region
 * tallies and to each petition's total. Many signatures become one update of each hot row.
 */
export async function countNewSignatures(q: Q, limit = 50_000): Promise<CountResult> {
  const result = await sql<{ petition_id: number; n: number }>`
    with batch as (
      select petition_id, id from signatures
      where ${countedSignature()} and not counted
      order by petition_id, id
      limit ${limit}
      for update skip locked
    ), marked as (
      update signatures s set counted = true
      from batch b where s.petition_id = b.petition_id and s.id = b.id
      returning s.petition_id, s.constituency_code, s.country_code, s.region_code, s.validated_at
    ), dims as (
      select petition_id, 'constituency' as dimension, constituency_code as key, count(*)::int as n
        from marked where constituency_code is not null group by petition_id, constituency_code
      union all
      select petition_id, 'country', country_code, count(*)::int from marked group by petition_id, country_code
      union all
      select petition_id, 'region', region_code, count(*)::int from marked where region_code is not null group by petition_id, region_code
    ), upserted as (
      insert into petition_counts (petition_id, dimension, key, count)
      select petition_id, dimension, key, n from dims
      on conflict (petition_id, dimension, key) do update set count = petition_counts.count + excluded.count
      returning 1
    ), totals as (
      select petition_id, count(*)::int as n, max(validated_at) as last_signed_at from marked group by petition_id
    ), updated as (
      update petitions p set signature_count = p.signature_count + t.n,
        last_signed_at = greatest(p.last_signed_at, t.last_signed_at), counted_at = now()
      from totals t where p.id = t.petition_id
      returning p.id
    )
    select t.petition_id, t.n from totals t, (select count(*) from upserted) u, (select count(*) from updated) w`.execute(q);
  return { counted: result.rows.reduce((sum, r) => sum + r.n, 0), petitions: result.rows.map((r) => r.petition_id) };
}

/**
 * Recomputes a petition's counts from its rows (after a bulk invalidation or a moderator's
 * decision on held signatures), so the tallies match the confirmed rows exactly.
 */
export async function reconcileCounts(q: Q, petitionId: number): Promise<number> {
  await sql`update signatures set counted = ${countedSignature()}
    where petition_id = ${petitionId} and counted <> ${countedSignature()}`.execute(q);
  await sql`delete from petition_counts where petition_id = ${petitionId}`.execute(q);
  await sql`
    insert into petition_counts (petition_id, dimension, key, count)
    select ${petitionId}::int, 'constituency', constituency_code, count(*) from signatures
      where petition_id = ${petitionId} and counted and constituency_code is not null group by constituency_code
    union all
    select ${petitionId}::int, 'country', country_code, count(*) from signatures
      where petition_id = ${petitionId} and counted group by country_code
    union all
    select ${petitionId}::int, 'region', region_code, count(*) from signatures
      where petition_id = ${petitionId} and counted and region_code is not null group by region_code`.execute(q);
  const total = await sql<{ n: number }>`
    update petitions set signature_count = (select count(*) from signatures where petition_id = ${petitionId} and counted),
      counted_at = now()
    where id = ${petitionId} returning signature_count as n`.execute(q);
  return total.rows[0]?.n ?? 0;
}

/** Runs `body` holding the counter lock, or skips (returns undefined) if another process counts. */
export async function withCounterLock<T>(db: Db, body: (q: Q) => Promise<T>): Promise<T | undefined> {
  return db.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${COUNTER_LOCK[0]}, ${COUNTER_LOCK[1]}) as ok`.execute(conn);
    if (!got.rows[0]?.ok) return undefined;
    try {
      return await body(conn);
    } finally {
      await sql`select pg_advisory_unlock(${COUNTER_LOCK[0]}, ${COUNTER_LOCK[1]})`.execute(conn);
    }
  });
}

/** Waits for the counter lock (reconciliation must not be skipped). */
export async function underCounterLock<T>(db: Db, body: (q: Q) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${COUNTER_LOCK[0]}, ${COUNTER_LOCK[1]})`.execute(conn);
    try {
      return await conn.transaction().execute((tx) => body(tx));
    } finally {
      await sql`select pg_advisory_unlock(${COUNTER_LOCK[0]}, ${COUNTER_LOCK[1]})`.execute(conn);
    }
  });
}
