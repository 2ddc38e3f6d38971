import type { AppContext as AppLevelContext } from '../context.ts';
import { queueConfirmationSender } from '../petitions/confirmation-emails.ts';
import { wordingFor as hearMoreWordingFor } from '../petitions/public/requests.ts';
import { defaultRateLimits } from '../petitions/rate-limit.ts';
import { consentTextId, toSignatureInput, type SignForm } from '../petitions/sign-petition.ts';
import { SignatureWriter, type SignOutcome } from '../petitions/signature-writer.ts';
import type { Petition } from '../petitions/store.ts';
import type { Q } from './tables.ts';
import { peopleWithLiveConsent } from '../supporters/live-consents.ts';
import { addMember, getCollection } from '../supporters/segments/collections.ts';
import { ensureTagNamed } from '../supporters/segments/tag-names.ts';
import type { ApiScope } from './osdi/scope.ts';

/**
 * What the API asks of other capabilities that is more than one call to their exported functions.
 * Everything else (upsertPerson, giveConsent, resolvePostcodes, findPetition...) is imported from
 * its owner where it is used.
 */

/** Tags, lists and people as the supporters capability scopes them: a group's, or everyone's. */
function peopleScopeOf(scope: ApiScope): 'all' | number[] {
  return scope.groupId === null ? 'all' : [scope.groupId];
}

/**
 * Tags a person with each named tag of the key's group (or the coalition's, for a coalition key),
 * making tags that do not exist yet; the tagging itself is the supporters' addMember, so its
 * rules (the person must be one the key's group sees) apply.
 */
export async function tagPerson(q: Q, scope: ApiScope, personPublicId: string, tagNames: string[]): Promise<void> {
  const names = [...new Map(tagNames.map((n) => [n.trim().toLowerCase(), n.trim()])).values()].filter(Boolean);
  const people = peopleScopeOf(scope);
  for (const name of names) {
    const tag = await getCollection(q, 'tag', await ensureTagNamed(q, name, scope.groupId), people);
    await addMember(q, 'tag', tag, personPublicId, people);
  }
}

/**
 * Which of these people the key's group (or the coalition) may email now (the supporters'
 * peopleWithLiveConsent).
 */
export async function subscribedAmong(q: Q, scope: ApiScope, personIds: number[]): Promise<Set<number>> {
  return peopleWithLiveConsent(q, scope.groupId, personIds);
}

export interface ApiSignature {
  petition: Petition;
  form: SignForm;
}

export type PetitionSigner = (signature: ApiSignature) => Promise<SignOutcome>;

/**
 * Signs petitions through the petitions capability's own writer, as the public form does: the
 * open-petition check, the postcode lookup, the duplicate rule (the same person never gets a
 * second signature), and the confirmation email once the write has committed (the signature
 * counts when the signer confirms it). No client address is passed, so the per-address limits do
 * not apply: the API key's own rate limit does. One writer per app instance. It takes the app's
 * context (not the API's view of it): the writer and the hear-more wording are the petitions
 * capability's, made from the app's database, until petitions exports a signing command.
 */
export function petitionSigner(ctx: AppLevelContext): PetitionSigner {
  const writer = new SignatureWriter(ctx.db, {
    rateLimits: defaultRateLimits,
    onConfirmationsDue: queueConfirmationSender,
    onWakeFailed: (error) => ctx.log.warn({ err: error }, 'could not wake the confirmation sender; the sweep will send the mail'),
  });
  return async ({ petition, form }) => {
    const consentId = form.hear_more ? await consentTextId(ctx.db, hearMoreWordingFor(ctx, petition)) : null;
    return writer.submit(toSignatureInput(form, petition.id, null, consentId));
  };
}
