import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../platform/index.ts';
import { formatBody, unsafeLinks } from './mailings/markdown.ts';

/**
 * The mailings' simple formatting (paragraphs, headings, bold, italic, lists, quotes, links to web
 * pages and email addresses; no raw HTML, no images) for text shown outside a mailing, such as an
 * event's description: safe HTML and the plain-text form, links as written (not tracked).
 */
export function formatSimpleText(markdown: string): { html: string; text: string } {
  // Each web link's href is swapped for a marker no typed text can hold, then swapped back.
  const nonce = randomBytes(9).toString('hex');
  const body = formatBody(markdown, (index) => `chorus-link-${nonce}-${index}`);
  const markers = new RegExp(`chorus-link-${nonce}-(\\d+)`, 'g');
  const put = (escape: (link: string) => string) => (_all: string, n: string) => escape(body.links[Number(n)] ?? '');
  return { html: body.html.replace(markers, put(escapeHtml)), text: body.text.replace(markers, put((link) => link)) };
}

/** Links in simple formatting that would not survive it (javascript:, relative paths...), as typed. */
export { unsafeLinks };
