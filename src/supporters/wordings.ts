import type { Brand } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { wordingFor, type Purpose, type Wording } from './consent.ts';

/**
 * The words next to a consent box on our own forms. They name who will write and say how to
 * stop; when the words change (a renamed group or coalition), the purpose gets a new version.
 */
export function standardWording(purpose: Purpose, brand: Brand): string {
  if (purpose.groupId === null) {
    return `Email me news and campaign updates from ${brand.name}. I can unsubscribe at any time.`;
  }
  const groupName = purpose.name.replace(/ updates$/, '');
  return `Email me news and campaign updates from ${groupName}, a member group of ${brand.name}. I can unsubscribe at any time.`;
}

/** The current standard wording of a purpose, recorded as a version so forms can name it. */
export async function currentWording(q: Q, purpose: Purpose, brand: Brand): Promise<Wording> {
  return wordingFor(q, purpose.id, standardWording(purpose, brand));
}
