import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { queueEmails } from '../platform/index.ts';
import { purposeFor, recordPeopleBatch, wordingFor, type BatchedAction } from '../supporters/index.ts';
import { eventCalendar } from './event-calendar.ts';
import { newManageToken, newReference } from './booking-tokens.ts';
import { bookingEmail, hearMoreWording, notBookable, shortfall, type BookingForm, type BookOutcome } from './book-event.ts';
import type { ChorusEvent, TicketTier } from './store.ts';
import type { AppContext, Tx } from './tables.ts';

/** A booking whose form has been checked, waiting for its event's next batch. */
export interface BookingRequest {
  /** As the caller found it (a cached copy will do: the places are checked under the event's row lock). */
  event: ChorusEvent;
  tier: TicketTier;
  form: BookingForm;
  ip: string | null;
}

interface Pending {
  request: BookingRequest;
  resolve: (outcome: BookOutcome) => void;
  reject: (error: unknown) => void;
}

/** Where the writer takes its connections: the pool behind the app's database handle. */
export type ConnectionPool = Pick<pg.Pool, 'connect'>;

export interface BookingWriterOptions {
  /** Most bookings in one transaction. */
  maxBatch?: number;
  /** Batches of one event in flight at once (each on its own connection). */
  maxConcurrent?: number;
}

/** Places that batches still in flight expect to take, over the event and per tier. */
interface Reserved {
  places: number;
  tiers: Map<number, number>;
}

type Consents = NonNullable<BatchedAction['signUp']>['consents'];

/**
 * Books places in batches, one event at a time. Each booking waits in its event's queue; while a
 * batch of that event is being written, the bookings arriving meanwhile queue up, and the next
 * batch takes them all: one row lock on the event, one COMMIT for all of them, instead of a lock
 * and a commit each (bookings for one event queue on its lock anyway, so one at a time is
 * all a single booking could get). In a batch's transaction:
 *
 * 1. BEGIN and the event's row lock (SELECT ... FOR UPDATE) with its tiers, sent together.
 * 2. Each booking is checked, in the order they arrived, against the places left after the ones
 *    before it: one that does not fit is refused (the waiting list is offered) and writes
 *    nothing, so a refusal never undoes another booking.
 * 3. For the bookings that fit, all at once: the people, their timeline entries, their groups
 *    and any "hear more" sign-ups through supporters' recordPeopleBatch (a fixed handful of
 *    statements for the whole batch), then every confirmation email (with the .ics) in one
 *    statement (the platform's queueEmails: one insert, one add_jobs). The connection is in
 *    pipeline mode, so statements made side by side are sent without waiting for each other.
 * 4. The bookings, both counters and COMMIT, sent together.
 *
 * Nobody is answered before COMMIT has really committed. If PostgreSQL refuses the data of one
 * booking (SQLSTATE classes 22 and 23) or the batch meets a deadlock, the batch rolls back and
 * each booking is written on its own; any other failure (the connection lost) fails every
 * booking of the batch, none of them answered "booked", since the COMMIT may not have happened.
 */
export class BookingWriter {
  private readonly queues = new Map<number, Pending[]>();
  private readonly writing = new Map<number, number>();
  private readonly reserved = new Map<number, Reserved>();
  private readonly kept = new KeptConsents();
  private readonly maxBatch: number;
  private readonly maxConcurrent: number;

  constructor(
    private readonly ctx: AppContext,
    private readonly pool: ConnectionPool,
    options: BookingWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxConcurrent = options.maxConcurrent ?? 3;
  }

  submit(request: BookingRequest): Promise<BookOutcome> {
    return new Promise((resolve, reject) => {
      const id = request.event.id;
      let queue = this.queues.get(id);
      if (!queue) this.queues.set(id, (queue = []));
      queue.push({ request, resolve, reject });
      this.pump(id);
    });
  }

  private pump(eventId: number) {
    for (;;) {
      const inFlight = this.writing.get(eventId) ?? 0;
      const queue = this.queues.get(eventId);
      if (!queue || queue.length === 0) {
        this.queues.delete(eventId);
        return;
      }
      if (inFlight >= this.maxConcurrent) return;
      const batch = queue.splice(0, this.maxBatch);
      this.writing.set(eventId, inFlight + 1);
      void this.write(batch).finally(() => {
        const left = (this.writing.get(eventId) ?? 1) - 1;
        if (left === 0) this.writing.delete(eventId);
        else this.writing.set(eventId, left);
        this.pump(eventId);
      });
    }
  }

  /** This process's places expected by batches in flight on the event (kept until each batch ends). */
  private reservedOn(eventId: number): Reserved {
    let found = this.reserved.get(eventId);
    if (!found) this.reserved.set(eventId, (found = { places: 0, tiers: new Map() }));
    return found;
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      let outcomes: BookOutcome[];
      try {
        outcomes = await this.transaction(batch.map((p) => p.request), true);
      } catch (error) {
        if (!(error instanceof Overtaken)) throw error;
        // Places went elsewhere (another process) while this batch wrote its records: rolled
        // back; written again, every booking decided under the lock.
        outcomes = await this.transaction(batch.map((p) => p.request), false);
      }
      batch.forEach((p, i) => p.resolve(outcomes[i]!));
    } catch (error) {
      if (batch.length === 1 || !isRetryable(error)) {
        batch.forEach((p) => p.reject(error));
        return;
      }
      // Rolled back for certain: one booking the database refuses must not fail everyone else's.
      for (const p of batch) {
        try {
          p.resolve((await this.transaction([p.request], false))[0]!);
        } catch (single) {
          p.reject(single);
        }
      }
    }
  }

  /** One batch in one transaction on one pooled connection in pipeline mode; an outcome per request, in order. */
  private async transaction(requests: BookingRequest[], early: boolean): Promise<BookOutcome[]> {
    const eventId = requests[0]!.event.id;
    const reserved = this.reservedOn(eventId);
    const mine: Reserved = { places: 0, tiers: new Map() };
    const client = await this.pool.connect();
    // node-postgres reads the flag as each query is sent (its types call it read-only).
    const mode = client as { pipeline: boolean };
    let broken: Error | undefined;
    // Only while this batch holds the connection: the pool's other users expect one query at a time.
    mode.pipeline = true;
    try {
      try {
        return await writeBatch(this.ctx, client, requests, this.kept, early ? { reserved, mine } : undefined);
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
      reserved.places -= mine.places;
      for (const [tier, n] of mine.tiers) reserved.tiers.set(tier, (reserved.tiers.get(tier) ?? 0) - n);
      if (reserved.places === 0 && [...reserved.tiers.values()].every((n) => n === 0)) this.reserved.delete(eventId);
    }
  }
}

/** A booking written early no longer fits under the lock: the batch is rolled back and written again, decided under the lock. */
class Overtaken extends Error {}

/** Rolled back for certain, and worth trying again one by one: PostgreSQL refused the data (classes 22, 23), or a deadlock. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23') || code === '40P01' || code === '40001');
}

/**
 * A query runner over one connection, for the supporters and mail functions (they take any
 * handle): every query goes to that connection at once, so with the connection in pipeline mode,
 * queries made concurrently are pipelined. The connection's transaction is the caller's.
 */
function handleOn(client: pg.PoolClient): Tx {
  const connection = { query: client.query.bind(client), release: () => undefined };
  const pool = { connect: async () => connection, end: async () => undefined };
  return new Kysely({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) }) as unknown as Tx;
}

/** Thrown when COMMIT did not commit (a statement before it failed, so PostgreSQL rolled back). */
class NotCommitted extends Error {}

interface Row {
  index: number;
  request: BookingRequest;
  reference: string;
  token: string;
  hash: string;
  name: string;
  personId?: number;
}

interface Places {
  row: { state: ChorusEvent['state']; starts_at: Date; capacity: number | null; places_booked: number; places_held: number } | undefined;
  tiers: Array<{ id: number; position: number; name: string; price_pence: number; capacity: number | null; places_booked: number; places_held: number }>;
}

/** The event's state and places, and its tiers' (two statements sent together); `lock`: under the event's row lock, held until the transaction ends. */
async function readPlaces(client: pg.PoolClient, eventId: number, lock: boolean): Promise<Places> {
  const [event, tiers] = await inOrder([
    client.query<NonNullable<Places['row']>>(`select state, starts_at, capacity, places_booked, places_held from events where id = $1${lock ? ' for update' : ''}`, [eventId]),
    client.query<Places['tiers'][number]>('select id, position, name, price_pence, capacity, places_booked, places_held from ticket_tiers where event_id = $1 order by position', [eventId]),
  ] as const);
  return { row: event.rows[0], tiers: tiers.rows };
}

/** The event as read, with its places as they are (a fresh copy: counted on as bookings are taken). */
function withPlaces(event: ChorusEvent, places: Places): ChorusEvent {
  const { row } = places;
  if (!row) return { ...event, tiers: event.tiers.map((t) => ({ ...t })) };
  return {
    ...event,
    capacity: row.capacity,
    placesBooked: row.places_booked,
    placesHeld: row.places_held,
    tiers: places.tiers.map((t) => ({ id: t.id, position: t.position, name: t.name, pricePence: t.price_pence, capacity: t.capacity, placesBooked: t.places_booked, placesHeld: t.places_held })),
  };
}

function stateOf(places: Places): BookOutcome | undefined {
  const { row } = places;
  return row ? notBookable({ state: row.state, startsAt: row.starts_at }, new Date()) : { kind: 'not-bookable', reason: 'not-published' };
}

/** Whether the places asked for fit in `current` (and takes them there), or why not. */
function take(current: ChorusEvent, request: BookingRequest): BookOutcome | undefined {
  const tierNow = current.tiers.find((t) => t.id === request.tier.id);
  if (!tierNow) return { kind: 'invalid', problems: [{ field: 'tier', message: 'Choose a ticket' }] };
  const problem = shortfall(current, tierNow, request.form.places);
  if (problem) return { kind: 'invalid', problems: [problem], waitingList: true };
  current.placesBooked += request.form.places;
  tierNow.placesBooked += request.form.places;
  return undefined;
}

function rowFor(index: number, request: BookingRequest): Row {
  const { token, hash } = newManageToken();
  return { index, request, reference: newReference(), token, hash, name: request.form.name.replace(/\s+/g, ' ') };
}

/**
 * One batch's transaction. `early` (the usual case): the places as last committed, less those
 * this process's other batches in flight expect, say which bookings will surely fit; their
 * records are written before the lock is taken, so batches of one event write their records side
 * by side, each on its own connection, and hold the lock only for the last steps. Under the
 * lock, each of them must still fit (else the batch is rolled back: Overtaken); the others
 * (those the guess left out) are then decided one by one in arrival order against the places
 * left, and written under the lock.
 */
async function writeBatch(ctx: AppContext, client: pg.PoolClient, requests: BookingRequest[], kept: KeptConsents, early?: { reserved: Reserved; mine: Reserved }): Promise<BookOutcome[]> {
  const first = requests[0]!.event;
  const eventId = first.id;
  const began = client.query('begin');
  began.catch(() => undefined);
  const q = handleOn(client);
  const consentsFor = new Map<string, Promise<Consents>>();
  const lookedUp = new Map<string, Promise<Consents>>();
  const consents = (event: ChorusEvent) => {
    const key = KeptConsents.key(ctx, event);
    let found = consentsFor.get(key);
    if (!found) {
      const known = kept.get(key);
      if (known) found = Promise.resolve(known);
      else lookedUp.set(key, (found = hearMoreConsents(ctx, q, event)));
      consentsFor.set(key, found);
    }
    return found;
  };
  const outcomes: Array<BookOutcome | undefined> = new Array(requests.length);
  const rows: Row[] = [];

  let locked: Places;
  if (early) {
    const [, seen] = await inOrder([began, readPlaces(client, eventId, false)] as const);
    if (!stateOf(seen)) {
      const guess = withPlaces(first, seen);
      guess.placesBooked += early.reserved.places;
      for (const t of guess.tiers) t.placesBooked += early.reserved.tiers.get(t.id) ?? 0;
      requests.forEach((request, index) => {
        if (take(guess, request)) return;
        for (const r of [early.reserved, early.mine]) {
          r.places += request.form.places;
          r.tiers.set(request.tier.id, (r.tiers.get(request.tier.id) ?? 0) + request.form.places);
        }
        rows.push(rowFor(index, request));
      });
      await writeRecords(ctx, q, rows, consents);
    }
    locked = await readPlaces(client, eventId, true);
  } else {
    [, locked] = await inOrder([began, readPlaces(client, eventId, true)] as const);
  }

  // Under the lock: the places as they are now.
  // Each booking in arrival order: one written early must still fit, the others are decided now.
  const current = withPlaces(first, locked);
  const stateNow = stateOf(locked);
  const written = new Map(rows.map((r) => [r.index, r]));
  const late: Row[] = [];
  requests.forEach((request, index) => {
    const refused = stateNow ?? take(current, request);
    if (written.has(index)) {
      if (refused) throw new Overtaken('places were taken elsewhere meanwhile');
    } else if (refused) outcomes[index] = refused;
    else late.push(rowFor(index, request));
  });
  await writeRecords(ctx, q, late, consents);
  rows.push(...late);
  rows.sort((a, b) => a.index - b.index);

  // The bookings, the counters and COMMIT, sent together.
  const sent: Array<Promise<unknown>> = [];
  if (rows.length > 0) {
    const total = rows.reduce((n, r) => n + r.request.form.places, 0);
    const perTier = new Map<number, number>();
    for (const r of rows) perTier.set(r.request.tier.id, (perTier.get(r.request.tier.id) ?? 0) + r.request.form.places);
    const col = <T>(pick: (r: Row) => T) => rows.map(pick);
    const compiled = sql`
      with event_places as (update events set places_booked = places_booked + ${total} where id = ${eventId}),
        tier_places as (update ticket_tiers t set places_booked = t.places_booked + v.n
          from unnest(${[...perTier.keys()]}::int[], ${[...perTier.values()]}::int[]) as v(id, n) where t.id = v.id)
      insert into bookings (event_id, tier_id, reference, person_id, name, email, places, access_needs, manage_token_hash, hear_more)
      select ${eventId}, tier_id, reference, person_id, name, email, places, access_needs, manage_token_hash, hear_more
      from unnest(${col((r) => r.request.tier.id)}::int[], ${col((r) => r.reference)}::text[], ${col((r) => r.personId!)}::bigint[],
        ${col((r) => r.name)}::text[], ${col((r) => r.request.form.email)}::text[], ${col((r) => r.request.form.places)}::smallint[],
        ${col((r) => r.request.form.access_needs)}::text[], ${col((r) => r.hash)}::text[], ${col((r) => r.request.form.hear_more)}::boolean[])
        as v(tier_id, reference, person_id, name, email, places, access_needs, manage_token_hash, hear_more)`.compile(q);
    sent.push(client.query(compiled.sql, [...compiled.parameters]));
  }
  sent.push(
    client.query('commit').then((result) => {
      if (result.command !== 'COMMIT') throw new NotCommitted(`the booking batch's transaction ended with ${result.command}, not COMMIT`);
    }),
  );
  await inOrder(sent);
  // Committed: the purposes and words are there for the next batches to use as they are.
  for (const [key, found] of lookedUp) kept.set(key, await found);
  for (const r of rows) outcomes[r.index] = { kind: 'booked', reference: r.reference, places: r.request.form.places };
  return outcomes.map((o) => o!);
}

/**
 * What the bookings write besides their places, for all of them at once: the people, their
 * timeline entries, their groups and any "hear more" sign-ups through supporters'
 * recordPeopleBatch (a few statements for the whole batch), then every confirmation email (with
 * the .ics) in one insert and one add_jobs call.
 */
async function writeRecords(ctx: AppContext, q: Tx, rows: Row[], consents: (event: ChorusEvent) => Promise<Consents>): Promise<void> {
  if (rows.length === 0) return;
  const brand = ctx.brand.current();
  const base = ctx.config.BASE_URL;
  const actions: BatchedAction[] = [];
  for (const r of rows) {
    const { event, tier, form, ip } = r.request;
    actions.push({
      email: form.email,
      name: r.name,
      method: `event:${event.id}`,
      action: {
        kind: 'event.booked',
        subjectType: 'event',
        subjectId: event.id,
        detail: { event: event.title, reference: r.reference, places: form.places, tier: tier.name, groupIds: event.groups.map((g) => g.id) },
      },
      groupIds: event.groups.map((g) => g.id),
      ...(form.hear_more ? { signUp: { consents: await consents(event), source: { utmSource: null, utmCampaign: null, referrer: null }, ip } } : {}),
    });
  }
  const calendars = new Map<ChorusEvent, string>();
  const calendarOf = (event: ChorusEvent) => {
    let found = calendars.get(event);
    if (found === undefined) calendars.set(event, (found = eventCalendar(event, base, { booked: true })));
    return found;
  };
  const emails = rows.map((r) => bookingEmail(ctx, { event: r.request.event, tier: r.request.tier, form: r.request.form, reference: r.reference, token: r.token, calendar: calendarOf(r.request.event) }));
  // Sent side by side (the emails need nothing from the people's statements): one round trip fewer.
  const [people] = await inOrder([recordPeopleBatch(q, actions, { brand, baseUrl: base, secret: ctx.secret }), queueEmails(q, emails)] as const);
  rows.forEach((r, i) => (r.personId = people[i]!.personId));
}

/**
 * The purposes and exact words a "hear more" box on an event records, as a committed batch found
 * or made them, kept for a second so the next batches of a spike need not look them up again
 * (words are only ever added, never changed; a group's purpose follows the group).
 */
class KeptConsents {
  private entries = new Map<string, { at: number; value: Consents }>();

  constructor(private readonly maxAgeMs = 1000) {}

  static key(ctx: AppContext, event: ChorusEvent): string {
    return `${event.groups.map((g) => g.id).join(',')}\n${hearMoreWording(ctx.brand.current().name, event)}`;
  }

  get(key: string): Consents | undefined {
    const entry = this.entries.get(key);
    return entry && Date.now() - entry.at < this.maxAgeMs ? entry.value : undefined;
  }

  set(key: string, value: Consents): void {
    if (this.entries.size > 1000) this.entries.clear();
    this.entries.set(key, { at: Date.now(), value });
  }
}

/** The consents a ticked "hear more" box asks for on this event: the exact words, once per batch. */
async function hearMoreConsents(ctx: AppContext, q: Tx, event: ChorusEvent): Promise<Consents> {
  const wording = hearMoreWording(ctx.brand.current().name, event);
  return Promise.all(
    [null, ...event.groups.map((g) => g.id)].map(async (groupId) => {
      const purpose = await purposeFor(q, { groupId });
      return { purpose, wording: await wordingFor(q, purpose.id, wording) };
    }),
  );
}

async function inOrder<T extends readonly unknown[]>(sent: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(sent);
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  // Bookings' records are sent side by side: the cause may be any one's, the rest only saw the transaction aborted (25P02).
  const failed = failures.find((f) => (f as { code?: unknown } | null)?.code !== '25P02') ?? failures[0];
  if (failures.length > 0) throw failed;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

const writers = new WeakMap<object, BookingWriter>();

/** Each app context's one booking writer, made on first use (tests build several apps in one process, each with its own). */
export function bookingWriterFor(ctx: AppContext): BookingWriter {
  let writer = writers.get(ctx);
  if (!writer) writers.set(ctx, (writer = new BookingWriter(ctx, ctx.pool)));
  return writer;
}
