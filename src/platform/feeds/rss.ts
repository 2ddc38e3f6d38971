/**
 * RSS 2.0, the one writer every capability's feed uses (new events, published stories...), written
 * here because node_modules holds no feed library (DESIGN.md names `feed`; not installed). XML 1.0
 * allows only some characters at all: the rest (control characters, lone surrogates) are dropped
 * before escaping, so a feed always parses.
 */

export interface RssItem {
  title: string;
  link: string;
  /** Stable for the life of the item (its page's address). */
  guid: string;
  published: Date;
  description: string;
  categories: string[];
}

export interface RssChannel {
  title: string;
  link: string;
  /** This feed's own address (atom:link rel="self"). */
  self: string;
  description: string;
  items: RssItem[];
}

/** Only the characters XML 1.0 allows (2.2 Char), escaped for text and attribute values. */
export function xmlText(value: string): string {
  return value
    // eslint-disable-next-line no-control-regex -- the characters XML 1.0 allows are spelled out
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** RFC 822 dates, as RSS 2.0 asks: "Thu, 10 Jun 2027 17:30:00 GMT". */
const rfc822 = (date: Date) => date.toUTCString();

export function rss(channel: RssChannel): string {
  const items = channel.items.map((item) =>
    [
      '<item>',
      `<title>${xmlText(item.title)}</title>`,
      `<link>${xmlText(item.link)}</link>`,
      `<guid isPermaLink="true">${xmlText(item.guid)}</guid>`,
      `<pubDate>${rfc822(item.published)}</pubDate>`,
      `<description>${xmlText(item.description)}</description>`,
      ...item.categories.map((c) => `<category>${xmlText(c)}</category>`),
      '</item>',
    ].join(''),
  );
  const newest = channel.items.reduce<Date | undefined>((max, i) => (!max || i.published > max ? i.published : max), undefined);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    `<title>${xmlText(channel.title)}</title>`,
    `<link>${xmlText(channel.link)}</link>`,
    `<atom:link href="${xmlText(channel.self)}" rel="self" type="application/rss+xml"/>`,
    `<description>${xmlText(channel.description)}</description>`,
    '<language>en-gb</language>',
    newest ? `<lastBuildDate>${rfc822(newest)}</lastBuildDate>` : '',
    ...items,
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}
