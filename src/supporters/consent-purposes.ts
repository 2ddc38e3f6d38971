import { sql } from 'kysely';
import { listGroups } from '../coalition/index.ts';
import { listPurposes, purposeFor } from './consent.ts';
import type { Q } from './tables.ts';

/** The purpose key people consent to: the coalition's updates or one group's. */
export function purposeKey(groupId: number | null): string {
  return groupId === null ? 'coalition.updates' : `group.${groupId}.updates`;
}

export async function findPurposeId(q: Q, groupId: number | null): Promise<number | undefined> {
  const row = await q.selectFrom('consent_purposes').select('id').where('key', '=', purposeKey(groupId)).executeTakeFirst();
  return row?.id;
}

/** The purpose for an import's consent, created when nobody has asked for it yet. */
export async function ensurePurpose(q: Q, group: { id: number; name: string } | null): Promise<number> {
  const key = purposeKey(group?.id ?? null);
  await q
    .insertInto('consent_purposes')
    .values({ key, group_id: group?.id ?? null, name: group ? `${group.name} updates` : 'Coalition updates' })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await q.selectFrom('consent_purposes').select('id').where('key', '=', key).executeTakeFirstOrThrow()).id;
}

/** The id of these exact words for the purpose, adding them as its next version if new. */
export async function ensureWording(q: Q, purposeId: number, wording: string): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await q.selectFrom('consent_wordings').select('id').where('purpose_id', '=', purposeId).where('wording', '=', wording).executeTakeFirst();
    if (found) return found.id;
    // Either unique rule may catch a concurrent writer: then look again.
    await sql`
      insert into consent_wordings (purpose_id, version, wording)
      select ${purposeId}, coalesce(max(version), 0) + 1, ${wording} from consent_wordings where purpose_id = ${purposeId}
      on conflict do nothing`.execute(q);
  }
  throw new Error('Could not record the consent wording');
}

/**
 * Purposes the viewer may use in segments: the coalition's and their groups', sorted by name. A
 * group nobody has signed up to yet (one made since) has no purpose row: it is made here, so the
 * builder offers every group from the start, as the mailing form does.
 */
export async function segmentPurposes(q: Q, scope: 'all' | number[]): Promise<Array<{ id: number; name: string }>> {
  const groups = (await listGroups(q)).filter((g) => scope === 'all' || scope.includes(g.id));
  let purposes = await listPurposes(q);
  const missing = [null, ...groups.map((g) => g.id)].filter((groupId) => !purposes.some((p) => p.key === purposeKey(groupId)));
  if (missing.length > 0) {
    for (const groupId of missing) await purposeFor(q, { groupId });
    purposes = await listPurposes(q);
  }
  return purposes
    .filter((p) => p.groupId === null || scope === 'all' || scope.includes(p.groupId))
    .map((p) => ({ id: p.id, name: p.name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en-GB', { sensitivity: 'base' }) || a.id - b.id);
}
