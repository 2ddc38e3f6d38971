import { sql, type RawBuilder } from 'kysely';
import type { Handle } from './view.ts';

export interface PagedQuery {
  columns: RawBuilder<unknown>;
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>;
  /** A stable order, so pages neither repeat nor skip rows. */
  orderBy: RawBuilder<unknown>;
}

export interface PageRequest {
  page: number;
  perPage: number;
}

/** One page of rows and the count of all rows matching, for a collection. */
export async function pagedQuery<R>(q: Handle, query: PagedQuery, page: PageRequest): Promise<{ rows: R[]; total: number }> {
  const [count, rows] = await Promise.all([
    sql<{ n: number }>`select count(*)::int as n from ${query.from} where ${query.where}`.execute(q),
    sql<R>`select ${query.columns} from ${query.from} where ${query.where}
      order by ${query.orderBy} limit ${page.perPage} offset ${(page.page - 1) * page.perPage}`.execute(q),
  ]);
  return { rows: rows.rows, total: count.rows[0]?.n ?? 0 };
}

/** The scope's condition, and the client's filter when there is one. */
export function whereWith(base: RawBuilder<unknown>, filter: RawBuilder<unknown> | undefined): RawBuilder<unknown> {
  return filter ? sql`${base} and ${filter}` : base;
}
