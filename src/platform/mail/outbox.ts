import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { sql } from 'kysely';
import type { AnyQueryable, Queryable } from '../db/database.ts';
import { addJob, defineJob, type CronEntry, type JobDefinition } from '../jobs/jobs.ts';
import type { MailAttachment, PlatformTables } from '../tables.ts';
import type { Brand } from '../web/context.ts';
import { renderEmail, type EmailContent } from './render.tsx';
import { isPermanentFailure } from './transport.ts';

/** The outbox's own table: only this module reads or writes it. */
const outbox = (q: AnyQueryable) => q as Queryable<Pick<PlatformTables, 'outbound_emails'>>;

export interface QueueEmailOptions {
  /** What the message is, for the mail viewer and reports (e.g. 'organiser.password-reset'). */
  kind: string;
  to: string;
  brand: Brand;
  baseUrl: string;
  content: EmailContent;
  headers?: Record<string, string>;
  /**
   * Strings in the content that must not outlive the sending (a sign-in, reset or invitation
   * link's token): they are stored apart from the bodies and only until the message is sent (or
   * given up), so the stored message, and anyone reading it later, no longer holds a live link.
   */
  secrets?: readonly string[];
  /** Days after which the message is deleted once it is no longer waiting to be sent. */
  keepDays?: number;
  /** Files sent with the message (an event's calendar entry). */
  attachments?: readonly MailAttachment[];
  /** A name for From, with MAIL_FROM's own address (a writer's letter to their MP goes from the hub in their name). */
  fromName?: string;
}

/** What stands in a stored body for the nth secret. */
const placeholder = (n: number) => `[[chorus-secret-${n}]]`;
const PLACEHOLDERS = /\[\[chorus-secret-(\d+)\]\]/g;
/** What a reader of the stored message sees once its secrets are gone. */
export const REDACTED = '[removed once sent]';

function cutSecrets(body: string, secrets: readonly string[]): string {
  return secrets.reduce((text, secret, n) => (secret.length >= 8 ? text.replaceAll(secret, placeholder(n)) : text), body);
}

/** The stored body with its secrets put back (while they are kept), or marked as removed. */
export function withSecrets(body: string, secrets: readonly string[] | null): string {
  return body.replace(PLACEHOLDERS, (_all, n: string) => secrets?.[Number(n)] ?? REDACTED);
}

/**
 * Stores a rendered message and queues its sending in the caller's transaction: if the caller's
 * write commits, the message will be sent (or kept for the mail viewer when SMTP is not set up).
 */
export async function queueEmail(q: AnyQueryable, options: QueueEmailOptions): Promise<number> {
  const rendered = renderEmail(options.brand, options.content, options.baseUrl);
  const secrets = options.secrets ?? [];
  const row = await outbox(q)
    .insertInto('outbound_emails')
    .values({
      kind: options.kind,
      to_address: options.to,
      subject: rendered.subject,
      text_body: cutSecrets(rendered.text, secrets),
      html_body: cutSecrets(rendered.html, secrets),
      headers: JSON.stringify(options.headers ?? {}),
      last_error: null,
      message_id: null,
      sent_at: null,
      secrets: secrets.length > 0 ? JSON.stringify(secrets) : null,
      delete_after: options.keepDays === undefined ? null : new Date(Date.now() + options.keepDays * 86_400_000),
      attachments: options.attachments?.length ? JSON.stringify(options.attachments) : null,
      from_name: options.fromName ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addJob(q, sendEmail, { id: row.id });
  return row.id;
}

/**
 * queueEmail for many messages at once, in the caller's transaction: the messages stored in one
 * multi-row insert and their sending queued in the same statement with one
 * `graphile_worker.add_jobs` call, however many there are (a batch of bookings' confirmations).
 * Returns how many were queued.
 */
export async function queueEmails(q: AnyQueryable, list: readonly QueueEmailOptions[]): Promise<number> {
  if (list.length === 0) return 0;
  const rows = list.map((options) => {
    const rendered = renderEmail(options.brand, options.content, options.baseUrl);
    const secrets = options.secrets ?? [];
    return {
      kind: options.kind,
      to: options.to,
      subject: rendered.subject,
      text: cutSecrets(rendered.text, secrets),
      html: cutSecrets(rendered.html, secrets),
      headers: JSON.stringify(options.headers ?? {}),
      secrets: secrets.length > 0 ? JSON.stringify(secrets) : null,
      deleteAfter: options.keepDays === undefined ? null : new Date(Date.now() + options.keepDays * 86_400_000),
      attachments: options.attachments?.length ? JSON.stringify(options.attachments) : null,
    };
  });
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => rows.map(pick);
  const result = await sql<{ n: number }>`
    with made as (
      insert into outbound_emails (kind, to_address, subject, text_body, html_body, headers, last_error, message_id, sent_at, secrets, delete_after, attachments)
      select kind, to_address, subject, text_body, html_body, headers, null, null, null, secrets, delete_after, attachments
      from unnest(${col((r) => r.kind)}::text[], ${col((r) => r.to)}::text[], ${col((r) => r.subject)}::text[], ${col((r) => r.text)}::text[],
        ${col((r) => r.html)}::text[], ${col((r) => r.headers)}::jsonb[], ${col((r) => r.secrets)}::jsonb[], ${col((r) => r.deleteAfter)}::timestamptz[],
        ${col((r) => r.attachments)}::jsonb[])
        as v(kind, to_address, subject, text_body, html_body, headers, secrets, delete_after, attachments)
      returning id)
    select count(*)::int as n from graphile_worker.add_jobs(array(
      select row(${sendEmail.id}::text, json_build_object('id', id), null, null, ${sendEmail.maxAttempts ?? 25}::int, null, null, null)::graphile_worker.job_spec from made))`.execute(q);
  return result.rows[0]?.n ?? 0;
}

/** A message already rendered for one recipient. */
export interface KeptMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

/**
 * With no SMTP server set up, mail is kept for the admin mail viewer instead of sent, so a local
 * user can still follow its links. Stores the messages as kept, in one insert.
 */
export async function keepForViewer(q: AnyQueryable, kind: string, messages: readonly KeptMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await outbox(q)
    .insertInto('outbound_emails')
    .values(
      messages.map((m) => ({
        kind,
        to_address: m.to,
        subject: m.subject,
        text_body: m.text,
        html_body: m.html,
        headers: JSON.stringify(m.headers ?? {}),
        status: 'kept' as const,
        last_error: null,
        message_id: null,
        sent_at: null,
      })),
    )
    .execute();
}

/** Deletes mail waiting to be sent to, or kept for, these addresses (compared case-insensitively). */
export async function deleteMailTo(q: AnyQueryable, addresses: readonly string[]): Promise<void> {
  if (addresses.length === 0) return;
  await sql`delete from outbound_emails where lower(to_address) in (
      select lower(a) from unnest(${addresses}::text[]) a)`.execute(q);
}

/** Deletes messages of these kinds no longer waiting to be sent and older than `days`; returns how many. */
export async function deleteFinishedMail(q: AnyQueryable, kinds: readonly string[], days: number, now: Date = new Date()): Promise<number> {
  const deleted = await sql`
    delete from outbound_emails where kind = any(${kinds}::text[]) and status <> 'queued'
      and created_at < ${now}::timestamptz - make_interval(days => ${days})`.execute(q);
  return Number(deleted.numAffectedRows ?? 0);
}

/** Deletes messages whose time is up (`keepDays`), once they are no longer waiting to be sent. */
export async function deleteExpiredMail(q: AnyQueryable, now: Date = new Date()): Promise<number> {
  const deleted = await sql`delete from outbound_emails where delete_after < ${now} and status <> 'queued'`.execute(q);
  return Number(deleted.numAffectedRows ?? 0);
}

/** What the platform keeps of outgoing mail and for how long, for the retention page. */
export const mailRetention = {
  label: 'Sign-in, password reset and invitation emails',
  retention:
    'The link in each is stored only until the message is sent; the message itself is deleted a few days after it was sent (2 days for a password reset, 8 for an invitation) by an hourly job.',
};

export const expireMail = defineJob('platform.email.expire', z.object({}).passthrough(), async (_payload, ctx: AppContext) => {
  await deleteExpiredMail(ctx.db);
});

const MAX_ATTEMPTS = 8;

/** MAIL_FROM's address with another display name: `"Jo Bloggs" <hub@example.org>` (quotes and line breaks taken out). */
export function fromWithName(mailFrom: string, name: string): string {
  const address = /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return `"${name.replace(/["\\\r\n<>]/g, '').trim()}" <${address}>`;
}

/**
 * Sends one stored message. Temporary SMTP failures are retried by the queue with exponential
 * backoff (about 3 s, 7 s, 20 s, ... up to 8 attempts); a permanent (5xx) refusal stops at once.
 */
export const sendEmail: JobDefinition<{ id: number }> = defineJob(
  'platform.email.send',
  z.object({ id: z.number().int() }),
  async ({ id }, ctx: AppContext, helpers) => {
    const message = await ctx.db.selectFrom('outbound_emails').selectAll().where('id', '=', id).executeTakeFirst();
    if (!message || message.status !== 'queued') return;
    if (!ctx.mailer.configured) {
      await ctx.db.updateTable('outbound_emails').set({ status: 'kept' }).where('id', '=', id).execute();
      return;
    }
    try {
      const result = await ctx.mailer.send({
        from: message.from_name ? fromWithName(ctx.config.MAIL_FROM, message.from_name) : ctx.config.MAIL_FROM,
        to: message.to_address,
        subject: message.subject,
        text: withSecrets(message.text_body, message.secrets),
        html: withSecrets(message.html_body, message.secrets),
        headers: message.headers,
        attachments: message.attachments ?? undefined,
      });
      await ctx.db
        .updateTable('outbound_emails')
        .set({ status: 'sent', sent_at: new Date(), message_id: result.messageId, attempts: message.attempts + 1, last_error: null, secrets: null })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 500) : String(error);
      const final = isPermanentFailure(error) || helpers.job.attempts >= MAX_ATTEMPTS;
      await ctx.db
        .updateTable('outbound_emails')
        .set({ status: final ? 'failed' : 'queued', attempts: message.attempts + 1, last_error: reason, ...(final ? { secrets: null } : {}) })
        .where('id', '=', id)
        .execute();
      if (!final) throw error;
    }
  },
  { maxAttempts: MAX_ATTEMPTS },
);

export const mailJobs = [sendEmail, expireMail];
export const mailCron: CronEntry[] = [{ job: expireMail, match: '17 * * * *' }];
