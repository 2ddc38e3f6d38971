import { isValid as isValidPostcode, toNormalised } from 'postcode';
import { z } from 'zod';
import type { AppContext as AnyAppContext } from '../context.ts';
import { petitionsContext, type AppContext, type Q, type SignatureReferrer } from './tables.ts';
import { checkbox, emailAddress, problemsFromZod, type FieldProblem } from '../platform/index.ts';
import { arrivalFields } from './arrival.ts';
import { canonicalEmail } from './canonical-email.ts';
import { queueConfirmationSender } from './confirmation-emails.ts';
import { UK, isCountryCode } from './countries.ts';
import { SignatureWriter, type SignOutcome, type SignatureInput } from './signature-writer.ts';
import { isSignable } from './states.ts';
import type { Petition } from './store.ts';
import { verifySignChallenge } from './under-attack.ts';
import { lookupPostcode } from '../politics/index.ts';

export const NAME_MAX = 255;

/** A name is text: no markup and no web addresses (spam and stored-XSS attempts land here). */
const personName = z
  .string({ message: 'Enter your name' })
  .trim()
  .min(1, { message: 'Enter your name' })
  .max(NAME_MAX, { message: `Name must be ${NAME_MAX} characters or fewer` })
  .refine((v) => !/[<>]/.test(v), { message: 'Enter your name without < or > characters' })
  .refine((v) => !/(https?:\/\/|www\.)/i.test(v), { message: 'Enter your name without a web address' })
  // eslint-disable-next-line no-control-regex
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: 'Enter your name without control characters' });

const signFields = z.object({
    name: personName,
    // eslint-disable-next-line no-control-regex
    email: emailAddress().refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: 'Enter an email address in the correct format, like name@example.com' }),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .optional()
      .transform((v) => (v ? v : UK))
      .refine((v) => isCountryCode(v), { message: 'Choose your country from the list' }),
    postcode: z.string().trim().max(16, { message: 'Enter a real UK postcode, like SW1A 1AA' }).optional(),
    hear_more: checkbox(),
    altcha: z.string().max(10_000).optional(),
    ...arrivalFields,
  });

/** A UK signer's postcode must be a real one; `required`: and it must be given. */
function withPostcodeRule(required: boolean) {
  // Runs even when other fields failed, so the error summary lists every problem at once.
  return signFields.superRefine(
    (value, ctx) => {
      const country = typeof value.country === 'string' ? value.country.trim().toUpperCase() : '';
      if (country !== '' && country !== UK) return;
      const postcode = typeof value.postcode === 'string' ? value.postcode.trim() : '';
      if (!postcode) {
        if (required) ctx.addIssue({ code: 'custom', path: ['postcode'], message: 'Enter your postcode' });
      } else if (!isValidPostcode(postcode)) {
        ctx.addIssue({ code: 'custom', path: ['postcode'], message: 'Enter a real UK postcode, like SW1A 1AA' });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
}

/** The sign form: name, email, where they live (UK postcode, or a country), and the optional consent box. */
export const signFormSchema = withPostcodeRule(true);

/**
 * The API's signatures: as the form, but a UK signer's postcode may be left out (the anchors'
 * helpers need only a name and an email); such a signature counts in the total and the UK's
 * tally, in no constituency or region.
 */
const apiSignSchema = withPostcodeRule(false);

export type SignForm = z.output<typeof signFormSchema>;

/** Turns a valid form into what the writer stores. */
export function toSignatureInput(form: SignForm, petitionId: number, ip: string | null, consentTextId: number | null): SignatureInput {
  const inUk = form.country === UK;
  return {
    petitionId,
    name: form.name.replace(/\s+/g, ' '),
    email: form.email,
    canonicalEmail: canonicalEmail(form.email),
    postcode: inUk && form.postcode ? (toNormalised(form.postcode) ?? form.postcode.toUpperCase()) : null,
    countryCode: form.country,
    ip,
    hearMore: form.hear_more,
    consentTextId: form.hear_more ? consentTextId : null,
    arrival: { utmSource: form.utm_source, utmMedium: form.utm_medium, utmCampaign: form.utm_campaign, referrer: form.referrer },
  };
}

/** The words next to the "hear more" box; recorded with each consent so we can prove what was agreed. */
export function hearMoreWording(coalitionName: string, groupNames: string[]): string {
  const groups = groupNames.length === 0 ? '' : groupNames.length === 1 ? ` and ${groupNames[0]}` : ` and the groups behind this petition (${groupNames.join(', ')})`;
  return `Email me about this and other campaigns from ${coalitionName}${groups}. I can unsubscribe at any time.`;
}

/** The words beside the "hear more" box for this petition, in the current brand. */
export function hearMoreWordingFor(ctx: AppContext, petition: Petition): string {
  return hearMoreWording(ctx.brand.current().name, petition.groups.map((g) => g.name));
}

/** Per database handle (tests run several databases in one process; ids differ between them). */
const consentTextIds = new WeakMap<Q, Map<string, number>>();

/** The id of a consent wording, stored once (the exact words shown are kept for the record). */
export async function consentTextId(q: Q, wording: string): Promise<number> {
  let known = consentTextIds.get(q);
  if (!known) consentTextIds.set(q, (known = new Map()));
  const cached = known.get(wording);
  if (cached) return cached;
  const row = await q
    .insertInto('signature_consent_texts')
    .values({ wording })
    .onConflict((oc) => oc.column('wording').doUpdateSet({ wording }))
    .returning('id')
    .executeTakeFirstOrThrow();
  if (known.size > 1000) known.clear();
  known.set(wording, row.id);
  return row.id;
}

/**
 * Each app context's one signature writer, made on first use with the configured per-address
 * limits (SIGN_RATE_*). The public form and the API share it, so concurrent signatures from both
 * share its batches and its cap on transactions in flight. Keyed by context rather than held in
 * a module: tests (and a second `chorus serve`) build several apps in one process, each with its own.
 */
const writers = new WeakMap<AppContext, SignatureWriter>();

export function signatureWriterFor(ctx: AppContext): SignatureWriter {
  let writer = writers.get(ctx);
  if (!writer) {
    writer = new SignatureWriter(ctx.db, ctx.pool, {
      rateLimits: {
        burst: ctx.config.SIGN_RATE_BURST,
        burstSeconds: ctx.config.SIGN_RATE_BURST_SECONDS,
        sustained: ctx.config.SIGN_RATE_SUSTAINED,
        sustainedSeconds: ctx.config.SIGN_RATE_SUSTAINED_SECONDS,
      },
      onConfirmationsDue: queueConfirmationSender,
      onWakeFailed: (error) => ctx.log.warn({ err: error }, 'could not wake the confirmation sender; the sweep will send the mail'),
    });
    writers.set(ctx, writer);
  }
  return writer;
}

/** Who is signing, which decides the checks against floods. */
export type SignChannel =
  /** The public form: the per-address limits apply, and proof of work while the petition is under attack. */
  | { kind: 'form'; ip: string | null }
  /**
   * An API key's client: the key's own rate limit applies instead, it is asked for no proof of
   * work, the postcode may be left out, and signing again sends no second confirmation email.
   * `confirmed`: the key vouches for its signers (an admin allowed it), so the signature is
   * stored confirmed, with no email.
   */
  | { kind: 'api'; confirmed?: boolean };

export interface SignPetitionProps {
  /** As the caller found it (a cached copy will do: the writer checks again, as it writes, that it is open). */
  petition: Petition;
  /** The sign form's fields as sent (name, email, country, postcode, hear_more, altcha, and where the signer came from: utm_*, referrer), not yet checked. */
  fields: unknown;
  channel: SignChannel;
  /** What the signer wrote beside their signature, and where they came from (the API sends these). */
  details?: { comments?: string | null; referrerData?: SignatureReferrer | null };
}

export type SignPetitionOutcome =
  /** The fields break the sign form's rules: each field's first problem, named as the form names it. */
  | { kind: 'invalid'; problems: FieldProblem[] }
  | { kind: 'not-open' }
  /** The writer's answer, with the signer's canonical email (the same person always has the same one). */
  | (Exclude<SignOutcome, { kind: 'not-open' }> & { canonicalEmail: string });

/**
 * A form that failed its other checks still has its postcode looked up (only here, off the hot
 * path), so an unknown postcode is named beside a bad email in one answer, not after a resubmit.
 */
async function withPostcodeProblem(q: Q, fields: unknown, problems: FieldProblem[]): Promise<FieldProblem[]> {
  if (problems.some((p) => p.field === 'postcode' || p.field === 'country')) return problems;
  const raw = (fields ?? {}) as Record<string, unknown>;
  const country = typeof raw.country === 'string' ? raw.country.trim().toUpperCase() : '';
  const postcode = typeof raw.postcode === 'string' ? raw.postcode.trim() : '';
  if ((country !== '' && country !== UK) || postcode === '' || postcode.length > 16) return problems;
  const found = await lookupPostcode(q, postcode);
  if (found.status === 'found') return problems;
  const at = problems.findIndex((p) => p.field !== 'name' && p.field !== 'email');
  const problem = { field: 'postcode', message: found.message };
  return at === -1 ? [...problems, problem] : [...problems.slice(0, at), problem, ...problems.slice(at)];
}

/**
 * Signs a petition: it must be signable; the fields must pass the sign form's rules; under
 * attack, a form signature without a solved proof-of-work challenge is stored but held
 * ("unverified"); a ticked "hear more" box records the exact words shown; then the app's one
 * writer applies the rate limits and the duplicate rule and stores it. The hot path: no other
 * queries, except the proof-of-work check while under attack and a new consent wording's id.
 */
export async function signPetition(anyCtx: AnyAppContext<Record<never, never>>, props: SignPetitionProps): Promise<SignPetitionOutcome> {
  const ctx = petitionsContext(anyCtx);
  const { petition, channel } = props;
  if (!isSignable(petition)) return { kind: 'not-open' };
  const parsed = (channel.kind === 'api' ? apiSignSchema : signFormSchema).safeParse(props.fields ?? {});
  if (!parsed.success) return { kind: 'invalid', problems: await withPostcodeProblem(ctx.db, props.fields, problemsFromZod(parsed.error)) };

  const form = parsed.data;
  const consentId = form.hear_more ? await consentTextId(ctx.db, hearMoreWordingFor(ctx, petition)) : null;
  const input = toSignatureInput(form, petition.id, channel.kind === 'form' ? channel.ip : null, consentId);
  const verified = channel.kind === 'form' && petition.underAttack ? await verifySignChallenge(ctx.db, ctx.secret, petition.id, form.altcha) : true;
  const stored: SignatureInput = {
    ...input,
    ...(verified ? {} : { heldReason: 'unverified' }),
    ...(channel.kind === 'api' ? { resendConfirmation: false, confirmed: channel.confirmed === true } : {}),
    comments: props.details?.comments ?? null,
    referrerData: props.details?.referrerData ?? null,
  };
  const outcome = await signatureWriterFor(ctx).submit(stored);
  return outcome.kind === 'not-open' ? outcome : { ...outcome, canonicalEmail: input.canonicalEmail };
}
