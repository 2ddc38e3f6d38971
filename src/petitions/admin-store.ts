import { sql } from 'kysely';
import type { PetitionState, Q } from './tables.ts';
import type { MilestoneInput } from './petition-form.ts';
import { hydrate, markReachedMilestones, type Petition } from './store.ts';
import { MODERATABLE_STATES } from './states.ts';
import { pageCount } from '../platform/index.ts';

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  totalPages: number;
}

function pageOf<T>(items: T[], total: number, page: number, perPage: number): PageOf<T> {
  return { items, total, page, totalPages: pageCount(total, perPage) };
}

/** Petitions an organiser may see on their list: every one for admins and moderators, else their groups'. */
function scoped(q: Q, groupIds: number[] | 'all') {
  let query = q.selectFrom('petitions');
  if (groupIds !== 'all') {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('petition_groups')
          .select('petition_groups.petition_id')
          .whereRef('petition_groups.petition_id', '=', 'petitions.id')
          .where('petition_groups.group_id', 'in', groupIds.length > 0 ? groupIds : [-1]),
      ),
    );
  }
  return query;
}

export async function listPetitionsForAdmin(
  q: Q,
  options: { groupIds: number[] | 'all'; state?: PetitionState | undefined; page: number; perPage: number },
): Promise<PageOf<Petition>> {
  let query = scoped(q, options.groupIds);
  if (options.state) query = query.where('state', '=', options.state);
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    query
      .selectAll()
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.perPage)
      .offset((options.page - 1) * options.perPage)
      .execute(),
  ]);
  return pageOf(await hydrate(q, rows), Number(count.n), options.page, options.perPage);
}

/** How many petitions are in each state (for the filter). */
export async function countByState(q: Q, groupIds: number[] | 'all'): Promise<Partial<Record<PetitionState, number>>> {
  const rows = await scoped(q, groupIds)
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** Petitions waiting for a moderator, oldest submission first. */
export async function moderationQueue(q: Q, page: number, perPage: number): Promise<PageOf<Petition>> {
  const base = q.selectFrom('petitions').where('state', 'in', MODERATABLE_STATES);
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .selectAll()
      .orderBy(sql`submitted_at asc nulls last`)
      .orderBy('id')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
  ]);
  return pageOf(await hydrate(q, rows), Number(count.n), page, perPage);
}

/**
 * Makes a petition's milestones exactly `milestones`. A threshold that stays keeps its
 * `reached_at` (a crossing is recorded once); one already below the count is marked reached now.
 */
export async function replaceMilestones(q: Q, petitionId: number, milestones: MilestoneInput[]): Promise<void> {
  const thresholds = milestones.map((m) => m.threshold);
  let removal = q.deleteFrom('petition_milestones').where('petition_id', '=', petitionId);
  if (thresholds.length > 0) removal = removal.where('threshold', 'not in', thresholds);
  await removal.execute();
  if (milestones.length > 0) {
    await q
      .insertInto('petition_milestones')
      .values(milestones.map((m) => ({ petition_id: petitionId, threshold: m.threshold, kind: m.kind, label: m.label })))
      .onConflict((oc) =>
        oc.columns(['petition_id', 'threshold']).doUpdateSet((eb) => ({ kind: eb.ref('excluded.kind'), label: eb.ref('excluded.label') })),
      )
      .execute();
  }
  await markReachedMilestones(q, [petitionId]);
}

export async function setPetitionGroups(q: Q, petitionId: number, groupIds: number[]): Promise<void> {
  await q.deleteFrom('petition_groups').where('petition_id', '=', petitionId).where('group_id', 'not in', groupIds).execute();
  await q
    .insertInto('petition_groups')
    .values(groupIds.map((group_id) => ({ petition_id: petitionId, group_id })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Holds the petition's row until the transaction ends, so two changes cannot interleave. */
export async function lockPetition(q: Q, petitionId: number): Promise<boolean> {
  const row = await q.selectFrom('petitions').select('id').where('id', '=', petitionId).forUpdate().executeTakeFirst();
  return row !== undefined;
}

/** Signatures held as suspect and not yet decided (uses the small partial index). */
export async function heldCount(q: Q, petitionId: number): Promise<number> {
  const row = await sql<{ n: number }>`
    select count(*)::int as n from signatures
    where petition_id = ${petitionId} and held_reason is not null and state <> 'invalidated'`.execute(q);
  return row.rows[0]?.n ?? 0;
}
