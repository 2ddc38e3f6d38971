import type { Readable } from 'node:stream';
import { csvStream, recordAudit, type Viewer } from '../platform/index.ts';
import type { Db, Q } from './tables.ts';
import { constituencyNames } from '../politics/index.ts';
import { countryName } from './countries.ts';
import { countedSignature } from './states.ts';
import { countsBy } from './store.ts';

const BATCH = 2000;

/** One signer as a hand-in lists them: a name and where they live. Never an email address. */
export interface ExportedSigner {
  name: string;
  constituency: string;
  constituencyCode: string;
  country: string;
}

/** Anything in a name that looks like an email address is removed: exports never carry addresses. */
export function withoutEmailAddresses(name: string): string {
  return name.replace(/\S*@\S*/g, '[address removed]');
}

/**
 * Confirmed signers in signing order, one batch at a time by keyset on the primary key, so an
 * export of a million names holds one batch in memory. Only confirmed, counted (not held, not
 * invalidated), not erased signatures.
 */
export async function* confirmedSigners(db: Db, petitionId: number, batchSize = BATCH): AsyncGenerator<ExportedSigner[]> {
  const labels = new Map<string, { name: string; mp: string | null } | null>();
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('signatures')
      .select(['id', 'name', 'constituency_code', 'country_code'])
      .where('petition_id', '=', petitionId)
      .where('id', '>', after)
      .where(countedSignature())
      .where('erased_at', 'is', null)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return;
    const unknown = rows.flatMap((r) => (r.constituency_code && !labels.has(r.constituency_code) ? [r.constituency_code] : []));
    if (unknown.length > 0) {
      const found = await constituencyNames(db, unknown);
      for (const code of unknown) labels.set(code, found.get(code) ?? null);
    }
    yield rows.map((r) => ({
      name: withoutEmailAddresses(r.name ?? ''),
      constituency: r.constituency_code ? (labels.get(r.constituency_code)?.name ?? '') : '',
      constituencyCode: r.constituency_code ?? '',
      country: countryName(r.country_code),
    }));
    after = rows[rows.length - 1]!.id;
    if (rows.length < batchSize) return;
  }
}

/** The names CSV for a hand-in: name, constituency, constituency code, country. Streamed. */
export function signerNamesCsv(db: Db, petitionId: number): Readable {
  async function* rows() {
    for await (const batch of confirmedSigners(db, petitionId)) {
      for (const s of batch) yield [s.name, s.constituency, s.constituencyCode, s.country];
    }
  }
  return csvStream(['Name', 'Constituency', 'Constituency code', 'Country'], rows());
}

/** Signatures per constituency with its MP, largest first, from the exact counted tallies. */
export function constituencyCountsCsv(db: Db, petitionId: number): Readable {
  async function* rows() {
    const counts = await countsBy(db, petitionId, 'constituency');
    const labels = await constituencyNames(db, counts.map((c) => c.key));
    for (const c of counts) {
      const label = labels.get(c.key);
      yield [c.key, label?.name ?? '', label?.mp ?? '', String(c.count)];
    }
  }
  return csvStream(['Constituency code', 'Constituency', 'MP', 'Signatures'], rows());
}

export type ExportKind = 'names-csv' | 'names-print' | 'constituency-counts-csv';

/** Who exported what, and when: written before the download starts. */
export async function recordExport(q: Q, actor: Viewer, petitionId: number, kind: ExportKind): Promise<void> {
  await recordAudit(q, { actor, action: `petition.export.${kind}`, subjectType: 'petition', subjectId: petitionId, after: { kind } });
}

export function exportFileName(petitionId: number, slug: string, kind: 'names' | 'constituencies'): string {
  return `petition-${petitionId}-${slug.slice(0, 40)}-${kind}.csv`;
}
