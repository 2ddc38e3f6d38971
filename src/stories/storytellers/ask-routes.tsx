import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError, notFound, parseParams } from '../../platform/index.ts';
import type { AppContext } from '../tables.ts';
import { answerAsk, findAskByToken } from './opportunities.ts';
import type { AskAnswer } from './tables.ts';
import { AskPage } from './views.tsx';

const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) });
const answerQuery = z.object({ answer: z.enum(['yes', 'no']).optional().catch(undefined), done: z.enum(['yes', 'no']).optional().catch(undefined) });

/** Form posts only (what a form without JavaScript sends): anything else is a 400 naming the way to send it. */
async function formOnly(request: FastifyRequest) {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (type !== '' && !type.startsWith('application/x-www-form-urlencoded')) throw new DomainError('bad_request', 'Send the form as application/x-www-form-urlencoded.');
}

/**
 * The storyteller's answer to one request, from the links in their email: no sign-in, the token
 * is the proof. The link opens a page; only its POST (one more click) records the answer, so a
 * mail scanner following links answers nothing.
 */
export function registerAskRoutes(app: FastifyInstance, ctx: AppContext) {
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');

  app.get('/storytellers/asks/:token', async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params, 'request');
    const ask = await findAskByToken(ctx.db, token);
    if (!ask) throw notFound('request');
    const query = answerQuery.parse(request.query ?? {});
    return noStore(reply).render(<AskPage token={token} ask={ask} suggested={query.answer} done={query.done} />);
  });

  for (const answer of ['yes', 'no'] as const satisfies readonly AskAnswer[]) {
    app.post(`/storytellers/asks/:token/${answer}`, { config: { csrf: 'origin' as const }, onRequest: formOnly }, async (request, reply) => {
      const { token } = parseParams(tokenParams, request.params, 'request');
      await ctx.db.transaction().execute((tx) => answerAsk(tx, token, answer));
      return noStore(reply).redirect(`/storytellers/asks/${token}?done=${answer}`, 303);
    });
  }
}
