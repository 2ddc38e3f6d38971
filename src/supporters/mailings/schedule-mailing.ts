import { sql } from 'kysely';
import type { AppContext, Q } from '../tables.ts';
import { conflict, recordAudit, type Viewer } from '../../platform/index.ts';
import { MAILING_LOCK } from './send-mailing.ts';
import { queueMailingSender } from './send-job.ts';
import { getMailing, keepSegmentSnapshot, type Mailing } from './store.ts';

export type SendWhen = { now: true } | { now: false; at: Date };

export interface SendOrScheduleProps {
  mailing: Mailing;
  actor: Viewer;
  when: SendWhen;
  /** The recipient count the organiser confirmed, for the audit record. */
  confirmedCount: number;
}

/** Sends a draft now (queues its sender) or schedules it; audited with who and how many. */
export async function sendOrSchedule(q: Q, props: SendOrScheduleProps): Promise<void> {
  const { mailing, when } = props;
  const now = new Date();
  const row = await q
    .updateTable('mailings')
    .set({
      status: when.now ? 'preparing' : 'scheduled',
      scheduled_for: when.now ? null : when.at,
      send_requested_at: when.now ? now : null,
      prepared_through: 0,
      updated_at: now,
    })
    .where('id', '=', mailing.id)
    .where('status', '=', 'draft')
    .returning('id')
    .executeTakeFirst();
  if (!row) throw conflict('This mailing has already been scheduled or sent.');
  await keepSegmentSnapshot(q, mailing);
  if (when.now) await queueMailingSender(q, mailing.id);
  await recordAudit(q, {
    actor: props.actor,
    action: when.now ? 'mailing.send' : 'mailing.schedule',
    subjectType: 'mailing',
    subjectId: mailing.id,
    after: {
      subject: mailing.subject,
      purpose: mailing.purposeName,
      segment: mailing.segment?.name ?? 'everyone with consent',
      recipients: props.confirmedCount,
      scheduledFor: when.now ? null : when.at.toISOString(),
    },
  });
}

/** Takes a scheduled mailing back to draft. */
export async function cancelSchedule(q: Q, props: { mailing: Mailing; actor: Viewer }): Promise<void> {
  const row = await q
    .updateTable('mailings')
    .set({ status: 'draft', scheduled_for: null, updated_at: new Date() })
    .where('id', '=', props.mailing.id)
    .where('status', '=', 'scheduled')
    .returning('id')
    .executeTakeFirst();
  if (!row) throw conflict('Only a scheduled mailing can be taken back to draft.');
  await recordAudit(q, { actor: props.actor, action: 'mailing.unschedule', subjectType: 'mailing', subjectId: props.mailing.id });
}

/**
 * Stops a mailing while it is being prepared or sent: nobody not yet sent to gets it. The sender
 * checks before each batch, so at most the messages already with the mail server still go.
 */
export async function stopSending(q: Q, props: { mailing: Mailing; actor: Viewer }): Promise<void> {
  const now = new Date();
  const row = await q
    .updateTable('mailings')
    .set({ status: 'cancelled', finished_at: now, wake_at: null, updated_at: now })
    .where('id', '=', props.mailing.id)
    .where('status', 'in', ['preparing', 'sending'])
    .returning('id')
    .executeTakeFirst();
  if (!row) throw conflict('Only a mailing that is being sent can be stopped.');
  await recordAudit(q, { actor: props.actor, action: 'mailing.stop', subjectType: 'mailing', subjectId: props.mailing.id });
}

/** Starts every scheduled mailing that is due at `now`; returns their ids. */
export async function startDueMailings(ctx: AppContext, now: Date = new Date()): Promise<number[]> {
  return ctx.db.transaction().execute(async (tx) => {
    const started = await tx
      .updateTable('mailings')
      .set({ status: 'preparing', send_requested_at: now, updated_at: now })
      .where('status', '=', 'scheduled')
      .where('scheduled_for', '<=', now)
      .returning('id')
      .execute();
    for (const { id } of started) {
      const mailing = await getMailing(tx, id);
      if (mailing) await keepSegmentSnapshot(tx, mailing);
      await queueMailingSender(tx, id);
    }
    return started.map((r) => r.id);
  });
}

/**
 * The watchdog: a mailing being prepared or sent whose lock nobody holds has lost its sender (a
 * killed worker, a shutdown): queue it again. The lock test is a transaction-level try-lock, so
 * it never waits and is gone when this transaction ends.
 */
export async function resumeOrphanedMailings(ctx: AppContext): Promise<number[]> {
  return ctx.db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ id: number }>`
      select id from mailings
      where status in ('preparing', 'sending') and (wake_at is null or wake_at <= now())
        and pg_try_advisory_xact_lock(${MAILING_LOCK}, id)`.execute(tx);
    for (const { id } of rows) {
      await tx.updateTable('mailings').set({ wake_at: null }).where('id', '=', id).execute();
      await queueMailingSender(tx, id);
    }
    return rows.map((r) => r.id);
  });
}
