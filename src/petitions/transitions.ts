import type { Role } from '../coalition/index.ts';
import { MODERATABLE_STATES, REOPENABLE_STATES } from './states.ts';
import type { PetitionState } from './tables.ts';

/** A draft goes to the moderators when its organiser is ready. */
export const SUBMITTABLE_STATES: readonly PetitionState[] = ['draft'];
/** Moderators may turn down a petition before it opens, or take down an open one. */
export const REJECTABLE_STATES: readonly PetitionState[] = ['awaiting_moderation', 'open'];
/** Moderators may hide anything that has reached them (offensive or unlawful content). */
export const HIDEABLE_STATES: readonly PetitionState[] = ['awaiting_moderation', 'open', 'closed', 'rejected'];
/** Organisers may end an open petition early (for a hand-in); otherwise it closes on its date. */
export const CLOSABLE_STATES: readonly PetitionState[] = ['open'];
/** Signatures come in (or came in) here: invalidation, held signatures, trending and exports apply. */
export const SIGNED_STATES: readonly PetitionState[] = ['open', 'closed', 'rejected', 'hidden'];
/** Outcomes (response, hand-in, debate) are recorded for petitions people could sign. */
export const OUTCOME_STATES: readonly PetitionState[] = ['open', 'closed'];
/** After opening only the closing date, milestones and image change (the wording people signed stays). */
export const OPENED_EDITABLE_STATES: readonly PetitionState[] = ['open', 'closed'];

export type PetitionTransition = 'submit' | 'approve' | 'reject' | 'hide' | 'close' | 'reopen';

interface TransitionRule {
  from: readonly PetitionState[];
  to: PetitionState;
  roles: readonly Role[];
  /** What the button says. */
  label: string;
  /** The audit verb: petition.<verb>. */
  verb: string;
}

export const transitions: Record<PetitionTransition, TransitionRule> = {
  submit: { from: SUBMITTABLE_STATES, to: 'awaiting_moderation', roles: ['admin', 'organiser'], label: 'Submit for moderation', verb: 'submit' },
  approve: { from: MODERATABLE_STATES, to: 'open', roles: ['admin', 'moderator'], label: 'Approve and open', verb: 'approve' },
  reject: { from: REJECTABLE_STATES, to: 'rejected', roles: ['admin', 'moderator'], label: 'Reject', verb: 'reject' },
  hide: { from: HIDEABLE_STATES, to: 'hidden', roles: ['admin', 'moderator'], label: 'Hide', verb: 'hide' },
  close: { from: CLOSABLE_STATES, to: 'closed', roles: ['admin', 'organiser'], label: 'Close now', verb: 'close' },
  reopen: { from: REOPENABLE_STATES, to: 'open', roles: ['admin'], label: 'Reopen', verb: 'reopen' },
};

export const transitionNames = Object.keys(transitions) as PetitionTransition[];

/** The transition that takes a petition from one state to another for this role, if any. */
export function findTransition(from: PetitionState, to: PetitionState, role: Role): PetitionTransition | undefined {
  return transitionNames.find((name) => {
    const rule = transitions[name];
    return rule.to === to && rule.from.includes(from) && rule.roles.includes(role);
  });
}

/** Whether this role may move a petition from `from` to `to` (group membership is checked separately). */
export function canTransition(from: PetitionState, to: PetitionState, role: Role): boolean {
  return findTransition(from, to, role) !== undefined;
}

/** The transitions a role may make on a petition in this state, in a stable order for the page. */
export function availableTransitions(state: PetitionState, role: Role): PetitionTransition[] {
  return transitionNames.filter((name) => transitions[name].from.includes(state) && transitions[name].roles.includes(role));
}
