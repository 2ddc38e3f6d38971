import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { clientIp, DomainError, firstErrorPerField, formValues, mastodonHost, mastodonShareHref, notFound, parseParams, type FieldErrors } from '../../platform/index.ts';
import type { AppContext } from '../tables.ts';
import { isPast } from './campaign-form.ts';
import { campaignPath, findCampaign, openCampaigns, type LetterCampaign } from './campaigns.ts';
import { confirmLetter, rewriteLetter } from './letter-lifecycle.ts';
import { letterPdf } from './letter-pdf.ts';
import { answerQuestionnaire } from './questionnaire.ts';
import { campaignShareUrl, postText, postToMpLinks } from './share.ts';
import { letterByPublicId, mpsForSeats, siblingLetters, type Letter } from './store.ts';
import { checkLetterLink, confirmPath, letterPath, questionnairePath, type LinkPurpose } from './tokens.ts';
import { CampaignPage, CampaignsPage, ConfirmPage, LetterPage, MastodonPage, QuestionnairePage } from './public-views.tsx';
import { writeLetter } from './write-letter.ts';

const refParams = z.object({ ref: z.string().regex(/^\d{1,9}(-[a-z0-9-]{0,80})?$/).transform((r) => Number(r.split('-')[0])) });
const linkParams = z.object({ pid: z.string().max(40), token: z.string().max(64) });
const serverQuery = z.object({ server: z.string().max(300).optional().catch(undefined) }).passthrough();

const NOTICES: Record<string, string> = {
  confirmed: 'Thank you: your email is confirmed.',
  rewritten: 'Thank you for making it your own: your letter passed our check.',
};


const UK_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });

/** The public side of letters to MPs: campaigns, the letter form, the writer's own letter page (a signed link), confirmation, the questionnaire. */
export function registerLetterRoutes(app: FastifyInstance, ctx: AppContext) {
  async function publicCampaign(request: FastifyRequest): Promise<LetterCampaign> {
    const { ref } = parseParams(refParams, request.params, 'letter campaign');
    const campaign = await findCampaign(ctx.db, ref);
    if (!campaign) throw notFound('letter campaign');
    return campaign;
  }

  async function targetsText(campaign: LetterCampaign): Promise<string> {
    if (campaign.target === 'own_mp') return 'your own MP, found from your postcode';
    const mps = await mpsForSeats(ctx.db, campaign.chosenSeats);
    return mps.map((m) => `${m.name} MP (${m.seatName})`).join(', ') || 'the MPs the campaign chose';
  }

  async function renderCampaign(reply: FastifyReply, campaign: LetterCampaign, values: Record<string, string>, errors?: FieldErrors, status = 200) {
    return reply.render(<CampaignPage campaign={campaign} values={values} errors={errors} closed={isPast(campaign.deadline)} targets={await targetsText(campaign)} />, status);
  }

  async function linkedLetter(request: FastifyRequest, purpose: LinkPurpose): Promise<Letter> {
    const { pid, token } = parseParams(linkParams, request.params, 'letter');
    checkLetterLink(ctx.secret, purpose, pid, token);
    const letter = await letterByPublicId(ctx.db, pid);
    if (!letter) throw notFound('letter');
    return letter;
  }

  async function renderLetter(request: FastifyRequest, reply: FastifyReply, letter: Letter, state: { values?: Record<string, string>; errors?: FieldErrors } = {}, status = 200) {
    const campaign = (await findCampaign(ctx.db, letter.campaignId))!;
    const letters = await siblingLetters(ctx.db, letter);
    const mine = letterPath(ctx.secret, letter.publicId);
    const [mp] = await mpsForSeats(ctx.db, [letter.mpSeatCode]);
    const notice = NOTICES[String((request.query as Record<string, unknown>).notice ?? '')];
    reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
    return reply.render(
      <LetterPage
        letter={letter}
        letters={letters}
        campaign={campaign}
        pdfHref={`${mine}/letter.pdf`}
        rewriteAction={mine}
        share={mp ? postToMpLinks(ctx.config.BASE_URL, campaign, mp, `${mine}/mastodon`) : undefined}
        values={state.values}
        errors={state.errors}
        notice={notice}
      />,
      status,
    );
  }

  app.get('/letters', async (_request, reply) => reply.render(<CampaignsPage campaigns={await openCampaigns(ctx.db)} />));

  app.get('/letters/:ref', async (request, reply) => {
    const campaign = await publicCampaign(request);
    const ref = (request.params as { ref: string }).ref;
    if (`/letters/${ref}` !== campaignPath(campaign)) return reply.redirect(campaignPath(campaign), 301);
    return renderCampaign(reply, campaign, { delivery: 'email' });
  });

  app.post('/letters/:ref/letters', async (request, reply) => {
    const campaign = await publicCampaign(request);
    const outcome = await writeLetter(ctx, { campaign, fields: request.body, ip: clientIp(request) });
    switch (outcome.kind) {
      case 'invalid':
        return renderCampaign(reply, campaign, formValues(request.body), firstErrorPerField(outcome.problems), 422);
      case 'closed':
        throw new DomainError('conflict', 'This campaign has closed: it no longer takes letters.');
      case 'rate-limited':
        reply.header('retry-after', String(outcome.retryAfterSeconds));
        return renderCampaign(reply, campaign, formValues(request.body), { body: 'Too many letters have been sent from your connection in the last hour: try again later' }, 429);
      case 'written':
        return reply.redirect(letterPath(ctx.secret, outcome.publicId), 303);
    }
  });

  app.get('/letters/mine/:pid/:token', async (request, reply) => renderLetter(request, reply, await linkedLetter(request, 'letter')));

  app.post('/letters/mine/:pid/:token', async (request, reply) => {
    const letter = await linkedLetter(request, 'letter');
    const outcome = await ctx.db.transaction().execute((tx) => rewriteLetter(tx, letter, request.body));
    if (outcome.kind === 'invalid') return renderLetter(request, reply, letter, { values: formValues(request.body), errors: firstErrorPerField(outcome.problems) }, 422);
    const path = letterPath(ctx.secret, letter.publicId);
    return reply.redirect(outcome.held ? path : `${path}?notice=rewritten`, 303);
  });

  app.get('/letters/mine/:pid/:token/letter.pdf', async (request, reply) => {
    const letter = await linkedLetter(request, 'letter');
    if (!letter.deliveredAt || letter.delivery !== 'post' || !letter.body || !letter.writerName) throw notFound('printable letter (it is ready once your email is confirmed and the letter is not held)');
    const pdf = await letterPdf({ writerName: letter.writerName, writerAddress: letter.writerAddress ?? '', writerPostcode: letter.writerPostcode ?? '', mpName: letter.mpName, date: UK_DATE.format(letter.deliveredAt), body: letter.body });
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', 'attachment; filename="letter-to-your-mp.pdf"')
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });

  app.get('/letters/mine/:pid/:token/mastodon', async (request, reply) => {
    const letter = await linkedLetter(request, 'letter');
    const { server } = serverQuery.parse(request.query);
    const action = `${letterPath(ctx.secret, letter.publicId)}/mastodon`;
    if (server === undefined || server.trim() === '') return reply.render(<MastodonPage action={action} values={{}} />);
    const host = mastodonHost(server);
    if (!host) return reply.render(<MastodonPage action={action} values={{ server }} errors={{ server: 'Enter your Mastodon server, like mastodon.social' }} />, 422);
    const campaign = (await findCampaign(ctx.db, letter.campaignId))!;
    const [mp] = await mpsForSeats(ctx.db, [letter.mpSeatCode]);
    const text = postText(campaign, mp ?? { name: letter.mpName, bluesky: null, mastodon: null, x: null }, 'mastodon');
    return reply.redirect(mastodonShareHref(host, text, campaignShareUrl(ctx.config.BASE_URL, campaign, 'mastodon')), 303);
  });

  // A page with a button, so link scanners in mail systems do not confirm for the writer.
  app.get('/letters/confirm/:pid/:token', async (request, reply) => {
    const letter = await linkedLetter(request, 'confirm');
    const letters = await siblingLetters(ctx.db, letter);
    reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
    return reply.render(<ConfirmPage action={confirmPath(ctx.secret, letter.publicId)} mps={letters.map((l) => l.mpName).join(', ')} />);
  });

  app.post('/letters/confirm/:pid/:token', async (request, reply) => {
    const letter = await linkedLetter(request, 'confirm');
    await ctx.db.transaction().execute((tx) => confirmLetter(tx, letter));
    return reply.redirect(`${letterPath(ctx.secret, letter.publicId)}?notice=confirmed`, 303);
  });

  const renderQuestionnaire = (reply: FastifyReply, letter: Letter, values: Record<string, string>, errors?: FieldErrors, status = 200, answered = false) => {
    reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
    return reply.render(<QuestionnairePage letter={letter} action={questionnairePath(ctx.secret, letter.publicId)} values={values} errors={errors} answered={answered} />, status);
  };

  app.get('/letters/questionnaire/:pid/:token', async (request, reply) => {
    const letter = await linkedLetter(request, 'questionnaire');
    const values: Record<string, string> = letter.answeredAt ? { got_reply: letter.gotReply ? 'yes' : 'no' } : {};
    return renderQuestionnaire(reply, letter, values, undefined, 200, letter.answeredAt !== null && (request.query as Record<string, unknown>).notice === 'saved');
  });

  app.post('/letters/questionnaire/:pid/:token', async (request, reply) => {
    const letter = await linkedLetter(request, 'questionnaire');
    const outcome = await ctx.db.transaction().execute((tx) => answerQuestionnaire(tx, letter, request.body));
    if (outcome.kind === 'invalid') return renderQuestionnaire(reply, letter, formValues(request.body), firstErrorPerField(outcome.problems), 422);
    return reply.redirect(`${questionnairePath(ctx.secret, letter.publicId)}?notice=saved`, 303);
  });
}
