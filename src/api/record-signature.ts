import { z } from 'zod';
import { conflict, invalidFields, type FieldProblem } from '../platform/index.ts';
import type { AppContext } from './tables.ts';
import { UK, signPetition, type Petition } from '../petitions/index.ts';
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
export async function recordSignature(ctx: AppContext, petition: Petition, body: RecordSignature): Promise<RecordedSignature> {
  const { fields, paths } = signFormFieldsOf(body);
  const outcome = await signPetition(ctx, { petition, fields, channel: { kind: 'api' } });
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
