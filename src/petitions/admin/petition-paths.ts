import type { Petition } from '../store.ts';

/** Where an organiser finds a petition's admin pages. */
export function petitionAdminPath(id: number, page = ''): string {
  return `/admin/petitions/${id}${page ? `/${page}` : ''}`;
}

/** Breadcrumbs for pages under one petition. */
export function petitionCrumbs(petition: Petition): Array<{ href: string; label: string }> {
  return [
    { href: '/admin/petitions', label: 'Petitions' },
    { href: petitionAdminPath(petition.id), label: petition.action },
  ];
}
