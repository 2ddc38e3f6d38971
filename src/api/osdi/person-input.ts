import { z } from 'zod';
import { emailAddress } from '../../platform/index.ts';
import { isCountryCode } from '../../petitions/index.ts';

/** Action Network clients send null for a field they have no value for: the same as leaving it out. */
const nullIsAbsent = (v: unknown) => (v === null ? undefined : v);

/** Names are text: no markup, no control characters (the same rule as the public forms). */
const personName = (label: string) =>
  z
    .string({ message: `${label} must be text` })
    .trim()
    .max(255, { message: `${label} must be 255 characters or fewer` })
    .refine((v) => !/[<>]/.test(v), { message: `${label} must not contain < or >` })
    // eslint-disable-next-line no-control-regex
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: `${label} must not contain control characters` })
    .optional()
    .transform((v) => (v ? v : undefined));
const optionalName = (label: string) => z.preprocess(nullIsAbsent, personName(label));

const emailEntry = z.object({
  address: emailAddress(),
  primary: z.boolean({ message: 'primary must be true or false' }).optional(),
  // "bouncing" is what Chorus shows for an address its mail server refused; a client sending it back changes nothing.
  status: z.enum(['subscribed', 'unsubscribed', 'bouncing'], { message: 'status must be subscribed, unsubscribed or bouncing' }).optional(),
});

/** A field Chorus has nowhere to keep: absent, null or empty is fine; a value is refused (never silently dropped). */
function nothingToStore(message: string) {
  return z
    .unknown()
    .refine((v) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.every((line) => line === '' || line === null)), { message })
    .optional();
}

const postalEntry = z.object({
  postal_code: z.string({ message: 'Postal code must be text' }).trim().max(16, { message: 'Enter a real postal code (16 characters or fewer)' }).optional(),
  country: z
    .string({ message: 'Country must be a two-letter code such as GB' })
    .trim()
    .toUpperCase()
    .refine((v) => isCountryCode(v), { message: 'Country must be a two-letter ISO 3166 code such as GB' })
    .optional(),
  primary: z.boolean({ message: 'primary must be true or false' }).optional(),
  // Chorus keeps a postcode and a country, not street addresses: a value here would be lost, so it is refused.
  locality: nothingToStore('Chorus keeps only the postal code and country of an address: leave out locality'),
  region: nothingToStore('Chorus keeps only the postal code and country of an address: leave out region'),
  address_lines: nothingToStore('Chorus keeps only the postal code and country of an address: leave out address_lines'),
});

const phoneEntry = z.object({
  // Some clients send the number as a JSON number.
  number: z.preprocess(
    (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v),
    z
      .string({ message: 'Phone number must be text' })
      .trim()
      .min(1, { message: 'Enter a phone number' })
      .max(40, { message: 'Phone number must be 40 characters or fewer' })
      .regex(/^[0-9+()\-. ]+$/, { message: 'Enter a phone number using digits, spaces and + ( ) - only' }),
  ),
  primary: z.boolean().optional(),
});

/** Chorus people are kept by email address, so a person without one (a phone number only) cannot be stored. */
export const NO_EMAIL = 'Chorus keeps people by email address: send at least one address in email_addresses (a person with only a phone number cannot be stored)';

/** The custom fields Chorus shows are worked out from the postcode; a client sending them back changes nothing. */
const DERIVED_CUSTOM_FIELDS = new Set(['constituency', 'constituency_code']);

const customFields = z.preprocess(
  nullIsAbsent,
  z
    .record(z.string(), z.unknown(), { message: 'custom_fields must be an object' })
    .superRefine((fields, check) => {
      for (const [name, value] of Object.entries(fields)) {
        if (DERIVED_CUSTOM_FIELDS.has(name) || value === null || value === '') continue;
        check.addIssue({
          code: 'custom',
          path: [name],
          message: `Chorus has no custom fields: it cannot keep “${name}” (constituency and constituency_code are worked out from the postcode)`,
        });
      }
    })
    .optional(),
);

/** An OSDI person as clients send it (unknown fields are ignored, as OSDI servers do). */
export const osdiPersonInput = z.object(
  {
    given_name: optionalName('Given name'),
    family_name: optionalName('Family name'),
    email_addresses: z
      .array(emailEntry, { error: (issue) => (issue.input === undefined || issue.input === null ? NO_EMAIL : 'email_addresses must be a list') })
      .min(1, { message: NO_EMAIL })
      .max(5, { message: 'Give at most 5 email addresses' }),
    postal_addresses: z.array(postalEntry, { message: 'postal_addresses must be a list' }).max(5, { message: 'Give at most 5 postal addresses' }).optional(),
    phone_numbers: z.array(phoneEntry, { message: 'phone_numbers must be a list' }).max(5, { message: 'Give at most 5 phone numbers' }).optional(),
    custom_fields: customFields,
  },
  { message: 'person must be an object with at least email_addresses' },
);

export type OsdiPersonInput = z.output<typeof osdiPersonInput>;

export const addTags = z
  .array(z.string({ message: 'Each tag must be text' }).trim().min(1, { message: 'Tags must not be empty' }).max(100, { message: 'Tags must be 100 characters or fewer' }), {
    message: 'add_tags must be a list of tag names',
  })
  .max(50, { message: 'Add at most 50 tags at once' })
  .optional();

/** The address marked primary, else the first: where a person's email, postcode and phone come from. */
export function primaryOf<T extends { primary?: boolean | undefined }>(entries: T[] | undefined): { entry: T; index: number } | undefined {
  if (!entries || entries.length === 0) return undefined;
  const index = Math.max(
    0,
    entries.findIndex((e) => e.primary === true),
  );
  return { entry: entries[index]!, index };
}
