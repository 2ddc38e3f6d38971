import { sql } from 'kysely';
import type { PetitionState, Q } from './tables.ts';
import { hydrate, type Petition } from './store.ts';
import { pageCount } from '../platform/index.ts';

export const petitionSorts = ['popular', 'newest', 'closing'] as const;
export type PetitionSort = (typeof petitionSorts)[number];

export interface ListQuery {
  states: readonly PetitionState[];
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
