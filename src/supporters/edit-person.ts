import { z } from 'zod';
import { canonicalEmail } from '../petitions/index.ts';
import { lookupPostcode } from '../politics/index.ts';
import { emailAddress, invalidField, optionalText, recordAudit } from '../platform/index.ts';
import type { PeopleScope } from './access.ts';
import type { Q } from './tables.ts';
import { livePersonIdFor, recordAction, tellGroups } from './people.ts';
import type { Person } from './person-record.ts';

const plainName = (label: string) =>
  optionalText(label, 100).refine((v) => v === undefined || !/[<>]/.test(v), { message: `Enter the ${label} without < or > characters` });

export const editPersonSchema = z.object({
  given_name: plainName('first name'),
  family_name: plainName('last name'),
  email: emailAddress(),
  phone: optionalText('phone number', 30).refine((v) => v === undefined || /^\+?[0-9 ()-]{6,30}$/.test(v), {
    message: 'Enter a phone number using only numbers, spaces, brackets and +, like 020 7946 0000',
  }),
  postcode: optionalText('postcode', 16),
});

export type EditPerson = z.output<typeof editPersonSchema>;

/** What a group organiser is told when they try to change an email address, whoever holds the new one. */
export const EMAIL_CHANGE_FOR_ADMINS = 'Only a coalition admin, or the person on their preferences page, can change an email address.';

/**
 * An organiser corrects a person's details; the audit log records which fields changed, never
 * their values. An admin changes the record itself: a new email address must not belong to
 * another person (merge them instead) and is unconfirmed until proven. A group organiser never
 * changes what other groups see: the email address not at all (whether or not another person
 * has the new one, the answer is the same, so it tells nothing of people outside the group), and
 * for a person other groups also know (or one the group was only told about), the name, phone and
 * postcode are kept as the group's own view of them (`person_groups.facts`), as an API key's or
 * an import's are; a person only the organiser's groups know has their record corrected.
 */
export async function editPerson(q: Q, person: Person, form: EditPerson, scope: PeopleScope): Promise<void> {
  const actor = scope.viewer;
  const canonical = canonicalEmail(form.email);
  const emailChanged = canonical !== canonicalEmail(person.email ?? '');
  if (emailChanged && scope.groupIds !== 'all') throw invalidField('email', EMAIL_CHANGE_FOR_ADMINS);
  if (emailChanged) {
    const holder = await livePersonIdFor(q, canonical);
    if (holder !== undefined && holder !== person.id) {
      throw invalidField('email', 'Another person has this email address. Merge the two records instead.');
    }
  }
  let place: { postcode: string | null; constituency: string | null; region: string | null; country: string | null } = {
    postcode: null,
    constituency: null,
    region: null,
    country: person.countryCode,
  };
  if (form.postcode) {
    const found = await lookupPostcode(q, form.postcode);
    if (found.status !== 'found') throw invalidField('postcode', found.message);
    place = { postcode: found.postcode, constituency: found.constituencyCode, region: found.regionCode, country: 'GB' };
  }
  const next = {
    given_name: form.given_name ?? null,
    family_name: form.family_name ?? null,
    email: form.email,
    phone: form.phone ?? null,
    postcode: place.postcode,
  };
  const changed = (Object.keys(next) as Array<keyof typeof next>).filter((key) => {
    const before = { given_name: person.givenName, family_name: person.familyName, email: person.email, phone: person.phone, postcode: person.postcode }[key];
    return (before ?? null) !== next[key];
  });
  if (changed.length === 0) return;
  if (scope.groupIds !== 'all' && (person.toldOnly || (await knownElsewhere(q, person.id, scope.groupIds)))) {
    const view = { given_name: next.given_name, family_name: next.family_name, phone: next.phone, postcode: place.postcode, constituency_code: place.constituency, region_code: place.region, country_code: place.country };
    await tellGroups(q, person.id, scope.groupIds, view);
    await recordAudit(q, { actor, action: 'person.update', subjectType: 'person', subjectId: person.publicId, after: { fields: changed, view: 'group' } });
    return;
  }
  await q
    .updateTable('people')
    .set({
      ...next,
      canonical_email: canonical,
      constituency_code: place.constituency,
      region_code: place.region,
      country_code: place.country,
      ...(emailChanged ? { email_status: 'unverified' as const, email_status_reason: null } : {}),
      modified_at: new Date(),
    })
    .where('id', '=', person.id)
    .execute();
  await recordAction(q, person.id, { kind: 'person.edited', detail: { fields: changed }, byPerson: false });
  await recordAudit(q, { actor, action: 'person.update', subjectType: 'person', subjectId: person.publicId, after: { fields: changed } });
}

/** Whether a group outside these knows the person (so their record is not these groups' alone). */
async function knownElsewhere(q: Q, personId: number, groupIds: readonly number[]): Promise<boolean> {
  const row = await q
    .selectFrom('person_groups')
    .select('group_id')
    .where('person_id', '=', personId)
    .where((eb) => eb.not(eb('group_id', '=', eb.fn.any(eb.val([...groupIds])))))
    .executeTakeFirst();
  return row !== undefined;
}
