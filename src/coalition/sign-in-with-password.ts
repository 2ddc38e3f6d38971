import { sql } from 'kysely';
import { DomainError, hitRateLimits, queueEmail, rateLimited, refundRateLimit, type RateLimit } from '../platform/index.ts';
import type { AppContext, Q } from './tables.ts';
import { emailKey, findOrganiserByEmail, issueOrganiserToken } from './organisers.ts';
import { verifyPassword } from './passwords.ts';

/** Failed sign-ins are counted over 15 minutes. */
export const FAILURE_WINDOW_SECONDS = 15 * 60;
/** Attempts from one client address, on any accounts, per window. */
export const MAX_ATTEMPTS_PER_ADDRESS = 50;
/** Failures on one account from this many client addresses in a window: the account is under attack. */
export const ATTACK_ADDRESSES = 3;
/** The organiser is warned of an attack at most once an hour. */
export const ATTACK_WARNING_SECONDS = 60 * 60;
/** The link that finishes a sign-in from a new address under attack works once, for 15 minutes. */
export const SECOND_FACTOR_TTL_MS = 15 * 60 * 1000;

export interface SignInProps {
  email: string;
  password: string;
  ip: string;
  /** Failures allowed for one account from one client address per window. */
  maxFailures: number;
}

export type SignInOutcome =
  | { kind: 'signed-in'; organiserId: number }
  /**
   * The account is under attack and the client address is new to it: if the password was right, a
   * one-time link went to the account's address. The answer is the same either way, so it does
   * not tell an attacker that a guess was right.
   */
  | { kind: 'link-sent' };

const invalid = () =>
  new DomainError('invalid', 'Enter a correct email address and password', {
    problems: [{ field: 'email', message: 'Enter a correct email address and password' }],
  });

function attemptLimits(key: string, ip: string, maxFailures: number): { accountAddress: RateLimit; address: RateLimit } {
  return {
    // One account from one address: an attacker's failures do not pause the organiser elsewhere.
    accountAddress: { bucket: 'sign-in.account-address', key: `${key}\n${ip}`, limit: maxFailures, windowSeconds: FAILURE_WINDOW_SECONDS },
    address: { bucket: 'sign-in.address', key: ip, limit: MAX_ATTEMPTS_PER_ADDRESS, windowSeconds: FAILURE_WINDOW_SECONDS },
  };
}

/** How many client addresses failed to sign in to this account in the window. */
async function failingAddresses(q: Q, key: string): Promise<number> {
  const row = await q
    .selectFrom('sign_in_failures')
    .select(sql<number>`count(distinct ip)::int`.as('n'))
    .where('email_key', '=', key)
    .where('at', '>', sql<Date>`now() - make_interval(secs => ${FAILURE_WINDOW_SECONDS})`)
    .executeTakeFirstOrThrow();
  return row.n;
}

async function isKnownAddress(q: Q, organiserId: number, ip: string): Promise<boolean> {
  const row = await q.selectFrom('organiser_sign_in_addresses').select('ip').where('organiser_id', '=', organiserId).where('ip', '=', ip).executeTakeFirst();
  return row !== undefined;
}

/** Remembers a client address the organiser has signed in from (password or link). */
export async function recordSignInAddress(q: Q, organiserId: number, ip: string): Promise<void> {
  await q
    .insertInto('organiser_sign_in_addresses')
    .values({ organiser_id: organiserId, ip })
    .onConflict((oc) => oc.columns(['organiser_id', 'ip']).doUpdateSet({ last_at: sql<Date>`now()` }))
    .execute();
  await q.updateTable('organisers').set({ last_sign_in_at: new Date() }).where('id', '=', organiserId).execute();
}

/** Lifts the pause on one account from one client address (a successful sign-in or reset from there). */
export async function liftSignInPause(q: Q, email: string, ip: string): Promise<void> {
  await refundRateLimit(q, attemptLimits(emailKey(email), ip, 0).accountAddress, 'all');
}

async function warnOfAttack(ctx: AppContext, organiser: { id: number; email: string }): Promise<void> {
  const once = await hitRateLimits(ctx.db, [{ bucket: 'sign-in.attack-warning', key: String(organiser.id), limit: 1, windowSeconds: ATTACK_WARNING_SECONDS }]);
  if (!once.allowed) return;
  const brand = await ctx.brand.get();
  await queueEmail(ctx.db, {
    kind: 'organiser.sign-in-attack',
    to: organiser.email,
    brand,
    baseUrl: ctx.config.BASE_URL,
    content: {
      subject: `Someone is trying to sign in to your ${brand.name} account`,
      heading: 'Someone is trying to sign in to your account',
      blocks: [
        {
          type: 'paragraph',
          text: `Wrong passwords for the ${brand.name} organiser account of this address have been tried from ${ATTACK_ADDRESSES} or more different places in the last 15 minutes.`,
        },
        {
          type: 'paragraph',
          text: 'You can still sign in as usual from where you have signed in before. From anywhere else, we will email you a one-time link to finish signing in.',
        },
        { type: 'button', href: `${ctx.config.BASE_URL}/forgot-password`, label: 'Change my password' },
        { type: 'small', text: 'If this was you mistyping, you can ignore this email. We send it at most once an hour.' },
      ],
    },
  });
}

async function sendSecondFactorLink(ctx: AppContext, organiser: { id: number; email: string }): Promise<void> {
  const brand = await ctx.brand.get();
  await ctx.db.transaction().execute(async (tx) => {
    const token = await issueOrganiserToken(tx, organiser.id, 'sign-in', SECOND_FACTOR_TTL_MS);
    await queueEmail(tx, {
      kind: 'organiser.sign-in-link',
      to: organiser.email,
      brand,
      baseUrl: ctx.config.BASE_URL,
      content: {
        subject: `Finish signing in to ${brand.name}`,
        heading: 'Finish signing in',
        blocks: [
          {
            type: 'paragraph',
            text: 'Your password was just used to sign in from a place you have not signed in from before, while someone is trying wrong passwords on your account. To finish signing in, open this link on the same device.',
          },
          { type: 'button', href: `${ctx.config.BASE_URL}/sign-in/link/${token}`, label: 'Finish signing in' },
          { type: 'small', text: 'The link works once, for 15 minutes. If this was not you, your password is known: change it now.' },
        ],
      },
    });
  });
}

/**
 * Checks an email and password. Each attempt is counted before the password is checked, in one
 * statement per limit (`hitRateLimits`), so a burst cannot pass a limit: at most `maxFailures` for
 * one account from one client address, and `MAX_ATTEMPTS_PER_ADDRESS` from one address, per 15
 * minutes; a correct password gives its attempt back. Failures from many addresses put the
 * account under attack: the organiser is warned by email, and a correct password from an address
 * they have not signed in from before only sends them a one-time link. The message never says
 * which part was wrong.
 */
export async function signInWithPassword(ctx: AppContext, props: SignInProps): Promise<SignInOutcome> {
  const q = ctx.db;
  const key = emailKey(props.email);
  const limits = attemptLimits(key, props.ip, props.maxFailures);
  const taken = await hitRateLimits(q, [limits.accountAddress, limits.address]);
  if (!taken.allowed) {
    throw rateLimited('Too many failed attempts to sign in from here. Wait 15 minutes, or reset your password.', taken.retryAfterSeconds);
  }
  const organiser = await findOrganiserByEmail(q, key);
  const ok = await verifyPassword(organiser?.password_hash ?? null, props.password);
  const underAttack = (await failingAddresses(q, key)) >= ATTACK_ADDRESSES;
  const known = organiser ? await isKnownAddress(q, organiser.id, props.ip) : false;
  const needsLink = underAttack && !known;

  if (!organiser || !ok || organiser.disabled_at) {
    await q.insertInto('sign_in_failures').values({ email_key: key, ip: props.ip }).execute();
    if (organiser && !organiser.disabled_at && (underAttack || (await failingAddresses(q, key)) >= ATTACK_ADDRESSES)) {
      await warnOfAttack(ctx, organiser);
    }
    if (needsLink) return { kind: 'link-sent' };
    throw invalid();
  }
  await refundRateLimit(q, limits.accountAddress, 'all');
  await refundRateLimit(q, limits.address);
  if (needsLink) {
    await sendSecondFactorLink(ctx, organiser);
    return { kind: 'link-sent' };
  }
  await recordSignInAddress(q, organiser.id, props.ip);
  return { kind: 'signed-in', organiserId: organiser.id };
}
