import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type MailingStatus = 'draft' | 'scheduled' | 'preparing' | 'sending' | 'sent' | 'cancelled';
export type RecipientStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped' | 'unknown';

/** Mailings whose content may still change. */
export const EDITABLE_STATES: readonly MailingStatus[] = ['draft'];
/** Mailings a worker is working on (or should be: the watchdog resumes these). */
export const ACTIVE_STATES: readonly MailingStatus[] = ['preparing', 'sending'];
/** Mailings with a report to show. */
export const REPORTABLE_STATES: readonly MailingStatus[] = ['preparing', 'sending', 'sent', 'cancelled'];

export interface MailingsTable {
  id: Generated<number>;
  purpose_id: number;
  segment_id: Maybe<number>;
  segment_snapshot: ColumnType<unknown, string | null | undefined, string | null>;
  subject: string;
  body: string;
  status: ColumnType<MailingStatus, MailingStatus | undefined, MailingStatus>;
  rate_per_second: number;
  scheduled_for: Maybe<Date>;
  send_requested_at: Maybe<Date>;
  prepared_through: ColumnType<number, number | undefined, number>;
  recipient_count: Maybe<number>;
  wake_at: Maybe<Date>;
  sending_started_at: Maybe<Date>;
  finished_at: Maybe<Date>;
  created_by: Maybe<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MailingRecipientsTable {
  mailing_id: number;
  person_id: number;
  status: ColumnType<RecipientStatus, RecipientStatus | undefined, RecipientStatus>;
  claim_token: Maybe<string>;
  claimed_until: Maybe<Date>;
  retry_at: Maybe<Date>;
  attempts: Generated<number>;
  reason: Maybe<string>;
  sent_at: Maybe<Date>;
}

export interface MailingLinksTable {
  id: Generated<number>;
  mailing_id: number;
  token: string;
  url: string;
}

export interface LinkClicksTable {
  id: Generated<number>;
  link_id: number;
  person_id: Maybe<number>;
  clicked_at: Generated<Date>;
}

/** Tables owned by mailings (in the supporters capability). */
export type MailingTables = {
  mailings: MailingsTable;
  mailing_recipients: MailingRecipientsTable;
  mailing_links: MailingLinksTable;
  link_clicks: LinkClicksTable;
};

/**
 * The database (or transaction) with the mailing tables in view. The supporters capability's own
 * view already holds them; app-level code (tests) uses this.
 */
export function withMailings<DB>(q: Kysely<DB> | Transaction<DB>) {
  return q.withTables<MailingTables>();
}
