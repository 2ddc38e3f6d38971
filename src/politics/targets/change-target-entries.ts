import { sql } from 'kysely';
import { invalidField, recordAudit, type Viewer } from '../../platform/index.ts';
import type { Q, Tx } from '../tables.ts';
import { targetListFor } from './target-lists.ts';
import type { PoliticianInput } from './target-form.ts';

/** A constituency typed by its GSS code or its name (any case), or undefined. */
export async function findSeat(q: Q, typed: string): Promise<{ code: string; name: string } | undefined> {
  const text = typed.trim();
  const row = await q
    .selectFrom('constituencies')
    .select(['code', 'name'])
    .where((eb) => eb.or([eb('code', '=', text.toUpperCase()), eb(sql`lower(name)`, '=', text.toLowerCase())]))
    .orderBy('code')
    .executeTakeFirst();
  return row ?? undefined;
}

async function seatOrError(q: Q, typed: string, field: string) {
  const seat = await findSeat(q, typed);
  if (!seat) throw invalidField(field, `We could not find a constituency called “${typed.trim().slice(0, 80)}”: check the spelling, or use its code (like E14001279)`);
  return seat;
}

/** Adds a seat to a list by hand (it stays whatever the list's rule says). */
export async function addTargetSeat(tx: Tx, viewer: Viewer, listId: number, typed: string): Promise<{ code: string; name: string }> {
  await targetListFor(tx, viewer, listId, 'manage');
  const seat = await seatOrError(tx, typed, 'seat');
  await tx
    .insertInto('target_list_seats')
    .values({ list_id: listId, constituency_code: seat.code, chosen: 'hand' })
    .onConflict((oc) => oc.columns(['list_id', 'constituency_code']).doUpdateSet({ chosen: 'hand' }))
    .execute();
  await recordAudit(tx, { actor: viewer, action: 'target-list.seat.add', subjectType: 'target-list', subjectId: listId, after: { seat: seat.code, name: seat.name } });
  return seat;
}

/** Takes a seat off a list; a seat the rule chooses is kept off when the rule is evaluated again. */
export async function removeTargetSeat(tx: Tx, viewer: Viewer, listId: number, code: string): Promise<void> {
  const list = await targetListFor(tx, viewer, listId, 'manage');
  const row = await tx.selectFrom('target_list_seats').select('chosen').where('list_id', '=', listId).where('constituency_code', '=', code).executeTakeFirst();
  if (!row || row.chosen === 'excluded') return;
  if (list.rule) await tx.updateTable('target_list_seats').set({ chosen: 'excluded' }).where('list_id', '=', listId).where('constituency_code', '=', code).execute();
  else await tx.deleteFrom('target_list_seats').where('list_id', '=', listId).where('constituency_code', '=', code).execute();
  await recordAudit(tx, { actor: viewer, action: 'target-list.seat.remove', subjectType: 'target-list', subjectId: listId, before: { seat: code } });
}

/** Adds a high-profile politician with their role and their own seat. */
export async function addTargetPolitician(tx: Tx, viewer: Viewer, listId: number, input: PoliticianInput): Promise<number> {
  await targetListFor(tx, viewer, listId, 'manage');
  const seat = input.seat ? await seatOrError(tx, input.seat, 'politician_seat') : undefined;
  const { id } = await tx
    .insertInto('target_politicians')
    .values({ list_id: listId, name: input.name, role: input.role, role_title: input.roleTitle ?? '', party: input.party ?? null, constituency_code: seat?.code ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(tx, { actor: viewer, action: 'target-list.politician.add', subjectType: 'target-list', subjectId: listId, after: { name: input.name, role: input.role, roleTitle: input.roleTitle ?? '', seat: seat?.code ?? null } });
  return id;
}

export async function removeTargetPolitician(tx: Tx, viewer: Viewer, listId: number, politicianId: number): Promise<void> {
  await targetListFor(tx, viewer, listId, 'manage');
  const removed = await tx.deleteFrom('target_politicians').where('id', '=', politicianId).where('list_id', '=', listId).returning(['name', 'role']).executeTakeFirst();
  if (removed) await recordAudit(tx, { actor: viewer, action: 'target-list.politician.remove', subjectType: 'target-list', subjectId: listId, before: { name: removed.name, role: removed.role } });
}
