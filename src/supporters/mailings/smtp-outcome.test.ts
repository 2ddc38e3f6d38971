import { describe, expect, it } from 'vitest';
import { outcomeOf } from './smtp-outcome.ts';

/** What nodemailer's errors mean for a recipient (the shapes its SMTP connection produces). */
const smtpError = (props: { responseCode?: number; response?: string; command?: string; code?: string; message?: string }) =>
  Object.assign(new Error(props.message ?? props.response ?? 'SMTP error'), props);

describe('the outcome of an SMTP attempt', () => {
  it('is a hard bounce when the server refuses the recipient or the message with a 5xx', () => {
    expect(outcomeOf(smtpError({ responseCode: 550, response: '550 5.1.1 <x@example.org>: no such user', command: 'RCPT TO', code: 'EENVELOPE' }))).toEqual({
      status: 'failed',
      reason: '550 5.1.1 <x@example.org>: no such user',
      bounce: true,
    });
    expect(outcomeOf(smtpError({ responseCode: 552, response: '552 5.2.2 Mailbox full', command: 'DATA', code: 'EMESSAGE' }))).toMatchObject({ status: 'failed', bounce: true });
  });

  it('is tried again later, not failed and not a bounce, when our own login or sender address is refused', () => {
    expect(outcomeOf(smtpError({ responseCode: 535, response: '535 5.7.8 Authentication failed', command: 'AUTH PLAIN', code: 'EAUTH' }))).toEqual({
      status: 'retry',
      reason: '535 5.7.8 Authentication failed',
    });
    expect(outcomeOf(smtpError({ responseCode: 553, response: '553 sender not allowed', command: 'MAIL FROM', code: 'EENVELOPE' }))).toMatchObject({ status: 'retry' });
  });

  it('is tried again later after a temporary refusal or when the server could not be reached', () => {
    expect(outcomeOf(smtpError({ responseCode: 451, response: '451 4.7.1 Greylisted, try again', command: 'RCPT TO' }))).toEqual({
      status: 'retry',
      reason: '451 4.7.1 Greylisted, try again',
    });
    expect(outcomeOf(smtpError({ code: 'ECONNECTION', command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:2525' }))).toMatchObject({ status: 'retry' });
  });

  it('is unknown (never resent) when the connection broke while the message was with the server', () => {
    expect(outcomeOf(smtpError({ code: 'ETIMEDOUT', command: 'DATA', message: 'Timeout' }))).toMatchObject({ status: 'unknown' });
  });
});
