import { createHmac } from 'node:crypto';
import { createChallenge, randomInt, verifySolution, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Q } from './tables.ts';

/**
 * The "under attack" defence: while a petition's organisers have it switched on, the sign form
 * asks the browser for an ALTCHA proof of work (a few hundred milliseconds of hashing), fetched
 * from a JSON endpoint so the page itself stays cacheable. A signature without a valid, unused
 * solution is still stored, but held as 'unverified' until a moderator decides.
 */
const ALGORITHM = 'SHA-256';
/** The solver searches counters from 0 up to this range: tens of thousands of hashes in a browser. */
const COUNTER_MIN = 5_000;
const COUNTER_MAX = 50_000;
const VALID_SECONDS = 15 * 60;

interface Keys {
  signature: string;
  keySignature: string;
}

const keyCache = new Map<string, Keys>();

/** HMAC keys for challenges, derived from the instance secret (never the secret itself). */
function keys(secret: string): Keys {
  let k = keyCache.get(secret);
  if (!k) {
    const derive = (purpose: string) => createHmac('sha256', secret).update(`petitions.altcha.${purpose}`).digest('hex');
    k = { signature: derive('challenge'), keySignature: derive('key') };
    keyCache.set(secret, k);
  }
  return k;
}

/** A fresh signed challenge for one petition (bound to it, expiring in 15 minutes). */
export async function createSignChallenge(secret: string, petitionId: number): Promise<Challenge> {
  const k = keys(secret);
  return createChallenge({
    algorithm: ALGORITHM,
    cost: 1,
    counter: randomInt(COUNTER_MAX, COUNTER_MIN),
    deriveKey,
    data: { petition: petitionId },
    expiresAt: new Date(Date.now() + VALID_SECONDS * 1000),
    hmacSignatureSecret: k.signature,
    hmacKeySignatureSecret: k.keySignature,
  });
}

const payloadSchema = z.object({
  challenge: z.object({
    parameters: z.object({ data: z.object({ petition: z.number() }).passthrough() }).passthrough(),
    signature: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  solution: z.object({ counter: z.number(), derivedKey: z.string() }).passthrough(),
});

/** Reads the form's `altcha` field: base64 of the JSON payload the solver produced. */
function readPayload(field: string | undefined) {
  if (!field) return undefined;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(field, 'base64').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when `field` holds a valid solution to a challenge we issued for this petition that has
 * not been used before. Marks it used (across every process: a row keyed by its signature).
 */
export async function verifySignChallenge(q: Q, secret: string, petitionId: number, field: string | undefined): Promise<boolean> {
  const payload = readPayload(field);
  if (!payload || payload.challenge.parameters.data.petition !== petitionId) return false;
  const k = keys(secret);
  let verified: boolean;
  try {
    const result = await verifySolution({
      challenge: payload.challenge as unknown as Challenge,
      solution: payload.solution,
      deriveKey,
      hmacSignatureSecret: k.signature,
      hmacKeySignatureSecret: k.keySignature,
    });
    verified = result.verified;
  } catch {
    verified = false;
  }
  if (!verified) return false;
  const spent = await sql`
    insert into petition_challenges_spent (signature, expires_at)
    values (${payload.challenge.signature}, now() + make_interval(secs => ${VALID_SECONDS}))
    on conflict (signature) do nothing`.execute(q);
  if (Math.random() < 0.01) await sql`delete from petition_challenges_spent where expires_at < now()`.execute(q);
  return Number(spent.numAffectedRows ?? 0) === 1;
}
