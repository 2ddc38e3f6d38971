import type { Q } from '../tables.ts';
import type { SignatureRow } from '../../petitions/index.ts';
import { constituencyNames } from '../../politics/index.ts';
import { publicIdsOfPeople, splitName } from '../../supporters/index.ts';
import { identifier, isoDate, type Resource } from './hal.ts';
import { osdiPersonFields, personHref } from './people.ts';
import { petitionHref } from './petitions.ts';

export function signatureHref(baseUrl: string, petitionId: number, publicId: string): string {
  return `${petitionHref(baseUrl, petitionId)}/signatures/${publicId}`;
}

/** Signatures as OSDI signatures, each with the signer's details as an embedded person. */
export async function presentSignatures(q: Q, baseUrl: string, rows: SignatureRow[]): Promise<Resource[]> {
  const [names, people] = await Promise.all([
    constituencyNames(
      q,
      rows.flatMap((r) => (r.constituency_code ? [r.constituency_code] : [])),
    ),
    // The person link comes from the supporter the signature was linked to, if any.
    publicIdsOfPeople(
      q,
      rows.flatMap((r) => (r.person_id === null ? [] : [r.person_id])),
    ),
  ]);
  return rows.map((row) => {
    const name = splitName(row.name ?? '');
    const personPublicId = row.person_id === null ? undefined : people.get(row.person_id);
    return {
      identifiers: [identifier(row.public_id)],
      created_date: isoDate(row.created_at),
      modified_date: isoDate(row.validated_at ?? row.created_at),
      'chorus:status': row.state === 'validated' ? 'confirmed' : 'awaiting_confirmation',
      ...(row.comments ? { comments: row.comments } : {}),
      ...(row.referrer_data ? { referrer_data: row.referrer_data } : {}),
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
        ...(personPublicId ? { 'osdi:person': { href: personHref(baseUrl, personPublicId) } } : {}),
      },
    };
  });
}
