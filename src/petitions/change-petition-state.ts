import type { Updateable } from 'kysely';
import { conflict, forbidden, invalidField, notFound, type Viewer } from '../platform/index.ts';
import type { PetitionsTable, Q } from './tables.ts';
import { lockPetition } from './admin-store.ts';
import { closingDateProblem, defaultClosingDate, hasPassed } from './closing-date.ts';
import { agreeToClose, clearCloseAgreements, closingNeedsAgreement } from './close-agreements.ts';
import { assertInGroups } from './petition-access.ts';
import { auditPetition } from './petition-audit.ts';
import { readPetitionRules } from './petition-rules.ts';
import { stateLabels, type RejectionCode } from './states.ts';
import { findPetition, type Petition, type PetitionGroup } from './store.ts';
import { transitions, type PetitionTransition } from './transitions.ts';

export interface ChangePetitionStateProps {
  actor: Viewer;
  petitionId: number;
  transition: PetitionTransition;
  /** Required to reject: shown publicly with the petition. */
  rejection?: { code: RejectionCode; details: string } | undefined;
  /** Reopening: a new closing date (required when the old one has passed). */
  closingDate?: string | undefined;
}

/** Column changes a transition makes besides the state: each stamps its own timestamp. */
function stamps(petition: Petition, props: ChangePetitionStateProps, now: Date): Updateable<PetitionsTable> {
  switch (props.transition) {
    case 'submit':
      return { submitted_at: now };
    case 'approve': {
      if (petition.closingDate && hasPassed(petition.closingDate, now)) {
        throw conflict('The closing date has passed. Ask the organiser to choose a new one before approving.');
      }
      return { opened_at: now, closing_date: petition.closingDate ?? defaultClosingDate(now) };
    }
    case 'reject': {
      if (!props.rejection) throw invalidField('code', 'Choose a reason for rejecting the petition');
      return { rejected_at: now, rejection_code: props.rejection.code, rejection_details: props.rejection.details };
    }
    case 'hide':
      return { hidden_at: now };
    case 'close':
      return { closed_at: now };
    case 'reopen': {
      let closingDate = petition.closingDate;
      if (props.closingDate) {
        const problem = closingDateProblem(props.closingDate);
        if (problem) throw invalidField('closing_date', problem);
        closingDate = props.closingDate;
      } else if (!closingDate) {
        closingDate = defaultClosingDate(now);
      } else if (hasPassed(closingDate, now)) {
        throw invalidField('closing_date', 'The closing date has passed: enter a new closing date to reopen the petition');
      }
      return {
        reopened_at: now,
        opened_at: petition.openedAt ?? now,
        closing_date: closingDate,
        closed_at: null,
        rejected_at: null,
        rejection_code: null,
        rejection_details: null,
        hidden_at: null,
      };
    }
  }
}

/**
 * What came of a change: made, or (closing a petition shared by several groups) the organiser's
 * groups' agreement recorded while the other groups are still to agree.
 */
export type StateChange = { changed: true; petition: Petition } | { changed: false; petition: Petition; waitingFor: PetitionGroup[] };

/** An admin approving a petition they created themselves, which only a coalition setting allows. */
async function assertNotOwnApproval(q: Q, actor: Viewer, petition: Petition): Promise<void> {
  if (actor.role !== 'admin' || petition.createdBy !== actor.id) return;
  if ((await readPetitionRules(q)).adminsApproveOwn) return;
  throw forbidden('You started this petition, so another admin or a moderator must approve it. (An admin can allow self-approval in the petition settings.)');
}

/**
 * Moves a petition through its lifecycle (draft → awaiting moderation → open → closed, or
 * rejected / hidden, and back to open by an admin), stamping the transition's timestamp and
 * writing the audit log in the same transaction. A petition several groups share closes early
 * only with every group's agreement (each group's organiser agrees; the last agreement closes
 * it) or when an admin closes it. An admin approves a petition they started only when the
 * coalition's settings allow it.
 */
export async function changePetitionState(q: Q, props: ChangePetitionStateProps): Promise<StateChange> {
  const { actor, petitionId, transition } = props;
  if (!(await lockPetition(q, petitionId))) throw notFound('petition');
  const before = (await findPetition(q, petitionId))!;
  const rule = transitions[transition];
  const now = new Date();
  if (!rule.roles.includes(actor.role)) throw forbidden('Your role does not allow this. Ask a coalition admin if you need it.');
  await assertInGroups(q, actor, before);
  if (!rule.from.includes(before.state)) {
    throw conflict(`A petition that is “${stateLabels[before.state].toLowerCase()}” cannot be changed that way.`);
  }
  if (transition === 'approve') await assertNotOwnApproval(q, actor, before);
  if (transition === 'close' && closingNeedsAgreement(actor, before)) {
    const { agreed, waitingFor, newlyAgreed } = await agreeToClose(q, actor, before, now);
    if (waitingFor.length > 0) {
      if (newlyAgreed.length > 0) {
        await auditPetition(q, actor, 'petition.close.agree', before, undefined, { agreedFor: newlyAgreed, agreed: agreed.map((g) => g.id), waitingFor: waitingFor.map((g) => g.id) });
      }
      return { changed: false, petition: before, waitingFor };
    }
  }
  await q
    .updateTable('petitions')
    .set({ ...stamps(before, props, now), state: rule.to, updated_at: now })
    .where('id', '=', petitionId)
    .where('state', '=', before.state)
    .execute();
  await clearCloseAgreements(q, petitionId);
  const after = (await findPetition(q, petitionId))!;
  await auditPetition(q, actor, `petition.${rule.verb}`, before, after);
  return { changed: true, petition: after };
}
