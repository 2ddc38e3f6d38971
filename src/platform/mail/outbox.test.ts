import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from '../../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { SmtpSink } from '../../../test/support/smtp.ts';
import type { Brand } from '../web/context.ts';
import { capabilities } from '../../capabilities.ts';
import { createPetition, postSignature, seedPlaces, signer } from '../../../test/support/public-petitions.ts';
import { keepForViewer, queueEmail, queueEmails } from './outbox.ts';

const brand: Brand = {
  name: 'Save Our Wards',
  tagline: 'Keeping our hospital open',
  logoUrl: null,
  primaryColour: '#8a1538',
  primaryTextColour: '#ffffff',
  accentColour: '#ffdd00',
  version: 'test',
};

function queue(t: TestApp, to: string, subject = 'Your ward needs you') {
  return queueEmail(t.ctx.db, {
    kind: 'test.message',
    to,
    brand,
    baseUrl: t.ctx.config.BASE_URL,
    content: {
      subject,
      heading: 'Come to the meeting',
      blocks: [
        { type: 'paragraph', text: 'We meet on Tuesday <b>at 7pm</b> & everyone is welcome.' },
        { type: 'button', href: 'http://chorus.test/events/1', label: 'Book a place' },
      ],
      footer: ['You get this because you signed up.'],
    },
  });
}

function message(t: TestApp, id: number) {
  return t.ctx.db.selectFrom('outbound_emails').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The queue's job that sends message `id`, while one is pending. */
async function pendingJob(t: TestApp, id: number) {
  const result = await sql<{ id: string; attempts: number; run_at: Date; last_error: string | null }>`
    select jobs.id, jobs.attempts, jobs.run_at, jobs.last_error
    from graphile_worker._private_jobs jobs join graphile_worker._private_tasks tasks on tasks.id = jobs.task_id
    where tasks.identifier = 'platform.email.send' and (jobs.payload->>'id')::bigint = ${id}`.execute(t.ctx.db);
  return result.rows[0];
}

describe('with an SMTP server', () => {
  let t: TestApp;
  let sink: SmtpSink;
  const refusals = new Map<string, Array<{ code: number; message: string }>>();
  const refused: string[] = [];

  beforeAll(async () => {
    // Each recipient can be given a list of refusals, used up one per attempt.
    sink = await new SmtpSink({
      refuse: ([to = '']) => {
        const next = refusals.get(to)?.shift();
        if (next) refused.push(to);
        return next;
      },
    }).start();
    t = await createTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Save Our Wards <hello@wards.example>' } });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });
  beforeEach(() => {
    refused.length = 0;
  });

  it('renders the message as text and as HTML in the brand, and a worker run delivers it', async () => {
    const id = await queue(t, 'pat@example.org');
    const queued = await message(t, id);
    expect(queued.status).toBe('queued');
    await t.runJobs();

    const [mail] = sink.to('pat@example.org');
    expect(sink.to('pat@example.org')).toHaveLength(1);
    expect(mail!.subject).toBe('Your ward needs you');
    expect(mail!.from).toBe('hello@wards.example');
    expect(mail!.text).toContain('Come to the meeting');
    expect(mail!.text).toContain('We meet on Tuesday <b>at 7pm</b> & everyone is welcome.');
    expect(mail!.text).toContain('Book a place:\nhttp://chorus.test/events/1');
    expect(mail!.text).toContain('Save Our Wards');
    expect(mail!.html).toContain('Save Our Wards');
    expect(mail!.html).toContain('background:#8a1538');
    expect(mail!.html).toContain('href="http://chorus.test/events/1"');
    // Text from the message is escaped in the HTML, never markup.
    expect(mail!.html).toContain('&lt;b>at 7pm&lt;/b> &amp; everyone');

    const sent = await message(t, id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(sent.sent_at).toBeInstanceOf(Date);
    expect(await pendingJob(t, id)).toBeUndefined();
  });

  it('sends a subject and text in any language intact, and records the Message-ID the recipient sees', async () => {
    const id = await queue(t, 'zoë@example.org', 'Café meeting — £5 for Zoë, 病院を守ろう, a subject long enough to be folded over more than one header line');
    await t.runJobs();
    const [mail] = sink.to('zoë@example.org');
    expect(mail!.subject).toBe('Café meeting — £5 for Zoë, 病院を守ろう, a subject long enough to be folded over more than one header line');
    expect(mail!.from).toBe('hello@wards.example');
    expect(mail!.text).toContain('Come to the meeting');
    expect(mail!.html).toContain('href="http://chorus.test/events/1"');
    const sent = await message(t, id);
    expect(sent.status).toBe('sent');
    expect(sent.message_id).toMatch(/^<.+@wards\.example>$/);
    expect(mail!.headers.get('message-id')).toBe(sent.message_id);
  });

  it('retries a temporary refusal (451) later, with backoff, and then delivers it exactly once', async () => {
    refusals.set('busy@example.org', [{ code: 451, message: 'Greylisted, try again later' }]);
    const id = await queue(t, 'busy@example.org');
    await t.runJobs();

    expect(refused).toEqual(['busy@example.org']); // tried once, not again straight away
    expect(sink.to('busy@example.org')).toHaveLength(0);
    const waiting = await message(t, id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
    expect(waiting.last_error).toContain('Greylisted, try again later');
    // The queue keeps the job, with the failure, for a later attempt.
    const job = (await pendingJob(t, id))!;
    expect(job.last_error).toContain('Greylisted, try again later');
    expect(job.attempts).toBe(1);
    // Backoff: the next attempt waits (about 3 s after the first failure, longer after each).
    expect(job.run_at.getTime() - Date.now()).toBeGreaterThan(1500);

    // Time passes: the retry becomes due.
    await sql`update graphile_worker._private_jobs set run_at = now() where id = ${job.id}`.execute(t.ctx.db);
    await t.runJobs();
    await t.runJobs();

    expect(sink.to('busy@example.org')).toHaveLength(1);
    expect(await message(t, id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(await pendingJob(t, id)).toBeUndefined();
  });

  it('stops at a permanent refusal (550), marking the message failed with the server’s reason', async () => {
    refusals.set('gone@example.org', [
      { code: 550, message: 'No such mailbox here' },
      { code: 550, message: 'No such mailbox here' },
    ]);
    const id = await queue(t, 'gone@example.org');
    await t.runJobs();
    await t.runJobs();

    expect(refused).toEqual(['gone@example.org']);
    expect(sink.to('gone@example.org')).toHaveLength(0);
    const failed = await message(t, id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.last_error).toContain('550');
    expect(failed.last_error).toContain('No such mailbox here');
    expect(await pendingJob(t, id)).toBeUndefined();
  });

  it('keeps nothing back: a message queued in a transaction that rolls back is never sent', async () => {
    await t.ctx.db
      .transaction()
      .execute(async (tx) => {
        await queueEmail(tx, { kind: 'test.message', to: 'never@example.org', brand, baseUrl: 'http://chorus.test', content: { subject: 'x', blocks: [] } });
        throw new Error('the surrounding write failed');
      })
      .catch(() => undefined);
    await t.runJobs();
    expect(sink.to('never@example.org')).toHaveLength(0);
    expect(await t.ctx.db.selectFrom('outbound_emails').select('id').where('to_address', '=', 'never@example.org').execute()).toEqual([]);
  });

  it('queues many messages in one statement (their sending with one add_jobs) and delivers each once, secrets kept apart, attachments sent, none if the transaction rolls back', async () => {
    const secret = 'manage-token-0123456789';
    const one = (to: string) => ({
      kind: 'test.message',
      to,
      brand,
      baseUrl: 'http://chorus.test',
      secrets: [secret],
      attachments: [{ filename: 'event.ics', contentType: 'text/calendar; method=PUBLISH', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }],
      content: { subject: `For ${to}`, blocks: [{ type: 'button' as const, href: `http://chorus.test/bookings/${secret}`, label: 'Manage' }] },
    });
    const addresses = ['many1@example.org', 'many2@example.org', 'many3@example.org'];
    expect(await t.ctx.db.transaction().execute((tx) => queueEmails(tx, addresses.map(one)))).toBe(3);
    await t.ctx.db
      .transaction()
      .execute(async (tx) => {
        await queueEmails(tx, [one('many-never@example.org')]);
        throw new Error('the surrounding write failed');
      })
      .catch(() => undefined);
    expect(await queueEmails(t.ctx.db, [])).toBe(0);
    const stored = await t.ctx.db.selectFrom('outbound_emails').selectAll().where('to_address', 'in', [...addresses, 'many-never@example.org']).orderBy('id').execute();
    expect(stored.map((m) => [m.to_address, m.subject, m.status])).toEqual(addresses.map((a) => [a, `For ${a}`, 'queued']));
    for (const m of stored) {
      expect(m.text_body).not.toContain(secret);
      expect(await pendingJob(t, Number(m.id))).toBeDefined();
    }
    await t.runJobs();
    for (const a of addresses) {
      const received = sink.to(a);
      expect(received).toHaveLength(1);
      expect(received[0]!.text).toContain(`http://chorus.test/bookings/${secret}`);
      expect(received[0]!.raw).toContain('event.ics');
    }
    expect(sink.to('many-never@example.org')).toHaveLength(0);
    const sent = await t.ctx.db.selectFrom('outbound_emails').select(['status', 'text_body']).where('to_address', 'in', addresses).execute();
    expect(sent.every((m) => m.status === 'sent' && !m.text_body.includes(secret))).toBe(true);
  });
});

describe('without an SMTP server', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(); // no SMTP_URL
  });
  afterAll(() => t.close());

  it('keeps each message and lists it in the admin mail viewer, whose HTML view is sandboxed', async () => {
    const id = await queue(t, 'local@example.org', 'Confirm your place');
    await t.runJobs();
    expect(await message(t, id)).toMatchObject({ status: 'kept' });

    const { agent: admin } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const list = await admin.get('/admin/mail');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('No SMTP server is set up (SMTP_URL)');
    expect(list.body).toContain('local@example.org');
    expect(list.body).toContain(`<a href="/admin/mail/${id}">Confirm your place</a>`);
    expect(list.body).toContain('Kept (no SMTP server set up)');

    const view = await admin.get(`/admin/mail/${id}`);
    expect(view.statusCode).toBe(200);
    // The text version, with its links clickable, and the HTML version in a sandboxed frame.
    expect(view.body).toContain('<a href="http://chorus.test/events/1">http://chorus.test/events/1</a>');
    expect(view.body).toContain(`<iframe class="mail-preview" title="HTML version of the message" src="/admin/mail/${id}/html" sandbox>`);
    const html = await admin.get(`/admin/mail/${id}/html`);
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('background:#8a1538');
    const csp = String(html.headers['content-security-policy']);
    expect(csp).toMatch(/^sandbox;/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    for (const bad of ['abc', '99999999999', `${id}x`]) {
      expect((await admin.get(`/admin/mail/${bad}`)).statusCode, bad).toBe(404);
      expect((await admin.get(`/admin/mail/${bad}/html`)).statusCode, bad).toBe(404);
    }
    expect((await admin.get('/admin/mail?page=abc')).statusCode).toBe(200);
  });

  it('names each kind of mail in words, never by its internal id', async () => {
    // A real signature's confirmation, as the petitions capability keeps it.
    await seedPlaces(t.ctx.db);
    const petition = await createPetition(t.ctx.db);
    expect((await postSignature(t.app, petition.id, signer({ email: 'kinds@example.org' }))).statusCode).toBeLessThan(400);
    await t.runJobs();
    const kinds: Record<string, string> = Object.assign({}, ...capabilities.map((c) => c.mailKinds ?? {}));
    for (const kind of Object.keys(kinds)) await keepForViewer(t.ctx.db, kind, [{ to: `${kind}@example.org`, subject: `A ${kind} message`, text: 'Hello', html: '<p>Hello</p>' }]);
    await keepForViewer(t.ctx.db, 'elsewhere.weekly-digest', [{ to: 'digest@example.org', subject: 'Digest', text: 'Hi', html: '<p>Hi</p>' }]);

    const { agent: admin } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const list = (await admin.get('/admin/mail')).body;
    const confirmation = await t.ctx.db.selectFrom('outbound_emails').select(['id', 'kind']).where('to_address', '=', 'kinds@example.org').executeTakeFirstOrThrow();
    expect(confirmation.kind).toBe('petitions.signature.confirmation');
    expect(list).toMatch(/<td>kinds@example\.org<\/td><td>Signature confirmation<\/td>/);
    for (const [kind, label] of Object.entries(kinds)) expect(list, kind).toContain(`<td>${kind}@example.org</td><td>${label}</td>`);
    expect(list).toContain('<td>digest@example.org</td><td>Weekly digest</td>');
    const shown = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\S+@example\.org|A \S+ message/g, '');
    for (const kind of [...Object.keys(kinds), 'elsewhere.weekly-digest']) expect(shown(list), kind).not.toContain(kind);

    const view = (await admin.get(`/admin/mail/${confirmation.id}`)).body;
    expect(view).toMatch(/<dt>Kind<\/dt><dd>Signature confirmation<\/dd>/);
    expect(shown(view)).not.toContain('petitions.signature.confirmation');
  });

  it('is for coalition admins only', async () => {
    const id = await queue(t, 'private@example.org');
    for (const role of ['organiser', 'moderator'] as const) {
      const { agent } = await signedInAgent(t.app, t.ctx, { role });
      for (const url of ['/admin/mail', `/admin/mail/${id}`, `/admin/mail/${id}/html`]) {
        const res = await agent.get(url);
        expect(res.statusCode, `${role} ${url}`).toBe(403);
        expect(res.body).not.toContain('private@example.org');
      }
    }
    const anonymous = await new Agent(t.app).get(`/admin/mail/${id}/html`);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`/admin/mail/${id}/html`)}`);
  });
});
