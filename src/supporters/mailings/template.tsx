import { randomBytes } from 'node:crypto';
import { escapeHtml, renderEmail, renderFragment, type Brand } from '../../platform/index.ts';
import { formatBody } from './markdown.ts';
import { extractPlaceholders, fillPlaceholder, type PersonalDetails, type Placeholder } from './placeholders.ts';

/**
 * A mailing is formatted and put in the brand once; each recipient's message is then that
 * template with their details and links filled in, which keeps sending fast.
 */
export interface MailingSource {
  subject: string;
  body: string;
  /**
   * Who it is from, as supporters know them: the sending group's name (or the coalition's), at the
   * head of the message and in "you are getting this because you agreed to hear from ...".
   */
  senderName: string;
}

type Slot =
  | { kind: 'field'; placeholder: Placeholder }
  | { kind: 'link'; index: number }
  | { kind: 'unsubscribe' }
  | { kind: 'preferences' };

type Part = string | Slot;

export interface CompiledMailing {
  subject: Part[];
  html: Part[];
  text: Part[];
  /** Web links in the body, in order: the index a recipient's tracked link URL is built for. */
  links: string[];
}

/** What makes one recipient's message theirs. */
export interface RecipientView {
  details: PersonalDetails;
  linkUrl(index: number): string;
  unsubscribeUrl: string;
  preferencesUrl: string;
}

export interface PersonalisedMessage {
  subject: string;
  html: string;
  text: string;
}

function FooterLinks({ unsubscribe, preferences, senderName }: { unsubscribe: string; preferences: string; senderName: string }) {
  return (
    <p style="margin:24px 0 0;font-size:14px;color:#505a5f;">
      You are getting this because you agreed to hear from {senderName}. <a href={unsubscribe}>Unsubscribe</a> ·{' '}
      <a href={preferences}>Manage your email preferences</a>
    </p>
  );
}

export function compileMailing(brand: Brand, baseUrl: string, source: MailingSource): CompiledMailing {
  // Markers are plain letters and digits, so formatting passes them through untouched; the
  // random part means a mailing's own words can never be mistaken for one.
  const nonce = randomBytes(6).toString('hex').replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]!);
  const marker = (kind: 'f' | 'l' | 'u' | 'p', index = 0) => `qq${nonce}${kind}${index}qq`;
  const placeholders: Placeholder[] = [];
  const subject = extractPlaceholders(source.subject.replace(/[\r\n]+/g, ' '), (i) => marker('f', i), placeholders);
  const body = formatBody(
    extractPlaceholders(source.body, (i) => marker('f', i), placeholders),
    (i) => marker('l', i),
  );
  const rendered = renderEmail(
    { ...brand, name: source.senderName },
    {
      subject,
      blocks: [
        { type: 'rendered', html: body.html, text: body.text },
        {
          type: 'rendered',
          html: renderFragment(<FooterLinks unsubscribe={marker('u')} preferences={marker('p')} senderName={source.senderName} />),
          text: `Unsubscribe: ${marker('u')}\nManage your email preferences: ${marker('p')}`,
        },
      ],
      footer: [`You are getting this because you agreed to hear from ${source.senderName}.`],
    },
    baseUrl,
  );
  const pattern = new RegExp(`qq${nonce}([flup])(\\d+)qq`, 'g');
  const slot = (kind: string, index: number): Slot => {
    if (kind === 'f') return { kind: 'field', placeholder: placeholders[index]! };
    if (kind === 'l') return { kind: 'link', index };
    return kind === 'u' ? { kind: 'unsubscribe' } : { kind: 'preferences' };
  };
  const split = (text: string): Part[] => {
    const parts: Part[] = [];
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      if (match.index > last) parts.push(text.slice(last, match.index));
      parts.push(slot(match[1]!, Number(match[2])));
      last = match.index + match[0].length;
    }
    if (last < text.length) parts.push(text.slice(last));
    return parts;
  };
  return { subject: split(rendered.subject), html: split(rendered.html), text: split(rendered.text), links: body.links };
}

function fill(parts: Part[], view: RecipientView, escape: boolean): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    let value: string;
    switch (part.kind) {
      case 'field':
        value = fillPlaceholder(part.placeholder, view.details).replace(/[\r\n]+/g, ' ');
        break;
      case 'link':
        value = view.linkUrl(part.index);
        break;
      case 'unsubscribe':
        value = view.unsubscribeUrl;
        break;
      case 'preferences':
        value = view.preferencesUrl;
        break;
    }
    out += escape ? escapeHtml(value) : value;
  }
  return out;
}

export function personalise(compiled: CompiledMailing, view: RecipientView): PersonalisedMessage {
  return { subject: fill(compiled.subject, view, false), html: fill(compiled.html, view, true), text: fill(compiled.text, view, false) };
}
