import { sql } from 'kysely';
import type { Q } from '../schema.ts';

export interface ConstituencyLabel {
  name: string;
  /** The sitting MP, when known. */
  mp: string | null;
}

/**
 * Names and MPs of constituencies, for exports. The politics capability owns these tables and
 * has no exported lookup for them yet; this one read is kept here, in one place, until it does.
 */
export async function constituencyLabels(q: Q, codes: string[]): Promise<Map<string, ConstituencyLabel>> {
  const wanted = [...new Set(codes)];
  if (wanted.length === 0) return new Map();
  const rows = await sql<{ code: string; name: string; mp: string | null }>`
    select c.code, c.name, coalesce(m.name, c.member_name) as mp
    from constituencies c left join mps m on m.constituency_code = c.code
    where c.code = any(${wanted}::text[])`.execute(q);
  return new Map(rows.rows.map((r) => [r.code, { name: r.name, mp: r.mp }]));
}
