import { z } from 'zod';

/**
 * Which column of an uploaded CSV holds which fact about a person. Guessed from the header
 * (Action Network's export columns and common spreadsheet variants), then confirmed or adjusted
 * by the organiser.
 */
export const importFields = [
  { field: 'email', label: 'Email address', hint: 'Required' },
  { field: 'givenName', label: 'First name' },
  { field: 'familyName', label: 'Last name' },
  { field: 'fullName', label: 'Full name', hint: 'Used when there is no first-name column' },
  { field: 'phone', label: 'Phone' },
  { field: 'postcode', label: 'Postcode' },
  { field: 'country', label: 'Country' },
  { field: 'subscription', label: 'Subscription status', hint: 'Rows saying unsubscribed (or bouncing, spam complaint) are imported without consent' },
  { field: 'tags', label: 'Tags', hint: 'Several tags in one cell, separated by commas' },
  { field: 'createdAt', label: 'Date joined' },
] as const;

export type ImportField = (typeof importFields)[number]['field'];

/** Header names we recognise for each field, compared without case, spaces or punctuation. */
const knownHeaders: Record<ImportField, string[]> = {
  // Action Network: email, first_name, last_name, zip_code, can2_phone, country,
  // can2_subscription_status, can2_user_tags, created_at (and "Phone Number" custom fields).
  email: ['email', 'emailaddress', 'email_address', 'e-mail', 'emailaddr', 'primaryemail', 'can2_email'],
  givenName: ['first_name', 'firstname', 'givenname', 'forename', 'first'],
  familyName: ['last_name', 'lastname', 'familyname', 'surname', 'last'],
  fullName: ['name', 'fullname', 'full_name', 'yourname'],
  phone: ['can2_phone', 'phone', 'phonenumber', 'mobile', 'mobilenumber', 'mobilephone', 'telephone', 'tel'],
  postcode: ['zip_code', 'zip', 'zipcode', 'postal_code', 'postalcode', 'postcode', 'post_code', 'can2_user_zip'],
  country: ['country', 'countrycode', 'can2_country'],
  subscription: ['can2_subscription_status', 'subscription_status', 'subscriptionstatus', 'emailsubscriptionstatus', 'subscribed', 'emailstatus'],
  tags: ['can2_user_tags', 'tags', 'tag', 'usertags'],
  createdAt: ['created_at', 'createddate', 'datecreated', 'joined', 'datejoined', 'signupdate', 'can2_subscription_date'],
};

export function headerKey(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const lookup = new Map<string, ImportField>();
for (const [field, names] of Object.entries(knownHeaders) as Array<[ImportField, string[]]>) {
  for (const name of names) if (!lookup.has(headerKey(name))) lookup.set(headerKey(name), field);
}

/** Field → index of the column holding it (absent: not in the file). */
export type ColumnMapping = Partial<Record<ImportField, number>>;

/** The first column whose header we recognise for each field. */
export function guessMapping(headers: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  headers.forEach((header, index) => {
    const field = lookup.get(headerKey(header));
    if (field && mapping[field] === undefined) mapping[field] = index;
  });
  return mapping;
}

/** The mapping form: one select per field whose value is a column index or '' for none. */
export function mappingSchema(columnCount: number) {
  const column = z
    .string()
    .optional()
    .transform((v, context) => {
      if (v === undefined || v === '') return undefined;
      const index = Number(v);
      if (!Number.isInteger(index) || index < 0 || index >= columnCount) {
        context.addIssue({ code: 'custom', message: 'Choose one of the columns in the file' });
        return z.NEVER;
      }
      return index;
    });
  const shape = Object.fromEntries(importFields.map(({ field }) => [field, column])) as Record<ImportField, typeof column>;
  return z
    .object(shape)
    .superRefine((m, context) => {
      if (m.email === undefined) context.addIssue({ code: 'custom', path: ['email'], message: 'Choose the column that holds email addresses' });
      const used = new Map<number, string>();
      for (const { field } of importFields) {
        const index = m[field];
        if (index === undefined) continue;
        if (used.has(index)) context.addIssue({ code: 'custom', path: [field], message: `That column is already used for ${used.get(index)}` });
        else used.set(index, importFields.find((f) => f.field === field)!.label.toLowerCase());
      }
    })
    .transform((m) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) as ColumnMapping);
}

/** A stored mapping (JSON) read back: only known fields with whole-number indexes. */
export const storedMapping = z.record(z.string(), z.number().int().nonnegative()).transform((raw) => {
  const mapping: ColumnMapping = {};
  for (const { field } of importFields) if (raw[field] !== undefined) mapping[field] = raw[field];
  return mapping;
});
