import type { Handle } from '../platform/index.ts';
import { sql, type Selectable } from 'kysely';
import { findGroupsByIds } from '../coalition/index.ts';
import { petitionsQ, type CountDimension, type PetitionState, type PetitionsTable, type Q } from './tables.ts';
import type { Milestone } from './milestones.ts';

export interface PetitionGroup {
  id: number;
  slug: string;
  name: string;
}

/** A petition as pages, JSON and rules see it. */
export interface Petition {
  id: number;
  slug: string;
  /** `/petitions/<id>-<slug>` */
  path: string;
  action: string;
  background: string;
  additionalDetails: string;
  target: string;
  state: PetitionState;
  closingDate: string | null;
  imageUrl: string | null;
  /** The stored image's id (its media row). */
  imageId: string | null;
  imageAlt: string | null;
  createdBy: number | null;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  openedAt: Date | null;
  closedAt: Date | null;
  rejectedAt: Date | null;
  rejection: { code: string; details: string | null } | null;
  hiddenAt: Date | null;
  underAttack: boolean;
  signatureCount: number;
  lastSignedAt: Date | null;
  countedAt: Date | null;
  response: { date: string | null; summary: string; details: string | null } | null;
  handIn: { date: string | null; place: string | null; link: string | null } | null;
  debate: { date: string | null; links: string[]; outcome: string | null } | null;
  groups: PetitionGroup[];
  milestones: Milestone[];
}

export function petitionPath(id: number, slug: string): string {
  return `/petitions/${id}-${slug}`;
}

type PetitionRow = Selectable<PetitionsTable>;

export function toPetition(row: PetitionRow, groups: PetitionGroup[], milestones: Milestone[]): Petition {
  return {
    id: row.id,
    slug: row.slug,
    path: petitionPath(row.id, row.slug),
    action: row.action,
    background: row.background,
    additionalDetails: row.additional_details,
    target: row.target,
    state: row.state,
    closingDate: row.closing_date,
    imageUrl: row.image_media_id ? `/media/${row.image_media_id}` : null,
    imageId: row.image_media_id,
    imageAlt: row.image_alt,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    rejectedAt: row.rejected_at,
    rejection: row.rejection_code ? { code: row.rejection_code, details: row.rejection_details } : null,
    hiddenAt: row.hidden_at,
    underAttack: row.under_attack,
    signatureCount: row.signature_count,
    lastSignedAt: row.last_signed_at,
    countedAt: row.counted_at,
    response: row.response_summary ? { date: row.response_date, summary: row.response_summary, details: row.response_details } : null,
    handIn: row.hand_in_date || row.hand_in_place ? { date: row.hand_in_date, place: row.hand_in_place, link: row.hand_in_link } : null,
    debate:
      row.debate_date || row.debate_outcome || row.debate_links
        ? {
            date: row.debate_date,
            links: (row.debate_links ?? '').split(/\s+/).filter(Boolean),
            outcome: row.debate_outcome,
          }
        : null,
    groups,
    milestones,
  };
}

async function groupsOf(q: Q, ids: number[]): Promise<Map<number, PetitionGroup[]>> {
  const map = new Map<number, PetitionGroup[]>();
  if (ids.length === 0) return map;
  const links = await q.selectFrom('petition_groups').select(['petition_id', 'group_id']).where('petition_id', 'in', ids).execute();
  const groups = await findGroupsByIds(q, links.map((l) => l.group_id));
  const byGroup = new Map<number, number[]>();
  for (const l of links) byGroup.set(l.group_id, [...(byGroup.get(l.group_id) ?? []), l.petition_id]);
  // Groups come by name, so each petition's list is in name order.
  for (const g of groups) {
    for (const petitionId of byGroup.get(g.id) ?? []) map.set(petitionId, [...(map.get(petitionId) ?? []), { id: g.id, slug: g.slug, name: g.name }]);
  }
  return map;
}

async function milestonesOf(q: Q, ids: number[]): Promise<Map<number, Milestone[]>> {
  const map = new Map<number, Milestone[]>();
  if (ids.length === 0) return map;
  const rows = await q.selectFrom('petition_milestones').selectAll().where('petition_id', 'in', ids).orderBy('threshold').execute();
  for (const r of rows) {
    map.set(r.petition_id, [...(map.get(r.petition_id) ?? []), { threshold: r.threshold, kind: r.kind, label: r.label, reachedAt: r.reached_at }]);
  }
  return map;
}

/** Loads petitions with their groups and milestones, in the order of `rows`. */
export async function hydrate(q: Q, rows: PetitionRow[]): Promise<Petition[]> {
  const ids = rows.map((r) => r.id);
  const [groups, milestones] = await Promise.all([groupsOf(q, ids), milestonesOf(q, ids)]);
  return rows.map((r) => toPetition(r, groups.get(r.id) ?? [], milestones.get(r.id) ?? []));
}

export async function findPetition(handle: Handle, id: number): Promise<Petition | undefined> {
  const q = petitionsQ(handle);
  const row = await q.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return (await hydrate(q, [row]))[0];
}

export interface CountRow {
  key: string;
  count: number;
}

/** Aggregated counts of one dimension, largest first. */
export async function countsBy(q: Q, petitionId: number, dimension: CountDimension): Promise<CountRow[]> {
  return q
    .selectFrom('petition_counts')
    .select(['key', 'count'])
    .where('petition_id', '=', petitionId)
    .where('dimension', '=', dimension)
    .where('count', '>', 0)
    .orderBy('count', 'desc')
    .orderBy('key')
    .execute();
}

export async function countFor(q: Q, petitionId: number, dimension: CountDimension, key: string): Promise<number> {
  const row = await q
    .selectFrom('petition_counts')
    .select('count')
    .where('petition_id', '=', petitionId)
    .where('dimension', '=', dimension)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.count ?? 0;
}

/** Records milestones the latest counts crossed; each crossing is recorded once. */
export async function markReachedMilestones(q: Q, petitionIds: number[]): Promise<Array<{ petitionId: number; threshold: number; kind: string }>> {
  if (petitionIds.length === 0) return [];
  const result = await sql<{ petition_id: number; threshold: number; kind: string }>`
    update petition_milestones m set reached_at = now()
    from petitions p
    where m.petition_id = p.id and p.id = any(${petitionIds}::int[]) and m.reached_at is null and p.signature_count >= m.threshold
    returning m.petition_id, m.threshold, m.kind`.execute(q);
  return result.rows.map((r) => ({ petitionId: r.petition_id, threshold: r.threshold, kind: r.kind }));
}
