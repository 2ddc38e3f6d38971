import { invalidField, type Handle } from '../platform/index.ts';
import { coalitionQ } from './tables.ts';

export interface Group {
  id: number;
  slug: string;
  name: string;
  description: string;
  website: string | null;
  contactEmail: string | null;
  logoUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type GroupRow = {
  id: number;
  slug: string;
  name: string;
  description: string;
  website: string | null;
  contact_email: string | null;
  logo_media_id: string | null;
  created_at: Date;
  updated_at: Date;
};

export function toGroup(row: GroupRow): Group {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    website: row.website,
    contactEmail: row.contact_email,
    logoUrl: row.logo_media_id ? `/media/${row.logo_media_id}` : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listGroups(handle: Handle): Promise<Group[]> {
  const q = coalitionQ(handle);
  const rows = await q.selectFrom('groups').selectAll().orderBy('name').execute();
  return rows.map(toGroup);
}

export async function findGroupBySlug(handle: Handle, slug: string): Promise<Group | undefined> {
  const q = coalitionQ(handle);
  const row = await q.selectFrom('groups').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toGroup(row) : undefined;
}

export async function findGroupById(handle: Handle, id: number): Promise<Group | undefined> {
  const q = coalitionQ(handle);
  const row = await q.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toGroup(row) : undefined;
}

/** The groups with these ids, by name (unknown ids are left out). */
export async function findGroupsByIds(handle: Handle, ids: readonly number[]): Promise<Group[]> {
  if (ids.length === 0) return [];
  const rows = await coalitionQ(handle).selectFrom('groups').selectAll().where('id', 'in', [...new Set(ids)]).orderBy('name').execute();
  return rows.map(toGroup);
}

/**
 * The names of the groups with these ids, for a page of another capability's rows that belong to
 * groups (nulls and unknown ids are left out): one query however many rows.
 */
export async function groupNamesOf(handle: Handle, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await coalitionQ(handle).selectFrom('groups').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Group ids an organiser may act for: every group for admins, their own for organisers. */
export async function groupIdsFor(handle: Handle, viewer: { id: number; role: string }): Promise<number[] | 'all'> {
  const q = coalitionQ(handle);
  if (viewer.role === 'admin') return 'all';
  const rows = await q.selectFrom('organiser_groups').select('group_id').where('organiser_id', '=', viewer.id).execute();
  return rows.map((r) => r.group_id);
}

/** URL-safe slug from a name: "Keep Our NHS Public!" → "keep-our-nhs-public". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** One page of groups by name: every group, or only those with the given ids. */
export async function listGroupPage(handle: Handle, options: { only: number[] | 'all'; page: number; perPage: number }): Promise<{ groups: Group[]; total: number }> {
  const q = coalitionQ(handle);
  const only = options.only;
  if (only !== 'all' && only.length === 0) return { groups: [], total: 0 };
  let query = q.selectFrom('groups');
  if (only !== 'all') query = query.where('id', 'in', only);
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    query
      .selectAll()
      .orderBy('name')
      .orderBy('id')
      .limit(options.perPage)
      .offset((options.page - 1) * options.perPage)
      .execute(),
  ]);
  return { groups: rows.map(toGroup), total: Number(count.n) };
}

/** Groups by id, for showing an organiser's memberships. */
export async function groupNamesById(handle: Handle): Promise<Map<number, string>> {
  const q = coalitionQ(handle);
  const rows = await q.selectFrom('groups').select(['id', 'name']).orderBy('name').execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Checks that each id names a group (ids come from checkboxes, which anyone can edit). */
export async function assertGroupsExist(handle: Handle, field: string, ids: number[]): Promise<void> {
  const q = coalitionQ(handle);
  if (ids.length === 0) return;
  const found = await q.selectFrom('groups').select('id').where('id', 'in', ids).execute();
  if (found.length !== new Set(ids).size) throw invalidField(field, 'Choose groups from the list');
}
