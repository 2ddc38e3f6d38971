import type { Breakdown } from './petition-breakdown.ts';
import type { PetitionPage } from './list-petitions.ts';
import type { Petition } from './store.ts';
import { londonToday } from './closing-date.ts';

/**
 * Petition JSON in the shape of the UK Parliament petitions site (petition.parliament.uk), so
 * tools written for it work here, with our own fields (target, groups, milestones) beside them.
 */
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function reachedAt(p: Petition, kind: 'response' | 'debate'): string | null {
  const reached = p.milestones.filter((m) => m.kind === kind && m.reachedAt).sort((a, b) => a.threshold - b.threshold)[0];
  return iso(reached?.reachedAt ?? null);
}

/** The start of a UK date, as a timestamp: where Chorus keeps a date the Parliament site keeps a moment. */
function londonMidnight(date: string | null): string | null {
  if (!date) return null;
  const utc = new Date(`${date}T00:00:00Z`);
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(utc));
  return new Date(utc.getTime() - hour * 3_600_000).toISOString();
}

/**
 * The Parliament site's letter codes for the twelve UK regions and nations (its `ons_code`),
 * by the GSS codes Chorus keeps. Anything else (a code we do not know) keeps its own code.
 */
export const parliamentRegionCodes: Readonly<Record<string, string>> = {
  E12000001: 'A', // North East
  E12000002: 'B', // North West
  E12000003: 'D', // Yorkshire and The Humber
  E12000004: 'E', // East Midlands
  E12000005: 'F', // West Midlands
  E12000006: 'G', // East of England
  E12000007: 'H', // London
  E12000008: 'J', // South East
  E12000009: 'K', // South West
  W92000004: 'L', // Wales
  S92000003: 'M', // Scotland
  N92000002: 'N', // Northern Ireland
};

/** Debated: an outcome is recorded, or the debate or meeting date has come. */
export function isDebated(p: Petition, today: string = londonToday()): boolean {
  return p.debate !== null && (p.debate.outcome !== null || (p.debate.date !== null && p.debate.date <= today));
}

/** The moments the Parliament site's count.json and attributes share. */
function outcomeMoments(p: Petition) {
  return {
    response_threshold_reached_at: reachedAt(p, 'response'),
    government_response_at: p.response ? londonMidnight(p.response.date) : null,
    debate_threshold_reached_at: reachedAt(p, 'debate'),
    scheduled_debate_date: p.debate?.date ?? null,
    debate_outcome_at: p.debate && isDebated(p) ? londonMidnight(p.debate.date) : null,
  };
}

const videoSite = /youtube\.com|youtu\.be|vimeo\.com|parliamentlive\.tv|video/i;

function attributes(p: Petition, baseUrl: string) {
  const debateLinks = p.debate?.links ?? [];
  const open = p.state === 'open';
  return {
    action: p.action,
    background: p.background,
    additional_details: p.additionalDetails,
    committee_note: null,
    target: p.target,
    state: p.state,
    signature_count: p.signatureCount,
    // As on the Parliament site, only while the petition is open (null when it has no closing date).
    ...(open ? { closing_date: p.closingDate } : {}),
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
    opened_at: iso(p.openedAt),
    closed_at: iso(p.closedAt),
    rejected_at: iso(p.rejectedAt),
    moderation_threshold_reached_at: iso(p.submittedAt),
    ...outcomeMoments(p),
    debate_scheduled_on: null,
    creator_name: open && p.groups.length > 0 ? p.groups.map((g) => g.name).join(', ') : null,
    rejection: p.rejection ? { code: p.rejection.code, details: p.rejection.details } : null,
    government_response: p.response
      ? { responded_on: p.response.date, summary: p.response.summary, details: p.response.details, created_at: null, updated_at: null }
      : null,
    hand_in: p.handIn ? { handed_in_on: p.handIn.date, place: p.handIn.place, url: p.handIn.link } : null,
    debate: p.debate
      ? {
          debated_on: p.debate.date,
          transcript_url: debateLinks.find((l) => !videoSite.test(l)) ?? null,
          video_url: debateLinks.find((l) => videoSite.test(l)) ?? null,
          debate_pack_url: null,
          public_engagement_url: null,
          debate_summary_url: null,
          overview: p.debate.outcome,
          links: debateLinks,
        }
      : null,
    departments: [] as never[],
    topics: [] as never[],
    groups: p.groups.map((g) => ({ name: g.name, slug: g.slug, url: `${baseUrl}/groups/${g.slug}` })),
    milestones: p.milestones.map((m) => ({ threshold: m.threshold, kind: m.kind, label: m.label, reached_at: iso(m.reachedAt) })),
  };
}

function resource(p: Petition, baseUrl: string) {
  return { type: 'petition' as const, id: p.id, links: { self: `${baseUrl}/petitions/${p.id}.json`, html: `${baseUrl}${p.path}` } };
}

export function petitionJson(p: Petition, breakdown: Breakdown, baseUrl: string) {
  return {
    links: { self: `${baseUrl}/petitions/${p.id}.json` },
    data: {
      ...resource(p, baseUrl),
      attributes: {
        ...attributes(p, baseUrl),
        signatures_by_country: breakdown.countries.map((c) => ({ name: c.name, code: c.code, signature_count: c.count })),
        signatures_by_constituency: breakdown.constituencies.map((c) => ({ name: c.name, ons_code: c.code, mp: c.mp, signature_count: c.count })),
        signatures_by_region: breakdown.regions.map((r) => ({ name: r.name, ons_code: parliamentRegionCodes[r.code] ?? r.code, gss_code: r.code, signature_count: r.count })),
        other_parliamentary_business: [] as never[],
      },
    },
  };
}

/** The list: links to this, the first, last, next and previous pages, and each petition without its breakdowns. */
export function petitionListJson(page: PetitionPage, pageUrl: (n: number) => string, baseUrl: string) {
  return {
    links: {
      self: pageUrl(page.page),
      first: pageUrl(1),
      last: pageUrl(page.totalPages),
      next: page.page < page.totalPages ? pageUrl(page.page + 1) : null,
      prev: page.page > 1 ? pageUrl(Math.min(page.page - 1, page.totalPages)) : null,
    },
    meta: { total: page.total, page: page.page, total_pages: page.totalPages },
    data: page.petitions.map((p) => ({ ...resource(p, baseUrl), attributes: attributes(p, baseUrl) })),
  };
}

/** The polling answer: the Parliament site's count.json, with when the count last moved. */
export function countJson(row: { signature_count: number; counted_at: Date | null; updated_at: Date }, p: Petition) {
  return {
    signature_count: row.signature_count,
    updated_at: iso(row.counted_at ?? row.updated_at),
    ...outcomeMoments(p),
    debated: isDebated(p),
  };
}

/** When the petition, its count or a milestone last changed: the Last-Modified of its JSON. */
export function petitionModifiedAt(p: Petition, count?: { counted_at: Date | null; updated_at: Date }): Date {
  const times = [p.updatedAt, p.countedAt, count?.counted_at, count?.updated_at, ...p.milestones.map((m) => m.reachedAt)];
  return new Date(Math.max(...times.filter((t): t is Date => t instanceof Date).map((t) => t.getTime())));
}
