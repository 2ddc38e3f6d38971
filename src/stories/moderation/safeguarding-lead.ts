import type { Config, Viewer } from '../../platform/index.ts';

type LeadConfig = Pick<Config, 'STORIES_SAFEGUARDING_LEAD_EMAIL'>;
let lead: string | undefined;

/** Remembers the lead's address for code that has no config to hand (the access checks). */
export function useSafeguardingLead(config: LeadConfig): void {
  lead = config.STORIES_SAFEGUARDING_LEAD_EMAIL?.trim().toLowerCase() || undefined;
}

export const safeguardingLeadEmail = (): string | undefined => lead;

/**
 * The coalition's named safeguarding lead: the organiser signed in with the address the setting
 * names. With none named, coalition admins act as the lead (so a flag can always be acted on).
 */
export function isSafeguardingLead(viewer: Viewer): boolean {
  if (lead === undefined) return viewer.role === 'admin';
  return viewer.email.trim().toLowerCase() === lead;
}
