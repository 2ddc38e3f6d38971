import { sql } from 'kysely';
import type { Handle } from '../../platform/index.ts';
import { supportersQ } from '../tables.ts';

/**
 * The tags twin of `ensureListNamed` (collections.ts): the tag of this name owned by the group
 * (null: the coalition), made if missing; names match without case.
 */
export async function ensureTagNamed(handle: Handle, name: string, groupId: number | null): Promise<number> {
  const q = supportersQ(handle);
  await sql`insert into tags (name, group_id) values (${name}, ${groupId}::int) on conflict do nothing`.execute(q);
  const found = await sql<{ id: number }>`
    select id from tags where group_id is not distinct from ${groupId}::int and lower(name) = lower(${name})`.execute(q);
  return found.rows[0]!.id;
}
