import { z } from 'zod';
import { emailAddress } from '../../platform/index.ts';
import { isCountryCode } from '../../petitions/index.ts';

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

const emailEntry = z.object({
  address: emailAddress(),
  primary: z.boolean({ message: 'primary must be true or false' }).optional(),
  status: z.enum(['subscribed', 'unsubscribed'], { message: 'status must be subscribed or unsubscribed' }).optional(),
});

const postalEntry = z.object({
  postal_code: z.string({ message: 'Postal code must be text' }).trim().max(16, { message: 'Enter a real postal code (16 characters or fewer)' }).optional(),
  country: z
    .string({ message: 'Country must be a two-letter code such as GB' })
    .trim()
    .toUpperCase()
    .refine((v) => isCountryCode(v), { message: 'Country must be a two-letter ISO 3166 code such as GB' })
    .optional(),
  primary: z.boolean({ message: 'primary must be true or false' }).optional(),
});

const phoneEntry = z.object({
  number: z
    .string({ message: 'Phone number must be text' })
    .trim()
    .min(1, { message: 'Enter a phone number' })
    .max(40, { message: 'Phone number must be 40 characters or fewer' })
    .regex(/^[0-9+()\-. ]+$/, { message: 'Enter a phone number using digits, spaces and + ( ) - only' }),
  primary: z.boolean().optional(),
});

/** An OSDI person as clients send it (unknown fields are ignored, as OSDI servers do). */
export const osdiPersonInput = z.object(
  {
    given_name: personName('Given name'),
    family_name: personName('Family name'),
    email_addresses: z
      .array(emailEntry, { message: 'email_addresses must be a list' })
      .min(1, { message: 'Give at least one email address' })
      .max(5, { message: 'Give at most 5 email addresses' }),
    postal_addresses: z.array(postalEntry, { message: 'postal_addresses must be a list' }).max(5, { message: 'Give at most 5 postal addresses' }).optional(),
    phone_numbers: z.array(phoneEntry, { message: 'phone_numbers must be a list' }).max(5, { message: 'Give at most 5 phone numbers' }).optional(),
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
