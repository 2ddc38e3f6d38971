/** RSS 2.0 for published stories (node_modules holds no feed library; events writes its own the same way). */
export function xmlText(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- the characters XML 1.0 allows are spelled out
      .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

export interface StoryFeedItem {
  title: string;
  link: string;
  published: Date;
  description: string;
  categories: string[];
}

export function storiesRss(channel: { title: string; link: string; self: string; description: string; items: StoryFeedItem[] }): string {
  const items = channel.items
    .map(
      (i) =>
        `<item><title>${xmlText(i.title)}</title><link>${xmlText(i.link)}</link><guid isPermaLink="true">${xmlText(i.link)}</guid><pubDate>${i.published.toUTCString()}</pubDate><description>${xmlText(i.description)}</description>${i.categories.map((c) => `<category>${xmlText(c)}</category>`).join('')}</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>${xmlText(channel.title)}</title><link>${xmlText(channel.link)}</link><atom:link href="${xmlText(channel.self)}" rel="self" type="application/rss+xml"/><description>${xmlText(channel.description)}</description>
${items}
</channel></rss>
`;
}
