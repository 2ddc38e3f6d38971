import { sql, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import { hydrate, type Petition } from '../../petitions/store.ts';
import type { PetitionsTable } from '../../petitions/tables.ts';
import type { Q } from '../../schema.ts';
import type { FieldSpecs } from './filter.ts';
import { pagedQuery, whereWith } from './paged-query.ts';
import { identifier, isoDate, type Resource } from './hal.ts';
import type { ApiScope } from './scope.ts';

export const petitionFilterFields: FieldSpecs = {
  created_date: { type: 'date', column: 'pe.created_at' },
  modified_date: { type: 'date', column: 'pe.updated_at' },
  title: { type: 'text', column: 'pe.action', ops: ['eq', 'ne'] },
};

/** A group's key sees the petitions its group runs (alone or with others); a coalition key sees all. */
export function petitionInScope(scope: ApiScope): RawBuilder<SqlBool> {
  if (scope.groupId === null) return sql<SqlBool>`true`;
  return sql<SqlBool>`exists (select 1 from petition_groups pg where pg.petition_id = pe.id and pg.group_id = ${scope.groupId})`;
}

export async function listPetitions(q: Q, scope: ApiScope, filter: RawBuilder<SqlBool> | undefined, page: { page: number; perPage: number }) {
  const { rows, total } = await pagedQuery<Selectable<PetitionsTable>>(
    q,
    { columns: sql`pe.*`, from: sql`petitions pe`, where: whereWith(petitionInScope(scope), filter), orderBy: sql`pe.id` },
    page,
  );
  return { petitions: await hydrate(q, rows), total };
}

export async function findPetitionInScope(q: Q, scope: ApiScope, id: number): Promise<Petition | undefined> {
  const rows = await sql<Selectable<PetitionsTable>>`select pe.* from petitions pe where pe.id = ${id} and ${petitionInScope(scope)}`.execute(q);
  return (await hydrate(q, rows.rows))[0];
}

export function petitionHref(baseUrl: string, id: number): string {
  return `${baseUrl}/api/v1/petitions/${id}`;
}

export function presentPetition(baseUrl: string, petition: Petition): Resource {
  const href = petitionHref(baseUrl, petition.id);
  return {
    identifiers: [identifier(petition.id)],
    origin_system: 'Chorus',
    created_date: isoDate(petition.createdAt),
    modified_date: isoDate(petition.updatedAt),
    title: petition.action,
    description: petition.background,
    petition_text: petition.action,
    target: [{ name: petition.target }],
    total_signatures: petition.signatureCount,
    browser_url: `${baseUrl}${petition.path}`,
    ...(petition.imageUrl ? { featured_image_url: `${baseUrl}${petition.imageUrl}` } : {}),
    'chorus:state': petition.state,
    'chorus:closing_date': petition.closingDate,
    'chorus:groups': petition.groups.map((g) => g.name),
    _links: {
      self: { href },
      'osdi:signatures': { href: `${href}/signatures` },
      'osdi:record_signature_helper': { href: `${href}/signatures` },
    },
  };
}
