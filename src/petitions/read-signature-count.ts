import type { Q } from './tables.ts';

export interface SignatureCount {
  signature_count: number;
  /** When the batched counter last added signatures; null until it first has. */
  counted_at: Date | null;
  updated_at: Date;
}

/** A petition's current signature count, as the count endpoint polls it (not the cached petition). */
export async function readSignatureCount(q: Q, petitionId: number): Promise<SignatureCount> {
  return q.selectFrom('petitions').select(['signature_count', 'counted_at', 'updated_at']).where('id', '=', petitionId).executeTakeFirstOrThrow();
}
