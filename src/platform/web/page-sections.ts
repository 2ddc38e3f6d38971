import type { VNode } from 'preact';
import type { Handle } from '../db/view.ts';
import type { Brand } from './context.ts';

/** The member group a group page is for, as a section needs it. */
export interface SectionGroup {
  id: number;
  slug: string;
  name: string;
}

/** What a section's loader is given: the database and the coalition's brand. */
export interface SectionContext {
  db: Handle;
  brand: Brand;
}

/**
 * A part a capability adds to the public front page, to each member group's page, or both: the
 * petitions their open petitions, the supporters the Join and subscribe calls to action; events
 * and posts add theirs the same way when they arrive. Each loader reads what it shows and returns
 * it (null: nothing to show), so the page itself knows none of them.
 */
export interface PageSection {
  /** Lower first, on both pages. */
  order: number;
  home?: (page: SectionContext) => Promise<VNode | null>;
  group?: (page: SectionContext, group: SectionGroup) => Promise<VNode | null>;
  /** A part of each constituency's page (stories told there...). */
  constituency?: (page: SectionContext, constituency: SectionConstituency) => Promise<VNode | null>;
}

/** The constituency a constituency page is for, as a section needs it. */
export interface SectionConstituency {
  code: string;
  name: string;
}

let installed: readonly PageSection[] | undefined;

/** Built once from the capability list (src/capabilities.ts installs every manifest's sections). */
export function installPageSections(sections: readonly PageSection[]): void {
  installed = [...sections].sort((a, b) => a.order - b.order);
}

/** The front page's sections, loaded together, in order, without the empty ones. */
export async function homeSections(page: SectionContext): Promise<VNode[]> {
  const loaded = await Promise.all((installed ?? []).map((s) => (s.home ? s.home(page) : null)));
  return loaded.filter((v): v is VNode => v !== null);
}

/** A member group's page's sections, loaded together, in order, without the empty ones. */
export async function groupSections(page: SectionContext, group: SectionGroup): Promise<VNode[]> {
  const loaded = await Promise.all((installed ?? []).map((s) => (s.group ? s.group(page, group) : null)));
  return loaded.filter((v): v is VNode => v !== null);
}

/** A constituency page's sections, loaded together, in order, without the empty ones. */
export async function constituencySections(page: SectionContext, constituency: SectionConstituency): Promise<VNode[]> {
  const loaded = await Promise.all((installed ?? []).map((s) => (s.constituency ? s.constituency(page, constituency) : null)));
  return loaded.filter((v): v is VNode => v !== null);
}
