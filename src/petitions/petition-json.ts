import type { Breakdown } from './petition-breakdown.ts';
import type { PetitionPage } from './list-petitions.ts';
import type { Petition } from './store.ts';

/**
 * Petition JSON in the shape of the UK Parliament petitions site (petition.parliament.uk), so
 * tools written for it work here, with our own fields (target, groups, milestones) beside them.
 */
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function reachedAt(p: Petition, kind: 'response' | 'debate'): string | null {
  const reached = p.milestones.filter((m) => m.kind === kind && m.reachedAt).sort((a, b) => a.threshold - b.threshold)[0];
  return iso(reached?.reachedAt ?? null);
}

const videoSite = /youtube\.com|youtu\.be|vimeo\.com|parliamentlive\.tv|video/i;

function attributes(p: Petition, baseUrl: string) {
  const debateLinks = p.debate?.links ?? [];
  return {
    action: p.action,
    background: p.background,
    additional_details: p.additionalDetails,
    target: p.target,
    state: p.state,
    signature_count: p.signatureCount,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
    opened_at: iso(p.openedAt),
    closing_date: p.closingDate,
    closed_at: iso(p.closedAt),
    rejected_at: iso(p.rejectedAt),
    rejection: p.rejection ? { code: p.rejection.code, details: p.rejection.details } : null,
    response_threshold_reached_at: reachedAt(p, 'response'),
    debate_threshold_reached_at: reachedAt(p, 'debate'),
    government_response: p.response ? { responded_on: p.response.date, summary: p.response.summary, details: p.response.details } : null,
    hand_in: p.handIn ? { handed_in_on: p.handIn.date, place: p.handIn.place, url: p.handIn.link } : null,
    debate: p.debate
      ? {
          debated_on: p.debate.date,
          overview: p.debate.outcome,
          transcript_url: debateLinks.find((l) => !videoSite.test(l)) ?? null,
          video_url: debateLinks.find((l) => videoSite.test(l)) ?? null,
          links: debateLinks,
        }
      : null,
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
        signatures_by_region: breakdown.regions.map((r) => ({ name: r.name, ons_code: r.code, signature_count: r.count })),
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

export function countJson(row: { signature_count: number; counted_at: Date | null; updated_at: Date }) {
  return { signature_count: row.signature_count, updated_at: iso(row.counted_at ?? row.updated_at) };
}
