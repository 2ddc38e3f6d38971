import { sql, type Selectable, type SqlBool } from 'kysely';
import { filterWhere, pagedQuery, whereWith, type FieldSpecs, type FilterNode, type Handle, type PageRequest } from '../platform/index.ts';
import { hydrate, type Petition } from './store.ts';
import { petitionsQ, type PetitionsTable } from './tables.ts';

/** Fields a collection of petitions can be filtered on (OSDI names), and their columns. */
export const petitionFilterFields: FieldSpecs = {
  created_date: { type: 'date', column: 'pe.created_at' },
  modified_date: { type: 'date', column: 'pe.updated_at' },
  title: { type: 'text', column: 'pe.action', ops: ['eq', 'ne'] },
};

/** Whose petitions a reader sees: one group's, or (null) the whole coalition's. */
export interface PetitionScope {
  groupId: number | null;
}

/** A group sees the petitions it runs (alone or with others); the coalition sees all. */
function petitionInScope(scope: PetitionScope) {
  if (scope.groupId === null) return sql<SqlBool>`true`;
  return sql<SqlBool>`exists (select 1 from petition_groups pg where pg.petition_id = pe.id and pg.group_id = ${scope.groupId})`;
}

/** One page of the petitions in scope, filtered, in id order, with the count of all that match. */
export async function listPetitionsPage(
  handle: Handle,
  options: { scope: PetitionScope; filter: FilterNode | undefined } & PageRequest,
): Promise<{ petitions: Petition[]; total: number }> {
  const q = petitionsQ(handle);
  const where = whereWith(petitionInScope(options.scope), filterWhere(options.filter, petitionFilterFields));
  const { rows, total } = await pagedQuery<Selectable<PetitionsTable>>(q, { columns: sql`pe.*`, from: sql`petitions pe`, where, orderBy: sql`pe.id` }, options);
  return { petitions: await hydrate(q, rows), total };
}

/** A petition by id, if it is in scope. */
export async function findPetitionInScope(handle: Handle, scope: PetitionScope, id: number): Promise<Petition | undefined> {
  const q = petitionsQ(handle);
  const rows = await sql<Selectable<PetitionsTable>>`select pe.* from petitions pe where pe.id = ${id} and ${petitionInScope(scope)}`.execute(q);
  return (await hydrate(q, rows.rows))[0];
}
