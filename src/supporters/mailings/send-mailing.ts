import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Q } from '../../schema.ts';
import { addRecipientBatch, type Audience } from './audience.ts';
import { ConstituencyCache } from './constituency-facts.ts';
import { buildMessage, deliver, fromLine, personalDetails } from './deliver.ts';
import {
  claimBatch,
  recordAndMarkNext,
  releaseClaims,
  remaining,
  takeOverFromStoppedSender,
  type RecordedOutcome,
} from './recipient-rows.ts';
import { mailingReport } from './report.ts';
import { sessionDb } from './session.ts';
import { getMailing, type Mailing } from './store.ts';
import { withMailings } from './tables.ts';
import { compileMailing } from './template.tsx';
import { clickSuffix, ensureMailingLinks, trackedUrl } from './tracked-links.ts';

/** Advisory lock class for "sending mailing <id>": ASCII "MAIL". */
export const MAILING_LOCK = 0x4d41494c;
const PREPARE_BATCH = 10_000;

/** Connections in the SMTP pool (SMTP_URL ?pool=N, as the transport reads it). */
export function smtpPoolSize(smtpUrl: string | undefined): number {
  const n = smtpUrl ? Number(new URL(smtpUrl).searchParams.get('pool') ?? 5) : 5;
  return Number.isSafeInteger(n) && n > 0 ? n : 5;
}

/** Spaces waves out to the mailing's rate; after a stall it carries on at the rate rather than bursting to catch up. */
class Throttle {
  private start = Date.now();
  private sent = 0;
  constructor(private readonly perSecond: number) {}

  async wait(count: number): Promise<void> {
    const due = this.start + (this.sent * 1000) / this.perSecond;
    const now = Date.now();
    if (now - due > 1000) {
      this.start = now;
      this.sent = 0;
    } else if (due > now) {
      await new Promise((resolve) => setTimeout(resolve, due - now));
    }
    this.sent += count;
  }
}

/**
 * Sends a mailing: takes its lock (one sender per mailing, released the moment the process or
 * its connection dies), copies the audience into recipients if not done yet, then sends in
 * waves. Returns quietly when another sender holds the lock.
 *
 * Exactly-once: each person has one recipient row; a row is marked 'sending' in the database
 * before its SMTP call and 'sent' after. A wave is at most one message per SMTP connection and
 * the next wave is only marked after the last one is recorded, so when a worker is killed at
 * most `pool size` messages are in doubt; they are reported 'unknown' and not resent.
 */
export async function sendMailing(ctx: AppContext, mailingId: number, signal?: AbortSignal): Promise<void> {
  const client = await ctx.pool.connect();
  let failure: Error | undefined;
  try {
    const { rows } = await client.query<{ got: boolean }>('select pg_try_advisory_lock($1, $2) as got', [MAILING_LOCK, mailingId]);
    if (!rows[0]?.got) return;
    try {
      await new MailingRun(ctx, sessionDb(client), mailingId, signal).run();
    } finally {
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
    const audience: Audience = {
      purposeId: mailing.purposeId,
      segmentDefinition: mailing.segmentDefinition,
      scope: { groupIds: mailing.groupId === null ? 'all' : [mailing.groupId] },
    };
    let after = mailing.preparedThrough;
    for (;;) {
      if (this.stopping) return false;
      const added = await addRecipientBatch(this.q, mailing.id, audience, after, PREPARE_BATCH);
      if (added < PREPARE_BATCH) break;
      const row = await withMailings(this.q).selectFrom('mailings').select('prepared_through').where('id', '=', mailing.id).executeTakeFirstOrThrow();
      after = row.prepared_through;
    }
    await sql`update mailings set status = 'sending', sending_started_at = now(), updated_at = now(),
      recipient_count = (select count(*) from mailing_recipients where mailing_id = ${mailing.id})
      where id = ${mailing.id} and status = 'preparing'`.execute(this.q);
    return true;
  }

  private async send(mailing: Mailing): Promise<void> {
    const { ctx, q } = this;
    const brand = await ctx.brand.get();
    const compiled = compileMailing(brand, ctx.config.BASE_URL, { subject: mailing.subject, body: mailing.body, purposeName: mailing.purposeName });
    const linkTokens = await ensureMailingLinks(q, mailing.id, compiled.links);
    const from = fromLine(ctx.config.MAIL_FROM, mailing.groupName ?? brand.name);
    const constituencies = new ConstituencyCache(q);
    const poolSize = smtpPoolSize(ctx.config.SMTP_URL);
    const waveSize = Math.max(1, Math.min(poolSize, Math.floor(mailing.ratePerSecond / 10)));
    const batchSize = Math.max(waveSize, Math.min(1000, mailing.ratePerSecond * 5));
    const throttle = new Throttle(mailing.ratePerSecond);
    let outcomes: RecordedOutcome[] = [];

    const wave = async (next: number[]) => {
      const ready = await recordAndMarkNext(q, { mailingId: mailing.id, purposeId: mailing.purposeId, claimToken: this.claimToken, outcomes, next });
      outcomes = [];
      if (ready.length === 0) return;
      await constituencies.load(ready.map((r) => r.constituency_code));
      const messages = ready.map((r) => {
        const suffix = clickSuffix(ctx.secret, mailing.id, r.public_id);
        return buildMessage(ctx, compiled, from, {
          to: r.email,
          details: personalDetails(r.given_name, constituencies.get(r.constituency_code)),
          grant: { personPublicId: r.public_id, purposeId: mailing.purposeId, mailingId: mailing.id },
          linkUrl: (i) => trackedUrl(ctx.config.BASE_URL, linkTokens[i]!, suffix),
        });
      });
      const results = await deliver(ctx, q, 'supporters.mailing', messages);
      outcomes = ready.map((r, i) => ({ personId: r.person_id, outcome: results[i]! }));
    };

    try {
      while (!this.stopping && (await this.stillSending())) {
        const claimed = await claimBatch(q, mailing.id, this.claimToken, batchSize);
        if (claimed.length === 0) break;
        for (let i = 0; i < claimed.length && !this.stopping; i += waveSize) {
          const next = claimed.slice(i, i + waveSize);
          await throttle.wait(next.length);
          await wave(next);
        }
      }
    } finally {
      // Record the last wave's outcomes whatever happens; hand back what was claimed but not sent.
      // If even that fails (the database went away), those rows stay 'sending' and are reported
      // 'unknown' by the next sender: never sent twice.
      try {
        if (outcomes.length > 0) await wave([]);
        await releaseClaims(q, mailing.id, this.claimToken);
      } catch (error) {
        ctx.log.error({ err: error, mailing: mailing.id }, 'could not record the last wave of a mailing');
      }
    }
  }

  private async stillSending(): Promise<boolean> {
    const row = await withMailings(this.q).selectFrom('mailings').select('status').where('id', '=', this.mailingId).executeTakeFirst();
    return row?.status === 'sending';
  }

  /** Done: record it and audit who got it. Otherwise (retries due later) say when to wake. */
  private async finishOrWait(mailing: Mailing): Promise<void> {
    const left = await remaining(this.q, mailing.id);
    const db = withMailings(this.q);
    if (left.waiting > 0) {
      const wakeAt = left.nextRetryAt ?? new Date(Date.now() + 60_000);
      await db.updateTable('mailings').set({ wake_at: wakeAt }).where('id', '=', mailing.id).where('status', '=', 'sending').execute();
      return;
    }
    const finished = await db
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
