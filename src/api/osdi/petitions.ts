import type { Petition } from '../../petitions/index.ts';
import { identifier, isoDate, type Resource } from './hal.ts';

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
