import type { Petition } from './store.ts';

export const shareChannels = ['whatsapp', 'facebook', 'bluesky', 'mastodon', 'x', 'email', 'copy'] as const;
export type ShareChannel = (typeof shareChannels)[number];

export interface ShareLink {
  channel: ShareChannel;
  label: string;
  href: string;
  /** Opens another site (a new tab is not forced: people choose). */
  external: boolean;
}

/** The petition's own address, tagged with where it was shared. Never a signer-specific link. */
export function sharedUrl(baseUrl: string, petition: Pick<Petition, 'path'>, channel: ShareChannel): string {
  return `${baseUrl}${petition.path}?utm_source=${channel}`;
}

export function shareText(petition: Pick<Petition, 'action'>): string {
  return `I’ve signed “${petition.action}”. Will you sign too?`;
}

/** Pre-filled share links for each channel; each works without JavaScript. */
export function shareLinks(baseUrl: string, petition: Pick<Petition, 'id' | 'path' | 'action'>): ShareLink[] {
  const text = shareText(petition);
  const url = (channel: ShareChannel) => sharedUrl(baseUrl, petition, channel);
  const e = encodeURIComponent;
  return [
    { channel: 'whatsapp', label: 'WhatsApp', href: `https://wa.me/?text=${e(`${text} ${url('whatsapp')}`)}`, external: true },
    { channel: 'facebook', label: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${e(url('facebook'))}`, external: true },
    { channel: 'bluesky', label: 'Bluesky', href: `https://bsky.app/intent/compose?text=${e(`${text} ${url('bluesky')}`)}`, external: true },
    // Mastodon has no central site: our own page asks which server, then sends people to its share page.
    { channel: 'mastodon', label: 'Mastodon', href: `/petitions/${petition.id}/share/mastodon`, external: false },
    { channel: 'x', label: 'X (Twitter)', href: `https://x.com/intent/post?text=${e(text)}&url=${e(url('x'))}`, external: true },
    { channel: 'email', label: 'Email', href: `mailto:?subject=${e(petition.action)}&body=${e(`${text}\n\n${url('email')}`)}`, external: true },
  ];
}

/** A Mastodon server's host name as people type it ("mastodon.social", "@me@mas.to", "https://mas.to/"). */
export function mastodonHost(input: string): string | undefined {
  const trimmed = input.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const host = trimmed.includes('@') ? trimmed.slice(trimmed.lastIndexOf('@') + 1) : trimmed;
  return /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host) ? host : undefined;
}

export function mastodonShareUrl(host: string, baseUrl: string, petition: Pick<Petition, 'path' | 'action'>): string {
  return `https://${host}/share?text=${encodeURIComponent(`${shareText(petition)} ${sharedUrl(baseUrl, petition, 'mastodon')}`)}`;
}
