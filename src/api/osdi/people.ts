import type { Q } from '../tables.ts';
import { constituencyNames } from '../../politics/index.ts';
import type { PersonRow } from '../../supporters/index.ts';
import { subscribedAmong } from '../capabilities.ts';
import type { ApiScope } from './scope.ts';
import { identifier, isoDate, type Resource } from './hal.ts';

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
 * What an incremental sync is told of a person whose data was erased: the id, the dates (the
 * modified date is the erasure), nothing personal, and an email status of unsubscribed with no
 * address, so a system that copied them stops mailing them and can drop what it holds.
 */
function erasedPerson(baseUrl: string, row: PersonRow): Resource {
  return {
    identifiers: [identifier(row.public_id)],
    created_date: isoDate(row.created_at),
    modified_date: isoDate(row.modified_at),
    'chorus:erased': true,
    given_name: null,
    family_name: null,
    email_addresses: [{ primary: true, status: 'unsubscribed' }],
    postal_addresses: [],
    custom_fields: {},
    _links: { self: { href: personHref(baseUrl, row.public_id) } },
  };
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
    if (row.erased_at) return erasedPerson(baseUrl, row);
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
