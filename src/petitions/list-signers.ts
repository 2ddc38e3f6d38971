import type { Readable } from 'node:stream';
import { sql, type RawBuilder } from 'kysely';
import { csvStream, hearsFrom, recordAudit, type Viewer } from '../platform/index.ts';
import { constituencyNames } from '../politics/index.ts';
import { groupsSpokenFor } from './close-agreements.ts';
import { countryName } from './countries.ts';
import { readPetitionRules } from './petition-rules.ts';
import { countedSignature } from './states.ts';
import type { Petition, PetitionGroup } from './store.ts';
import type { Q } from './tables.ts';

/**
 * Who may see which signers of a petition (names and email addresses). Admins see every
 * confirmed signer. A group's organisers see only the signers who agreed to hear from their
 * group (a live consent for one of its purposes), and a count of the others, unless an admin has
 * let that group's organisers see every signer (the petition settings). The hand-in downloads
 * (names and constituencies, never email addresses: export-signatures.ts) are not limited so.
 */
export type SignerScope = { kind: 'everyone' } | { kind: 'agreed'; groups: PetitionGroup[] };

export async function signerScopeFor(q: Q, viewer: Viewer, petition: Petition): Promise<SignerScope> {
  if (viewer.role === 'admin') return { kind: 'everyone' };
  const groups = await groupsSpokenFor(q, viewer, petition);
  const granted = new Set((await readPetitionRules(q)).allSignersGroupIds);
  if (groups.some((g) => granted.has(g.id))) return { kind: 'everyone' };
  return { kind: 'agreed', groups };
}

/** Confirmed, counted, not erased: the signers a list shows (as the API's list does). `s` is signatures. */
const listed = (petitionId: number) => sql<boolean>`s.petition_id = ${petitionId} and ${countedSignature('s')} and s.erased_at is null`;

function visible(scope: SignerScope): RawBuilder<boolean> {
  return scope.kind === 'everyone' ? sql<boolean>`true` : hearsFrom(sql.ref('s.person_id'), scope.groups.map((g) => g.id));
}

export interface SignerRow {
  id: number;
  name: string;
  email: string;
  postcode: string;
  constituency: string;
  constituencyCode: string;
  country: string;
  signedAt: Date;
  confirmedAt: Date | null;
}

interface RawSigner {
  id: number;
  name: string | null;
  email: string | null;
  postcode: string | null;
  constituency_code: string | null;
  country_code: string;
  created_at: Date;
  validated_at: Date | null;
}

async function withPlaces(q: Q, rows: RawSigner[], labels: Map<string, string>): Promise<SignerRow[]> {
  const unknown = [...new Set(rows.flatMap((r) => (r.constituency_code && !labels.has(r.constituency_code) ? [r.constituency_code] : [])))];
  if (unknown.length > 0) {
    const found = await constituencyNames(q, unknown);
    for (const code of unknown) labels.set(code, found.get(code)?.name ?? '');
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name ?? '',
    email: r.email ?? '',
    postcode: r.postcode ?? '',
    constituency: r.constituency_code ? (labels.get(r.constituency_code) ?? '') : '',
    constituencyCode: r.constituency_code ?? '',
    country: countryName(r.country_code),
    signedAt: r.created_at,
    confirmedAt: r.validated_at,
  }));
}

const columns = sql`s.id, s.name, s.email, s.postcode, s.constituency_code, s.country_code, s.created_at, s.validated_at`;

export interface SignersPage {
  rows: SignerRow[];
  /** Signers this viewer may see. */
  shown: number;
  /** Signers they may not (who did not agree to hear from their group). */
  others: number;
}

/** One page of the signers the scope shows, in signing order, with how many are shown and how many are not. */
export async function listSigners(q: Q, petitionId: number, scope: SignerScope, page: { page: number; perPage: number }): Promise<SignersPage> {
  const where = sql`${listed(petitionId)} and ${visible(scope)}`;
  const [counts, rows] = await Promise.all([
    sql<{ total: number; shown: number }>`select count(*)::int as total, count(*) filter (where ${visible(scope)})::int as shown
      from signatures s where ${listed(petitionId)}`.execute(q),
    sql<RawSigner>`select ${columns} from signatures s where ${where} order by s.id limit ${page.perPage} offset ${(page.page - 1) * page.perPage}`.execute(q),
  ]);
  const { total, shown } = counts.rows[0] ?? { total: 0, shown: 0 };
  return { rows: await withPlaces(q, rows.rows, new Map()), shown, others: total - shown };
}

const BATCH = 2000;

/** Every signer the scope shows, as CSV, read a batch at a time by keyset (flat memory for a million). */
export function signersCsv(q: Q, petitionId: number, scope: SignerScope): Readable {
  async function* rows() {
    const labels = new Map<string, string>();
    let after = 0;
    for (;;) {
      const batch = await sql<RawSigner>`select ${columns} from signatures s
        where ${listed(petitionId)} and ${visible(scope)} and s.id > ${after} order by s.id limit ${BATCH}`.execute(q);
      for (const s of await withPlaces(q, batch.rows, labels)) {
        yield [s.name, s.email, s.postcode, s.constituency, s.constituencyCode, s.country, s.signedAt, s.confirmedAt];
      }
      if (batch.rows.length < BATCH) return;
      after = batch.rows.at(-1)!.id;
    }
  }
  return csvStream(['Name', 'Email', 'Postcode', 'Constituency', 'Constituency code', 'Country', 'Signed at', 'Confirmed at'], rows());
}

/** Every look at or download of signers is personal data seen by an organiser: audited before it is shown. */
export async function recordSignersSeen(q: Q, actor: Viewer, petitionId: number, kind: 'view' | 'export', scope: SignerScope): Promise<void> {
  await recordAudit(q, {
    actor,
    action: `petition.signers.${kind}`,
    subjectType: 'petition',
    subjectId: petitionId,
    after: scope.kind === 'everyone' ? { signers: 'everyone' } : { signers: 'agreed to hear from', groups: scope.groups.map((g) => g.id) },
  });
}

export const signersFileName = (petitionId: number, slug: string) => `petition-${petitionId}-${slug.slice(0, 40)}-signers.csv`;
