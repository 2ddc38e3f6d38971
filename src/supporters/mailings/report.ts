import { sql } from 'kysely';
import type { Q } from '../tables.ts';
import type { RecipientStatus } from './tables.ts';

/**
 * How a mailing went: recipients by status, unsubscribes through its links, clicks on its
 * tracked links, and why messages failed. Unsubscribes are consent withdrawals whose source
 * names the mailing (see unsubscribeSource).
 */
export function unsubscribeSource(mailingId: number): string {
  return `mailing:${mailingId}`;
}

export type StatusCounts = Record<RecipientStatus, number>;

export interface MailingCounts extends StatusCounts {
  recipients: number;
  unsubscribed: number;
  clicks: number;
  clickers: number;
  /** Clicks on links whose person part was missing or altered (a forwarded or mangled copy). */
  unmatchedClicks: number;
}

export interface ReasonCount {
  reason: string;
  count: number;
}

export interface LinkClicks {
  url: string;
  clicks: number;
  people: number;
}

export interface FailedRecipient {
  email: string | null;
  reason: string | null;
}

export interface MailingReport {
  counts: MailingCounts;
  failureReasons: ReasonCount[];
  skipReasons: ReasonCount[];
  failed: FailedRecipient[];
  links: LinkClicks[];
}

export async function statusCounts(q: Q, mailingId: number): Promise<StatusCounts> {
  const { rows } = await sql<{ status: RecipientStatus; n: number }>`
    select status, count(*)::int as n from mailing_recipients where mailing_id = ${mailingId} group by status`.execute(q);
  const counts: StatusCounts = { queued: 0, sending: 0, sent: 0, failed: 0, skipped: 0, unknown: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

async function reasons(q: Q, mailingId: number, status: RecipientStatus): Promise<ReasonCount[]> {
  const { rows } = await sql<ReasonCount>`
    select coalesce(reason, 'No reason given') as reason, count(*)::int as count from mailing_recipients
    where mailing_id = ${mailingId} and status = ${status}
    group by 1 order by 2 desc, 1 limit 20`.execute(q);
  return rows;
}

export async function mailingReport(q: Q, mailingId: number, failedLimit = 50): Promise<MailingReport> {
  const status = await statusCounts(q, mailingId);
  const { rows: unsubscribed } = await sql<{ n: number }>`
    select count(distinct person_id)::int as n from consent_events
    where event = 'withdrawn' and source = ${unsubscribeSource(mailingId)}`.execute(q);
  const { rows: links } = await sql<LinkClicks>`
    select l.url, count(c.id)::int as clicks, count(distinct c.person_id)::int as people
    from mailing_links l left join link_clicks c on c.link_id = l.id
    where l.mailing_id = ${mailingId} group by l.id, l.url order by l.id`.execute(q);
  const { rows: clickers } = await sql<{ n: number; unmatched: number }>`
    select count(distinct c.person_id)::int as n, count(*) filter (where c.person_id is null)::int as unmatched
    from link_clicks c join mailing_links l on l.id = c.link_id
    where l.mailing_id = ${mailingId}`.execute(q);
  const { rows: failed } = await sql<FailedRecipient>`
    select p.email, r.reason from mailing_recipients r join people p on p.id = r.person_id
    where r.mailing_id = ${mailingId} and r.status = 'failed' order by r.person_id limit ${failedLimit}`.execute(q);
  const recipients = Object.values(status).reduce((a, b) => a + b, 0);
  return {
    counts: {
      ...status,
      recipients,
      unsubscribed: unsubscribed[0]?.n ?? 0,
      clicks: links.reduce((sum, l) => sum + l.clicks, 0),
      clickers: clickers[0]?.n ?? 0,
      unmatchedClicks: clickers[0]?.unmatched ?? 0,
    },
    failureReasons: await reasons(q, mailingId, 'failed'),
    skipReasons: await reasons(q, mailingId, 'skipped'),
    failed,
    links,
  };
}
