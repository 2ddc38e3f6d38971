import { createHash, randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type pg from 'pg';
import { resolvePostcodes, type PostcodePlace } from '../politics/index.ts';
import type { Db, SignatureReferrer } from './tables.ts';
import type { StoredArrival } from './arrival.ts';
import { decideDuplicate } from './duplicate-rule.ts';
import { overRateLimit, type RateLimits } from './rate-limit.ts';
import { signablePetition } from './states.ts';

/** Why a stored signature is held back from the count until a moderator decides. */
export type HeldReason = 'rate_limit' | 'unverified';

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
  /** Where the signer came from (the page's utm_* tags and the other site that linked to it). */
  arrival?: StoredArrival;
  /** Set when the signature must be held whatever the rate limit says (no proof of work while under attack). */
  heldReason?: HeldReason | null;
  /**
   * Stored as confirmed, with no confirmation email: someone trusted (an API key an admin let
   * vouch for its signers) has confirmed the address already. A pending signature of the same
   * person is confirmed too.
   */
  confirmed?: boolean;
  /** Signing again while unconfirmed sends the confirmation email again (the form); false: it does not (the API). */
  resendConfirmation?: boolean;
  /** What the signer wrote beside their signature. */
  comments?: string | null;
  /** Where the signer came from. */
  referrerData?: SignatureReferrer | null;
}

export type SignOutcome =
  /** Stored; a confirmation email will follow. `held`: not counted until moderated (never shown to the signer). */
  | { kind: 'signed'; publicId: string; held: boolean; constituencyCode: string | null }
  /** Already signed and not yet confirmed: the confirmation email is sent again. */
  | { kind: 'resent'; publicId: string; constituencyCode: string | null }
  /** Already signed and not yet confirmed, and the email is not sent again (`resendConfirmation: false`). */
  | { kind: 'awaiting-confirmation'; publicId: string; constituencyCode: string | null }
  /** Already signed, and confirmed. */
  | { kind: 'already-signed'; constituencyCode: string | null }
  /** Already signed, and five confirmation emails have been sent. */
  | { kind: 'email-limit' }
  /** Two people have already signed with this email address. */
  | { kind: 'household-limit' }
  /** A UK postcode that cannot be used: malformed, unknown, terminated or outside the UK (the politics capability's answer says which). */
  | { kind: 'postcode-not-found'; problem: PostcodeProblem }
  /** The petition is not signable (no longer open, or past its closing date). */
  | { kind: 'not-open' };

export type PostcodeProblem = Exclude<PostcodePlace, { status: 'found' }>;

export const MAX_EMAILS_PER_SIGNATURE = 5;

interface Pending {
  input: SignatureInput;
  resolve: (outcome: SignOutcome) => void;
  reject: (error: unknown) => void;
}

export interface SignatureWriterOptions {
  rateLimits: RateLimits;
  /**
   * Wakes the confirmation sender after a batch that made emails due has committed: at most once
   * a second (with a trailing call), and outside the batch's transaction, so concurrent batches do
   * not queue behind one job row. The due rows themselves are the durable record; a periodic
   * sweep finds them even if a wake-up is lost.
   */
  onConfirmationsDue: (db: Db) => Promise<void>;
  /** Reports a failed wake-up (the sweep still sends the mail). */
  onWakeFailed?: (error: unknown) => void;
  /** Most signatures in one transaction. */
  maxBatch?: number;
  /** Transactions in flight at once: while one waits for its commit to reach disk, the next runs. */
  maxConcurrent?: number;
}

/** Where the writer takes its connections: the pool behind the app's database handle. */
export type ConnectionPool = Pick<pg.Pool, 'connect'>;

/**
 * One batch's statements on one connection, pipelined: each is sent at once, without waiting for
 * the answers to the ones before it (PostgreSQL still runs them in order), so a batch costs two
 * round trips, not five: BEGIN, the locks and the read together; then, once the duplicate rule
 * has been applied to what was read, the insert, any updates and COMMIT together. Each
 * statement is a named prepared statement (the name is a digest of its text, which is the same
 * whatever the batch's size, since every value travels as an array): PostgreSQL parses and
 * plans it once per connection, not once per batch.
 */
export interface BatchStatements {
  /** BEGIN, sent first. */
  began: Promise<unknown>;
  run<R>(query: RawBuilder<R>): Promise<R[]>;
  /**
   * Sends COMMIT behind everything sent so far; resolves once the transaction is durable. Rejects
   * if the transaction was rolled back instead (a statement before it failed, so PostgreSQL
   * answers COMMIT with ROLLBACK): a batch is answered only when its COMMIT really committed.
   */
  commit(): Promise<void>;
}

const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `sign_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    if (statementNames.size > 100) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

/** Opens a batch's transaction (one simple query, so one message). */
export const BEGIN = 'begin; set local enable_seqscan = off';

/** Sends BEGIN on a connection in pipeline mode; see BatchStatements. */
function statementsOn(client: pg.PoolClient, db: Db): BatchStatements {
  // The batch's lookups go through their indexes even while the table is small: a generic plan made
  // then (a new install's first spike) would scan the whole table for every batch as it grows.
  const began = client.query(BEGIN);
  // Awaited with the batch's first statements; a failure is theirs too.
  began.catch(() => undefined);
  return {
    began,
    async run<R>(query: RawBuilder<R>): Promise<R[]> {
      const compiled = query.compile(db);
      const result = await client.query({ name: statementName(compiled.sql), text: compiled.sql, values: [...compiled.parameters] });
      return result.rows as R[];
    },
    async commit(): Promise<void> {
      const result = await client.query('commit');
      if (result.command !== 'COMMIT') throw new Error(`the batch's transaction ended with ${result.command}, not COMMIT`);
    },
  };
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
  /** Batches whose commits made confirmation emails due, and how many of them a wake-up covers. */
  private dueCommits = 0;
  private wokenFor = 0;
  private waking: Promise<void> | undefined;
  private lastWake = 0;

  /**
   * `pool` is the pool behind `db`: batches take a connection from it and run their statements
   * as named prepared statements on it (Kysely sends each statement unnamed, planned afresh).
   */
  constructor(
    private readonly db: Db,
    private readonly pool: ConnectionPool,
    private readonly options: SignatureWriterOptions,
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.maxConcurrent = options.maxConcurrent ?? 2;
  }

  /** The per-address limits this writer holds signatures to. */
  get rateLimits(): RateLimits {
    return this.options.rateLimits;
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
      this.write(batch).finally(() => {
        this.inFlight--;
        if (this.inFlight === 0) void this.wakeSender();
        this.pump();
      });
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.transaction(batch.map((p) => p.input));
      await this.committed(outcomes);
      batch.forEach((p, i) => p.resolve(outcomes[i]!));
    } catch (error) {
      if (batch.length === 1 || !isDataError(error)) {
        batch.forEach((p) => p.reject(error));
        return;
      }
      // One signature the database refuses must not fail everyone else's: store each on its own.
      for (const p of batch) {
        try {
          const outcomes = await this.transaction([p.input]);
          await this.committed(outcomes);
          p.resolve(outcomes[0]!);
        } catch (single) {
          p.reject(single);
        }
      }
    }
  }

  /** After a commit: wakes the confirmation sender if it made emails due. */
  private async committed(outcomes: SignOutcome[]): Promise<void> {
    if (outcomes.some((o) => o.kind === 'signed' || o.kind === 'resent')) this.dueCommits++;
    await this.wakeSender();
  }

  /**
   * One transaction: the postcodes are looked up first (reference data, outside it: most come
   * from the kept places), then the batch is written and committed on one pooled connection.
   * A failed rollback (the connection is gone) discards the connection and reports the error that
   * failed the batch, not the rollback's.
   */
  private async transaction(inputs: SignatureInput[]): Promise<SignOutcome[]> {
    const postcodes = [...new Set(inputs.flatMap((i) => (i.postcode ? [i.postcode] : [])))];
    const places = postcodes.length > 0 ? await placesOf(this.db, this.db, postcodes) : new Map<string, PostcodePlace>();
    const client = await this.pool.connect();
    // node-postgres reads the flag as each query is sent (its types call it read-only).
    const mode = client as { pipeline: boolean };
    let broken: Error | undefined;
    // Only while this batch holds the connection: the pool's other users expect one query at a time.
    mode.pipeline = true;
    try {
      const tx = statementsOn(client, this.db);
      try {
        return await writeBatch(tx, inputs, places, this.options);
      } catch (error) {
        // Answered after everything sent before it, so nothing of this batch is still on the wire after it.
        await client.query('rollback').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      }
    } finally {
      mode.pipeline = false;
      client.release(broken);
    }
  }

  /**
   * Queues the sender's wake-up after commits that made emails due, before answering them, so the
   * mail is on its way when the signer sees "check your email". Under a spike most batches skip
   * it: a wake-up still being queued covers every commit before it (its job can only run after
   * it commits), and while other batches are running, the last of them to finish wakes for all.
   */
  private async wakeSender(): Promise<void> {
    if (this.wokenFor === this.dueCommits || this.waking) return;
    if (this.inFlight > 1 && Date.now() - this.lastWake < 100) return;
    const covering = this.dueCommits;
    this.lastWake = Date.now();
    this.waking = this.options
      .onConfirmationsDue(this.db)
      .then(
        () => {
          this.wokenFor = Math.max(this.wokenFor, covering);
        },
        (error: unknown) => this.options.onWakeFailed?.(error),
      )
      .finally(() => {
        this.waking = undefined;
        // Commits made while this wake-up was being queued may need one of their own.
        if (this.inFlight === 0) void this.wakeSender();
      });
    await this.waking;
  }
}

/** PostgreSQL refused the data itself (SQLSTATE classes 22 and 23), not the connection or the server. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

interface Row {
  index: number;
  input: SignatureInput;
  /** Chosen before the insert, so rows of one batch can refer to each other. */
  publicId: string;
  constituencyCode: string | null;
  regionCode: string | null;
  heldReason: HeldReason | null;
  slot: number;
}

const emailKey = (petitionId: number, canonicalEmail: string) => `${petitionId}|${canonicalEmail}`;

/**
 * Found postcodes, kept for a while so a spike (the same postcodes over and over) costs no
 * lookup. Only found places are kept (a postcode added by a reference-data import is found at
 * once), and each for at most POSTCODE_KEEP_MS, so a re-import's changes reach signatures soon.
 */
const POSTCODE_KEEP_MS = 10 * 60_000;
const POSTCODES_KEPT = 100_000;
type FoundPlace = Extract<PostcodePlace, { status: 'found' }>;
const foundPostcodes = new WeakMap<object, Map<string, { place: FoundPlace; until: number }>>();

async function placesOf(db: Db, cacheKey: object, postcodes: string[]): Promise<Map<string, PostcodePlace>> {
  let kept = foundPostcodes.get(cacheKey);
  if (!kept) foundPostcodes.set(cacheKey, (kept = new Map()));
  const now = Date.now();
  const places = new Map<string, PostcodePlace>();
  const unknown: string[] = [];
  for (const postcode of postcodes) {
    const hit = kept.get(postcode);
    if (hit && hit.until > now) places.set(postcode, hit.place);
    else unknown.push(postcode);
  }
  if (unknown.length === 0) return places;
  if (kept.size + unknown.length > POSTCODES_KEPT) kept.clear();
  for (const [postcode, place] of await resolvePostcodes(db, unknown)) {
    places.set(postcode, place);
    if (place.status === 'found') kept.set(postcode, { place, until: now + POSTCODE_KEEP_MS });
  }
  return places;
}

/**
 * Writes one batch in the transaction `tx` opened, and commits it; returns an outcome per input, in order.
 * `places` holds the place of every UK postcode in the batch.
 */
async function writeBatch(tx: BatchStatements, inputs: SignatureInput[], places: Map<string, PostcodePlace>, options: SignatureWriterOptions): Promise<SignOutcome[]> {
  const outcomes: Array<SignOutcome | undefined> = new Array(inputs.length);
  const petitionIds = [...new Set(inputs.map((i) => i.petitionId))].sort((a, b) => a - b);

  // Sent together, run in this order: the read (a statement sees what was committed when it began)
  // comes after the locks are granted, so it sees every earlier signature of these signers.
  const [, , { openIds, recent, byEmail }] = await inOrder([tx.began, lockSigners(tx, inputs), readBatchState(tx, inputs, petitionIds, options.rateLimits)]);

  const rows: Row[] = [];
  inputs.forEach((input, index) => {
    if (!openIds.has(input.petitionId)) {
      outcomes[index] = { kind: 'not-open' };
      return;
    }
    let constituencyCode: string | null = null;
    let regionCode: string | null = null;
    if (input.postcode) {
      // resolvePostcodes answers for every postcode it is given.
      const place = places.get(input.postcode)!;
      if (place.status !== 'found') {
        outcomes[index] = { kind: 'postcode-not-found', problem: place };
        return;
      }
      constituencyCode = place.constituencyCode;
      regionCode = place.regionCode;
    }
    let heldReason: HeldReason | null = input.heldReason ?? null;
    if (input.ip) {
      const key = `${input.petitionId}|${input.ip}`;
      const seen = recent.get(key) ?? { inBurst: 0, inSustained: 0 };
      if (overRateLimit(seen, options.rateLimits)) heldReason ??= 'rate_limit';
      recent.set(key, { inBurst: seen.inBurst + 1, inSustained: seen.inSustained + 1 });
    }
    rows.push({ index, input, publicId: randomUUID(), constituencyCode, regionCode, heldReason, slot: 1 });
  });

  await applyDuplicateRule(tx, rows, outcomes, byEmail);
  return outcomes.map((o) => o ?? { kind: 'not-open' });
}

/**
 * Waits for statements sent together; if any failed, fails with the first failure in the order
 * they were sent (the cause: the statements after it fail only because the transaction was aborted).
 */
async function inOrder<T extends readonly unknown[]>(sent: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(sent);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

/**
 * In one statement: which of the batch's petitions are signable, the signatures already made from
 * each address on each petition within the rate-limit periods, and every signature already made
 * with each email on its petition (for the duplicate rule).
 */
async function readBatchState(tx: BatchStatements, inputs: SignatureInput[], petitionIds: number[], limits: RateLimits) {
  const ips = [...new Set(inputs.flatMap((i) => (i.ip ? [i.ip] : [])))];
  const [state] = await tx.run(sql<{ open: number[]; recent: Array<[number, string, number, number]>; signers: Signer[] }>`
    select
      (select coalesce(json_agg(id), '[]') from petitions where id = any(${petitionIds}::int[]) and ${signablePetition()}) as open,
      (select coalesce(json_agg(json_build_array(petition_id, ip, in_burst, in_sustained)), '[]') from (
        select petition_id, host(ip) as ip,
          count(*) filter (where created_at > now() - make_interval(secs => ${limits.burstSeconds}))::int as in_burst,
          count(*)::int as in_sustained
        from signatures
        where petition_id = any(${petitionIds}::int[]) and ip = any(${ips}::inet[])
          and created_at > now() - make_interval(secs => ${limits.sustainedSeconds})
        group by petition_id, ip) as r) as recent,
      (select coalesce(json_agg(e), '[]') from (
        select petition_id, canonical_email, name, postcode, household_slot, state, emails_sent, public_id, constituency_code,
          held_reason is not null as held
        from signatures
        -- Both columns of signatures_one_per_email as index conditions (a row pair "in (unnest ...)"
        -- left the planner free to walk the primary key and filter). A batch's petitions share
        -- emails rarely; a row of another pair is simply not looked at.
        where petition_id = any(${petitionIds}::int[]) and canonical_email = any(${[...new Set(inputs.map((i) => i.canonicalEmail))]}::text[])) as e) as signers`);
  const { open, recent: counts, signers } = state!;
  const recent = new Map<string, { inBurst: number; inSustained: number }>();
  for (const [petitionId, ip, inBurst, inSustained] of counts) recent.set(`${petitionId}|${ip}`, { inBurst, inSustained });
  const byEmail = new Map<string, Signer[]>();
  for (const e of signers) {
    const k = emailKey(e.petition_id, e.canonical_email);
    byEmail.set(k, [...(byEmail.get(k) ?? []), e]);
  }
  return { openIds: new Set(open), recent, byEmail };
}

/**
 * Locks, until this transaction ends, every client address and every canonical email of the
 * batch on its petition, across every process: the rate limit and the duplicate rule then see
 * every earlier signature from that address or email, while batches of other signers run at the
 * same time. Keys are taken in one ascending order everywhere, so two batches cannot deadlock.
 */
async function lockSigners(tx: BatchStatements, inputs: SignatureInput[]): Promise<void> {
  const keys = new Set<string>();
  for (const i of inputs) {
    keys.add(`sign-email:${i.petitionId}:${i.canonicalEmail}`);
    if (i.ip) keys.add(`sign-ip:${i.petitionId}:${i.ip}`);
  }
  await tx.run(sql`select pg_advisory_xact_lock(k)
    from (select distinct hashtextextended(key, 7301) as k from unnest(${[...keys]}::text[]) as key order by 1) as ordered`);
}

function signed(row: Row): SignOutcome {
  return { kind: 'signed', publicId: row.publicId, held: row.heldReason !== null, constituencyCode: row.constituencyCode };
}

/** Multi-row insert; rows that hit the one-per-email index are left for the duplicate rule. Returns the public ids stored. */
async function insertRows(tx: BatchStatements, rows: Row[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set<string>();
  const col = <T>(pick: (r: Row) => T) => rows.map(pick);
  const inserted = await tx.run(sql<{ public_id: string }>`
    insert into signatures (petition_id, public_id, name, email, canonical_email, household_slot, postcode, country_code,
      constituency_code, region_code, ip, held_reason, hear_more, consent_text_id, comments, referrer_data,
      utm_source, utm_medium, utm_campaign, referrer, state, validated_at, confirmation_due_at)
    select petition_id, public_id, name, email, canonical_email, household_slot, postcode, country_code,
      constituency_code, region_code, ip, held_reason, hear_more, consent_text_id, comments, referrer_data,
      utm_source, utm_medium, utm_campaign, referrer,
      case when confirmed then 'validated' else 'pending' end, case when confirmed then now() end,
      case when confirmed then null else now() end
    from unnest(
      ${col((r) => r.input.petitionId)}::int[], ${col((r) => r.publicId)}::uuid[], ${col((r) => r.input.name)}::text[],
      ${col((r) => r.input.email)}::text[], ${col((r) => r.input.canonicalEmail)}::text[], ${col((r) => r.slot)}::smallint[],
      ${col((r) => r.input.postcode)}::text[], ${col((r) => r.input.countryCode)}::text[], ${col((r) => r.constituencyCode)}::text[],
      ${col((r) => r.regionCode)}::text[], ${col((r) => r.input.ip)}::inet[], ${col((r) => r.heldReason)}::text[],
      ${col((r) => r.input.hearMore)}::boolean[], ${col((r) => r.input.consentTextId)}::int[],
      ${col((r) => r.input.comments ?? null)}::text[], ${col((r) => (r.input.referrerData ? JSON.stringify(r.input.referrerData) : null))}::jsonb[],
      ${col((r) => r.input.arrival?.utmSource ?? null)}::text[], ${col((r) => r.input.arrival?.utmMedium ?? null)}::text[],
      ${col((r) => r.input.arrival?.utmCampaign ?? null)}::text[], ${col((r) => r.input.arrival?.referrer ?? null)}::text[],
      ${col((r) => r.input.confirmed === true)}::boolean[]
    ) as v(petition_id, public_id, name, email, canonical_email, household_slot, postcode, country_code,
      constituency_code, region_code, ip, held_reason, hear_more, consent_text_id, comments, referrer_data,
      utm_source, utm_medium, utm_campaign, referrer, confirmed)
    on conflict (petition_id, canonical_email, household_slot) do nothing
    returning public_id`);
  return new Set(inserted.map((r) => r.public_id));
}

interface Signer {
  petition_id: number;
  canonical_email: string;
  name: string | null;
  postcode: string | null;
  household_slot: number;
  state: string;
  emails_sent: number;
  public_id: string;
  constituency_code: string | null;
  held: boolean;
  /** Stored by this batch (a repeat of it, such as a double click, gets the same answer). */
  storedNow?: boolean;
}

/**
 * Applies the duplicate rule to each signature in arrival order, against every earlier one
 * (stored before, or earlier in this batch): a new email signs; the same person again has their
 * confirmation resent (up to five emails); a second member of the household (another name, the
 * same postcode) signs too; a third is refused. Then stores the new rows in one insert.
 */
async function applyDuplicateRule(tx: BatchStatements, rows: Row[], outcomes: Array<SignOutcome | undefined>, byEmail: Map<string, Signer[]>): Promise<void> {
  const toInsert: Row[] = [];
  const resend = new Set<string>();
  const confirm = new Set<string>();
  for (const row of rows) {
    const k = emailKey(row.input.petitionId, row.input.canonicalEmail);
    const signers = byEmail.get(k) ?? [];
    const decision = decideDuplicate(
      signers.map((s) => ({ name: s.name, postcode: s.postcode, householdSlot: s.household_slot })),
      row.input.name,
      row.input.postcode,
    );
    if (signers.length === 0 || decision.kind === 'household') {
      const slot = [1, 2].find((n) => !signers.some((s) => s.household_slot === n))!;
      const stored = { ...row, slot };
      toInsert.push(stored);
      byEmail.set(k, [...signers, signerOf(stored)]);
      outcomes[row.index] = signed(stored);
      continue;
    }
    if (decision.kind === 'limit-reached') {
      outcomes[row.index] = { kind: 'household-limit' };
      continue;
    }
    const signer = signers.find((s) => s.household_slot === decision.slot) ?? signers[0]!;
    if (signer.state === 'invalidated') {
      outcomes[row.index] = { kind: 'household-limit' };
    } else if (signer.storedNow) {
      outcomes[row.index] = { kind: 'signed', publicId: signer.public_id, held: signer.held, constituencyCode: signer.constituency_code };
    } else if (signer.state === 'validated') {
      outcomes[row.index] = { kind: 'already-signed', constituencyCode: signer.constituency_code };
    } else if (row.input.confirmed) {
      // Vouched for now: the waiting signature is confirmed (and counted), with no email.
      confirm.add(signer.public_id);
      signer.state = 'validated';
      outcomes[row.index] = { kind: 'already-signed', constituencyCode: signer.constituency_code };
    } else if (row.input.resendConfirmation === false) {
      outcomes[row.index] = { kind: 'awaiting-confirmation', publicId: signer.public_id, constituencyCode: signer.constituency_code };
    } else if (resend.has(signer.public_id) || signer.emails_sent < MAX_EMAILS_PER_SIGNATURE) {
      resend.add(signer.public_id);
      outcomes[row.index] = { kind: 'resent', publicId: signer.public_id, constituencyCode: signer.constituency_code };
    } else {
      outcomes[row.index] = { kind: 'email-limit' };
    }
  }

  // Sent together: the insert, the updates and COMMIT (resolved only once it is durable).
  const [inserted] = await inOrder([
    insertRows(tx, toInsert),
    confirm.size > 0
      ? tx.run(sql`update signatures set state = 'validated', validated_at = now(), confirmation_due_at = null
          where public_id = any(${[...confirm]}::uuid[]) and state = 'pending'`)
      : undefined,
    resend.size > 0
      ? tx.run(sql`update signatures set confirmation_due_at = now()
          where public_id = any(${[...resend]}::uuid[]) and state = 'pending' and emails_sent < ${MAX_EMAILS_PER_SIGNATURE}`)
      : undefined,
    tx.commit(),
  ]);
  // Writers hold the lock of each email they sign, so a clash here would mean a row we could not see:
  // answer "already signed" (and its repeats in this batch too) rather than ever count twice.
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome?.kind === 'signed' && !inserted.has(outcome.publicId)) outcomes[index] = { kind: 'already-signed', constituencyCode: null };
  }
}

function signerOf(row: Row): Signer {
  return {
    petition_id: row.input.petitionId,
    canonical_email: row.input.canonicalEmail,
    name: row.input.name,
    postcode: row.input.postcode,
    household_slot: row.slot,
    state: row.input.confirmed ? 'validated' : 'pending',
    emails_sent: 0,
    public_id: row.publicId,
    constituency_code: row.constituencyCode,
    held: row.heldReason !== null,
    storedNow: true,
  };
}
