import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext, Q } from './tables.ts';
import { addJob, defineJob, escapeHtml, isPermanentFailure, keepForViewer, renderEmail, type Brand, type RenderedEmail } from '../platform/index.ts';
import { MAX_EMAILS_PER_SIGNATURE } from './signature-writer.ts';

/** The token in a confirmation link: an HMAC of the signature's random id, so nothing secret is stored. */
export function confirmationToken(secret: string, publicId: string): string {
  return createHmac('sha256', secret).update(`signature:${publicId}`).digest('base64url').slice(0, 32);
}

export function tokenMatches(secret: string, publicId: string, token: string): boolean {
  const expected = Buffer.from(confirmationToken(secret, publicId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function confirmationUrl(baseUrl: string, secret: string, publicId: string): string {
  return `${baseUrl}/signatures/${publicId}/confirm?token=${confirmationToken(secret, publicId)}`;
}

/**
 * A claim's holder: the database session that claimed it (its backend pid) holds this advisory
 * lock while it sends, so a claim whose holder is gone (its process died and the session ended)
 * is released at once by the next sender instead of waiting out the lease.
 */
const CLAIM_LOCK = 7415;
/** How long a claimed message may take to send before another worker may try it again (a holder that hangs but lives). */
const LEASE_SECONDS = 300;
const CHUNK = 250;
const DRAINERS = 3;

export const sendConfirmationEmails = defineJob(
  'petitions.confirmation-emails.send',
  z.object({}).passthrough(),
  async (_payload, ctx) => {
    // Drain everything due; each chunk is claimed by this session, so a crash means a resend,
    // never a loss. Several drainers overlap one chunk's database round trips with another's sending.
    const brand = await ctx.brand.get();
    await asClaimHolder(ctx, async (db) => {
      await Promise.all(
        Array.from({ length: DRAINERS }, async () => {
          for (;;) {
            const sent = await sendDueConfirmations(ctx, CHUNK, { db, brand });
            if (sent < CHUNK) break;
          }
        }),
      );
    });
  },
);

/** Queued inside each signing transaction; the key collapses a burst into one pending run. */
export async function queueConfirmationSender(q: Q): Promise<void> {
  await addJob(q, sendConfirmationEmails, {}, { jobKey: 'petitions.confirmation-emails', jobKeyMode: 'preserve_run_at', maxAttempts: 100 });
}

interface Due {
  petition_id: number;
  id: number;
  public_id: string;
  name: string;
  email: string;
  action: string;
}

const templates = new Map<string, RenderedEmail>();

/** Renders the message once per petition and brand, then fills in each signer's name and link. */
function template(brand: Brand, baseUrl: string, petitionId: number, action: string, keepDays: number): RenderedEmail {
  const key = `${brand.version}|${petitionId}|${action}|${keepDays}`;
  let t = templates.get(key);
  if (!t) {
    t = renderEmail(
      brand,
      {
        subject: `Please confirm your signature: ${action}`,
        heading: 'Please confirm your signature',
        blocks: [
          { type: 'paragraph', text: 'Dear %%NAME%%,' },
          { type: 'paragraph', text: `Thank you for signing the petition “${action}”.` },
          { type: 'paragraph', text: 'Your signature only counts once you confirm it:' },
          { type: 'button', href: '%%LINK%%', label: 'Confirm my signature' },
          { type: 'small', text: `If you did not sign this petition, you can ignore this email and your details will be deleted within ${keepDays} days.` },
        ],
      },
      baseUrl,
    );
    if (templates.size > 500) templates.clear();
    templates.set(key, t);
  }
  return t;
}


/** `keepDays`: how long an unconfirmed signature is kept (UNCONFIRMED_SIGNATURE_DAYS), as the email promises. */
export function confirmationMessage(brand: Brand, baseUrl: string, secret: string, due: Due, keepDays = 14): RenderedEmail {
  const t = template(brand, baseUrl, due.petition_id, due.action, keepDays);
  const link = confirmationUrl(baseUrl, secret, due.public_id);
  return {
    subject: t.subject,
    text: t.text.replace('%%NAME%%', due.name).replace('%%LINK%%', link),
    html: t.html.replace('%%NAME%%', escapeHtml(due.name)).replaceAll('%%LINK%%', escapeHtml(link)),
  };
}

/**
 * Runs `send` on one database session that holds the claim lock for its whole run (released
 * after, and by PostgreSQL if the process dies): the claims made on it are this session's.
 */
export async function asClaimHolder<T>(ctx: AppContext, send: (db: AppContext['db']) => Promise<T>): Promise<T> {
  return ctx.db.connection().execute(async (db) => {
    await sql`select pg_advisory_lock(${CLAIM_LOCK}, pg_backend_pid())`.execute(db);
    try {
      return await send(db);
    } finally {
      await sql`select pg_advisory_unlock(${CLAIM_LOCK}, pg_backend_pid())`.execute(db);
    }
  });
}

/**
 * Makes due again the confirmations claimed by a session that no longer holds the claim lock
 * (its process died, or its connection dropped): no waiting out the lease.
 */
export async function releaseAbandonedClaims(db: Q): Promise<number> {
  const released = await sql`
    update signatures set confirmation_due_at = now(), confirmation_claimed_by = null
    where confirmation_due_at > now() and confirmation_claimed_by is not null and state = 'pending'
      and not exists (
        select 1 from pg_locks l
        where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())
          and l.classid = ${CLAIM_LOCK} and l.objid = signatures.confirmation_claimed_by::oid and l.objsubid = 2)`.execute(db);
  return Number(released.numAffectedRows ?? 0);
}

/**
 * Claims up to `limit` due confirmations, sends them (or keeps them, with no SMTP), and marks them
 * sent. Run inside `asClaimHolder` (its session is `on.db`), so claims left by a crash are freed at once.
 */
export async function sendDueConfirmations(ctx: AppContext, limit: number, on: { db: AppContext['db']; brand: Brand }): Promise<number> {
  const { db, brand } = on;
  await releaseAbandonedClaims(db);
  const claimed = await sql<Due>`
    with due as (
      select petition_id, id from signatures
      where confirmation_due_at <= now() and state = 'pending' and emails_sent < ${MAX_EMAILS_PER_SIGNATURE}
      order by confirmation_due_at
      limit ${limit}
      for update skip locked
    )
    update signatures s set confirmation_due_at = now() + make_interval(secs => ${LEASE_SECONDS}), confirmation_claimed_by = pg_backend_pid()
    from due, petitions p
    where s.petition_id = due.petition_id and s.id = due.id and p.id = s.petition_id
    returning s.petition_id, s.id, s.public_id, s.name, s.email, p.action`.execute(db);
  const rows = claimed.rows;
  if (rows.length === 0) return 0;
  const baseUrl = ctx.config.BASE_URL;

  const sent: number[] = [];
  const retry: number[] = [];
  const failed: number[] = [];
  if (!ctx.mailer.configured) {
    // No SMTP server: keep the messages for the admin mail viewer, so a local user can confirm.
    await keepForViewer(
      db,
      'petitions.signature.confirmation',
      rows.map((r) => ({ to: r.email, ...confirmationMessage(brand, baseUrl, ctx.secret, r, ctx.config.UNCONFIRMED_SIGNATURE_DAYS) })),
    );
    sent.push(...rows.map((r) => r.id));
  } else {
    await Promise.all(
      rows.map(async (r) => {
        const m = confirmationMessage(brand, baseUrl, ctx.secret, r, ctx.config.UNCONFIRMED_SIGNATURE_DAYS);
        try {
          await ctx.mailer.send({ from: ctx.config.MAIL_FROM, to: r.email, subject: m.subject, text: m.text, html: m.html });
          sent.push(r.id);
        } catch (error) {
          if (isPermanentFailure(error)) failed.push(r.id);
          else retry.push(r.id);
        }
      }),
    );
  }
  if (sent.length > 0) {
    await sql`update signatures set confirmation_due_at = null, confirmation_claimed_by = null, emails_sent = emails_sent + 1
      where id = any(${sent}::bigint[]) and petition_id = any(${[...new Set(rows.map((r) => r.petition_id))]}::int[])`.execute(db);
  }
  if (failed.length > 0) {
    // The address refused the message for good: nothing more to send to it.
    await sql`update signatures set confirmation_due_at = null, confirmation_claimed_by = null, emails_sent = ${MAX_EMAILS_PER_SIGNATURE}
      where id = any(${failed}::bigint[])`.execute(db);
  }
  if (retry.length > 0) {
    await sql`update signatures set confirmation_due_at = now() + interval '1 minute', confirmation_claimed_by = null where id = any(${retry}::bigint[])`.execute(db);
    await addJob(db, sendConfirmationEmails, {}, { jobKey: 'petitions.confirmation-emails.retry', runAt: new Date(Date.now() + 61_000) });
  }
  return rows.length;
}
