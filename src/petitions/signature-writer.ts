import { sql } from 'kysely';
import type { Db, Tx } from '../schema.ts';
import { decideDuplicate } from './duplicate-rule.ts';
import { overRateLimit, type RateLimits } from './rate-limit.ts';

/** A validated signature, ready to store. */
export interface SignatureInput {
  petitionId: number;
  name: string;
  email: string;
  canonicalEmail: string;
  /** Normalised UK postcode (e.g. "AB10 1AB"), or null when signing from abroad. */
  postcode: string | null;
  /** ISO 3166 code; 'GB' for the UK. */
  countryCode: string;
  ip: string | null;
  hearMore: boolean;
  consentTextId: number | null;
}

export type PostcodePlace =
  | { status: 'found'; constituencyCode: string | null; regionCode: string | null }
  | { status: 'unknown' | 'terminated' | 'outside_uk' | 'malformed'; message: string };

/** Looks up many postcodes in one query (politics capability). */
export type ResolvePostcodes = (q: Tx, postcodes: string[]) => Promise<Map<string, PostcodePlace>>;

export type SignOutcome =
  /** Stored; a confirmation email will follow. `held`: over the rate limit, not counted until moderated. */
  | { kind: 'signed'; publicId: string; held: boolean; constituencyCode: string | null }
  /** Already signed and not yet confirmed: the confirmation email is sent again. */
  | { kind: 'resent'; publicId: string; constituencyCode: string | null }
  /** Already signed, and confirmed. */
  | { kind: 'already-signed'; constituencyCode: string | null }
  /** Already signed, and five confirmation emails have been sent. */
  | { kind: 'email-limit' }
  /** Two people have already signed with this email address. */
  | { kind: 'household-limit' }
  | { kind: 'postcode'; field: 'postcode'; message: string }
  | { kind: 'not-open' };

export const MAX_EMAILS_PER_SIGNATURE = 5;

interface Pending {
  input: SignatureInput;
  resolve: (outcome: SignOutcome) => void;
  reject: (error: unknown) => void;
}

export interface SignatureWriterOptions {
  resolvePostcodes: ResolvePostcodes;
  rateLimits: RateLimits;
  /** Called inside each batch's transaction when confirmation emails became due (queue the sender). */
  onConfirmationsDue: (tx: Tx) => Promise<void>;
  /** Most signatures in one transaction. */
  maxBatch?: number;
  /** Transactions in flight at once. */
  maxConcurrent?: number;
}

/**
 * Stores signatures in batches. Each request waits in a queue; whenever a connection is free,
 * everything queued is written in one transaction (duplicate rule, rate limits and postcode
 * lookups done set-wise), and only after COMMIT is each request answered. Under a spike this
 * turns thousands of single-row commits into a few hundred multi-row ones; at rest a lone
 * signature is written at once.
 */
export class SignatureWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxConcurrent: number;

  constructor(private readonly db: Db, private readonly options: SignatureWriterOptions) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.maxConcurrent = options.maxConcurrent ?? 2;
  }

  submit(input: SignatureInput): Promise<SignOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.inFlight < this.maxConcurrent && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      this.write(batch)
        .then(
          (outcomes) => batch.forEach((p, i) => p.resolve(outcomes[i]!)),
          (error: unknown) => batch.forEach((p) => p.reject(error)),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  private async write(batch: Pending[]): Promise<SignOutcome[]> {
    return this.db.transaction().execute((tx) => writeBatch(tx, batch.map((p) => p.input), this.options));
  }
}

interface Row {
  index: number;
  input: SignatureInput;
  constituencyCode: string | null;
  regionCode: string | null;
  held: boolean;
  slot: number;
}

/** Writes one batch in the caller's transaction; returns an outcome per input, in order. */
export async function writeBatch(tx: Tx, inputs: SignatureInput[], options: SignatureWriterOptions): Promise<SignOutcome[]> {
  const outcomes: Array<SignOutcome | undefined> = new Array(inputs.length);
  const petitionIds = [...new Set(inputs.map((i) => i.petitionId))].sort((a, b) => a - b);

  // One writer per petition at a time across every process, so the per-address rate limit holds.
  for (const id of petitionIds) await sql`select pg_advisory_xact_lock(7301, ${id})`.execute(tx);

  const open = await sql<{ id: number }>`
    select id from petitions
    where id = any(${petitionIds}::int[]) and state = 'open' and (closing_date is null or closing_date >= (now() at time zone 'Europe/London')::date)`.execute(tx);
  const openIds = new Set(open.rows.map((r) => r.id));

  const postcodes = [...new Set(inputs.flatMap((i) => (i.postcode ? [i.postcode] : [])))];
  const places = postcodes.length > 0 ? await options.resolvePostcodes(tx, postcodes) : new Map<string, PostcodePlace>();

  const ips = [...new Set(inputs.flatMap((i) => (i.ip ? [i.ip] : [])))];
  const recent = new Map<string, { inBurst: number; inSustained: number }>();
  if (ips.length > 0) {
    const { burstSeconds, sustainedSeconds } = options.rateLimits;
    const counts = await sql<{ petition_id: number; ip: string; in_burst: number; in_sustained: number }>`
      select petition_id, host(ip) as ip,
        count(*) filter (where created_at > now() - make_interval(secs => ${burstSeconds}))::int as in_burst,
        count(*)::int as in_sustained
      from signatures
      where petition_id = any(${petitionIds}::int[]) and ip = any(${ips}::inet[])
        and created_at > now() - make_interval(secs => ${sustainedSeconds})
      group by petition_id, ip`.execute(tx);
    for (const c of counts.rows) recent.set(`${c.petition_id}|${c.ip}`, { inBurst: c.in_burst, inSustained: c.in_sustained });
  }

  const rows: Row[] = [];
  inputs.forEach((input, index) => {
    if (!openIds.has(input.petitionId)) {
      outcomes[index] = { kind: 'not-open' };
      return;
    }
    let constituencyCode: string | null = null;
    let regionCode: string | null = null;
    if (input.postcode) {
      const place = places.get(input.postcode);
      if (!place || place.status !== 'found') {
        outcomes[index] = { kind: 'postcode', field: 'postcode', message: place?.message ?? 'Enter a real UK postcode' };
        return;
      }
      constituencyCode = place.constituencyCode;
      regionCode = place.regionCode;
    }
    let held = false;
    if (input.ip) {
      const key = `${input.petitionId}|${input.ip}`;
      const seen = recent.get(key) ?? { inBurst: 0, inSustained: 0 };
      held = overRateLimit(seen, options.rateLimits);
      recent.set(key, { inBurst: seen.inBurst + 1, inSustained: seen.inSustained + 1 });
    }
    rows.push({ index, input, constituencyCode, regionCode, held, slot: 1 });
  });

  const inserted = await insertRows(tx, rows);
  const conflicts = rows.filter((r) => !inserted.has(key(r)));
  for (const row of rows) {
    const publicId = inserted.get(key(row));
    if (publicId) outcomes[row.index] = { kind: 'signed', publicId, held: row.held, constituencyCode: row.constituencyCode };
  }

  let due = inserted.size > 0;
  if (conflicts.length > 0) {
    due = (await settleConflicts(tx, conflicts, outcomes)) || due;
  }
  if (due) await options.onConfirmationsDue(tx);
  return outcomes.map((o) => o ?? { kind: 'not-open' });
}

function key(row: Row): string {
  return `${row.input.petitionId}|${row.input.canonicalEmail}|${row.slot}`;
}

/** Multi-row insert; rows that hit the one-per-email index are left for the duplicate rule. */
async function insertRows(tx: Tx, rows: Row[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (rows.length === 0) return result;
  const col = <T>(pick: (r: Row) => T) => rows.map(pick);
  const inserted = await sql<{ petition_id: number; canonical_email: string; household_slot: number; public_id: string }>`
    insert into signatures (petition_id, name, email, canonical_email, household_slot, postcode, country_code,
      constituency_code, region_code, ip, held_reason, hear_more, consent_text_id, confirmation_due_at)
    select petition_id, name, email, canonical_email, household_slot, postcode, country_code,
      constituency_code, region_code, ip, held_reason, hear_more, consent_text_id, now()
    from unnest(
      ${col((r) => r.input.petitionId)}::int[], ${col((r) => r.input.name)}::text[], ${col((r) => r.input.email)}::text[],
      ${col((r) => r.input.canonicalEmail)}::text[], ${col((r) => r.slot)}::smallint[], ${col((r) => r.input.postcode)}::text[],
      ${col((r) => r.input.countryCode)}::text[], ${col((r) => r.constituencyCode)}::text[], ${col((r) => r.regionCode)}::text[],
      ${col((r) => r.input.ip)}::inet[], ${col((r) => (r.held ? 'rate_limit' : null))}::text[], ${col((r) => r.input.hearMore)}::boolean[],
      ${col((r) => r.input.consentTextId)}::int[]
    ) as v(petition_id, name, email, canonical_email, household_slot, postcode, country_code,
      constituency_code, region_code, ip, held_reason, hear_more, consent_text_id)
    on conflict (petition_id, canonical_email, household_slot) do nothing
    returning petition_id, canonical_email, household_slot, public_id`.execute(tx);
  for (const r of inserted.rows) result.set(`${r.petition_id}|${r.canonical_email}|${r.household_slot}`, r.public_id);
  return result;
}

/**
 * Applies the duplicate rule to signatures whose email has signed before: the same person has
 * their confirmation resent (up to five emails); a second member of the household signs in slot 2.
 * Returns whether any confirmation email became due.
 */
async function settleConflicts(tx: Tx, conflicts: Row[], outcomes: Array<SignOutcome | undefined>): Promise<boolean> {
  const existing = await sql<{
    petition_id: number;
    canonical_email: string;
    name: string | null;
    postcode: string | null;
    household_slot: number;
    state: string;
    emails_sent: number;
    public_id: string;
    constituency_code: string | null;
  }>`
    select petition_id, canonical_email, name, postcode, household_slot, state, emails_sent, public_id, constituency_code
    from signatures
    where (petition_id, canonical_email) in (
      select * from unnest(${conflicts.map((r) => r.input.petitionId)}::int[], ${conflicts.map((r) => r.input.canonicalEmail)}::text[]))`.execute(tx);
  const byEmail = new Map<string, typeof existing.rows>();
  for (const e of existing.rows) {
    const k = `${e.petition_id}|${e.canonical_email}`;
    byEmail.set(k, [...(byEmail.get(k) ?? []), e]);
  }

  const household: Row[] = [];
  const resend: string[] = [];
  for (const row of conflicts) {
    const signers = byEmail.get(`${row.input.petitionId}|${row.input.canonicalEmail}`) ?? [];
    const decision = decideDuplicate(
      signers.map((s) => ({ name: s.name, postcode: s.postcode, householdSlot: s.household_slot })),
      row.input.name,
      row.input.postcode,
    );
    if (decision.kind === 'household') {
      household.push({ ...row, slot: 2 });
    } else if (decision.kind === 'limit-reached') {
      outcomes[row.index] = { kind: 'household-limit' };
    } else {
      const signer = signers.find((s) => s.household_slot === decision.slot) ?? signers[0];
      if (!signer || signer.state === 'invalidated') {
        outcomes[row.index] = { kind: 'household-limit' };
      } else if (signer.state === 'validated') {
        outcomes[row.index] = { kind: 'already-signed', constituencyCode: signer.constituency_code };
      } else if (signer.emails_sent >= MAX_EMAILS_PER_SIGNATURE || resend.includes(signer.public_id)) {
        outcomes[row.index] = resend.includes(signer.public_id)
          ? { kind: 'resent', publicId: signer.public_id, constituencyCode: signer.constituency_code }
          : { kind: 'email-limit' };
      } else {
        resend.push(signer.public_id);
        outcomes[row.index] = { kind: 'resent', publicId: signer.public_id, constituencyCode: signer.constituency_code };
      }
    }
  }

  let due = false;
  if (household.length > 0) {
    const inserted = await insertRows(tx, household);
    for (const row of household) {
      const publicId = inserted.get(key(row));
      outcomes[row.index] = publicId
        ? { kind: 'signed', publicId, held: row.held, constituencyCode: row.constituencyCode }
        : { kind: 'household-limit' };
      if (publicId) due = true;
    }
  }
  if (resend.length > 0) {
    await sql`update signatures set confirmation_due_at = now()
      where public_id = any(${resend}::uuid[]) and state = 'pending' and emails_sent < ${MAX_EMAILS_PER_SIGNATURE}`.execute(tx);
    due = true;
  }
  return due;
}
