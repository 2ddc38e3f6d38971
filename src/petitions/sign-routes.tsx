import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEMO_POSTCODES_TO_TRY, isPoliticsDemo } from '../politics/index.ts';
import { DomainError, clientIp, conflict, formValues, invalidFields, wantsJson, type FieldErrors, type FieldProblem, type FormValues } from '../platform/index.ts';
import type { ThankYouOutcome } from './public/after-signing.tsx';
import { PRIVATE_PAGE_CACHE } from './public/page-cache.ts';
import { visiblePetition } from './public/petition-ref.ts';
import { hearMoreWordingFor, signPetition } from './sign-petition.ts';
import type { PublicDeps } from './public/public-deps.ts';
import { SignPage } from './public/sign-form.tsx';
import { isSignable } from './states.ts';
import type { Petition } from './store.ts';
import { createSignChallenge } from './under-attack.ts';

const HOUSEHOLD_LIMIT =
  'Two people have already signed this petition with this email address. Each person needs their own email address (one other person at the same postcode may share it).';

const outcomeMessages: Record<ThankYouOutcome, string> = {
  signed: 'Thank you. We have sent you an email: your signature counts once you click the link in it.',
  resent: 'You have already signed this petition. We have sent the confirmation email again.',
  'already-signed': 'You have already signed this petition, and your signature is confirmed.',
  'email-limit': 'You have already signed this petition. We have sent the confirmation email 5 times and will not send it again.',
};

/**
 * POST /petitions/:id/signatures: signs through signPetition (the whole rule) and words its
 * outcome: a redirect to the thank-you page (or JSON), or the form again with its problems.
 */
export function registerSignRoutes(app: FastifyInstance, deps: PublicDeps) {
  const { ctx } = deps;

  const sign = async (request: FastifyRequest<{ Params: { ref: string } }>, reply: FastifyReply) => {
    const json = wantsJson(request);
    const petition = await visiblePetition(deps, request.params.ref);
    const outcome = await signPetition(ctx, { petition, fields: request.body, channel: { kind: 'form', ip: clientIp(request) } });
    const wording = () => hearMoreWordingFor(ctx, petition);
    const refuse = async (errors: FieldErrors) => {
      if (json) throw invalidFields(Object.entries(errors).map(([field, message]) => ({ field, message })));
      // The same hint as the first render: while the demo's made-up places are loaded, the postcodes to try.
      const demoPostcodes = (await isPoliticsDemo(ctx.db)) ? DEMO_POSTCODES_TO_TRY : undefined;
      return renderRefusal(reply, petition, wording(), errors, formValues(request.body), demoPostcodes);
    };
    switch (outcome.kind) {
      case 'not-open':
        throw closed();
      case 'invalid':
        return refuse(fieldErrorsOf(outcome.problems));
      case 'postcode-not-found':
        return refuse({ postcode: outcome.problem.message });
      case 'household-limit':
        return refuse({ email: HOUSEHOLD_LIMIT });
    }
    // The form always resends the confirmation (only the API's signatures wait without one).
    const kind: ThankYouOutcome = outcome.kind === 'awaiting-confirmation' ? 'resent' : outcome.kind;
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
    if (!isSignable(petition)) throw closed();
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

function fieldErrorsOf(problems: FieldProblem[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const p of problems) errors[p.field] = p.message;
  return errors;
}

/** A form with problems: the sign page again with the error summary, the values typed and the same postcode hint. */
function renderRefusal(
  reply: FastifyReply,
  petition: Petition,
  wording: string,
  errors: FieldErrors,
  values: FormValues,
  demoPostcodes: string | undefined,
) {
  const { altcha: _altcha, ...kept } = values;
  reply.header('cache-control', PRIVATE_PAGE_CACHE);
  return reply.render(<SignPage petition={petition} hearMoreWording={wording} values={kept} errors={errors} demoPostcodes={demoPostcodes} />, 422);
}
