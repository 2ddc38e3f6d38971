import { z } from 'zod';
import { invalidField, invalidFields, type FieldProblem } from '../platform/index.ts';
import { UK } from '../petitions/index.ts';
import { resolvePostcodes } from '../politics/index.ts';
import type { Tx } from './tables.ts';
import { findSetInScope, giveConsent, hasLiveConsent, purposeFor, recordAction, upsertPersonThrough, withdrawConsent, wordingFor, type PersonSet } from '../supporters/index.ts';
import { addPersonToSets, listPerson, tagPerson } from './capabilities.ts';
import { addTags, osdiPersonInput, primaryOf, type OsdiPersonInput } from './osdi/person-input.ts';
import type { ApiClient } from './tokens.ts';

/** The body of the person signup helper (POST /api/v1/people), as Action Network takes it. */
const setNames = (field: string, what: string) =>
  z
    .array(z.string({ message: `Each ${what} must be text` }).trim().min(1, { message: `${what} names must not be empty` }).max(100, { message: `${what} names must be 100 characters or fewer` }), {
      message: `${field} must be a list of ${what} names`,
    })
    .max(50, { message: `Add at most 50 ${what}s at once` })
    .optional();

const setUris = (field: string, what: string) =>
  z
    .array(z.string({ message: `Each ${what} must be the URL of one, as this API serves it` }).trim(), { message: `${field} must be a list of ${what} URLs` })
    .max(50, { message: `Add at most 50 ${what}s at once` })
    .optional();

/** Chorus sends no autoresponse email of its own: asking for one is refused rather than ignored. */
export const triggers = z
  .strictObject(
    {
      autoresponse: z
        .looseObject({ enabled: z.boolean({ message: 'enabled must be true or false' }).optional() })
        .refine((a) => a.enabled !== true, {
          message: 'Chorus sends no autoresponse email: send enabled false, or leave triggers out (send your own email if you need one)',
        })
        .optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? 'Chorus supports only the autoresponse trigger (and sends no autoresponse)' : 'triggers must be an object') },
  )
  .optional();

export const personSignupSchema = z.object(
  {
    person: osdiPersonInput,
    add_tags: addTags,
    add_lists: setNames('add_lists', 'list'),
    add_tags_uri: setUris('add_tags_uri', 'tag'),
    add_lists_uri: setUris('add_lists_uri', 'list'),
    triggers,
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
export async function signUpPerson(tx: Tx, client: ApiClient, baseUrl: string, signup: PersonSignup): Promise<{ publicId: string; created: boolean }> {
  const person = signup.person;
  const [tagIds, listIds] = await Promise.all([
    setIdsOf(tx, client, baseUrl, 'tag', 'add_tags_uri', signup.add_tags_uri),
    setIdsOf(tx, client, baseUrl, 'list', 'add_lists_uri', signup.add_lists_uri),
  ]);
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
    detail: { key: client.name, tags: signup.add_tags ?? [], ...(signup.add_lists?.length ? { lists: signup.add_lists } : {}) },
  });
  if (signup.add_tags?.length) await tagPerson(tx, client, saved.publicId, signup.add_tags);
  if (tagIds.length) await addPersonToSets(tx, client, 'tag', saved.publicId, tagIds);
  if (signup.add_lists?.length) await listPerson(tx, client, saved.publicId, signup.add_lists);
  if (listIds.length) await addPersonToSets(tx, client, 'list', saved.publicId, listIds);
  // "bouncing" sent back changes nothing: Chorus marks an address undeliverable from its own mail server's answers.
  if (email.status === 'subscribed' || email.status === 'unsubscribed') await recordEmailStatus(tx, client, saved.id, email.status);
  return { publicId: saved.publicId, created: saved.created };
}

/** The ids of tags or lists named by their API URLs; each must be one the key's group holds (else 422 naming it). */
async function setIdsOf(tx: Tx, client: ApiClient, baseUrl: string, set: PersonSet, field: string, uris: string[] | undefined): Promise<number[]> {
  if (!uris?.length) return [];
  const path = set === 'tag' ? 'tags' : 'lists';
  const problems: FieldProblem[] = [];
  const ids: number[] = [];
  for (const [index, uri] of uris.entries()) {
    const match = new RegExp(`^${escapeRegExp(baseUrl)}/api/v1/${path}/([1-9][0-9]{0,9})/?$`).exec(uri);
    const id = match ? Number(match[1]) : NaN;
    const found = Number.isSafeInteger(id) && id <= 2_147_483_647 ? await findSetInScope(tx, set, client, id) : undefined;
    if (found) ids.push(found.id);
    else problems.push({ field: `${field}.${index}`, message: `Not a ${set} of this key's group: give its URL as this API serves it (${baseUrl}/api/v1/${path}/<id>)` });
  }
  if (problems.length) throw invalidFields(problems);
  return ids;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
