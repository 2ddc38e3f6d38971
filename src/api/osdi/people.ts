import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Q } from '../../schema.ts';
import { canonicalEmail } from '../../petitions/canonical-email.ts';
import { constituencyNames } from '../../politics/constituencies.ts';
import { subscribedAmong } from '../capabilities.ts';
import type { ApiScope } from './scope.ts';
import { identifier, isoDate, type Resource } from './hal.ts';
import type { FieldSpecs } from './filter.ts';
import { pagedQuery, whereWith } from './paged-query.ts';

/** Fields a people collection can be filtered on, and their columns. */
export const personFilterFields: FieldSpecs = {
  created_date: { type: 'date', column: 'p.created_at' },
  modified_date: { type: 'date', column: 'p.modified_at' },
  email_address: { type: 'text', column: 'p.canonical_email', normalise: canonicalEmail, ops: ['eq', 'ne'] },
  given_name: { type: 'text', column: 'p.given_name', ops: ['eq', 'ne'] },
  family_name: { type: 'text', column: 'p.family_name', ops: ['eq', 'ne'] },
};

export interface PersonRow {
  id: number;
  public_id: string;
  email: string | null;
  email_status: string;
  given_name: string | null;
  family_name: string | null;
  phone: string | null;
  postcode: string | null;
  country_code: string | null;
  constituency_code: string | null;
  created_at: Date;
  modified_at: Date;
}

const personColumns = sql`p.id, p.public_id, p.email, p.email_status, p.given_name, p.family_name, p.phone, p.postcode,
  p.country_code, p.constituency_code, p.created_at, p.modified_at`;

/**
 * People a key may see: live records (not merged away, not erased) connected to the key's group,
 * or every live record for a coalition key. `p` is the people table in the SQL around it.
 */
export function personInScope(scope: ApiScope): RawBuilder<SqlBool> {
  const live = sql<SqlBool>`p.merged_into_id is null and p.erased_at is null`;
  if (scope.groupId === null) return live;
  return sql<SqlBool>`${live} and exists (select 1 from person_groups pg where pg.person_id = p.id and pg.group_id = ${scope.groupId})`;
}

export async function listPeople(
  q: Q,
  scope: ApiScope,
  filter: RawBuilder<SqlBool> | undefined,
  page: { page: number; perPage: number },
): Promise<{ rows: PersonRow[]; total: number }> {
  return pagedQuery<PersonRow>(q, { columns: personColumns, from: sql`people p`, where: whereWith(personInScope(scope), filter), orderBy: sql`p.id` }, page);
}

export async function findPersonInScope(q: Q, scope: ApiScope, publicId: string): Promise<PersonRow | undefined> {
  const rows = await sql<PersonRow>`select ${personColumns} from people p where p.public_id = ${publicId} and ${personInScope(scope)}`.execute(q);
  return rows.rows[0];
}

export function personHref(baseUrl: string, publicId: string): string {
  return `${baseUrl}/api/v1/people/${publicId}`;
}

type EmailState = 'subscribed' | 'unsubscribed' | 'bouncing';

export interface OsdiPersonFields {
  given_name: string | null;
  family_name: string | null;
  email_addresses: Array<{ address: string; primary: boolean; status?: EmailState }>;
  postal_addresses: Array<{ postal_code?: string; country?: string; primary: boolean }>;
  phone_numbers?: Array<{ number: string; primary: boolean }>;
  custom_fields: Record<string, string>;
}

/** The OSDI person fields of what we know (a person record, or a signer's details). */
export function osdiPersonFields(facts: {
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  emailState?: EmailState;
  postcode: string | null;
  countryCode: string | null;
  phone?: string | null;
  constituencyCode: string | null;
  constituencyName?: string | undefined;
}): OsdiPersonFields {
  const fields: OsdiPersonFields = {
    given_name: facts.givenName,
    family_name: facts.familyName,
    email_addresses: facts.email ? [{ address: facts.email, primary: true, ...(facts.emailState ? { status: facts.emailState } : {}) }] : [],
    postal_addresses:
      facts.postcode || facts.countryCode
        ? [{ ...(facts.postcode ? { postal_code: facts.postcode } : {}), ...(facts.countryCode ? { country: facts.countryCode } : {}), primary: true }]
        : [],
    custom_fields: facts.constituencyCode ? { constituency: facts.constituencyName ?? facts.constituencyCode, constituency_code: facts.constituencyCode } : {},
  };
  if (facts.phone) fields.phone_numbers = [{ number: facts.phone, primary: true }];
  return fields;
}

/**
 * People as OSDI persons. The email status says whether the key's group (or the coalition) may
 * email them now: subscribed when they have given that consent, bouncing when mail to them fails.
 */
export async function presentPeople(q: Q, baseUrl: string, scope: ApiScope, rows: PersonRow[]): Promise<Resource[]> {
  const [subscribed, names] = await Promise.all([
    subscribedAmong(
      q,
      scope,
      rows.map((r) => r.id),
    ),
    constituencyNames(q, rows.flatMap((r) => (r.constituency_code ? [r.constituency_code] : []))),
  ]);
  return rows.map((row) => {
    const emailState: EmailState = row.email_status === 'undeliverable' ? 'bouncing' : subscribed.has(row.id) ? 'subscribed' : 'unsubscribed';
    const href = personHref(baseUrl, row.public_id);
    return {
      identifiers: [identifier(row.public_id)],
      created_date: isoDate(row.created_at),
      modified_date: isoDate(row.modified_at),
      ...osdiPersonFields({
        givenName: row.given_name,
        familyName: row.family_name,
        email: row.email,
        emailState,
        postcode: row.postcode,
        countryCode: row.country_code,
        phone: row.phone,
        constituencyCode: row.constituency_code,
        constituencyName: row.constituency_code ? names.get(row.constituency_code)?.name : undefined,
      }),
      _links: {
        self: { href },
        'osdi:taggings': { href: `${href}/taggings` },
      },
    };
  });
}
