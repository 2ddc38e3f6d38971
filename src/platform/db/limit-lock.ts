import { sql } from 'kysely';
import type { View, ViewTx } from './view.ts';

/**
 * Runs `work` in a transaction holding one advisory lock per key (taken in one order, so two callers
 * cannot deadlock): a limit's "count, then record" becomes one step for everyone sharing a key, and
 * a burst of parallel attempts cannot all pass the count before any is recorded. Inside an open
 * transaction, the locks join it.
 */
export async function withLimitLocks<Tables, T>(q: View<Tables>, keys: string[], work: (tx: ViewTx<Tables>) => Promise<T>): Promise<T> {
  const run = async (tx: ViewTx<Tables>) => {
    await sql`select pg_advisory_xact_lock(k)
      from (select distinct hashtextextended(key, 4217) as k from unnest(${[...new Set(keys)]}::text[]) as key order by 1) as ordered`.execute(tx);
    return work(tx);
  };
  return q.isTransaction ? run(q as ViewTx<Tables>) : q.transaction().execute(run);
}
