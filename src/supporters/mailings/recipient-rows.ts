import { sql } from 'kysely';
import type { Q } from '../tables.ts';
import { liveConsentCondition } from '../consent.ts';
import { peopleSeenBy } from '../people-pages.ts';
import type { PeopleScope } from '../segments/compile-segment.ts';
import type { Outcome } from './smtp-outcome.ts';

/**
 * The recipient rows' life, in as few round trips as sending at speed allows. Only the sender
 * holding the mailing's lock calls these (see send-mailing.ts); claim tokens make them safe even
 * if two senders ever ran at once.
 */

/** How long a claimed batch stays with its sender before another may take the unsent part. */
const LEASE = '10 minutes';
/** Temporary refusals are tried this many times (1, 3, 9, 27 minutes apart), then count as failed. */
export const MAX_ATTEMPTS = 5;

export const UNKNOWN_REASON =
  'The worker stopped while this message was with the mail server, so we cannot tell whether it was delivered. It was not sent again, so that nobody gets the mailing twice.';

/** Claims the next batch of queued recipients (in person order) for this sender; returns their ids. */
export async function claimBatch(q: Q, mailingId: number, claimToken: string, limit: number): Promise<number[]> {
  const { rows } = await sql<{ person_id: number }>`
    with picked as (
      select person_id from mailing_recipients
      where mailing_id = ${mailingId} and status = 'queued'
        and (retry_at is null or retry_at <= now()) and (claimed_until is null or claimed_until < now())
      order by person_id
      limit ${limit}
      for update skip locked
    )
    update mailing_recipients r set claim_token = ${claimToken}, claimed_until = now() + ${LEASE}::interval
    from picked where r.mailing_id = ${mailingId} and r.person_id = picked.person_id
    returning r.person_id`.execute(q);
  return rows.map((r) => r.person_id).sort((a, b) => a - b);
}

/** A recipient cleared to send: the details their message needs. */
export interface ReadyRecipient {
  person_id: number;
  public_id: string;
  email: string;
  given_name: string | null;
  constituency_code: string | null;
}

export interface RecordedOutcome {
  personId: number;
  outcome: Outcome;
}

/**
 * Records how a wave went, straight after the mail server answered: each recipient's outcome (a
 * temporary refusal goes back to the queue with a later retry time, or counts as failed after
 * MAX_ATTEMPTS), and hard-bounced addresses marked undeliverable with the reason.
 */
export async function recordOutcomes(q: Q, mailingId: number, outcomes: RecordedOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const ids = outcomes.map((o) => o.personId);
  const statuses = outcomes.map((o) => o.outcome.status);
  const reasons = outcomes.map((o) => (o.outcome.status === 'sent' ? null : o.outcome.reason));
  const bounced = outcomes.map((o) => o.outcome.status === 'failed' && o.outcome.bounce);
  await sql`
    with results as (
      select * from unnest(${ids}::bigint[], ${statuses}::text[], ${reasons}::text[], ${bounced}::boolean[])
        as t(person_id, status, reason, bounced)
    ), recorded as (
      update mailing_recipients r set
        status = case
          when t.status <> 'retry' then t.status
          when r.attempts + 1 >= ${MAX_ATTEMPTS} then 'failed'
          else 'queued' end,
        reason = t.reason,
        attempts = r.attempts + 1,
        sent_at = case when t.status = 'sent' then now() end,
        retry_at = case when t.status = 'retry' then now() + make_interval(mins => power(3, r.attempts)::int) end,
        claim_token = case when t.status = 'retry' then null else r.claim_token end,
        claimed_until = case when t.status = 'retry' then null else r.claimed_until end
      from results t
      -- 'unknown': a sender that took over thought this one lost; the real outcome is better.
      where r.mailing_id = ${mailingId} and r.person_id = t.person_id and r.status in ('sending', 'unknown')
    ), bounced as (
      update people p set email_status = 'undeliverable', email_status_reason = t.reason, modified_at = now()
      from results t where t.bounced and p.id = t.person_id
    )
    select 1`.execute(q);
}

/**
 * Checks the next people again — live consent for the purpose, a deliverable address, not erased
 * or merged — marking those who pass 'sending' (committed before any SMTP call) and the rest
 * 'skipped' with the reason. Returns those to send now.
 */
export async function markReady(q: Q, props: { mailingId: number; purposeId: number; scope: PeopleScope; claimToken: string; next: number[] }): Promise<ReadyRecipient[]> {
  const { mailingId, purposeId, scope, claimToken, next } = props;
  // A group's message greets people by what they told the group, not what they told another.
  const { rows } = await sql<ReadyRecipient>`
    with candidates as (
      select r.person_id, p.public_id, p.email, p.given_name, p.constituency_code,
        case
          when p.erased_at is not null or p.merged_into_id is not null or p.email is null then 'The person was erased or merged before sending.'
          when p.email_status = 'undeliverable' then 'The address was marked undeliverable before sending.'
          when (${liveConsentCondition}) is not true then 'No live consent at the time of sending (unsubscribed or withdrawn).'
        end as skip_reason
      from mailing_recipients r
      join ${scope === 'all' ? sql`people` : peopleSeenBy(scope)} p on p.id = r.person_id
      left join consents on consents.person_id = r.person_id and consents.purpose_id = ${purposeId}
      where r.mailing_id = ${mailingId} and r.person_id = any(${next}::bigint[])
        and r.status = 'queued' and r.claim_token = ${claimToken}
      for update of r
    ), marked as (
      update mailing_recipients r
      set status = case when k.skip_reason is null then 'sending' else 'skipped' end, reason = k.skip_reason
      from candidates k where r.mailing_id = ${mailingId} and r.person_id = k.person_id
    )
    select person_id, public_id, email, given_name, constituency_code from candidates where skip_reason is null
    order by person_id`.execute(q);
  return rows;
}

/** Gives back claimed rows this sender will not get to (it is stopping), so the next one need not wait for the lease. */
export async function releaseClaims(q: Q, mailingId: number, claimToken: string): Promise<void> {
  await sql`update mailing_recipients set claim_token = null, claimed_until = null
    where mailing_id = ${mailingId} and status = 'queued' and claim_token = ${claimToken}`.execute(q);
}

/**
 * When a sender takes over a mailing, whoever had it before has stopped (the lock says so).
 * Their messages caught with the mail server become 'unknown' (at most once: never resent
 * blindly); their claims on unsent rows are dropped so those are sent now.
 */
export async function takeOverFromStoppedSender(q: Q, mailingId: number): Promise<number> {
  const unknown = await sql`update mailing_recipients set status = 'unknown', reason = ${UNKNOWN_REASON}
    where mailing_id = ${mailingId} and status = 'sending'`.execute(q);
  await sql`update mailing_recipients set claim_token = null, claimed_until = null
    where mailing_id = ${mailingId} and status = 'queued' and claim_token is not null`.execute(q);
  return Number(unknown.numAffectedRows ?? 0);
}

/** How many recipients still wait, and when the earliest retry is due. */
export async function remaining(q: Q, mailingId: number): Promise<{ waiting: number; nextRetryAt: Date | null }> {
  const { rows } = await sql<{ waiting: number; next_retry_at: Date | null }>`
    select count(*)::int as waiting, min(retry_at) as next_retry_at from mailing_recipients
    where mailing_id = ${mailingId} and status in ('queued', 'sending')`.execute(q);
  return { waiting: rows[0]?.waiting ?? 0, nextRetryAt: rows[0]?.next_retry_at ?? null };
}
