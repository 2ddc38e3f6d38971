import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { conflict, DomainError, invalidFields } from '../platform/http/errors.ts';
import { formValues, parseForm, type FieldErrors, type FormValues } from '../platform/web/forms.ts';
import type { ThankYouOutcome } from './public/after-signing.tsx';
import { clientIp, prefersJson, PRIVATE_PAGE_CACHE, visiblePetition, wordingFor, type PublicDeps } from './public/requests.ts';
import { SignPage } from './public/sign-form.tsx';
import { consentTextId, signFormSchema, toSignatureInput } from './sign-petition.ts';
import type { SignOutcome } from './signature-writer.ts';
import { isSignable } from './states.ts';
import type { Petition } from './store.ts';
import { createSignChallenge, verifySignChallenge } from './under-attack.ts';

const HOUSEHOLD_LIMIT =
  'Two people have already signed this petition with this email address. Each person needs their own email address (one other person at the same postcode may share it).';

const outcomeMessages: Record<ThankYouOutcome, string> = {
  signed: 'Thank you. We have sent you an email: your signature counts once you click the link in it.',
  resent: 'You have already signed this petition. We have sent the confirmation email again.',
  'already-signed': 'You have already signed this petition, and your signature is confirmed.',
  'email-limit': 'You have already signed this petition. We have sent the confirmation email 5 times and will not send it again.',
};

/**
 * POST /petitions/:id/signatures: validate, build the signature, hand it to the batching writer,
 * answer with a redirect to the thank-you page (or JSON). The hot path: no other queries, except
 * a proof-of-work check while the petition is under attack.
 */
export function registerSignRoutes(app: FastifyInstance, deps: PublicDeps) {
  const { ctx } = deps;

  const sign = async (request: FastifyRequest<{ Params: { ref: string } }>, reply: FastifyReply) => {
    const json = prefersJson(request);
    const petition = await visiblePetition(deps, request.params.ref);
    if (!isSignable(petition.state)) throw closed();
    const wording = wordingFor(ctx, petition);
    const parsed = parseForm(signFormSchema, request.body);
    if (!parsed.ok) return refuse(reply, petition, wording, parsed.errors, parsed.values, json);

    const form = parsed.value;
    const verified = petition.underAttack ? await verifySignChallenge(ctx.db, ctx.secret, petition.id, form.altcha) : true;
    const consentId = form.hear_more ? await consentTextId(ctx.db, wording) : null;
    const input = toSignatureInput(form, petition.id, clientIp(request), consentId);
    const outcome = await deps.writer.submit(verified ? input : { ...input, heldReason: 'unverified' });

    const refusal = refusalOf(outcome);
    if (refusal) return refuse(reply, petition, wording, refusal, formValues(request.body), json);
    if (outcome.kind === 'not-open') throw closed();
    const kind = outcome.kind as ThankYouOutcome;
    const constituency = 'constituencyCode' in outcome ? outcome.constituencyCode : null;
    const thankYou = `${petition.path}/thank-you?outcome=${kind}${constituency ? `&in=${encodeURIComponent(constituency)}` : ''}`;
    if (json) {
      return reply
        .code(202)
        .header('cache-control', 'no-store')
        .send({ outcome: kind, message: outcomeMessages[kind], links: { petition: `${ctx.config.BASE_URL}${petition.path}`, thank_you: `${ctx.config.BASE_URL}${thankYou}` } });
    }
    return reply.redirect(thankYou, 303);
  };

  const options = { config: { csrf: 'origin' as const }, onRequest: formOrJsonOnly };
  app.post<{ Params: { ref: string } }>('/petitions/:ref/signatures', options, sign);
  app.post<{ Params: { ref: string } }>('/petitions/:ref/signatures.json', options, sign);

  // The proof-of-work challenge, fetched by the sign form's script so the page itself stays cacheable.
  app.get<{ Params: { ref: string } }>('/petitions/:ref/challenge.json', async (request, reply) => {
    const petition = await visiblePetition(deps, request.params.ref);
    if (!isSignable(petition.state)) throw closed();
    return reply.header('cache-control', 'no-store').send(await createSignChallenge(ctx.secret, petition.id));
  });
}

/**
 * The sign form is urlencoded (or JSON from scripts). Other bodies are refused before parsing:
 * a malformed multipart body would otherwise fail inside the parser.
 */
async function formOrJsonOnly(request: FastifyRequest) {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/')) {
    throw new DomainError('bad_request', 'Send the form as application/x-www-form-urlencoded or as JSON (Content-Type application/json).');
  }
}

const closed = () => conflict('This petition is closed, so it can no longer be signed.');

function refusalOf(outcome: SignOutcome): FieldErrors | undefined {
  if (outcome.kind === 'postcode') return { postcode: outcome.message };
  if (outcome.kind === 'household-limit') return { email: HOUSEHOLD_LIMIT };
  return undefined;
}

/** A form with problems: the sign page again with the error summary and the values typed, or JSON naming each field. */
function refuse(
  reply: FastifyReply,
  petition: Petition,
  wording: string,
  errors: FieldErrors,
  values: FormValues,
  json: boolean,
) {
  if (json) {
    throw invalidFields(Object.entries(errors).map(([field, message]) => ({ field, message })));
  }
  const { altcha: _altcha, ...kept } = values;
  reply.header('cache-control', PRIVATE_PAGE_CACHE);
  return reply.render(<SignPage petition={petition} hearMoreWording={wording} values={kept} errors={errors} />, 422);
}
