import { createHash } from 'node:crypto';
import { z } from 'zod';
import { sql } from 'kysely';
import type { AnyQueryable, Queryable } from './db/database.ts';
import { defineJob, type CronEntry } from './jobs/jobs.ts';
import { rateLimited } from './http/errors.ts';
import type { PlatformTables } from './tables.ts';

/** The limiter's own table: only this module reads or writes it. */
const limits = (q: AnyQueryable) => q as Queryable<Pick<PlatformTables, 'rate_limits'>>;

/**
 * One limit: at most `limit` hits per `windowSeconds` for one `key` (a client address, an account,
 * both) in a `bucket` (what is being limited, e.g. 'sign-in.address'). Windows are fixed: the first
 * hit starts one, and it ends `windowSeconds` later whatever happens in it.
 */
export interface RateLimit {
  bucket: string;
  key: string;
  limit: number;
  windowSeconds: number;
}

export type RateLimitAnswer =
  | { allowed: true }
  /** `over` is the first limit that refused; `retryAfterSeconds` is when its window ends. */
  | { allowed: false; over: RateLimit; retryAfterSeconds: number };

/** Keys are stored hashed: the table holds no addresses or email addresses. */
function keyHash(limit: Pick<RateLimit, 'bucket' | 'key'>): string {
  return createHash('sha256').update(`${limit.bucket}\n${limit.key}`).digest('hex');
}

/**
 * Counts one hit against each limit and says whether every one of them still allows it, in one
 * statement: each counter row is locked while it is counted, so any number of concurrent
 * requests, in any number of processes, let exactly `limit` hits through a window. A refused hit
 * counts too (hammering does not help). Rows are taken in one order, so statements never deadlock.
 */
export async function hitRateLimits(q: AnyQueryable, list: readonly RateLimit[]): Promise<RateLimitAnswer> {
  if (list.length === 0) return { allowed: true };
  const rows = list.map((limit) => ({ limit, hash: keyHash(limit) })).sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const unique = rows.filter((row, i) => i === 0 || rows[i - 1]!.hash !== row.hash);
  const values = unique.map(({ limit, hash }) => sql`(${hash}, now() + make_interval(secs => ${limit.windowSeconds}), 1)`);
  const result = await sql<{ key_hash: string; hits: number; retry_after: number }>`
    insert into rate_limits as r (key_hash, window_ends_at, hits)
    values ${sql.join(values)}
    on conflict (key_hash) do update set
      hits = case when r.window_ends_at > now() then r.hits + 1 else 1 end,
      window_ends_at = case when r.window_ends_at > now() then r.window_ends_at else excluded.window_ends_at end
    returning key_hash, hits, greatest(1, ceil(extract(epoch from r.window_ends_at - now())))::int as retry_after`.execute(q);
  const byHash = new Map(result.rows.map((row) => [row.key_hash, row]));
  let refused: RateLimitAnswer = { allowed: true };
  for (const limit of list) {
    const row = byHash.get(keyHash(limit))!;
    if (row.hits > limit.limit && (refused.allowed || row.retry_after > refused.retryAfterSeconds)) {
      refused = { allowed: false, over: limit, retryAfterSeconds: row.retry_after };
    }
  }
  return refused;
}

/** Like `hitRateLimits`, but throws `rate_limited` (429 with Retry-After) with `message` when refused. */
export async function enforceRateLimits(q: AnyQueryable, list: readonly RateLimit[], message: string): Promise<void> {
  const answer = await hitRateLimits(q, list);
  if (!answer.allowed) throw rateLimited(message, answer.retryAfterSeconds);
}

/** Whether a limit is used up in its current window, without counting a hit. */
export async function isRateLimited(q: AnyQueryable, limit: RateLimit): Promise<{ limited: false } | { limited: true; retryAfterSeconds: number }> {
  const row = await sql<{ hits: number; retry_after: number }>`
    select hits, greatest(1, ceil(extract(epoch from window_ends_at - now())))::int as retry_after
    from rate_limits where key_hash = ${keyHash(limit)} and window_ends_at > now()`.execute(q);
  const found = row.rows[0];
  return found && found.hits >= limit.limit ? { limited: true, retryAfterSeconds: found.retry_after } : { limited: false };
}

/** Gives back one hit (an attempt that turned out well), or forgets the key's window altogether. */
export async function refundRateLimit(q: AnyQueryable, limit: Pick<RateLimit, 'bucket' | 'key'>, how: 'one' | 'all' = 'one'): Promise<void> {
  if (how === 'all') {
    await limits(q).deleteFrom('rate_limits').where('key_hash', '=', keyHash(limit)).execute();
    return;
  }
  await limits(q)
    .updateTable('rate_limits')
    .set({ hits: sql<number>`greatest(hits - 1, 0)` })
    .where('key_hash', '=', keyHash(limit))
    .execute();
}

export async function deleteEndedRateLimits(q: AnyQueryable): Promise<number> {
  const result = await limits(q).deleteFrom('rate_limits').where('window_ends_at', '<', sql<Date>`now()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Hourly: forget windows that have ended. */
export const sweepRateLimits = defineJob('platform.rate-limits.sweep', z.object({}).passthrough(), async (_payload, ctx) => {
  await deleteEndedRateLimits(ctx.db);
});

export const rateLimitJobs = [sweepRateLimits];
export const rateLimitCron: CronEntry[] = [{ job: sweepRateLimits, match: '23 * * * *' }];
