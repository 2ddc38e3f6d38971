import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { composeMessage, type OutgoingMessage } from '../../platform/index.ts';

/**
 * Mailings send over an SMTP pool of their own (the same SMTP_URL, its own connections), opened
 * for one sending run and closed after it: a 100,000-message mailing never queues ahead of a
 * password reset in the shared mailer's pool. Messages are composed by the platform's
 * composeMessage (multipart/alternative, base64 bodies) and handed to nodemailer ready-made.
 */
export interface BulkTransport {
  /** Connections in the pool: how many messages are with the SMTP server at once, at most. */
  readonly poolSize: number;
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

/** Connections in the pool for an SMTP_URL (?pool=N, default 5, as the shared mailer reads it). */
export function smtpPoolSize(smtpUrl: string | undefined): number {
  const n = smtpUrl ? Number(new URL(smtpUrl).searchParams.get('pool') ?? 5) : 5;
  return Number.isSafeInteger(n) && n > 0 ? n : 5;
}

export function createBulkTransport(smtpUrl: string): BulkTransport {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const poolSize = smtpPoolSize(smtpUrl);
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: poolSize,
    maxMessages: Infinity,
    host: url.hostname,
    port: Number(url.port || (secure ? 465 : 587)),
    secure,
    ignoreTLS: url.searchParams.get('starttls') === 'off',
    tls: { rejectUnauthorized: url.searchParams.get('tls') !== 'insecure' },
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
  });
  const boundary = `----chorus_${randomBytes(12).toString('hex')}`;
  return {
    poolSize,
    async send(message) {
      const { envelope, raw } = composeMessage(message, boundary);
      await transport.sendMail({ envelope, raw });
    },
    close: () => transport.close(),
  };
}

