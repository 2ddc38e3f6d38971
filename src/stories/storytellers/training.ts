import { findEvent } from '../../events/index.ts';
import { invalidField, notFound, recordAudit, type Viewer } from '../../platform/index.ts';
import type { Q, Tx } from '../tables.ts';
import { ATTENDING_STAGES, TRAINABLE_STAGES } from './stages.ts';
import { moveStoryteller } from './change-storyteller.ts';
import { inScope, type storytellerScope } from './storytellers.ts';

export type NewTrainingSession = { eventId: number } | { title: string; startsAt: Date };

/**
 * A training session: an event of type training from the calendar (its title and start come from
 * the event), or a title and a date for training held elsewhere.
 */
export async function createTrainingSession(tx: Tx, viewer: Viewer, input: NewTrainingSession): Promise<number> {
  let values: { event_id: number | null; title: string; starts_at: Date };
  if ('eventId' in input) {
    const event = await findEvent(tx, input.eventId);
    if (!event) throw invalidField('event', 'No event has that number: find it in the events list');
    if (event.type !== 'training') throw invalidField('event', 'That event is not a training event: choose one whose type is training, or give a title and date instead');
    values = { event_id: event.id, title: event.title, starts_at: event.startsAt };
  } else {
    values = { event_id: null, title: input.title, starts_at: input.startsAt };
  }
  const row = await tx.insertInto('training_sessions').values({ ...values, created_by: viewer.id }).returning('id').executeTakeFirstOrThrow();
  await recordAudit(tx, { actor: viewer, action: 'training.create', subjectType: 'training-session', subjectId: row.id, after: { title: values.title, startsAt: values.starts_at, eventId: values.event_id } });
  return row.id;
}

export async function findTrainingSession(q: Q, id: number) {
  return q.selectFrom('training_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTrainingSessions(q: Q, page: number, perPage: number) {
  const [items, total] = await Promise.all([
    q
      .selectFrom('training_sessions')
      .select((eb) => ['id', 'title', 'starts_at', 'event_id', eb.selectFrom('training_attendance').whereRef('session_id', '=', 'training_sessions.id').select(eb.fn.countAll<string>().as('n')).as('attended')])
      .orderBy('starts_at', 'desc')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
    q.selectFrom('training_sessions').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items.map((i) => ({ ...i, attended: Number(i.attended ?? 0) })), total: Number(total.n) };
}

/** Who may be marked as attending (consented or further on) among those the viewer may see, and who did. */
export async function attendanceChoices(q: Q, scope: Awaited<ReturnType<typeof storytellerScope>>, sessionId: number) {
  return q
    .selectFrom('storytellers')
    .leftJoin('training_attendance', (join) => join.onRef('training_attendance.storyteller_id', '=', 'storytellers.id').on('training_attendance.session_id', '=', sessionId))
    .select(['storytellers.id', 'storytellers.public_id', 'storytellers.name_sealed', 'storytellers.stage', 'training_attendance.attended_at'])
    .where('storytellers.stage', 'in', [...ATTENDING_STAGES])
    .where(inScope(scope))
    .orderBy('storytellers.recruited_at')
    .execute();
}

/**
 * Records who attended. A consented storyteller who attended moves on to trained (stamped once).
 * Only storytellers the viewer may see can be marked; any other id is refused, naming the field.
 */
export async function recordAttendance(tx: Tx, viewer: Viewer, scope: Awaited<ReturnType<typeof storytellerScope>>, sessionId: number, publicIds: string[]): Promise<number> {
  const session = await findTrainingSession(tx, sessionId);
  if (!session) throw notFound('training session');
  if (publicIds.length === 0) throw invalidField('attended', 'Choose who attended');
  const rows = await tx.selectFrom('storytellers').select(['id', 'public_id', 'stage']).where('public_id', 'in', publicIds).where('stage', 'in', [...ATTENDING_STAGES]).where(inScope(scope)).execute();
  if (rows.length !== new Set(publicIds).size) throw invalidField('attended', 'Choose people from the list');
  await tx
    .insertInto('training_attendance')
    .values(rows.map((r) => ({ session_id: sessionId, storyteller_id: r.id, recorded_by: viewer.id })))
    .onConflict((oc) => oc.columns(['session_id', 'storyteller_id']).doNothing())
    .execute();
  for (const r of rows) {
    if (await moveStoryteller(tx, r.id, 'trained', TRAINABLE_STAGES)) {
      await recordAudit(tx, { actor: viewer, action: 'storyteller.stage', subjectType: 'storyteller', subjectId: r.public_id, before: { stage: r.stage }, after: { stage: 'trained' } });
    }
  }
  await recordAudit(tx, { actor: viewer, action: 'training.attendance', subjectType: 'training-session', subjectId: sessionId, after: { attended: rows.length } });
  return rows.length;
}
