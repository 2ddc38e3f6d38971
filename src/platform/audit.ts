import type { Q } from '../schema.ts';
import type { Viewer } from './web/context.ts';

export interface AuditEntry {
  /** Who did it: the signed-in organiser, or a label such as 'cli' or 'system'. */
  actor: Viewer | string;
  /** A dotted verb, e.g. 'group.update', 'organiser.role.change'. */
  action: string;
  subjectType: string;
  subjectId: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Writes one audit record; call it in the same transaction as the change it describes. */
export async function recordAudit(q: Q, entry: AuditEntry): Promise<void> {
  const actor = typeof entry.actor === 'string' ? { id: null, label: entry.actor } : { id: entry.actor.id, label: `${entry.actor.name} <${entry.actor.email}>` };
  await q
    .insertInto('audit_log')
    .values({
      actor_id: actor.id,
      actor_label: actor.label,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId === null ? null : String(entry.subjectId),
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}
