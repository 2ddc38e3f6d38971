import { z } from 'zod';
import { invalidField } from '../platform/index.ts';
import { UK } from '../petitions/index.ts';
import { resolvePostcodes } from '../politics/index.ts';
import type { Tx } from './tables.ts';
import { giveConsent, hasLiveConsent, purposeFor, recordAction, upsertPersonThrough, withdrawConsent, wordingFor } from '../supporters/index.ts';
import { tagPerson } from './capabilities.ts';
import { addTags, osdiPersonInput, primaryOf, type OsdiPersonInput } from './osdi/person-input.ts';
import type { ApiClient } from './tokens.ts';

/** The body of the person signup helper (POST /api/v1/people), as Action Network takes it. */
export const personSignupSchema = z.object(
  {
    person: osdiPersonInput,
    add_tags: addTags,
  },
  { message: 'Send a JSON object with a person' },
);

export type PersonSignup = z.output<typeof personSignupSchema>;

/** The words kept as proof when a client says a person agreed to hear from the key's group. */
export function apiConsentWording(keyName: string): string {
  return `Given through the API (key “${keyName}”): the sender confirms that this person agreed to receive these updates.`;
}

export interface PlaceFacts {
  postcode: string | null;
  countryCode: string | null;
  constituencyCode: string | null;
  regionCode: string | null;
}

/** Where the person lives: a UK postcode is checked and placed in its constituency. */
export async function placeOf(tx: Tx, person: OsdiPersonInput, field = 'person.postal_addresses'): Promise<PlaceFacts> {
  const primary = primaryOf(person.postal_addresses);
  if (!primary) return { postcode: null, countryCode: null, constituencyCode: null, regionCode: null };
  const { entry, index } = primary;
  const countryCode = entry.country ?? (entry.postal_code ? UK : null);
  if (!entry.postal_code || countryCode !== UK) return { postcode: entry.postal_code ?? null, countryCode, constituencyCode: null, regionCode: null };
  const place = (await resolvePostcodes(tx, [entry.postal_code])).get(entry.postal_code)!;
  if (place.status === 'malformed') throw invalidField(`${field}.${index}.postal_code`, place.message);
  if (place.status !== 'found') return { postcode: place.postcode, countryCode, constituencyCode: null, regionCode: null };
  return { postcode: place.postcode, countryCode, constituencyCode: place.constituencyCode, regionCode: place.regionCode };
}

/**
 * The person signup helper: creates the person, or (for a group's key) keeps what it sent as that
 * group's view of the one with the same canonical email, never changing what others see
 * (`upsertPersonThrough`); connects them to the key's group (through the
 * timeline entry), adds the tags, and records an email status the client sent as consent given
 * or withdrawn for the group's updates.
 */
export async function signUpPerson(tx: Tx, client: ApiClient, signup: PersonSignup): Promise<{ publicId: string; created: boolean }> {
  const person = signup.person;
  const email = primaryOf(person.email_addresses)!.entry;
  const phone = primaryOf(person.phone_numbers)?.entry.number ?? null;
  const place = await placeOf(tx, person);
  const method = `api:${client.tokenPublicId}`;
  const saved = await upsertPersonThrough(tx, client.groupId, {
    email: email.address,
    givenName: person.given_name ?? null,
    familyName: person.family_name ?? null,
    phone,
    ...(place.postcode ? { postcode: place.postcode, constituencyCode: place.constituencyCode, regionCode: place.regionCode } : {}),
    countryCode: place.countryCode,
    source: { method },
  });
  await recordAction(tx, saved.id, {
    kind: 'signup.api',
    subjectType: 'api_key',
    subjectId: client.tokenPublicId,
    groupId: client.groupId,
    detail: { key: client.name, tags: signup.add_tags ?? [] },
  });
  if (signup.add_tags?.length) await tagPerson(tx, client, saved.publicId, signup.add_tags);
  if (email.status) await recordEmailStatus(tx, client, saved.id, email.status);
  return { publicId: saved.publicId, created: saved.created };
}

/**
 * "subscribed": consent given to the key's group's updates (once: a consent already live is left
 * as it is, so a repeated call is not a new sign-up); "unsubscribed": that consent withdrawn.
 */
async function recordEmailStatus(tx: Tx, client: ApiClient, personId: number, status: 'subscribed' | 'unsubscribed'): Promise<void> {
  const purpose = await purposeFor(tx, { groupId: client.groupId });
  const change = { personId, purposeId: purpose.id, method: `api:${client.tokenPublicId}`, source: client.name };
  if (status === 'unsubscribed') {
    await withdrawConsent(tx, change);
  } else if (!(await hasLiveConsent(tx, personId, purpose.id))) {
    const wording = await wordingFor(tx, purpose.id, apiConsentWording(client.name));
    await giveConsent(tx, { ...change, wordingId: wording.id });
  }
}
