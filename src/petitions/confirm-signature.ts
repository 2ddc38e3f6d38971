import { sql } from 'kysely';
import { DomainError, notFound } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { tokenMatches } from './confirmation-emails.ts';

export interface Confirmation {
  petitionId: number;
  constituencyCode: string | null;
  /** False when this link had been used before (confirming twice is harmless). */
  newlyConfirmed: boolean;
  held: boolean;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Confirms a signature from its email link. The signature is then counted by the next counting
 * batch (within seconds). Works only while the petition is open.
 */
/** Checks a confirmation link without changing anything (its page shows the button that confirms). */
export function checkConfirmationLink(secret: string, publicId: string, token: string): void {
  if (!uuid.test(publicId) || !tokenMatches(secret, publicId, token)) {
    throw notFound('signature (the link may be incomplete: try copying the whole link from the email)');
  }
}

export async function confirmSignature(q: Q, secret: string, publicId: string, token: string): Promise<Confirmation> {
  checkConfirmationLink(secret, publicId, token);
  const row = await sql<{ petition_id: number; constituency_code: string | null; state: string; held: boolean; petition_state: string }>`
    select s.petition_id, s.constituency_code, s.state, s.held_reason is not null as held, p.state as petition_state
    from signatures s join petitions p on p.id = s.petition_id
    where s.public_id = ${publicId}`.execute(q);
  const found = row.rows[0];
  if (!found || found.state === 'invalidated') throw notFound('signature');
  if (found.state === 'validated') {
    return { petitionId: found.petition_id, constituencyCode: found.constituency_code, newlyConfirmed: false, held: found.held };
  }
  if (found.petition_state !== 'open') {
    throw new DomainError('conflict', 'This petition has closed, so signatures can no longer be confirmed.');
  }
  const updated = await sql`
    update signatures set state = 'validated', validated_at = now(), confirmation_due_at = null
    where public_id = ${publicId} and state = 'pending'`.execute(q);
  return {
    petitionId: found.petition_id,
    constituencyCode: found.constituency_code,
    newlyConfirmed: Number(updated.numAffectedRows ?? 0) === 1,
    held: found.held,
  };
}
