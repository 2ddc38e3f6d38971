import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../tables.ts';
import { DomainError, clientIp, conflict, emailAddress, errorsFrom, forbidden, formValues, hitRateLimits, notFound, optionalEmail, pageCount, pageFrom, parseForm, parseParams, parseRequest, queryText, recordAudit, requireRole, type Viewer } from '../../platform/index.ts';
import { findMailingFor, purposeChoices, scopeOf, segmentChoices, type GroupScope } from './access.ts';
import { audienceOf, countAudience } from './audience.ts';
import { mailingReport, statusCounts } from './report.ts';
import { findSamplePerson, sampleMessage, sendTestMessage } from './sample-message.ts';
import { mailingForm, saveMailing } from './save-mailing.ts';
import { cancelSchedule, sendOrSchedule, stopSending } from './schedule-mailing.ts';
import { parseSendForm } from './send-form.ts';
import { listMailings, type Mailing } from './store.ts';
import { EDITABLE_STATES, REPORTABLE_STATES } from './tables.ts';
import { followTrackedLink } from './tracked-links.ts';
import { MailingFormPage } from './views/edit.tsx';
import { MailingList } from './views/list.tsx';
import { PreviewPage } from './views/preview.tsx';
import { ConfirmSend, SendForm } from './views/send.tsx';
import { MailingPage } from './views/show.tsx';

const PER_PAGE = 50;
/** Test sends of a mailing one client address may make in 10 minutes. */
export const TESTS_PER_ADDRESS = 10;

const mailingParams = z.object({ id: z.string().regex(/^\d{1,9}$/, { message: 'Enter a mailing id' }).transform(Number) });
const listQuery = z.object({ page: queryText() });
/** The preview's "show as" address as typed, to put back beside its error. */
const typedAs = z.object({ as: queryText() });
const linkParams = z.object({ token: z.string() });

/** Mailings: compose, preview, test send, schedule or send to a segment, progress and report; tracked links. */
export function registerMailingRoutes(app: FastifyInstance, ctx: AppContext) {
  const organisers = { preHandler: requireRole('admin', 'organiser') };
  const maxRate = ctx.config.MAILING_RATE;
  /** Back to the mailing's page, which shows the notice once (a reload does not show it again). */
  const toMailing = (reply: FastifyReply, id: number, notice: string) => reply.redirectWithNotice(`/admin/mailings/${id}`, notice);

  async function load(request: FastifyRequest): Promise<{ scope: GroupScope; mailing: Mailing }> {
    const scope = await scopeOf(ctx.db, request.viewer!);
    const { id } = parseParams(mailingParams, request.params, 'mailing');
    return { scope, mailing: await findMailingFor(ctx.db, scope, id) };
  }

  async function renderForm(reply: FastifyReply, viewer: Viewer, scope: GroupScope, props: { mailing?: Mailing; errors?: Record<string, string>; values?: Record<string, string> }, status = 200) {
    const [purposes, segments] = await Promise.all([purposeChoices(ctx.db, scope), segmentChoices(ctx.db, scope)]);
    if (purposes.length === 0) throw forbidden('You are not an organiser of a group, so there is nobody you can write to.');
    return reply.render(<MailingFormPage purposes={purposes} segments={segments} maxRate={maxRate} canSetSpeed={viewer.role === 'admin'} {...props} />, status);
  }

  async function save(request: FastifyRequest, reply: FastifyReply, scope: GroupScope, mailing?: Mailing) {
    // Only admins set the sending speed; an organiser's form has no such field, and one posted is ignored.
    const canSetSpeed = request.viewer!.role === 'admin';
    const body = canSetSpeed ? request.body : Object.fromEntries(Object.entries((request.body ?? {}) as Record<string, unknown>).filter(([k]) => k !== 'rate_per_second'));
    const result = parseForm(mailingForm(maxRate), body);
    if (!result.ok) return renderForm(reply, request.viewer!, scope, { mailing, errors: result.errors, values: result.values }, 422);
    try {
      const id = await ctx.db.transaction().execute((tx) => saveMailing(tx, { actor: request.viewer!, scope, id: mailing?.id, input: result.value }));
      return toMailing(reply, id, 'saved');
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid') {
        return renderForm(reply, request.viewer!, scope, { mailing, errors: errorsFrom(error), values: formValues(request.body) }, 422);
      }
      throw error;
    }
  }

  app.get('/admin/mailings', organisers, async (request, reply) => {
    const scope = await scopeOf(ctx.db, request.viewer!);
    const page = pageFrom(parseRequest(listQuery, request.query));
    const { items, total } = await listMailings(ctx.db, scope, page, PER_PAGE);
    const canCreate = (await purposeChoices(ctx.db, scope)).length > 0;
    return reply.render(<MailingList items={items} page={page} totalPages={pageCount(total, PER_PAGE)} canCreate={canCreate} />);
  });

  app.get('/admin/mailings/new', organisers, async (request, reply) => renderForm(reply, request.viewer!, await scopeOf(ctx.db, request.viewer!), {}));

  app.post('/admin/mailings', organisers, async (request, reply) => save(request, reply, await scopeOf(ctx.db, request.viewer!)));

  app.get('/admin/mailings/:id', organisers, async (request, reply) => {
    const { mailing } = await load(request);
    const notice = reply.takeNotice();
    if (mailing.status === 'draft' || mailing.status === 'scheduled') {
      return reply.render(<MailingPage mailing={mailing} notice={notice} audienceCount={await countAudience(ctx.db, audienceOf(mailing))} />);
    }
    const report = REPORTABLE_STATES.includes(mailing.status) && !isActive(mailing) ? await mailingReport(ctx.db, mailing.id) : undefined;
    const progress = isActive(mailing) ? withTotal(await statusCounts(ctx.db, mailing.id)) : undefined;
    return reply.render(<MailingPage mailing={mailing} notice={notice} progress={progress} report={report} />);
  });

  app.get('/admin/mailings/:id/progress.json', organisers, async (request, reply) => {
    const { mailing } = await load(request);
    return reply.header('cache-control', 'no-store').send({ status: mailing.status, counts: withTotal(await statusCounts(ctx.db, mailing.id)) });
  });

  app.get('/admin/mailings/:id/edit', organisers, async (request, reply) => {
    const { scope, mailing } = await load(request);
    assertEditable(mailing);
    return renderForm(reply, request.viewer!, scope, { mailing });
  });

  app.post('/admin/mailings/:id', organisers, async (request, reply) => {
    const { scope, mailing } = await load(request);
    assertEditable(mailing);
    return save(request, reply, scope, mailing);
  });

  const asQuery = z.object({ as: optionalEmail(), tested: z.string().optional() });

  /** A preview shows a recipient's details: audited with the person's public id, never the data. */
  async function auditPreview(request: FastifyRequest, mailing: Mailing, personPublicId: string | undefined) {
    if (!personPublicId) return;
    await recordAudit(ctx.db, { actor: request.viewer!, action: 'mailing.preview', subjectType: 'mailing', subjectId: mailing.id, after: { person: personPublicId } });
  }

  async function renderPreview(request: FastifyRequest, reply: FastifyReply, mailing: Mailing, extra: { testErrors?: Record<string, string>; testValues?: Record<string, string>; status?: number } = {}) {
    const query = asQuery.safeParse(request.query);
    const asText = parseRequest(typedAs, request.query).as ?? '';
    let asErrors: Record<string, string> | undefined;
    let person = undefined as Awaited<ReturnType<typeof findSamplePerson>>;
    if (!query.success) asErrors = { as: 'Enter an email address in the correct format, like name@example.com' };
    else {
      person = await findSamplePerson(ctx.db, mailing, query.data.as);
      if (!person && query.data.as) asErrors = { as: 'Nobody with that email address would get this mailing' };
    }
    if (asErrors) person = await findSamplePerson(ctx.db, mailing);
    await auditPreview(request, mailing, person?.publicId);
    const message = await sampleMessage(ctx, mailing, person, person?.email ?? 'preview@example.org');
    const tested = query.success ? query.data.tested : undefined;
    return reply.render(
      <PreviewPage
        mailing={mailing}
        message={message}
        shownAs={person?.email}
        asErrors={asErrors}
        asValues={asErrors ? { as: asText } : undefined}
        testValues={extra.testValues ?? { to: request.viewer!.email }}
        testErrors={extra.testErrors}
        notice={tested ? { kind: 'success', text: `A test has been sent to ${tested}.` } : undefined}
      />,
      extra.status ?? (asErrors ? 422 : 200),
    );
  }

  app.get('/admin/mailings/:id/preview', organisers, async (request, reply) => renderPreview(request, reply, (await load(request)).mailing));

  // The message's own HTML in a sandboxed frame: no scripts, no same-origin access.
  app.get('/admin/mailings/:id/preview.html', organisers, async (request, reply) => {
    const { mailing } = await load(request);
    const query = asQuery.safeParse(request.query);
    const person = await findSamplePerson(ctx.db, mailing, query.success ? query.data.as : undefined);
    await auditPreview(request, mailing, person?.publicId);
    const message = await sampleMessage(ctx, mailing, person, person?.email ?? 'preview@example.org');
    return reply
      .header('content-security-policy', "sandbox; default-src 'none'; img-src 'self' data: https:; style-src 'unsafe-inline'; frame-ancestors 'self'")
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(message.html);
  });

  app.post('/admin/mailings/:id/test', organisers, async (request, reply) => {
    const { mailing } = await load(request);
    const form = parseForm(z.object({ to: emailAddress() }), request.body);
    if (!form.ok) return renderPreview(request, reply, mailing, { testErrors: form.errors, testValues: form.values, status: 422 });
    const counted = await hitRateLimits(ctx.db, [{ bucket: 'mailings.test.address', key: clientIp(request) ?? 'unknown', limit: TESTS_PER_ADDRESS, windowSeconds: 600 }]);
    if (!counted.allowed) {
      reply.header('retry-after', String(counted.retryAfterSeconds));
      const errors = { to: `Too many tests have been sent from your address in the last 10 minutes. Wait ${Math.ceil(counted.retryAfterSeconds / 60)} minutes, then try again.` };
      return renderPreview(request, reply, mailing, { testErrors: errors, testValues: { to: form.value.to }, status: 429 });
    }
    const query = asQuery.safeParse(request.query);
    const person = await findSamplePerson(ctx.db, mailing, query.success ? query.data.as : undefined);
    const outcome = await sendTestMessage(ctx, { mailing, to: form.value.to, person, actor: request.viewer! });
    if (outcome.status !== 'sent') {
      const errors = { to: `The mail server did not take the test: ${outcome.reason}` };
      return renderPreview(request, reply, mailing, { testErrors: errors, testValues: { to: form.value.to }, status: 502 });
    }
    const as = person ? `as=${encodeURIComponent(person.email)}&` : '';
    return reply.redirect(`/admin/mailings/${mailing.id}/preview?${as}tested=${encodeURIComponent(form.value.to)}`, 303);
  });

  app.get('/admin/mailings/:id/send', organisers, async (request, reply) => {
    const { mailing } = await load(request);
    assertEditable(mailing);
    return reply.render(<SendForm mailing={mailing} values={{ when: 'now' }} />);
  });

  app.post('/admin/mailings/:id/send', organisers, async (request, reply) => {
    const { mailing } = await load(request);
    assertEditable(mailing);
    const form = parseSendForm(request.body, new Date());
    if (!form.ok) return reply.render(<SendForm mailing={mailing} errors={form.errors} values={form.values} />, 422);
    const { when, confirmed, sendAt } = form.value;
    if (confirmed === undefined) {
      const count = await countAudience(ctx.db, audienceOf(mailing));
      return reply.render(<ConfirmSend mailing={mailing} count={count} at={when.now ? undefined : when.at} sendAt={sendAt} />);
    }
    await ctx.db.transaction().execute((tx) => sendOrSchedule(tx, { mailing, actor: request.viewer!, when, confirmedCount: confirmed }));
    return toMailing(reply, mailing.id, when.now ? 'sending' : 'scheduled');
  });

  app.post('/admin/mailings/:id/unschedule', organisers, async (request, reply) => {
    const { mailing } = await load(request);
    await ctx.db.transaction().execute((tx) => cancelSchedule(tx, { mailing, actor: request.viewer! }));
    return toMailing(reply, mailing.id, 'unscheduled');
  });

  app.post('/admin/mailings/:id/stop', organisers, async (request, reply) => {
    const { mailing } = await load(request);
    await ctx.db.transaction().execute((tx) => stopSending(tx, { mailing, actor: request.viewer! }));
    return toMailing(reply, mailing.id, 'stopped');
  });

  // Tracked links in mailings: count the click (not for HEAD: link scanners), then go on.
  app.get('/m/:token', async (request, reply) => {
    const { token } = parseParams(linkParams, request.params, 'link');
    const url = await followTrackedLink(ctx.db, ctx.secret, token, { record: request.method === 'GET' });
    if (!url) throw notFound('link');
    return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(url, 302);
  });
}

function isActive(mailing: Mailing): boolean {
  return mailing.status === 'preparing' || mailing.status === 'sending';
}

function withTotal<T extends Record<string, number>>(counts: T): T & { recipients: number } {
  return { ...counts, recipients: Object.values(counts).reduce((a, b) => a + b, 0) };
}

function assertEditable(mailing: Mailing): void {
  if (!EDITABLE_STATES.includes(mailing.status)) throw conflict('This mailing has been scheduled or sent, so it can no longer be changed or sent again.');
}
