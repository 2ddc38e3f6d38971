export const shareChannels = ['whatsapp', 'facebook', 'bluesky', 'mastodon', 'x', 'email', 'copy'] as const;
export type ShareChannel = (typeof shareChannels)[number];

export interface ShareLink {
  channel: ShareChannel;
  label: string;
  href: string;
  /** Opens another site (a new tab is not forced: people choose). */
  external: boolean;
}

export interface ShareInput {
  /** The pre-filled words (per channel: a person's handle differs on each). */
  text: string | ((channel: ShareChannel) => string);
  /** The shared page's address for each channel (tagged with where it was shared). */
  url: (channel: ShareChannel) => string;
  /** Our own page that asks which Mastodon server (Mastodon has no central site). */
  mastodonHref: string;
  emailSubject: string;
}

/** Pre-filled share links for each channel; each works without JavaScript. Petitions and letters use them. */
export function shareLinksFor({ text: words, url, mastodonHref, emailSubject }: ShareInput): ShareLink[] {
  const e = encodeURIComponent;
  const text = (channel: ShareChannel) => (typeof words === 'string' ? words : words(channel));
  return [
    { channel: 'whatsapp', label: 'WhatsApp', href: `https://wa.me/?text=${e(`${text('whatsapp')} ${url('whatsapp')}`)}`, external: true },
    { channel: 'facebook', label: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${e(url('facebook'))}`, external: true },
    { channel: 'bluesky', label: 'Bluesky', href: `https://bsky.app/intent/compose?text=${e(`${text('bluesky')} ${url('bluesky')}`)}`, external: true },
    { channel: 'mastodon', label: 'Mastodon', href: mastodonHref, external: false },
    { channel: 'x', label: 'X (Twitter)', href: `https://x.com/intent/post?text=${e(text('x'))}&url=${e(url('x'))}`, external: true },
    { channel: 'email', label: 'Email', href: `mailto:?subject=${e(emailSubject)}&body=${e(`${text('email')}\n\n${url('email')}`)}`, external: true },
  ];
}

/** A Mastodon server's host name as people type it ("mastodon.social", "@me@mas.to", "https://mas.to/"). */
export function mastodonHost(input: string): string | undefined {
  const trimmed = input.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const host = trimmed.includes('@') ? trimmed.slice(trimmed.lastIndexOf('@') + 1) : trimmed;
  return /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host) ? host : undefined;
}

/** The chosen server's own share page with the words and the address. */
export const mastodonShareHref = (host: string, text: string, url: string) => `https://${host}/share?text=${encodeURIComponent(`${text} ${url}`)}`;
