import { isPermanentFailure } from '../../platform/index.ts';

/**
 * What an SMTP attempt means for one recipient.
 * - sent: the server accepted it.
 * - failed: refused for good (5xx) at RCPT TO or DATA: a hard bounce, and the address becomes
 *   undeliverable.
 * - retry: refused for now (4xx), our own login or sender address refused (a 5xx to AUTH or
 *   MAIL FROM is our setup's problem, not theirs), or we never reached the server: nothing was
 *   delivered, so trying again later cannot send it twice.
 * - unknown: the connection failed mid-conversation; the server may or may not have it. Not
 *   retried, so nobody gets the mailing twice.
 */
export type Outcome =
  | { status: 'sent' }
  | { status: 'failed'; reason: string; bounce: boolean }
  | { status: 'retry'; reason: string }
  | { status: 'unknown'; reason: string };

interface SmtpError {
  responseCode?: number;
  response?: string;
  code?: string;
  command?: string;
  message?: string;
}

const OUR_SIDE = /^(AUTH|MAIL FROM|EHLO|HELO|LHLO|STARTTLS|CONN)/i;
const NEVER_CONNECTED = new Set(['ECONNECTION', 'EDNS', 'EAUTH', 'ETLS']);

export function outcomeOf(error: unknown): Outcome {
  const e = (error ?? {}) as SmtpError;
  const reason = (e.response || e.message || String(error)).replace(/\s+/g, ' ').trim().slice(0, 500);
  if (isPermanentFailure(error)) {
    // Our login or sender refused: nothing reached them, and a corrected setting (a restart with
    // the right SMTP_URL or MAIL_FROM) can still deliver it, so it waits rather than failing everyone.
    if (OUR_SIDE.test(e.command ?? '')) return { status: 'retry', reason };
    return { status: 'failed', reason, bounce: true };
  }
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) return { status: 'retry', reason };
  if ((e.code && NEVER_CONNECTED.has(e.code)) || e.command === 'CONN') return { status: 'retry', reason };
  return { status: 'unknown', reason };
}
