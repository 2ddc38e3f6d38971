import type { MemberRow, PersonSet, SetRow } from '../../supporters/index.ts';
import { identifier, isoDate, type Resource } from './hal.ts';
import { personHref } from './people.ts';

/**
 * Tags and lists are both named sets of people (the supporters' person-set-pages.ts reads them): a
 * tag's members are its taggings, a list's its items. One module presents both.
 */
export interface PersonSetKind {
  set: PersonSet;
  /** /api/v1/<path>/<id>/<memberPath> */
  path: 'tags' | 'lists';
  memberPath: 'taggings' | 'items';
  rel: 'osdi:tags' | 'osdi:lists';
  memberRel: 'osdi:taggings' | 'osdi:items';
  ownerRel: 'osdi:tag' | 'osdi:list';
  /** Lists carry a description and a count of the people in them. */
  described: boolean;
}

export const tagKind: PersonSetKind = {
  set: 'tag',
  path: 'tags',
  memberPath: 'taggings',
  rel: 'osdi:tags',
  memberRel: 'osdi:taggings',
  ownerRel: 'osdi:tag',
  described: false,
};

export const listKind: PersonSetKind = {
  set: 'list',
  path: 'lists',
  memberPath: 'items',
  rel: 'osdi:lists',
  memberRel: 'osdi:items',
  ownerRel: 'osdi:list',
  described: true,
};

export function setHref(baseUrl: string, kind: PersonSetKind, id: number): string {
  return `${baseUrl}/api/v1/${kind.path}/${id}`;
}

export function presentSet(baseUrl: string, kind: PersonSetKind, row: SetRow): Resource {
  const href = setHref(baseUrl, kind, row.id);
  return {
    identifiers: [identifier(row.id)],
    created_date: isoDate(row.created_at),
    modified_date: isoDate(row.modified_at),
    name: row.name,
    ...(kind.described ? { description: row.description, total_items: row.total_items } : {}),
    _links: { self: { href }, [kind.memberRel]: { href: `${href}/${kind.memberPath}` } },
  };
}

/** A tagging or a list item: one person in one set. */
export function presentMember(baseUrl: string, kind: PersonSetKind, setId: number, row: MemberRow): Resource {
  const owner = setHref(baseUrl, kind, setId);
  return {
    identifiers: [identifier(`${kind.path}-${setId}-${row.person_public_id}`)],
    created_date: isoDate(row.added_at),
    modified_date: isoDate(row.added_at),
    item_type: 'osdi:person',
    _links: {
      self: { href: `${owner}/${kind.memberPath}/${row.person_public_id}` },
      [kind.ownerRel]: { href: owner },
      'osdi:person': { href: personHref(baseUrl, row.person_public_id) },
    },
  };
}
