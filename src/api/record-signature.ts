import { z } from 'zod';
import { conflict, invalidFields, type FieldProblem } from '../platform/index.ts';
import type { AppContext } from './tables.ts';
import { UK, signPetition, type Petition, type SignatureReferrer } from '../petitions/index.ts';
import { osdiPersonInput, primaryOf } from './osdi/person-input.ts';
import { triggers } from './sign-up-person.ts';

const referrerText = (field: string, max: number) =>
  z.preprocess(
    (v) => (v === null || v === '' ? undefined : v),
    z
      .string({ message: `${field} must be text` })
      .trim()
      .max(max, { message: `${field} must be ${max} characters or fewer` })
      // eslint-disable-next-line no-control-regex
      .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: `${field} must not contain control characters` })
      .optional(),
  );

/** OSDI referrer_data: where the signer came from. Every field is kept; any other is refused rather than dropped. */
const referrerData = z.preprocess(
  (v) => (v === null ? undefined : v),
  z
    .strictObject(
      {
        source: referrerText('source', 255),
        referrer: referrerText('referrer', 255),
        website: referrerText('website', 255),
        url: referrerText('url', 2000),
      },
      { error: (issue) => (issue.code === 'unrecognized_keys' ? 'referrer_data keeps only source, referrer, website and url' : 'referrer_data must be an object') },
    )
    .optional(),
);

/** A helper field the record signature helper would not act on: absent, null or empty is fine, a value is refused (never silently dropped). */
const notActedOn = (message: string) =>
  z
    .unknown()
    .refine((v) => v === undefined || v === null || (Array.isArray(v) && v.length === 0), { message })
    .optional();
const useSignupHelper = (what: string) => `The record signature helper adds no ${what}: send them with the person signup helper (POST /api/v1/people)`;

/** The body of the record signature helper (POST /api/v1/petitions/<id>/signatures). */
export const recordSignatureSchema = z.object(
  {
    person: osdiPersonInput,
    comments: z.preprocess(
      (v) => (v === null || v === '' ? undefined : v),
      z.string({ message: 'comments must be text' }).trim().max(2000, { message: 'comments must be 2000 characters or fewer' }).optional(),
    ),
    referrer_data: referrerData,
    add_tags: notActedOn(useSignupHelper('tags')),
    add_lists: notActedOn(useSignupHelper('lists')),
    add_tags_uri: notActedOn(useSignupHelper('tags')),
    add_lists_uri: notActedOn(useSignupHelper('lists')),
    triggers,
  },
  { message: 'Send a JSON object with a person' },
);

export type RecordSignature = z.output<typeof recordSignatureSchema>;

export type RecordedSignature =
  /** A new signature, waiting for the signer to confirm it by email. */
  | { kind: 'created'; publicId: string }
  /** This person had already signed: nothing new was stored. */
  | { kind: 'duplicate'; canonicalEmail: string };

/** The sign form's fields, named where they sit in an OSDI person. */
function formFieldPaths(emailIndex: number, postalIndex: number): Record<string, string> {
  return {
    name: 'person.given_name',
    email: `person.email_addresses.${emailIndex}.address`,
    country: `person.postal_addresses.${postalIndex}.country`,
    postcode: `person.postal_addresses.${postalIndex}.postal_code`,
  };
}

/** The public sign form's fields, from an OSDI person (checked by petitions' own sign form rules). */
function signFormFieldsOf(body: RecordSignature): { fields: Record<string, unknown>; paths: Record<string, string> } {
  const person = body.person;
  const email = primaryOf(person.email_addresses)!;
  const postal = primaryOf(person.postal_addresses);
  const fields = {
    name: [person.given_name, person.family_name].filter(Boolean).join(' '),
    email: email.entry.address,
    country: postal?.entry.country ?? UK,
    postcode: postal?.entry.postal_code,
    // "Hear more" is ticked when the client says the signer subscribed.
    ...(email.entry.status === 'subscribed' ? { hear_more: 'yes' } : {}),
  };
  return { fields, paths: formFieldPaths(email.index, postal?.index ?? 0) };
}

/**
 * The record signature helper: signs the petition for the person through the petitions
 * capability's own rule (signPetition), and words its outcome for the API. A person who
 * already signed gets no second signature.
 */
export async function recordSignature(ctx: AppContext, petition: Petition, body: RecordSignature, key: { confirmsSignatures: boolean }): Promise<RecordedSignature> {
  const { fields, paths } = signFormFieldsOf(body);
  const referrer: SignatureReferrer = Object.fromEntries(Object.entries(body.referrer_data ?? {}).filter(([, v]) => v !== undefined));
  const outcome = await signPetition(ctx, {
    petition,
    fields,
    channel: { kind: 'api', confirmed: key.confirmsSignatures },
    details: { comments: body.comments ?? null, referrerData: Object.keys(referrer).length > 0 ? referrer : null },
  });
  switch (outcome.kind) {
    case 'invalid': {
      const problems: FieldProblem[] = [];
      for (const p of outcome.problems) {
        const field = paths[p.field] ?? 'person';
        if (!problems.some((known) => known.field === field)) problems.push({ field, message: p.message });
      }
      throw invalidFields(problems);
    }
    case 'signed':
      return { kind: 'created', publicId: outcome.publicId };
    case 'resent':
    case 'awaiting-confirmation':
    case 'already-signed':
    case 'email-limit':
      return { kind: 'duplicate', canonicalEmail: outcome.canonicalEmail };
    case 'household-limit':
      throw invalidFields([{ field: paths.email!, message: 'Two people have already signed this petition with this email address' }]);
    case 'postcode-not-found':
      throw invalidFields([{ field: paths.postcode!, message: outcome.problem.message }]);
    case 'not-open':
      throw conflict('This petition is not open for signatures.');
  }
}
