import type { PetitionState } from './tables.ts';

/** Named state sets, used by every query and guard (as e-petitions does). */
export const SIGNABLE_STATES: readonly PetitionState[] = ['open'];
/** Shown to the public, with a page and JSON. Rejected ones show their reason. */
export const VISIBLE_STATES: readonly PetitionState[] = ['open', 'closed', 'rejected'];
/** Listed and counted publicly. */
export const PUBLISHED_STATES: readonly PetitionState[] = ['open', 'closed'];
export const MODERATABLE_STATES: readonly PetitionState[] = ['awaiting_moderation'];
/** Organisers may still change the wording. */
export const EDITABLE_STATES: readonly PetitionState[] = ['draft', 'awaiting_moderation'];
/** An admin may reopen these. */
export const REOPENABLE_STATES: readonly PetitionState[] = ['closed', 'rejected', 'hidden'];

export const stateLabels: Record<PetitionState, string> = {
  draft: 'Draft',
  awaiting_moderation: 'Awaiting moderation',
  open: 'Open',
  closed: 'Closed',
  rejected: 'Rejected',
  hidden: 'Hidden',
};

export function isSignable(state: PetitionState): boolean {
  return SIGNABLE_STATES.includes(state);
}

/** Reasons a petition can be rejected, shown publicly with the details. */
export const rejectionReasons = {
  duplicate: 'There’s already a petition about this issue.',
  irrelevant: 'It’s not about something the coalition or its groups campaign on.',
  'no-action': 'It did not ask for a clear action.',
  'fake-name': 'It was not made by a real organiser or group.',
  offensive: 'It included offensive, false or defamatory content.',
  'confidential': 'It included confidential or personal information.',
  'foi': 'It asked for something better handled as a Freedom of Information request.',
} as const;

export type RejectionCode = keyof typeof rejectionReasons;
