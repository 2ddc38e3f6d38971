import { sql } from 'kysely';
import { z } from 'zod';
import { eraseSignaturesAfterClosing, hasSignaturesCondition } from '../petitions/index.ts';
import { deleteFinishedMail, readSetting, writeSetting } from '../platform/index.ts';
import type { Db, Q } from './tables.ts';
import { erasePerson } from './personal-data.ts';
import { SIGN_UP_EMAIL_KINDS } from './sign-up.ts';

/** How long each kind of record is kept, set by admins on /admin/retention. */
const days = (label: string, max: number) =>
  z.coerce
    .number({ message: `Enter ${label} as a whole number` })
    .int({ message: `Enter ${label} as a whole number` })
    .min(1, { message: `${label[0]!.toUpperCase()}${label.slice(1)} must be at least 1` })
    .max(max, { message: `${label[0]!.toUpperCase()}${label.slice(1)} must be ${max} or fewer` });

export const retentionSchema = z.object({
  unconfirmedSignUpDays: days('the days to keep unconfirmed sign-ups', 365),
  inactivePersonMonths: days('the months of inactivity', 240),
  signatureMonthsAfterClose: days('the months after a petition closes', 240),
  confirmationEmailDays: days('the days to keep confirmation emails', 365),
});

export type RetentionRules = z.output<typeof retentionSchema>;

export const defaultRetention: RetentionRules = {
  unconfirmedSignUpDays: 14,
  inactivePersonMonths: 24,
  signatureMonthsAfterClose: 12,
  confirmationEmailDays: 30,
};

/** Kinds of confirmation email deleted by the confirmation-email rule. */
export const CONFIRMATION_EMAIL_KINDS = [...SIGN_UP_EMAIL_KINDS, 'petitions.signature.confirmation'];

const RULES_KEY = 'supporters.retention';
const LAST_RUN_KEY = 'supporters.retention.last-run';

export async function readRetention(q: Q): Promise<RetentionRules> {
  const stored = await readSetting<unknown>(q, RULES_KEY);
  const parsed = retentionSchema.safeParse({ ...defaultRetention, ...(stored as object | undefined) });
  return parsed.success ? parsed.data : defaultRetention;
}

export async function writeRetention(q: Q, rules: RetentionRules): Promise<void> {
  await writeSetting(q, RULES_KEY, rules);
}

export interface RetentionRun {
  at: string;
  removed: {
    unconfirmedSignUps: number;
    unconfirmedPeople: number;
    inactivePeople: number;
    signatures: number;
    confirmationEmails: number;
  };
}

export async function lastRetentionRun(q: Q): Promise<RetentionRun | undefined> {
  return readSetting<RetentionRun>(q, LAST_RUN_KEY);
}

/**
 * Sign-ups never confirmed: the waiting consent and its request are deleted; a consent that
 * had been decided before (withdrawn, then asked again) goes back to withdrawn. People who then
 * hold nothing but those sign-ups are deleted.
 */
async function removeUnconfirmedSignUps(q: Q, rules: RetentionRules, now: Date): Promise<{ consents: number; people: number }> {
  const cutoff = sql`${now}::timestamptz - make_interval(days => ${rules.unconfirmedSignUpDays})`;
  const stale = sql`select person_id, purpose_id from consents where status = 'pending' and requested_at < ${cutoff}`;
  const reverted = await sql`
    with stale as (${stale}), decided as (
      select s.person_id, s.purpose_id, max(e.occurred_at) filter (where e.event in ('given', 'withdrawn')) as decided_at
      from stale s join consent_events e on e.person_id = s.person_id and e.purpose_id = s.purpose_id
      group by s.person_id, s.purpose_id
    ), dropped_events as (
      -- A data-modifying CTE always runs to completion, read or not.
      delete from consent_events e using decided d
      where e.person_id = d.person_id and e.purpose_id = d.purpose_id and e.event = 'requested'
        and (d.decided_at is null or e.occurred_at > d.decided_at)
    )
    update consents c set status = 'withdrawn'
    from decided d where c.person_id = d.person_id and c.purpose_id = d.purpose_id and d.decided_at is not null`.execute(q);
  const deleted = await sql`
    delete from consents c where c.status = 'pending' and c.requested_at < ${cutoff}`.execute(q);
  const people = await sql`
    delete from people p
    where p.email_status = 'unverified' and p.merged_into_id is null and coalesce(p.latest_action_at, p.created_at) < ${cutoff}
      and not exists (select 1 from consents c where c.person_id = p.id)
      and not ${hasSignaturesCondition(sql.ref('p.id'))}
      and not exists (select 1 from taggings t where t.person_id = p.id)
      and not exists (select 1 from list_members l where l.person_id = p.id)
      and not exists (select 1 from people m where m.merged_into_id = p.id)
      and exists (select 1 from person_actions a where a.person_id = p.id and a.kind = 'signup.requested')
      and not exists (select 1 from person_actions a where a.person_id = p.id and a.kind <> 'signup.requested')`.execute(q);
  return {
    consents: Number(reverted.numAffectedRows ?? 0) + Number(deleted.numAffectedRows ?? 0),
    people: Number(people.numAffectedRows ?? 0),
  };
}

/** People with no live consent and no action for the set number of months are erased. */
async function eraseInactivePeople(db: Db, rules: RetentionRules, now: Date): Promise<number> {
  let erased = 0;
  for (;;) {
    const done = await db.transaction().execute(async (tx) => {
      const due = await sql<{ id: number }>`
        select p.id from people p
        where p.erased_at is null and p.merged_into_id is null
          and coalesce(p.latest_action_at, p.created_at) < ${now}::timestamptz - make_interval(months => ${rules.inactivePersonMonths})
          and not exists (select 1 from consents c where c.person_id = p.id and c.status = 'given')
        order by p.id limit 200 for update skip locked`.execute(tx);
      for (const row of due.rows) await erasePerson(tx, row.id, 'system:retention');
      return due.rows.length;
    });
    erased += done;
    if (done < 200) return erased;
  }
}

/** Runs every retention rule once and records what it removed (for the settings page). */
export async function runRetention(db: Db, now: Date = new Date()): Promise<RetentionRun> {
  const rules = await readRetention(db);
  const signUps = await db.transaction().execute((tx) => removeUnconfirmedSignUps(tx, rules, now));
  const inactivePeople = await eraseInactivePeople(db, rules, now);
  const signatures = await eraseSignaturesAfterClosing(db, rules.signatureMonthsAfterClose, now);
  const confirmationEmails = await deleteFinishedMail(db, CONFIRMATION_EMAIL_KINDS, rules.confirmationEmailDays, now);
  const run: RetentionRun = {
    at: now.toISOString(),
    removed: {
      unconfirmedSignUps: signUps.consents,
      unconfirmedPeople: signUps.people,
      inactivePeople,
      signatures,
      confirmationEmails,
    },
  };
  await writeSetting(db, LAST_RUN_KEY, run);
  return run;
}
