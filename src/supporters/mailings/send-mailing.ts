import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext, Q } from '../tables.ts';
import { recordAudit } from '../../platform/index.ts';
import { addRecipientBatch, audienceOf, audienceScope } from './audience.ts';
import { ConstituencyCache } from './constituency-facts.ts';
import { smtpPoolSize } from './bulk-transport.ts';
import { buildMessage, deliver, fromLine, openTransport, personalDetails } from './deliver.ts';
import { claimBatch, markReady, recordOutcomes, releaseClaims, remaining, takeOverFromStoppedSender, type ReadyRecipient } from './recipient-rows.ts';
import { mailingReport } from './report.ts';
import { sessionDb } from './session.ts';
import { getMailing, type Mailing } from './store.ts';
import { compileMailing } from './template.tsx';
import { clickSuffix, ensureMailingLinks, trackedUrl } from './tracked-links.ts';

/** Advisory lock class for "sending mailing <id>": ASCII "MAIL". */
export const MAILING_LOCK = 0x4d41494c;
const PREPARE_BATCH = 10_000;

/**
 * Spaces waves out to the mailing's rate. Behind schedule (a slow mail server, a stall), it carries
 * on from now with at most a little debt (one wave, or 20 ms of sending), never bursting to catch
 * up: in any one second no more than the rate and a couple of waves go out.
 */
class Throttle {
  private next = Date.now();
  constructor(private readonly perSecond: number) {}

  async wait(count: number): Promise<void> {
    const interval = (count * 1000) / this.perSecond;
    const now = Date.now();
    this.next = Math.max(this.next, now - Math.max(interval, 20));
    if (this.next > now) await new Promise((resolve) => setTimeout(resolve, this.next - now));
    this.next += interval;
  }
}

/**
 * Sends a mailing: takes its lock (one sender per mailing, released the moment the process or
 * its connection dies), copies the audience into recipients if not done yet, then sends in
 * waves. Returns quietly when another sender holds the lock.
 *
 * Never twice: each person has one recipient row, marked 'sending' (committed) before its SMTP
 * call and 'sent' after. A killed worker can leave in doubt only the messages that were with
 * the mail server at that moment (at most one per SMTP connection): the next sender reports
 * them 'unknown' and does not resend them (at most once). Everything else is sent exactly once.
 */
export async function sendMailing(ctx: AppContext, mailingId: number, signal?: AbortSignal): Promise<void> {
  const client = await ctx.pool.connect();
  let failure: Error | undefined;
  try {
    const { rows } = await client.query<{ got: boolean }>('select pg_try_advisory_lock($1, $2) as got', [MAILING_LOCK, mailingId]);
    if (!rows[0]?.got) return;
    try {
      // If this process dies mid-statement, the server notices within a second and abandons the
      // statement, rather than finishing it (marking people 'sending' whom nobody will send to).
      await client.query(`set client_connection_check_interval = '1s'`);
      await new MailingRun(ctx, sessionDb(client), mailingId, signal).run();
    } finally {
      await client.query('reset client_connection_check_interval');
      await client.query('select pg_advisory_unlock($1, $2)', [MAILING_LOCK, mailingId]);
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A client whose session broke is thrown away rather than returned to the pool.
    client.release(failure);
  }
}

class MailingRun {
  private readonly claimToken = randomUUID();

  constructor(
    private readonly ctx: AppContext,
    private readonly q: Q,
    private readonly mailingId: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  private get stopping(): boolean {
    return this.signal?.aborted === true;
  }

  async run(): Promise<void> {
    let mailing = await getMailing(this.q, this.mailingId);
    if (mailing?.status === 'preparing') {
      if (!(await this.prepare(mailing))) return;
      mailing = await getMailing(this.q, this.mailingId);
    }
    if (mailing?.status !== 'sending') return;
    const unknown = await takeOverFromStoppedSender(this.q, mailing.id);
    if (unknown > 0) this.ctx.log.warn({ mailing: mailing.id, unknown }, 'took over a mailing from a stopped sender');
    await this.send(mailing);
    if (!this.stopping) await this.finishOrWait(mailing);
  }

  /** Copies the audience into recipient rows in batches, carrying on from the saved cursor. */
  private async prepare(mailing: Mailing): Promise<boolean> {
    const audience = audienceOf(mailing);
    let after = mailing.preparedThrough;
    for (;;) {
      if (this.stopping) return false;
      const added = await addRecipientBatch(this.q, mailing.id, audience, after, PREPARE_BATCH);
      if (added < PREPARE_BATCH) break;
      const row = await this.q.selectFrom('mailings').select('prepared_through').where('id', '=', mailing.id).executeTakeFirstOrThrow();
      after = row.prepared_through;
    }
    await sql`update mailings set status = 'sending', sending_started_at = now(), updated_at = now(),
      recipient_count = (select count(*) from mailing_recipients where mailing_id = ${mailing.id})
      where id = ${mailing.id} and status = 'preparing'`.execute(this.q);
    return true;
  }

  /**
   * Sends in waves: marks a wave 'sending' (committed), sends it, and records the outcomes as soon
   * as the server has answered. A wave is at most one message per SMTP connection, so no more than
   * `pool size` messages are ever in doubt, and only while they are with the mail server.
   */
  private async send(mailing: Mailing): Promise<void> {
    const { ctx, q } = this;
    const brand = await ctx.brand.get();
    const compiled = compileMailing(brand, ctx.config.BASE_URL, { subject: mailing.subject, body: mailing.body, senderName: mailing.groupName ?? brand.name });
    const linkTokens = await ensureMailingLinks(q, mailing.id, compiled.links);
    const from = fromLine(ctx.config.MAIL_FROM, mailing.groupName ?? brand.name);
    const constituencies = new ConstituencyCache(q);
    const transport = openTransport(ctx);
    // The mailing's own speed, but never faster than this worker's MAILING_RATE: a mailing saved
    // at a faster speed (before the limit was lowered, or by a serve with another setting) is held to it.
    const rate = Math.max(1, Math.min(mailing.ratePerSecond, ctx.config.MAILING_RATE));
    // At slow rates, smaller waves spread the messages evenly over each second.
    const waveSize = Math.max(1, Math.min(transport?.poolSize ?? smtpPoolSize(undefined), Math.floor(rate / 10)));
    const batchSize = Math.max(waveSize, Math.min(1000, rate * 5));
    const throttle = new Throttle(rate);

    const messagesFor = async (ready: ReadyRecipient[]) => {
      await constituencies.load(ready.map((r) => r.constituency_code));
      return ready.map((r) => {
        const suffix = clickSuffix(ctx.secret, mailing.id, r.public_id);
        return buildMessage(ctx, compiled, from, {
          to: r.email,
          details: personalDetails(r.given_name, constituencies.get(r.constituency_code)),
          grant: { personPublicId: r.public_id, purposeId: mailing.purposeId, mailingId: mailing.id },
          linkUrl: (i) => trackedUrl(ctx.config.BASE_URL, linkTokens[i]!, suffix),
        });
      });
    };

    try {
      while (!this.stopping && (await this.stillSending())) {
        const claimed = await claimBatch(q, mailing.id, this.claimToken, batchSize);
        if (claimed.length === 0) break;
        for (let i = 0; i < claimed.length && !this.stopping; i += waveSize) {
          const next = claimed.slice(i, i + waveSize);
          await throttle.wait(next.length);
          const ready = await markReady(q, { mailingId: mailing.id, purposeId: mailing.purposeId, scope: audienceScope(audienceOf(mailing)), claimToken: this.claimToken, next });
          if (ready.length === 0) continue;
          const results = await deliver(q, transport, 'supporters.mailing', await messagesFor(ready));
          // Recorded the moment the server has answered: a crash after this cannot put them in doubt.
          await recordOutcomes(q, mailing.id, ready.map((r, index) => ({ personId: r.person_id, outcome: results[index]! })));
        }
      }
    } finally {
      transport?.close();
      // Hand back what was claimed but not sent so the next sender need not wait for the lease.
      // If even that fails (the database went away), the next sender takes them back anyway.
      try {
        await releaseClaims(q, mailing.id, this.claimToken);
      } catch (error) {
        ctx.log.error({ err: error, mailing: mailing.id }, 'could not hand back the unsent part of a mailing');
      }
    }
  }

  private async stillSending(): Promise<boolean> {
    const row = await this.q.selectFrom('mailings').select('status').where('id', '=', this.mailingId).executeTakeFirst();
    return row?.status === 'sending';
  }

  /** Done: record it and audit who got it. Otherwise (retries due later) say when to wake. */
  private async finishOrWait(mailing: Mailing): Promise<void> {
    const left = await remaining(this.q, mailing.id);
    if (left.waiting > 0) {
      const wakeAt = left.nextRetryAt ?? new Date(Date.now() + 60_000);
      await this.q.updateTable('mailings').set({ wake_at: wakeAt }).where('id', '=', mailing.id).where('status', '=', 'sending').execute();
      return;
    }
    const finished = await this.q
      .updateTable('mailings')
      .set({ status: 'sent', finished_at: new Date(), wake_at: null, updated_at: new Date() })
      .where('id', '=', mailing.id)
      .where('status', '=', 'sending')
      .returning('id')
      .executeTakeFirst();
    if (!finished) return;
    const report = await mailingReport(this.q, mailing.id);
    await recordAudit(this.q, {
      actor: 'system',
      action: 'mailing.finish',
      subjectType: 'mailing',
      subjectId: mailing.id,
      after: { purposeId: mailing.purposeId, subject: mailing.subject, ...report.counts },
    });
  }
}
