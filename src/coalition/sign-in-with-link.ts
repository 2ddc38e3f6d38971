import type { Q } from './tables.ts';
import { consumeOrganiserToken, getOrganiser } from './organisers.ts';
import { liftSignInPause, recordSignInAddress } from './sign-in-with-password.ts';

export interface LinkSignIn {
  organiserId: number;
  /** Whether the account has a password yet; without one the organiser is sent to set it. */
  hasPassword: boolean;
}

/**
 * Uses a one-time sign-in link (run in a transaction): the link stops working, the sign-in is
 * recorded, and the client address becomes one the organiser is known to sign in from.
 */
export async function signInWithLink(tx: Q, token: string, ip: string): Promise<LinkSignIn> {
  const organiserId = await consumeOrganiserToken(tx, token, 'sign-in');
  await recordSignInAddress(tx, organiserId, ip);
  const organiser = await getOrganiser(tx, organiserId);
  if (organiser) await liftSignInPause(tx, organiser.email, ip);
  return { organiserId, hasPassword: organiser?.hasPassword ?? false };
}
