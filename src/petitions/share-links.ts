import { mastodonHost, mastodonShareHref, shareChannels, shareLinksFor, type ShareChannel, type ShareLink } from '../platform/index.ts';
import type { Petition } from './store.ts';

export { mastodonHost, shareChannels, type ShareChannel, type ShareLink };

/** The petition's own address, tagged with where it was shared. Never a signer-specific link. */
export function sharedUrl(baseUrl: string, petition: Pick<Petition, 'path'>, channel: ShareChannel): string {
  return `${baseUrl}${petition.path}?utm_source=${channel}`;
}

export function shareText(petition: Pick<Petition, 'action'>): string {
  return `I’ve signed “${petition.action}”. Will you sign too?`;
}

/** Pre-filled share links for each channel; each works without JavaScript. */
export function shareLinks(baseUrl: string, petition: Pick<Petition, 'id' | 'path' | 'action'>): ShareLink[] {
  return shareLinksFor({ text: shareText(petition), url: (channel) => sharedUrl(baseUrl, petition, channel), mastodonHref: `/petitions/${petition.id}/share/mastodon`, emailSubject: petition.action });
}

export function mastodonShareUrl(host: string, baseUrl: string, petition: Pick<Petition, 'path' | 'action'>): string {
  return mastodonShareHref(host, shareText(petition), sharedUrl(baseUrl, petition, 'mastodon'));
}
