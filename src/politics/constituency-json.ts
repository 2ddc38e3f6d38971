import type { Constituency, ConstituencyPage, ConstituencySummary, Mp } from './constituencies.ts';
import { OTHER_WINNER_COLUMN } from './parties.ts';
import type { PostcodePlace } from './postcodes.ts';

/** Public JSON: anyone may read it from any site, and caches may keep it for a while. */
export const publicJsonHeaders = {
  'access-control-allow-origin': '*',
  'cross-origin-resource-policy': 'cross-origin',
  'cache-control': 'public, max-age=300',
} as const;

function mpJson(mp: Mp | null) {
  if (!mp) return null;
  return { name: mp.name, party: mp.party, partyName: mp.partyName, sitting: mp.sitting, theyWorkForYouUrl: mp.twfyUrl, since: mp.startDate };
}

/** Fields every listed constituency has. */
export function constituencySummaryJson(c: ConstituencySummary, baseUrl: string) {
  return {
    code: c.code,
    name: c.name,
    url: `${baseUrl}/constituencies/${c.code}`,
    region: c.regionCode || c.regionName ? { code: c.regionCode, name: c.regionName } : null,
    country: c.countryName,
    mp: mpJson(c.mp),
    firstParty: c.firstParty,
    majority: c.majority,
    validVotes: c.validVotes,
    /** Majority / valid votes. */
    marginality: c.marginality,
    marginalityRank: c.marginalityRank,
    hex: c.hex,
  };
}

export function constituencyJson(c: Constituency, baseUrl: string) {
  const result = c.result;
  const { [OTHER_WINNER_COLUMN]: otherWinner, ...votesByParty } = result?.votesByParty ?? {};
  return {
    ...constituencySummaryJson(c, baseUrl),
    type: c.type,
    rankedSeats: c.rankedSeats,
    result2024: result
      ? {
          result: result.text,
          memberElected: result.memberElected,
          firstParty: result.firstParty,
          secondParty: result.secondParty,
          electorate: result.electorate,
          validVotes: result.validVotes,
          invalidVotes: result.invalidVotes,
          majority: result.majority,
          turnout: result.electorate && result.validVotes !== null ? result.validVotes / result.electorate : null,
          votesByParty,
          otherWinnerVotes: otherWinner ?? 0,
        }
      : null,
  };
}

export function constituencyPageJson(page: ConstituencyPage, baseUrl: string, query: { sort: string; search: string | undefined }) {
  const link = (n: number) => {
    const params = new URLSearchParams({ sort: query.sort, limit: String(page.perPage), page: String(n) });
    if (query.search) params.set('q', query.search);
    return `${baseUrl}/constituencies.json?${params.toString()}`;
  };
  return {
    constituencies: page.items.map((c) => constituencySummaryJson(c, baseUrl)),
    sort: query.sort,
    search: query.search ?? null,
    page: page.page,
    perPage: page.perPage,
    total: page.total,
    totalPages: page.totalPages,
    links: {
      self: link(page.page),
      first: link(1),
      last: link(page.totalPages),
      ...(page.page > 1 ? { prev: link(Math.min(page.page - 1, page.totalPages)) } : {}),
      ...(page.page < page.totalPages ? { next: link(page.page + 1) } : {}),
    },
  };
}

export function postcodeJson(place: Extract<PostcodePlace, { status: 'found' }>, baseUrl: string) {
  return {
    postcode: place.postcode,
    status: place.status,
    constituency: place.constituencyCode
      ? { code: place.constituencyCode, name: place.constituencyName, url: `${baseUrl}/constituencies/${place.constituencyCode}` }
      : null,
    region: place.regionCode || place.regionName ? { code: place.regionCode, name: place.regionName } : null,
    latitude: place.latitude,
    longitude: place.longitude,
  };
}
