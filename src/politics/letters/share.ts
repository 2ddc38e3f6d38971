import { shareLinksFor, type ShareChannel, type ShareLink } from '../../platform/index.ts';
import { campaignPath, type LetterCampaign } from './campaigns.ts';
import type { Mp } from './store.ts';

/** The MP as they are known on each network: their handle where we have it, else their name. */
function mpOn(channel: ShareChannel, mp: Pick<Mp, 'name' | 'bluesky' | 'mastodon' | 'x'>): string {
  const handle = channel === 'x' ? mp.x : channel === 'bluesky' ? mp.bluesky : channel === 'mastodon' ? mp.mastodon : null;
  return handle ?? `${mp.name} MP`;
}

export function postText(campaign: Pick<LetterCampaign, 'title'>, mp: Pick<Mp, 'name' | 'bluesky' | 'mastodon' | 'x'>, channel: ShareChannel): string {
  return `I’ve written to my MP ${mpOn(channel, mp)} about “${campaign.title}”. Write to yours too:`;
}

export const campaignShareUrl = (baseUrl: string, campaign: Pick<LetterCampaign, 'id' | 'title'>, channel: ShareChannel) => `${baseUrl}${campaignPath(campaign)}?utm_source=${channel}`;

/** "Post to your MP": the petitions' share links, with words naming the MP's handle on each network where known. */
export function postToMpLinks(baseUrl: string, campaign: Pick<LetterCampaign, 'id' | 'title'>, mp: Pick<Mp, 'name' | 'bluesky' | 'mastodon' | 'x'>, mastodonHref: string): ShareLink[] {
  return shareLinksFor({ text: (channel) => postText(campaign, mp, channel), url: (channel) => campaignShareUrl(baseUrl, campaign, channel), mastodonHref, emailSubject: campaign.title });
}
