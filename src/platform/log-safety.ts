/**
 * Logs carry no personal data. Our own log lines name no person, but text from elsewhere can:
 * a mail server's refusal echoes the recipient ("451 4.2.1 <ada@example.org>: mailbox busy"),
 * and graphile-worker logs a failed job's error message and stack. Every log line is written
 * through this, so an email address in any of it never reaches the log.
 */
// The local part may run into a JSON escape ("\nada@..."): the match spans it, and the replacer
// keeps everything up to the last escape. The last label of the domain starts with a letter, so
// "graphile-worker@0.16.6" is not taken for an address.
const EMAIL_ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\\-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z][A-Za-z0-9-]*/g;
const UP_TO_LAST_ESCAPE = /^.*\\./s;

export const REDACTED_EMAIL = '[email address]';

/** The text with every email address replaced by "[email address]". */
export function withoutEmailAddresses(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(EMAIL_ADDRESS, (match) => `${UP_TO_LAST_ESCAPE.exec(match.slice(0, match.indexOf('@')))?.[0] ?? ''}${REDACTED_EMAIL}`);
}

/** pino options that pass every line through withoutEmailAddresses just before it is written. */
export const logSafetyHooks = { streamWrite: withoutEmailAddresses };
