import { z } from 'zod';
import { conflict, invalidFields, type FieldProblem } from '../platform/http/errors.ts';
import { canonicalEmail } from '../petitions/canonical-email.ts';
import { UK } from '../petitions/countries.ts';
import { signFormSchema, type SignForm } from '../petitions/sign-petition.ts';
import type { Petition } from '../petitions/store.ts';
import type { PetitionSigner } from './capabilities.ts';
import { osdiPersonInput, primaryOf } from './osdi/person-input.ts';

/** The body of the record signature helper (POST /api/v1/petitions/<id>/signatures). */
export const recordSignatureSchema = z.object(
  {
    person: osdiPersonInput,
    comments: z.string().max(2000, { message: 'comments must be 2000 characters or fewer' }).optional(),
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

/** Builds the public sign form from an OSDI person and checks it with the form's own rules (petitions' signFormSchema). */
function signFormOf(body: RecordSignature): { form: SignForm; paths: Record<string, string> } {
  const person = body.person;
  const email = primaryOf(person.email_addresses)!;
  const postal = primaryOf(person.postal_addresses);
  const paths = formFieldPaths(email.index, postal?.index ?? 0);
  const parsed = signFormSchema.safeParse({
    name: [person.given_name, person.family_name].filter(Boolean).join(' '),
    email: email.entry.address,
    country: postal?.entry.country ?? UK,
    postcode: postal?.entry.postal_code,
    // "Hear more" is ticked when the client says the signer subscribed.
    ...(email.entry.status === 'subscribed' ? { hear_more: 'yes' } : {}),
  });
  if (!parsed.success) {
    const problems: FieldProblem[] = [];
    for (const issue of parsed.error.issues) {
      const field = paths[String(issue.path[0])] ?? 'person';
      if (!problems.some((p) => p.field === field)) problems.push({ field, message: issue.message });
    }
    throw invalidFields(problems);
  }
  return { form: parsed.data, paths };
}

/**
 * The record signature helper: signs the petition for the person through the petitions
 * capability's own rules. A person who already signed gets no second signature.
 */
export async function recordSignature(sign: PetitionSigner, petition: Petition, body: RecordSignature): Promise<RecordedSignature> {
  const { form, paths } = signFormOf(body);
  const outcome = await sign({ petition, form });
  switch (outcome.kind) {
    case 'signed':
      return { kind: 'created', publicId: outcome.publicId };
    case 'resent':
    case 'already-signed':
    case 'email-limit':
      return { kind: 'duplicate', canonicalEmail: canonicalEmail(form.email) };
    case 'household-limit':
      throw invalidFields([{ field: paths.email!, message: 'Two people have already signed this petition with this email address' }]);
    case 'postcode':
      throw invalidFields([{ field: paths.postcode!, message: outcome.message }]);
    case 'not-open':
      throw conflict('This petition is not open for signatures.');
  }
}
