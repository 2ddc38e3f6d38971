import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Q } from '../../schema.ts';
import { canonicalEmail } from '../../petitions/canonical-email.ts';
import { countedSignature } from '../../petitions/states.ts';
import { constituencyNames } from '../../politics/constituencies.ts';
import { splitName } from '../../supporters/people.ts';
import type { FieldSpecs } from './filter.ts';
import { pagedQuery, whereWith } from './paged-query.ts';
import { identifier, isoDate, type Resource } from './hal.ts';
import { osdiPersonFields, personHref } from './people.ts';
import { petitionHref } from './petitions.ts';

export const signatureFilterFields: FieldSpecs = {
  created_date: { type: 'date', column: 's.created_at' },
  modified_date: { type: 'date', column: 's.validated_at' },
  email_address: { type: 'text', column: 's.canonical_email', normalise: canonicalEmail, ops: ['eq', 'ne'] },
};

export interface SignatureRow {
  petition_id: number;
  id: number;
  public_id: string;
  state: string;
  name: string | null;
  email: string | null;
  canonical_email: string | null;
  postcode: string | null;
  country_code: string;
  constituency_code: string | null;
  created_at: Date;
  validated_at: Date | null;
  person_public_id: string | null;
}

/** `s` is signatures; the person link comes from the supporter the signature was linked to, if any. */
export const signatureColumns = sql`s.petition_id, s.id, s.public_id, s.state, s.name, s.email, s.canonical_email, s.postcode,
  s.country_code, s.constituency_code, s.created_at, s.validated_at,
  (select p.public_id from people p where p.id = s.person_id) as person_public_id`;

/**
 * Signatures the signer has confirmed, that count (not held as suspect) and are not erased:
 * the ones a petition's signature list and webhooks report.
 */
export const reportedSignature = sql<SqlBool>`${countedSignature('s')} and s.erased_at is null`;

export async function listSignatures(q: Q, petitionId: number, filter: RawBuilder<SqlBool> | undefined, page: { page: number; perPage: number }) {
  const where = whereWith(sql`s.petition_id = ${petitionId} and ${reportedSignature}`, filter);
  return pagedQuery<SignatureRow>(q, { columns: signatureColumns, from: sql`signatures s`, where, orderBy: sql`s.id` }, page);
}

/** One signature, confirmed or still waiting for its confirmation (not invalidated or erased). */
export async function findSignature(q: Q, petitionId: number, where: { publicId: string } | { canonicalEmail: string }): Promise<SignatureRow | undefined> {
  const match = 'publicId' in where ? sql`s.public_id = ${where.publicId}` : sql`s.canonical_email = ${where.canonicalEmail}`;
  const rows = await sql<SignatureRow>`select ${signatureColumns} from signatures s
    where s.petition_id = ${petitionId} and ${match} and s.state <> 'invalidated' and s.erased_at is null
    order by s.household_slot limit 1`.execute(q);
  return rows.rows[0];
}

export function signatureHref(baseUrl: string, petitionId: number, publicId: string): string {
  return `${petitionHref(baseUrl, petitionId)}/signatures/${publicId}`;
}

/** Signatures as OSDI signatures, each with the signer's details as an embedded person. */
export async function presentSignatures(q: Q, baseUrl: string, rows: SignatureRow[]): Promise<Resource[]> {
  const names = await constituencyNames(
    q,
    rows.flatMap((r) => (r.constituency_code ? [r.constituency_code] : [])),
  );
  return rows.map((row) => {
    const name = splitName(row.name ?? '');
    return {
      identifiers: [identifier(row.public_id)],
      created_date: isoDate(row.created_at),
      modified_date: isoDate(row.validated_at ?? row.created_at),
      'chorus:status': row.state === 'validated' ? 'confirmed' : 'awaiting_confirmation',
      person: osdiPersonFields({
        givenName: name.givenName || null,
        familyName: name.familyName,
        email: row.email,
        postcode: row.postcode,
        countryCode: row.country_code,
        constituencyCode: row.constituency_code,
        constituencyName: row.constituency_code ? names.get(row.constituency_code)?.name : undefined,
      }),
      _links: {
        self: { href: signatureHref(baseUrl, row.petition_id, row.public_id) },
        'osdi:petition': { href: petitionHref(baseUrl, row.petition_id) },
        ...(row.person_public_id ? { 'osdi:person': { href: personHref(baseUrl, row.person_public_id) } } : {}),
      },
    };
  });
}
