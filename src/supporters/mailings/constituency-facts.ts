import { constituencyNames } from '../../politics/index.ts';
import type { Q } from '../tables.ts';

/** A constituency's name and its MP, for {{constituency}} and {{mp}}, from the politics capability. */
export interface ConstituencyFacts {
  name: string;
  mp: string | null;
}

export async function constituencyFacts(q: Q, codes: string[]): Promise<Map<string, ConstituencyFacts>> {
  const names = await constituencyNames(q, codes);
  return new Map([...names].map(([code, c]) => [code, { name: c.name, mp: c.mp }]));
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
