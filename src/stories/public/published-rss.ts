import { rss } from '../../platform/index.ts';

export interface StoryFeedItem {
  title: string;
  link: string;
  published: Date;
  description: string;
  categories: string[];
}

/** RSS 2.0 for published stories, through the platform's one feed writer (each story's page is its guid). */
export function storiesRss(channel: { title: string; link: string; self: string; description: string; items: StoryFeedItem[] }): string {
  return rss({ ...channel, items: channel.items.map((i) => ({ ...i, guid: i.link })) });
}
