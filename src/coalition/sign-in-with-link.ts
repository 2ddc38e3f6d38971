import type { Q } from './tables.ts';
import { consumeOrganiserToken, getOrganiser } from './organisers.ts';

export interface LinkSignIn {
  organiserId: number;
  /** Whether the account has a password yet; without one the organiser is sent to set it. */
  hasPassword: boolean;
}

/** Uses a one-time sign-in link (run in a transaction): the link stops working and the sign-in is recorded. */
export async function signInWithLink(tx: Q, token: string): Promise<LinkSignIn> {
  const organiserId = await consumeOrganiserToken(tx, token, 'sign-in');
  await tx.updateTable('organisers').set({ last_sign_in_at: new Date() }).where('id', '=', organiserId).execute();
  const organiser = await getOrganiser(tx, organiserId);
  return { organiserId, hasPassword: organiser?.hasPassword ?? false };
}
