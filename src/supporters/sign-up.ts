import { sql } from 'kysely';
import { groupNamesOf } from '../coalition/index.ts';
import { canonicalEmail } from '../petitions/index.ts';
import { andList, gone, notFound, queueEmail, type Brand, type Handle, type QueueEmailOptions } from '../platform/index.ts';
import { supportersQ, type Q } from './tables.ts';
import { confirmPendingConsent, listPurposes, requestConsent, type Purpose, type Wording } from './consent.ts';
import { connectToGroups, livePersonIdFor, recordAction, showRecordTo, splitName, upsertPerson, type PersonFacts } from './people.ts';
import { findPersonById, findPersonByPublicId } from './person-record.ts';
import { preferencesUrl, readSignUpConfirmationToken, signUpConfirmationUrl } from './subscriber-tokens.ts';

/** Who supporters hear from for each purpose, as they know them: the group, or the coalition by its name. */
export async function sendersOf(q: Q, purposes: readonly Purpose[], brand: Brand): Promise<string[]> {
  const names = await groupNamesOf(q, purposes.map((p) => p.groupId));
  return [...new Set(purposes.map((p) => (p.groupId === null ? brand.name : (names.get(p.groupId) ?? p.name))))];
}

/** Email kinds this module sends (retention deletes old ones). */
export const SIGN_UP_EMAIL_KINDS = ['supporters.signup.confirmation', 'supporters.signup.already-subscribed'] as const;

/** More sign-ups than this for one address within an hour send no further email (no mail-bombing). */
export const MAX_SIGN_UPS_PER_HOUR = 5;

export interface SignUpRequest {
  email: string;
  name: string | null;
  place: { postcode: string; constituencyCode: string | null; regionCode: string | null } | null;
  /** The boxes ticked, each with the exact words shown beside it. */
  consents: Array<{ purpose: Purpose; wording: Wording }>;
  /** Which form: 'form:join', 'form:group-subscribe', 'form:embed'. */
  method: string;
  source: { utmSource: string | null; utmCampaign: string | null; referrer: string | null };
  ip: string | null;
}

export interface MailSettings {
  brand: Brand;
  baseUrl: string;
  secret: string;
}

/**
 * 'confirmation-sent': a double opt-in email is on its way. 'already-subscribed': every
 * purpose was already given; the email says so. 'too-many': nothing sent (repeated requests).
 * The page shown is the same for all three, so the form reveals nothing about an address.
 */
export type SignUpOutcome = 'confirmation-sent' | 'already-subscribed' | 'too-many';

export function factsOf(request: SignUpRequest): Omit<PersonFacts, 'email'> {
  const name = request.name ? splitName(request.name) : { givenName: null, familyName: null };
  return {
    givenName: name.givenName || null,
    familyName: name.familyName,
    postcode: request.place?.postcode ?? null,
    constituencyCode: request.place?.constituencyCode ?? null,
    regionCode: request.place?.regionCode ?? null,
    countryCode: request.place ? 'GB' : null,
  };
}

/**
 * A sign-up from a public form. A new address becomes a person at once (unverified); for a
 * known person the new details wait until the email is confirmed, so nobody can change
 * someone else's record by typing their address.
 */
export async function signUp(q: Q, request: SignUpRequest, mail: MailSettings): Promise<SignUpOutcome> {
  const facts = factsOf(request);
  const known = await livePersonIdFor(q, canonicalEmail(request.email));
  const person =
    known === undefined
      ? await upsertPerson(q, { email: request.email, ...facts, source: { ...request.source, method: request.method } })
      : { id: known, publicId: (await findPersonById(q, known))!.publicId, created: false };

  const recent = await sql<{ n: number }>`
    select count(*)::int as n from person_actions
    where person_id = ${person.id} and kind = 'signup.requested' and occurred_at > now() - interval '1 hour'`.execute(q);
  if ((recent.rows[0]?.n ?? 0) >= MAX_SIGN_UPS_PER_HOUR) return 'too-many';

  const groupIds = request.consents.map((c) => c.purpose.groupId).filter((id): id is number => id !== null);
  const signUpId = await recordAction(q, person.id, {
    kind: 'signup.requested',
    subjectType: 'form',
    subjectId: request.method,
    detail: { purposeIds: request.consents.map((c) => c.purpose.id), groupIds, ...(person.created ? {} : { facts }) },
  });
  const requested: Array<{ purpose: Purpose; wording: Wording }> = [];
  for (const consent of request.consents) {
    const outcome = await requestConsent(q, {
      personId: person.id,
      purposeId: consent.purpose.id,
      wordingId: consent.wording.id,
      method: request.method,
      source: request.source.utmSource ? `utm:${request.source.utmSource}` : null,
      ip: request.ip,
    });
    if (outcome === 'requested') requested.push(consent);
  }
  const to = request.email.trim();
  if (requested.length === 0) {
    await queueEmail(q, alreadySubscribedEmail(mail, to, person.publicId, await sendersOf(q, request.consents.map((c) => c.purpose), mail.brand)));
    return 'already-subscribed';
  }
  await queueEmail(q, confirmSignUpEmail(mail, to, { personPublicId: person.publicId, signUpId, requested, senders: await sendersOf(q, requested.map((c) => c.purpose), mail.brand) }));
  return 'confirmation-sent';
}

/** The email to a sign-up whose every purpose was already given. */
export function alreadySubscribedEmail(mail: MailSettings, to: string, personPublicId: string, senders: string[]): QueueEmailOptions {
  return {
    kind: 'supporters.signup.already-subscribed',
    to,
    brand: mail.brand,
    baseUrl: mail.baseUrl,
    content: {
      subject: `You are already subscribed to ${mail.brand.name} updates`,
      heading: 'You are already subscribed',
      blocks: [
        { type: 'paragraph', text: `Someone (we hope you) asked to get emails from ${andList(senders)}.` },
        { type: 'paragraph', text: 'You are already subscribed, so nothing has changed.' },
        { type: 'link', href: preferencesUrl(mail.baseUrl, mail.secret, personPublicId), label: 'See or change your email preferences' },
      ],
    },
  };
}

/** The double opt-in email: the words of each box ticked, and the link that confirms this sign-up. */
export function confirmSignUpEmail(
  mail: MailSettings,
  to: string,
  signUp: { personPublicId: string; signUpId: number; requested: ReadonlyArray<{ wording: Wording }>; senders: string[] },
): QueueEmailOptions {
  return {
    kind: 'supporters.signup.confirmation',
    to,
    brand: mail.brand,
    baseUrl: mail.baseUrl,
    content: {
      subject: `Please confirm you want emails from ${andList(signUp.senders)}`,
      heading: 'Please confirm your subscription',
      blocks: [
        { type: 'paragraph', text: 'You asked to get emails from us. You ticked a box saying:' },
        ...signUp.requested.map((c) => ({ type: 'paragraph' as const, text: `“${c.wording.text}”` })),
        { type: 'paragraph', text: 'We will only email you once you confirm:' },
        { type: 'button', href: signUpConfirmationUrl(mail.baseUrl, mail.secret, signUp.personPublicId, signUp.signUpId), label: 'Yes, subscribe me' },
        { type: 'small', text: 'If you did not ask for this, ignore this email: we will not email you again, and we delete unconfirmed sign-ups within a few weeks.' },
      ],
    },
  };
}

/**
 * signUp for another capability's form (an event booking's "hear more" box): the same double
 * opt-in, with its own confirmation email, through any caller's database handle or transaction.
 */
export async function requestSignUp(handle: Handle, request: SignUpRequest, mail: MailSettings): Promise<SignUpOutcome> {
  return signUp(supportersQ(handle), request, mail);
}

export interface PendingSignUp {
  personId: number;
  personPublicId: string;
  signUpId: number;
  purposes: Purpose[];
  facts: Omit<PersonFacts, 'email'> | null;
}

/** Reads a confirmation link: which person and which sign-up it confirms (nothing changes). */
export async function readSignUp(q: Q, secret: string, token: string): Promise<PendingSignUp> {
  const grant = readSignUpConfirmationToken(secret, token);
  const invalid = notFound('confirmation link (it may be incomplete: try copying the whole link from the email)');
  if (!grant) throw invalid;
  const action = await q
    .selectFrom('person_actions')
    .select(['person_id', 'detail'])
    .where('id', '=', grant.signUpId)
    .where('kind', '=', 'signup.requested')
    .executeTakeFirst();
  const person = await findPersonByPublicId(q, grant.personPublicId);
  if (!action || !person || person.erasedAt) throw invalid;
  // The link names the record it was sent for; that record may since have been merged into another.
  if (person.id !== action.person_id && person.mergedIntoId !== action.person_id) throw invalid;
  const detail = action.detail as { purposeIds?: number[]; facts?: Omit<PersonFacts, 'email'> };
  const live = await findPersonById(q, action.person_id);
  if (!live || live.erasedAt) throw invalid;
  return {
    personId: live.id,
    personPublicId: live.publicId,
    signUpId: grant.signUpId,
    purposes: await listPurposes(q, { ids: detail.purposeIds ?? [] }),
    facts: detail.facts ?? null,
  };
}

export interface ConfirmedSignUp {
  personPublicId: string;
  purposes: Purpose[];
  /** True when this link had been used before. */
  alreadyConfirmed: boolean;
}

/** Double opt-in, second step: the pending consents of one sign-up become given. */
export async function confirmSignUp(q: Q, secret: string, token: string, ip: string | null): Promise<ConfirmedSignUp> {
  const signUp = await readSignUp(q, secret, token);
  const confirmed: Purpose[] = [];
  for (const purpose of signUp.purposes) {
    if (await confirmPendingConsent(q, signUp.personId, purpose.id, { source: 'confirmation-link', ip })) confirmed.push(purpose);
  }
  if (confirmed.length === 0) {
    const given = await q
      .selectFrom('consents')
      .select('purpose_id')
      .where('person_id', '=', signUp.personId)
      .where('purpose_id', 'in', signUp.purposes.length ? signUp.purposes.map((p) => p.id) : [-1])
      .where('status', '=', 'given')
      .execute();
    if (given.length === 0) throw gone('This confirmation link has expired or was cancelled. Please sign up again.');
    return { personPublicId: signUp.personPublicId, purposes: signUp.purposes, alreadyConfirmed: true };
  }
  const person = (await findPersonById(q, signUp.personId))!;
  await upsertPerson(q, { email: person.email!, ...(signUp.facts ?? {}), emailVerified: true });
  const groupIds = confirmed.map((p) => p.groupId).filter((id): id is number => id !== null);
  await connectToGroups(q, signUp.personId, groupIds);
  await showRecordTo(q, signUp.personId, groupIds);
  await recordAction(q, signUp.personId, {
    kind: 'signup.confirmed',
    subjectType: 'signup',
    subjectId: signUp.signUpId,
    detail: { purposeIds: confirmed.map((p) => p.id), groupIds },
  });
  return { personPublicId: signUp.personPublicId, purposes: confirmed, alreadyConfirmed: false };
}
