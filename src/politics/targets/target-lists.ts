import { sql } from 'kysely';
import { groupIdsFor } from '../../coalition/index.ts';
import { forbidden, notFound, type Viewer } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import type { TargetRule } from './rules.ts';
import type { PoliticianRole } from './tables.ts';

export interface TargetList {
  id: number;
  name: string;
  description: string;
  /** Null: a coalition-wide list. */
  groupId: number | null;
  rule: TargetRule | null;
  evaluatedAt: Date | null;
  seats: number;
  politicians: number;
  updatedAt: Date;
}

export interface TargetPolitician {
  id: number;
  listId: number;
  name: string;
  role: PoliticianRole;
  roleTitle: string;
  party: string | null;
  constituency: { code: string; name: string } | null;
}

export const politicianRoleLabels: Record<PoliticianRole, string> = {
  minister: 'Minister',
  shadow_minister: 'Shadow minister',
  committee_chair: 'Select committee chair',
  party_leader: 'Party leader',
  other: 'Other',
};

/** Who may do what to target lists: everyone signed in may look; admins and organisers change them. */
export type ListPower = 'view' | 'manage';

/**
 * Lists a viewer may see: coalition-wide lists and, for an organiser, their own groups' lists
 * (admins and moderators, not tied to groups, see every list).
 */
export async function visibleGroupIds(q: Q, viewer: Viewer): Promise<number[] | 'all'> {
  return viewer.role === 'organiser' ? groupIdsFor(q, viewer) : 'all';
}

function listQuery(q: Q) {
  return q
    .selectFrom('target_lists as l')
    .select([
      'l.id',
      'l.name',
      'l.description',
      'l.group_id',
      'l.rule',
      'l.evaluated_at',
      'l.updated_at',
      sql<number>`(select count(*) from target_list_seats s where s.list_id = l.id and s.chosen <> 'excluded')::int`.as('seats'),
      sql<number>`(select count(*) from target_politicians p where p.list_id = l.id)::int`.as('politicians'),
    ]);
}

type ListRow = Awaited<ReturnType<ReturnType<typeof listQuery>['executeTakeFirstOrThrow']>>;
const listOf = (r: ListRow): TargetList => ({
  id: r.id,
  name: r.name,
  description: r.description,
  groupId: r.group_id,
  rule: r.rule,
  evaluatedAt: r.evaluated_at,
  seats: r.seats,
  politicians: r.politicians,
  updatedAt: r.updated_at,
});

export async function listTargetLists(q: Q, groupIds: number[] | 'all'): Promise<TargetList[]> {
  let query = listQuery(q);
  if (groupIds !== 'all') query = query.where((eb) => eb.or([eb('l.group_id', 'is', null), ...(groupIds.length ? [eb('l.group_id', 'in', groupIds)] : [])]));
  const rows = await query.orderBy(sql`l.group_id nulls first`).orderBy('l.name').limit(500).execute();
  return rows.map(listOf);
}

export async function findTargetList(q: Q, id: number): Promise<TargetList | undefined> {
  const row = await listQuery(q).where('l.id', '=', id).executeTakeFirst();
  return row ? listOf(row) : undefined;
}

/** May this viewer make or change a list owned by `groupId` (null: coalition-wide)? */
export async function mayManage(q: Q, viewer: Viewer, groupId: number | null): Promise<boolean> {
  if (viewer.role === 'admin') return true;
  if (viewer.role !== 'organiser' || groupId === null) return false;
  const allowed = await groupIdsFor(q, viewer);
  return allowed === 'all' || allowed.includes(groupId);
}

/**
 * Loads a list for someone about to use a power on it: 404 when it does not exist or belongs to
 * a group they cannot see, 403 when they may see it but not change it. Checked on the server for
 * every organiser request.
 */
export async function targetListFor(q: Q, viewer: Viewer, id: number, power: ListPower): Promise<TargetList> {
  const list = await findTargetList(q, id);
  if (!list) throw notFound('target list');
  const visible = await visibleGroupIds(q, viewer);
  if (list.groupId !== null && visible !== 'all' && !visible.includes(list.groupId)) throw notFound('target list');
  if (power === 'manage' && !(await mayManage(q, viewer, list.groupId))) {
    throw forbidden(list.groupId === null ? 'Only coalition admins change coalition-wide target lists.' : 'This list belongs to a group you do not organise for.');
  }
  return list;
}

export async function politiciansOf(q: Q, listIds: number[]): Promise<TargetPolitician[]> {
  if (listIds.length === 0) return [];
  const rows = await q
    .selectFrom('target_politicians as p')
    .leftJoin('constituencies as c', 'c.code', 'p.constituency_code')
    .select(['p.id', 'p.list_id', 'p.name', 'p.role', 'p.role_title', 'p.party', 'p.constituency_code', 'c.name as constituency_name'])
    .where('p.list_id', 'in', listIds)
    .orderBy('p.role')
    .orderBy('p.name')
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    listId: r.list_id,
    name: r.name,
    role: r.role,
    roleTitle: r.role_title,
    party: r.party,
    constituency: r.constituency_code ? { code: r.constituency_code, name: r.constituency_name ?? r.constituency_code } : null,
  }));
}

/** The lists (of those this viewer may see) a seat is on: as a chosen seat, or as a listed politician's own seat. */
export async function listsWithSeat(q: Q, viewer: Viewer, code: string): Promise<Array<TargetList & { through: 'seat' | 'politician' }>> {
  const visible = await visibleGroupIds(q, viewer);
  const lists = await listTargetLists(q, visible);
  if (lists.length === 0) return [];
  const ids = lists.map((l) => l.id);
  const seatRows = await q.selectFrom('target_list_seats').select('list_id').where('constituency_code', '=', code).where('chosen', '<>', 'excluded').where('list_id', 'in', ids).execute();
  const politicianRows = await q.selectFrom('target_politicians').select('list_id').where('constituency_code', '=', code).where('list_id', 'in', ids).execute();
  const bySeat = new Set(seatRows.map((r) => r.list_id));
  const byPolitician = new Set(politicianRows.map((r) => r.list_id));
  return lists.filter((l) => bySeat.has(l.id) || byPolitician.has(l.id)).map((l) => ({ ...l, through: bySeat.has(l.id) ? ('seat' as const) : ('politician' as const) }));
}
