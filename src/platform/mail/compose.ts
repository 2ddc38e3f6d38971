import { randomUUID } from 'node:crypto';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import type { OutgoingMessage } from './transport.ts';

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

/**
 * One message as RFC 5322 text (multipart/alternative, base64 bodies), with its SMTP envelope
 * and Message-ID, for nodemailer to send ready-made: about half the CPU per message of having
 * nodemailer compose it, which at hundreds a second is most of a sender's time.
 */
export function composeMessage(m: OutgoingMessage, boundary: string): { envelope: { from: string; to: string[] }; raw: string; messageId: string } {
  const from = addressOf(m.from);
  const domain = from.split('@')[1] ?? 'localhost';
  const messageId = `<${randomUUID()}@${domain}>`;
  const headers = [
    `From: ${fromHeader(m.from)}`,
    `To: ${oneLine(m.to)}`,
    foldLines(`Subject: ${encodeWords(oneLine(m.subject), 'Q', 52)}`, 76),
    `Date: ${new Date().toUTCString().replace(/GMT$/, '+0000')}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    ...Object.entries(m.headers ?? {}).map(([name, value]) => `${name}: ${oneLine(value)}`),
  ];
  const part = (type: string, body: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(body)}\r\n`;
  const alternative = `${part('text/plain', m.text)}${part('text/html', m.html)}--${boundary}--\r\n`;
  let raw: string;
  if (!m.attachments?.length) {
    raw = `${headers.join('\r\n')}\r\nContent-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n${alternative}`;
  } else {
    // multipart/mixed: the text and HTML as one alternative part, then each file.
    const mixed = `mixed_${boundary.replace(/^-+/, '')}`;
    const files = m.attachments.map((a) => {
      const name = oneLine(a.filename).replace(/["\\]/g, '');
      return `--${mixed}\r\nContent-Type: ${oneLine(a.contentType)}; charset=utf-8; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(a.content)}\r\n`;
    });
    raw = `${headers.join('\r\n')}\r\nContent-Type: multipart/mixed; boundary="${mixed}"\r\n\r\n--${mixed}\r\nContent-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n${alternative}\r\n${files.join('')}--${mixed}--\r\n`;
  }
  return { envelope: { from, to: [oneLine(m.to)] }, raw, messageId };
}
