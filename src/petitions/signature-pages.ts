import { sql, type SqlBool } from 'kysely';
import { filterWhere, pagedQuery, whereWith, type FieldSpecs, type FilterNode, type Handle, type PageRequest } from '../platform/index.ts';
import { canonicalEmail } from './canonical-email.ts';
import { petitionsQ, type SignatureReferrer } from './tables.ts';
import { countedSignature } from './states.ts';

/** Fields a petition's signatures can be filtered on (OSDI names), and their columns. */
export const signatureFilterFields: FieldSpecs = {
  created_date: { type: 'date', column: 's.created_at' },
  modified_date: { type: 'date', column: 's.validated_at' },
  email_address: { type: 'text', column: 's.canonical_email', normalise: canonicalEmail, ops: ['eq', 'ne'] },
};

/** A signature as the API and webhooks report it. */
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
  /** The supporter the signature was linked to, if any. */
  person_id: number | null;
  comments: string | null;
  referrer_data: SignatureReferrer | null;
}

/** `s` is signatures. */
const signatureColumns = sql`s.petition_id, s.id, s.public_id, s.state, s.name, s.email, s.canonical_email, s.postcode,
  s.country_code, s.constituency_code, s.created_at, s.validated_at, s.person_id, s.comments, s.referrer_data`;

/**
 * Signatures the signer has confirmed, that count (not held as suspect) and are not erased:
 * the ones a petition's signature list and webhooks report.
 */
const reportedSignature = sql<SqlBool>`${countedSignature('s')} and s.erased_at is null`;

/** One page of a petition's reported signatures, filtered, in id order, with the count of all that match. */
export async function listSignaturesPage(
  handle: Handle,
  options: { petitionId: number; filter: FilterNode | undefined } & PageRequest,
): Promise<{ rows: SignatureRow[]; total: number }> {
  const where = whereWith(sql`s.petition_id = ${options.petitionId} and ${reportedSignature}`, filterWhere(options.filter, signatureFilterFields));
  return pagedQuery<SignatureRow>(petitionsQ(handle), { columns: signatureColumns, from: sql`signatures s`, where, orderBy: sql`s.id` }, options);
}

/** One signature, confirmed or still waiting for its confirmation (not invalidated or erased). */
export async function findCurrentSignature(
  handle: Handle,
  petitionId: number,
  where: { publicId: string } | { canonicalEmail: string },
): Promise<SignatureRow | undefined> {
  const match = 'publicId' in where ? sql`s.public_id = ${where.publicId}` : sql`s.canonical_email = ${where.canonicalEmail}`;
  const rows = await sql<SignatureRow>`select ${signatureColumns} from signatures s
    where s.petition_id = ${petitionId} and ${match} and s.state <> 'invalidated' and s.erased_at is null
    order by s.household_slot limit 1`.execute(petitionsQ(handle));
  return rows.rows[0];
}

/**
 * Where a read of confirmed signatures carries on from: confirmed after a time, or after the last
 * signature an earlier read returned (`next`, exact to the microsecond).
 */
export type ConfirmedCursor = { since: Date } | { after: string };

/**
 * Reported signatures in the order they were confirmed, after the cursor: on one group's petitions,
 * or (null) on every petition. `next` carries on after the last one returned.
 */
export async function signaturesConfirmedAfter(
  handle: Handle,
  cursor: ConfirmedCursor,
  options: { groupId: number | null; limit: number },
): Promise<{ rows: SignatureRow[]; next: ConfirmedCursor }> {
  let after;
  if ('since' in cursor) {
    after = sql`s.validated_at > ${cursor.since}`;
  } else {
    const [at, id] = cursor.after.split('|');
    after = sql`(s.validated_at, s.id) > (${at}::timestamptz, ${id}::bigint)`;
  }
  const group =
    options.groupId === null ? sql`true` : sql`exists (select 1 from petition_groups pg where pg.petition_id = s.petition_id and pg.group_id = ${options.groupId})`;
  const result = await sql<SignatureRow & { position: string }>`
    select ${signatureColumns}, s.validated_at::text || '|' || s.id::text as position from signatures s
    where ${after} and ${reportedSignature} and ${group}
    order by s.validated_at, s.id
    limit ${options.limit}`.execute(petitionsQ(handle));
  const last = result.rows.at(-1);
  return { rows: result.rows.map(({ position: _position, ...row }) => row), next: last ? { after: last.position } : cursor };
}
