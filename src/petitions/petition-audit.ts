import { recordAudit, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import type { Petition } from './store.ts';

/** The parts of a petition an audit entry keeps, before and after a change. */
export function petitionSnapshot(p: Petition) {
  return {
    state: p.state,
    action: p.action,
    background: p.background,
    additionalDetails: p.additionalDetails,
    target: p.target,
    groups: p.groups.map((g) => g.id),
    closingDate: p.closingDate,
    imageUrl: p.imageUrl,
    imageAlt: p.imageAlt,
    milestones: p.milestones.map((m) => ({ threshold: m.threshold, kind: m.kind, label: m.label })),
    underAttack: p.underAttack,
    rejection: p.rejection,
    response: p.response,
    handIn: p.handIn,
    debate: p.debate,
    submittedAt: p.submittedAt,
    openedAt: p.openedAt,
    closedAt: p.closedAt,
    rejectedAt: p.rejectedAt,
    hiddenAt: p.hiddenAt,
  };
}

/** Records an organiser's or moderator's change to a petition, in the caller's transaction. */
export async function auditPetition(q: Q, actor: Viewer | string, action: string, before: Petition | undefined, after: Petition | undefined, extra?: Record<string, unknown>) {
  await recordAudit(q, {
    actor,
    action,
    subjectType: 'petition',
    subjectId: (after ?? before)?.id ?? null,
    before: before ? petitionSnapshot(before) : undefined,
    after: after ? { ...petitionSnapshot(after), ...extra } : extra,
  });
}
