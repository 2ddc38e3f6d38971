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

/**
 * "Email these signers": the segment builder (the supporters capability's page) with one condition
 * filled in, "signed this petition"; saved, the segment is what a mailing goes to, and a mailing
 * reaches only those in it who agreed to hear from the group sending it.
 */
export function emailSignersPath(petitionId: number): string {
  const query = new URLSearchParams({ match: 'all', 'c0.kind': 'action', 'c0.action': 'petition.signed', 'c0.subject': String(petitionId) });
  return `/admin/segments/new?${query.toString()}`;
}
