import { sql } from 'kysely';
import { assertGroupsExist } from '../../coalition/index.ts';
import { forbidden, invalidField, isUniqueViolation, recordAudit, type Viewer } from '../../platform/index.ts';
import type { Q, Tx } from '../tables.ts';
import { evaluateListRule } from './rules.ts';
import { findTargetList, mayManage, targetListFor, type TargetList } from './target-lists.ts';
import { ruleOf, type TargetListInput } from './target-form.ts';

function snapshot(list: TargetList) {
  return { name: list.name, description: list.description, groupId: list.groupId, rule: list.rule, seats: list.seats };
}

async function assertMayOwn(q: Q, viewer: Viewer, groupId: number | null): Promise<void> {
  if (groupId !== null) await assertGroupsExist(q, 'group', [groupId]);
  if (await mayManage(q, viewer, groupId)) return;
  if (viewer.role !== 'admin' && viewer.role !== 'organiser') throw forbidden('Your role does not allow changing target lists.');
  throw invalidField('group', groupId === null ? 'Only coalition admins make coalition-wide lists: choose one of your groups' : 'Choose one of the groups you organise for');
}

async function saveName<T>(save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (error) {
    if (isUniqueViolation(error)) throw invalidField('name', 'There is already a list with this name: choose another name');
    throw error;
  }
}

/** Makes a target list, chooses its seats by its rule, and records it in the audit log. */
export async function createTargetList(tx: Tx, viewer: Viewer, input: TargetListInput): Promise<number> {
  await assertMayOwn(tx, viewer, input.group);
  const rule = ruleOf(input);
  const { id } = await saveName(() =>
    tx
      .insertInto('target_lists')
      .values({ name: input.name, description: input.description ?? '', group_id: input.group, rule: rule ? JSON.stringify(rule) : null })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  await evaluateListRule(tx, id, rule);
  const after = (await findTargetList(tx, id))!;
  await recordAudit(tx, { actor: viewer, action: 'target-list.create', subjectType: 'target-list', subjectId: id, after: snapshot(after) });
  return id;
}

/** Changes a list's name, owner or rule; its seats are chosen again by the new rule (seats added by hand stay). */
export async function updateTargetList(tx: Tx, viewer: Viewer, id: number, input: TargetListInput): Promise<void> {
  const before = await targetListFor(tx, viewer, id, 'manage');
  if (input.group !== before.groupId) await assertMayOwn(tx, viewer, input.group);
  const rule = ruleOf(input);
  await saveName(() =>
    tx
      .updateTable('target_lists')
      .set({ name: input.name, description: input.description ?? '', group_id: input.group, rule: rule ? JSON.stringify(rule) : null, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute(),
  );
  await evaluateListRule(tx, id, rule);
  const after = (await findTargetList(tx, id))!;
  await recordAudit(tx, { actor: viewer, action: 'target-list.update', subjectType: 'target-list', subjectId: id, before: snapshot(before), after: snapshot(after) });
}

export async function deleteTargetList(tx: Tx, viewer: Viewer, id: number): Promise<void> {
  const before = await targetListFor(tx, viewer, id, 'manage');
  await tx.deleteFrom('target_lists').where('id', '=', id).execute();
  await recordAudit(tx, { actor: viewer, action: 'target-list.delete', subjectType: 'target-list', subjectId: id, before: snapshot(before) });
}
