import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { composeMessage } from './compose.ts';
import type { MailAttachment } from '../tables.ts';

export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  /** Files sent with it (multipart/mixed around the text and HTML). */
  attachments?: readonly MailAttachment[] | undefined;
}

export interface SendResult {
  messageId: string;
}

/** Sends mail over SMTP; `configured` is false when no SMTP_URL is set (mail is kept instead). */
export interface Mailer {
  readonly configured: boolean;
  send(message: OutgoingMessage): Promise<SendResult>;
  close(): void;
}

/** An SMTP reply code of 5xx is permanent: retrying will not help (unknown mailbox, rejected). */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export function createMailer(smtpUrl: string | undefined): Mailer {
  if (!smtpUrl) {
    return {
      configured: false,
      send: async () => {
        throw new Error('No SMTP server is configured');
      },
      close: () => undefined,
    };
  }
  const url = new URL(smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    pool: true,
    maxConnections: Number(url.searchParams.get('pool') ?? 5),
    maxMessages: Infinity,
    // Loopback and self-signed relays in development; production servers present real certificates.
    tls: { rejectUnauthorized: url.searchParams.get('tls') !== 'insecure' },
    ignoreTLS: url.searchParams.get('starttls') === 'off',
  });
  const boundary = `----chorus_${randomBytes(12).toString('hex')}`;
  return {
    configured: true,
    async send(message) {
      // Composed here and handed over ready-made (see composeMessage).
      const { envelope, raw, messageId } = composeMessage(message, boundary);
      await transport.sendMail({ envelope, raw });
      return { messageId };
    },
    close: () => transport.close(),
  };
}
