import { randomBytes, randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import type { OutgoingMessage } from '../../platform/index.ts';

/**
 * Mailings send over an SMTP pool of their own (the same SMTP_URL, its own connections), opened
 * for one sending run and closed after it: a 100,000-message mailing never queues ahead of a
 * password reset in the shared mailer's pool. Messages are composed here (multipart/alternative,
 * base64 bodies) and handed to nodemailer ready-made, which takes about half the CPU per message
 * of having nodemailer compose them: at hundreds a second that is most of the sender's time.
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
      await transport.sendMail({ envelope: { from: addressOf(message.from), to: [oneLine(message.to)] }, raw: composeMessage(message, boundary) });
    },
    close: () => transport.close(),
  };
}

const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();

function addressOf(from: string): string {
  return oneLine(/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from);
}

/** `"Name" <address>` with the name encoded when it is not plain ASCII. */
function fromHeader(from: string): string {
  const match = /^\s*"?([^"<]*?)"?\s*<([^<>]+)>\s*$/.exec(from);
  if (!match || !match[1]) return oneLine(from);
  const name = oneLine(match[1]);
  return `${/^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '')}"` : encodeWords(name, 'Q', 52)} <${oneLine(match[2]!)}>`;
}

function base64Lines(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('base64')
    .replace(/.{76}(?=.)/g, '$&\r\n');
}

/** One message as RFC 5322 text. */
export function composeMessage(m: OutgoingMessage, boundary: string): string {
  const domain = addressOf(m.from).split('@')[1] ?? 'localhost';
  const headers = [
    `From: ${fromHeader(m.from)}`,
    `To: ${oneLine(m.to)}`,
    foldLines(`Subject: ${encodeWords(oneLine(m.subject), 'Q', 52)}`, 76),
    `Date: ${new Date().toUTCString().replace(/GMT$/, '+0000')}`,
    `Message-ID: <${randomUUID()}@${domain}>`,
    'MIME-Version: 1.0',
    ...Object.entries(m.headers ?? {}).map(([name, value]) => `${name}: ${oneLine(value)}`),
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(body)}\r\n`;
  return `${headers.join('\r\n')}\r\n\r\n${part('text/plain', m.text)}${part('text/html', m.html)}--${boundary}--\r\n`;
}
