import type { Q } from '../../schema.ts';

/**
 * A constituency's name and its MP, for {{constituency}} and {{mp}}. Reads the politics tables
 * directly for now; to be replaced by the politics capability's own lookup when it exports one.
 */
export interface ConstituencyFacts {
  name: string;
  mp: string | null;
}

export async function constituencyFacts(q: Q, codes: string[]): Promise<Map<string, ConstituencyFacts>> {
  const facts = new Map<string, ConstituencyFacts>();
  if (codes.length === 0) return facts;
  const rows = await q
    .selectFrom('constituencies as c')
    .leftJoin('mps as m', 'm.constituency_code', 'c.code')
    .select(['c.code', 'c.name', 'm.name as mp'])
    .where('c.code', 'in', codes)
    .execute();
  for (const row of rows) facts.set(row.code, { name: row.name, mp: row.mp });
  return facts;
}

/** Remembers facts already looked up, so a mailing asks once per constituency (there are 650). */
export class ConstituencyCache {
  private known = new Map<string, ConstituencyFacts | null>();

  constructor(private readonly q: Q) {}

  async load(codes: Array<string | null>): Promise<void> {
    const missing = [...new Set(codes.filter((c): c is string => !!c && !this.known.has(c)))];
    if (missing.length === 0) return;
    const found = await constituencyFacts(this.q, missing);
    for (const code of missing) this.known.set(code, found.get(code) ?? null);
  }

  get(code: string | null): ConstituencyFacts | undefined {
    return code ? (this.known.get(code) ?? undefined) : undefined;
  }
}
