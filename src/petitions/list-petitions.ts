import { sql } from 'kysely';
import type { PetitionState, Q } from './tables.ts';
import { londonTodaySql } from './closing-date.ts';
import { signablePetition } from './states.ts';
import { hydrate, type Petition } from './store.ts';
import { pageCount } from '../platform/index.ts';

export const petitionSorts = ['popular', 'newest', 'closing'] as const;
export type PetitionSort = (typeof petitionSorts)[number];

/** The Parliament site's outcome lists, each over the listed (open and closed) petitions. */
export type OutcomeFilter = 'awaiting_response' | 'with_response' | 'awaiting_debate' | 'debated' | 'not_debated';

const reached = (kind: 'response' | 'debate') =>
  sql<boolean>`exists (select 1 from petition_milestones m where m.petition_id = petitions.id and m.kind = ${kind} and m.reached_at is not null)`;
/** The SQL form of isDebated in petition-json.ts. */
const debated = sql<boolean>`(debate_outcome is not null or debate_date <= ${londonTodaySql})`;

const outcomeWhere: Record<OutcomeFilter, ReturnType<typeof sql<boolean>>> = {
  awaiting_response: sql<boolean>`(${reached('response')} and response_summary is null)`,
  with_response: sql<boolean>`response_summary is not null`,
  awaiting_debate: sql<boolean>`(${reached('debate')} and not coalesce(${debated}, false))`,
  debated,
  // Chorus records no decision not to debate, so this list is always empty.
  not_debated: sql<boolean>`false`,
};

export interface ListQuery {
  states: readonly PetitionState[];
  outcome?: OutcomeFilter | undefined;
  sort: PetitionSort;
  /** Words to find in the action, background or target (web-search syntax: "quoted phrases", -not). */
  search?: string | undefined;
  page: number;
  perPage: number;
}

export interface PetitionPage {
  petitions: Petition[];
  total: number;
  page: number;
  totalPages: number;
}

/** A page of petitions in the given states, searched and sorted. */
export async function listPetitions(q: Q, query: ListQuery): Promise<PetitionPage> {
  const search = query.search?.trim() || undefined;
  let select = q
    .selectFrom('petitions')
    .selectAll()
    .select(sql<number>`count(*) over ()`.as('total'))
    .where('state', 'in', [...query.states]);
  if (query.outcome) select = select.where(outcomeWhere[query.outcome]);
  if (search) {
    // The same expression as the petitions_search index, so the GIN index answers it.
    select = select.where(sql<boolean>`to_tsvector('english', action || ' ' || background || ' ' || target) @@ websearch_to_tsquery('english', ${search})`);
  }
  if (query.sort === 'newest') {
    select = select.orderBy(sql`coalesce(opened_at, created_at)`, 'desc');
  } else if (query.sort === 'closing') {
    select = select.orderBy(sql`closing_date asc nulls last`).orderBy('signature_count', 'desc');
  } else {
    select = select.orderBy('signature_count', 'desc');
  }
  const rows = await select
    .orderBy('id', 'desc')
    .limit(query.perPage)
    .offset((query.page - 1) * query.perPage)
    .execute();
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && query.page > 1) {
    // Past the last page: still say how many there are, for the links.
    const counted = await listPetitions(q, { ...query, page: 1 });
    total = counted.total;
  }
  const petitions = await hydrate(
    q,
    rows.map(({ total: _total, ...row }) => row),
  );
  return { petitions, total, page: query.page, totalPages: pageCount(total, query.perPage) };
}

/** When any petition, count or milestone last changed: the Last-Modified of the petition lists. */
export async function petitionsModifiedAt(q: Q): Promise<Date> {
  const row = await q
    .selectNoFrom([
      sql<Date | null>`(select max(greatest(updated_at, counted_at)) from petitions)`.as('petitions'),
      sql<Date | null>`(select max(reached_at) from petition_milestones)`.as('milestones'),
    ])
    .executeTakeFirstOrThrow();
  return new Date(Math.max(row.petitions?.getTime() ?? 0, row.milestones?.getTime() ?? 0));
}

/** The most signed petitions open for signing (of one group, when given), for the front page and group pages. */
export async function mostSignedOpenPetitions(q: Q, options: { groupId?: number; limit: number }): Promise<Petition[]> {
  let select = q.selectFrom('petitions').selectAll().where(signablePetition());
  if (options.groupId !== undefined) {
    const groupId = options.groupId;
    select = select.where((eb) => eb.exists(eb.selectFrom('petition_groups').select('petition_id').whereRef('petition_groups.petition_id', '=', 'petitions.id').where('petition_groups.group_id', '=', groupId)));
  }
  const rows = await select.orderBy('signature_count', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  return hydrate(q, rows);
}
