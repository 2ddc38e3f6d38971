import { z } from 'zod';
import type { AppContext, Q } from './tables.ts';
import { addJob, defineJob, enforceRateLimits, queueEmail, recordAudit } from '../platform/index.ts';
import { consumeOrganiserToken, emailKey, findOrganiserByEmail, issueOrganiserToken, setOrganiserPassword } from './organisers.ts';
import { endAllSessions } from './sessions.ts';
import { liftSignInPause, recordSignInAddress } from './sign-in-with-password.ts';

/** A reset link works once, for an hour. */
export const RESET_TTL_MS = 60 * 60 * 1000;
/** Requests allowed per hour: for one email address, and from one client address. */
export const MAX_RESETS_PER_ADDRESS = 3;
export const MAX_RESETS_PER_IP = 20;

/**
 * Looks up the account and emails a reset link, in the background. The request itself does the
 * same work whether or not the address has an account, so neither its answer nor its timing
 * says which addresses exist.
 */
export const sendPasswordResetEmail = defineJob('coalition.password-reset.email', z.object({ email: z.string() }), async ({ email }, ctx: AppContext) => {
  const organiser = await findOrganiserByEmail(ctx.db, email);
  if (!organiser || organiser.disabled_at) return;
  const brand = await ctx.brand.get();
  await ctx.db.transaction().execute(async (tx) => {
    const token = await issueOrganiserToken(tx, organiser.id, 'password-reset', RESET_TTL_MS);
    await queueEmail(tx, {
      kind: 'organiser.password-reset',
      to: organiser.email,
      brand,
      baseUrl: ctx.config.BASE_URL,
      // The link is stored only until sent; the message is deleted two days on.
      secrets: [token],
      keepDays: 2,
      content: {
        subject: `Reset your ${brand.name} password`,
        heading: 'Reset your password',
        blocks: [
          { type: 'paragraph', text: `Someone asked to reset the password of the ${brand.name} organiser account for this address.` },
          { type: 'button', href: `${ctx.config.BASE_URL}/reset-password/${token}`, label: 'Set a new password' },
          { type: 'small', text: 'The link works once, for one hour. If you did not ask for this, ignore this email: your password has not changed.' },
        ],
      },
    });
  });
});

/**
 * Throttles reset requests per address and per client address (each counted in one statement, so
 * a burst cannot pass either limit), then queues the email.
 */
export async function requestPasswordReset(q: Q, props: { email: string; ip: string }): Promise<void> {
  const key = emailKey(props.email);
  await enforceRateLimits(
    q,
    [
      { bucket: 'password-reset.account', key, limit: MAX_RESETS_PER_ADDRESS, windowSeconds: 3600 },
      { bucket: 'password-reset.address', key: props.ip, limit: MAX_RESETS_PER_IP, windowSeconds: 3600 },
    ],
    'Too many reset links have been asked for. Wait an hour, then try again, or ask a coalition admin.',
  );
  await addJob(q, sendPasswordResetEmail, { email: key });
}

/**
 * Sets a new password with a reset link: uses the link up, voids the account's other reset
 * links, ends every session, and lifts any pause on signing in to the account from the client
 * address the link was used from (which becomes one the organiser is known to sign in from).
 */
export async function resetPasswordWithToken(q: Q, token: string, password: string, ip: string): Promise<number> {
  const id = await consumeOrganiserToken(q, token, 'password-reset');
  await setOrganiserPassword(q, id, password);
  await endAllSessions(q, id);
  await q.updateTable('organiser_tokens').set({ used_at: new Date() }).where('organiser_id', '=', id).where('purpose', '=', 'password-reset').where('used_at', 'is', null).execute();
  const organiser = await q.selectFrom('organisers').select(['id', 'name', 'email', 'role']).where('id', '=', id).executeTakeFirstOrThrow();
  await liftSignInPause(q, organiser.email, ip);
  await recordSignInAddress(q, id, ip);
  await recordAudit(q, { actor: organiser, action: 'organiser.password.reset', subjectType: 'organiser', subjectId: id });
  return id;
}
