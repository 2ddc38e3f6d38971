/**
 * `npm run bench:events`, each part in its own process, on real PostgreSQL, on this machine (load
 * generator included), every figure next to a baseline measured in the same run:
 *
 * 1. The booking spike: BENCH_PEOPLE (20,000) distinct people, each from their own client address
 *    (X-Forwarded-For, as a load balancer sets it; the server trusts one proxy), each booking one
 *    place through the booking form (every other one ticking "hear more") on an event of
 *    BENCH_CAPACITY (5,000) places, over HTTP with 64 connections. Before it, the HTTP ceiling: a
 *    bare Node server reading the same POSTs (the same requests, connections and count) and
 *    answering 303. Afterwards the places are counted in the database: booked (places in
 *    bookings), oversold (booked beyond the capacity), and every "booked" answer is looked for.
 *    bookings_per_s is the places booked over the time until the last one was answered.
 * 2. The calendar page (`/events`, 100 upcoming events) and the iCalendar feed (`/events.ics`, the
 *    same 100) under load (BENCH_SECONDS each, 64 connections), against the bare Node server
 *    answering a constant. A feed that is not there (404) is reported as missing, with no figure.
 *
 * Rate limits: each person books from their own client address, so a per-address booking limit
 * sees one booking per address and passes them all, as it would a real crowd behind a load
 * balancer. No setting is lifted for the bench. Any 429 is printed as a WARNING and counted on
 * the targets line: a spike that was throttled is not a booking spike's figure.
 *
 * Last line:
 *   RESULT bookings_per_s=<n> booked=<n> capacity=<n> oversold=<n> p99_ms=<n> booking_ratio=<bookings/s ÷ bare POST rps>
 *     calendar_ratio=<calendar rps ÷ bare rps> ics_ratio=<ics rps ÷ bare rps>
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { connectDatabase } from '../src/platform/db/database.ts';
import type { Database } from '../src/schema.ts';
import { bareConstantRun, bareFormRun } from './support/bare-runs.ts';
import { cpuMeter, postgresPids } from './support/cpu.ts';
import { benchRoot, freshDatabase, resetStatementStats, statementStats, statementTotals } from './support/postgres.ts';
import { startChorus } from './support/processes.ts';
import { runLoad, type LoadResult } from './support/run-load.ts';
import { seedReferenceData } from './support/seed.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 20_000);
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 5_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const POOL = Number(process.env.BENCH_DB_POOL ?? 10);
const CALENDAR_EVENTS = 100;
const BOOKING_FIELDS = ['name', 'email', 'tier', 'places'];

const TYPES = ['rally', 'march', 'demonstration', 'public_meeting', 'conference', 'hustings', 'street_stall', 'online_meeting', 'training'] as const;

interface Seeded {
  spike: { id: number; path: string; tier: number };
  warm: { id: number; path: string; tier: number };
}

/** 100 upcoming published events over the next months; the first is the spike's, the second the warm-up's. */
async function seed(url: string): Promise<Seeded> {
  const handle = connectDatabase<Database>(url, 2, 'bench-seed');
  const db = handle.db;
  const { postcodes } = await seedReferenceData(db, 2);
  const groups = await db
    .insertInto('groups')
    .values(Array.from({ length: 10 }, (_, i) => ({ slug: `group-${i + 1}`, name: `Save Our NHS group ${i + 1}` })))
    .returning('id')
    .execute();
  const places = await sql<{ postcode: string; constituency_code: string; region_code: string }>`
    select postcode, constituency_code, region_code from postcodes where postcode = any(${postcodes}::text[]) order by postcode`.execute(db);
  const day = 86_400_000;
  const base = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 2 * day;
  const ids: number[] = [];
  for (let i = 0; i < CALENDAR_EVENTS; i++) {
    const type = i < 2 ? 'conference' : TYPES[i % TYPES.length]!;
    const place = places.rows[(i * 37) % places.rows.length]!;
    const online = type === 'online_meeting';
    const startsAt = new Date(base + Math.floor((i * 90 * day) / CALENDAR_EVENTS) + (i % 5) * 3_600_000);
    const row = await db
      .insertInto('events')
      .values({
        slug: `event-${i + 1}`,
        title: i === 0 ? 'Scrap the ICP contract: national conference' : i === 1 ? 'Warm-up conference' : `Defend our hospital: ${type.replace('_', ' ')} ${i + 1}`,
        description: 'Come and hear **why** our services matter.\n\n- Speakers from the campaign\n- Questions from the floor\n\nAll welcome.',
        type,
        state: 'published',
        starts_at: startsAt,
        ends_at: new Date(startsAt.getTime() + 2 * 3_600_000),
        venue_name: online ? '' : `Town Hall ${i + 1}`,
        address: online ? '' : `${i + 1} High Street`,
        postcode: online ? null : place.postcode,
        constituency_code: online ? null : place.constituency_code,
        region_code: online ? null : place.region_code,
        online_url: online ? 'https://meet.example.org/defend-our-nhs' : null,
        access_step_free: i % 2 === 0,
        access_hearing_loop: i % 3 === 0,
        speakers: 'Dr Jane Smith, consultant paediatrician\nCllr Sam Jones',
        contact: 'events@example.org',
        capacity: i === 0 ? CAPACITY : i === 1 ? null : i % 4 === 0 ? 80 : null,
        published_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
    await db.insertInto('event_groups').values({ event_id: row.id, group_id: groups[i % groups.length]!.id }).execute();
    const tiers = i % 10 === 5 ? [{ name: 'Waged', price_pence: 1000 }, { name: 'Unwaged', price_pence: 500 }] : [{ name: 'Free', price_pence: 0 }];
    await db.insertInto('ticket_tiers').values(tiers.map((t, position) => ({ event_id: row.id, position, name: t.name, price_pence: t.price_pence, capacity: null }))).execute();
  }
  const tierOf = async (eventId: number) => (await db.selectFrom('ticket_tiers').select('id').where('event_id', '=', eventId).executeTakeFirstOrThrow()).id;
  const seeded = {
    spike: { id: ids[0]!, path: `/events/${ids[0]}-event-1`, tier: await tierOf(ids[0]!) },
    warm: { id: ids[1]!, path: `/events/${ids[1]}-event-2`, tier: await tierOf(ids[1]!) },
  };
  await sql`analyze`.execute(db);
  await handle.close();
  return seeded;
}

/** Places booked on the spike event, counted in the database, and whether every "booked" answer is there. */
async function countBooked(url: string, eventId: number, runId: string, successFile: string) {
  const answered = fs.readFileSync(successFile, 'utf8').split('\n').filter(Boolean).map((line) => {
    const [email, ms] = line.split('\t');
    return { email: email!, ms: Number(ms) };
  });
  const handle = connectDatabase<Database>(url, 2, 'bench-verify');
  const rows = await handle.db.selectFrom('bookings').select(['email', 'places']).where('event_id', '=', eventId).where('status', '=', 'booked').execute();
  const event = await handle.db.selectFrom('events').select(['capacity', 'places_booked']).where('id', '=', eventId).executeTakeFirstOrThrow();
  const people = await sql<{ n: number }>`select count(*)::int as n from people where email like ${`booker-${runId}-%`}`.execute(handle.db);
  await handle.close();
  const booked = rows.reduce((n, r) => n + r.places, 0);
  const stored = new Set(rows.map((r) => r.email));
  const answeredEmails = new Set(answered.map((a) => a.email));
  return {
    answered: answered.length,
    lastAnsweredMs: answered.reduce((m, a) => Math.max(m, a.ms), 0),
    booked,
    counter: event.places_booked,
    capacity: event.capacity ?? 0,
    lost: answered.filter((a) => !stored.has(a.email)).length,
    unanswered: rows.filter((r) => !answeredEmails.has(r.email)).length,
    people: people.rows[0]!.n,
  };
}

const describe = (r: LoadResult) => `${Math.round(r.rps)}/s (${r.requests} in ${r.duration.toFixed(1)} s), p50 ${r.p50} ms, p99 ${r.p99} ms; status codes ${JSON.stringify(r.codes)}`;
const errorsOf = (r: LoadResult) => r.errors + r.timeouts + Object.entries(r.codes).filter(([code]) => Number(code) >= 500).reduce((n, [, c]) => n + c, 0);

async function main() {
  console.log(`bench:events — ${PEOPLE} people booking ${CAPACITY} places, ${CONNECTIONS} connections, server DB pool ${POOL}; pages ${SECONDS} s each; load generator in its own process`);
  const database = await freshDatabase('events');
  try {
    const seeded = await seed(database.url);
    console.log(`seeded 650 constituencies, 10 groups, ${CALENDAR_EVENTS} upcoming events (event ${seeded.spike.id}: ${CAPACITY} places)`);

    const runId = randomUUID().slice(0, 8);
    const bookLoad = (url: string, warmUp: boolean, id: string, successFile: string) => ({
      url,
      connections: CONNECTIONS,
      durationSeconds: warmUp ? 3 : 600,
      ...(warmUp ? {} : { amount: PEOPLE }),
      headers: { origin: new URL(url).origin },
      book: { runId: warmUp ? `warm${id}` : id, successFile, tier: warmUp ? seeded.warm.tier : seeded.spike.tier },
    });

    const ceilingFile = path.join(benchRoot, `events-ceiling-${runId}.txt`);
    const ceiling = await bareFormRun({ requiredFields: BOOKING_FIELDS, redirectTo: `${seeded.spike.path}/booked`, path: `/events/${seeded.spike.id}/bookings` }, (url, warmUp) =>
      bookLoad(url, warmUp, `ceiling${runId}`, ceilingFile),
    );
    fs.rmSync(ceilingFile, { force: true });
    const ceilingRps = ceiling.requests / ceiling.duration;
    console.log(`HTTP ceiling (bare node:http, reads the booking form, answers 303): ${describe(ceiling)}`);

    const chorus = await startChorus(database.url, { TRUST_PROXY: '1', DB_POOL_SIZE: String(POOL) });
    const successFile = path.join(benchRoot, `events-booked-${runId}.txt`);
    let spike: LoadResult;
    let cpu = { server: 0, database: 0 };
    let calendar: LoadResult | undefined;
    let ics: LoadResult | undefined;
    let icsMissing: string | undefined;
    let pageBytes = 0;
    let icsBytes = 0;
    let listed = 0;
    try {
      await runLoad(bookLoad(`${chorus.url}/events/${seeded.warm.id}/bookings`, true, runId, successFile));
      const pgdata = path.join(benchRoot, 'events', 'postgres');
      const serverCpu = cpuMeter(() => [chorus.child.process.pid!]);
      const databaseCpu = cpuMeter(() => postgresPids(pgdata));
      await resetStatementStats(database.url);
      spike = await runLoad(bookLoad(`${chorus.url}/events/${seeded.spike.id}/bookings`, false, runId, successFile));
      cpu = { server: serverCpu.stop(), database: databaseCpu.stop() };
      // BENCH_PG_STATS=1: PostgreSQL's own time per statement during the spike, per booking attempt.
      const stats = await statementStats(database.url, PEOPLE, 20);
      if (stats) console.log(`PostgreSQL statements during the spike (per booking attempt):\n${stats.replaceAll('µs/sig', 'µs/att').replaceAll('B/sig', 'B/att')}`);
      const totals = await statementTotals(database.url);
      if (totals) console.log(`statements during the spike: ${totals.toplevel} sent (${(totals.toplevel / CAPACITY).toFixed(1)} per place booked), ${totals.nested} more inside functions (${(totals.nested / CAPACITY).toFixed(1)} per place booked)`);

      // The pages: the calendar and the feed as the public (no cookie) asks for them.
      const page = await fetch(`${chorus.url}/events`, { headers: { 'accept-encoding': 'identity' } });
      const html = await page.text();
      pageBytes = Buffer.byteLength(html);
      listed = new Set([...html.matchAll(/href="\/events\/(\d+)-/g)].map((m) => m[1])).size;
      if (page.status !== 200) throw new Error(`/events answered ${page.status}`);
      await runLoad({ url: `${chorus.url}/events`, connections: CONNECTIONS, durationSeconds: 2 });
      calendar = await runLoad({ url: `${chorus.url}/events`, connections: CONNECTIONS, durationSeconds: SECONDS });

      const feed = await fetch(`${chorus.url}/events.ics`, { headers: { 'accept-encoding': 'identity' } });
      const feedText = await feed.text();
      icsBytes = Buffer.byteLength(feedText);
      const vevents = (feedText.match(/^BEGIN:VEVENT/gm) ?? []).length;
      if (feed.status !== 200 || !/^BEGIN:VCALENDAR/.test(feedText)) {
        icsMissing = `/events.ics answered ${feed.status}${feed.status === 200 ? ' without a VCALENDAR' : ''}: the feed is not there, so no figure for it`;
      } else {
        console.log(`/events.ics: ${icsBytes} bytes, ${vevents} events`);
        await runLoad({ url: `${chorus.url}/events.ics`, connections: CONNECTIONS, durationSeconds: 2 });
        ics = await runLoad({ url: `${chorus.url}/events.ics`, connections: CONNECTIONS, durationSeconds: SECONDS });
      }
    } finally {
      await chorus.child.stop();
    }

    const check = await countBooked(database.url, seeded.spike.id, runId, successFile);
    fs.rmSync(successFile, { force: true });
    const bookingsPerSecond = check.lastAnsweredMs > 0 ? check.booked / (check.lastAnsweredMs / 1000) : 0;
    const oversold = Math.max(0, check.booked - check.capacity);
    const throttled = spike.codes['429'] ?? 0;
    console.log(
      `spike: ${PEOPLE} booking attempts ${describe(spike)}; max ${spike.max} ms; ` +
        `${check.answered} answered "booked", the last after ${(check.lastAnsweredMs / 1000).toFixed(1)} s = ${Math.round(bookingsPerSecond)} bookings/s`,
    );
    console.log(
      `database: ${check.booked} places booked of ${check.capacity} (the event's counter says ${check.counter}), oversold ${oversold}; ` +
        `"booked" answers not in the database ${check.lost}, bookings never answered "booked" ${check.unanswered}; ${check.people} people recorded`,
    );
    if (throttled > 0) console.log(`WARNING: ${throttled} booking attempts were refused with 429 (rate limited): the figures above are not a booking spike's`);
    const micros = (seconds: number) => Math.round((seconds / PEOPLE) * 1e6);
    console.log(
      `CPU per attempt: server ${micros(cpu.server)} µs, PostgreSQL ${micros(cpu.database)} µs (bare form server ${Math.round(ceiling.cpuMicros)} µs); machine load ${os.loadavg()[0]!.toFixed(1)}`,
    );

    const bare = await bareConstantRun(CONNECTIONS, SECONDS);
    console.log(`bare node:http answering a constant: ${describe(bare)}`);
    console.log(`calendar /events (${pageBytes} bytes, links to ${listed} events): ${calendar ? describe(calendar) : 'not run'}`);
    console.log(ics ? `feed /events.ics (${icsBytes} bytes): ${describe(ics)}` : `feed: ${icsMissing}`);

    const bookingRatio = bookingsPerSecond / ceilingRps;
    const calendarRatio = calendar ? calendar.rps / bare.rps : 0;
    const icsRatio = ics ? ics.rps / bare.rps : undefined;
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const errors = errorsOf(spike) + (calendar ? errorsOf(calendar) : 0) + (ics ? errorsOf(ics) : 0);
    console.log(
      `targets: oversold 0 ${met(oversold === 0)}, booked = capacity ${met(check.booked === check.capacity)}, p99 ≤100 ms ${met(spike.p99 <= 100)}, ` +
        `booking ratio ≥0.15 ${met(bookingRatio >= 0.15)}, calendar ratio ≥0.3 ${met(calendarRatio >= 0.3)}, ` +
        `ics ratio ≥0.3 ${icsRatio === undefined ? 'NOT measured (feed missing)' : met(icsRatio >= 0.3)}; errors and 5xx ${errors}, 429s ${throttled}`,
    );
    console.log(
      `RESULT bookings_per_s=${Math.round(bookingsPerSecond)} booked=${check.booked} capacity=${check.capacity} oversold=${oversold} p99_ms=${spike.p99} ` +
        `booking_ratio=${bookingRatio.toFixed(2)} calendar_ratio=${calendarRatio.toFixed(2)} ics_ratio=${icsRatio === undefined ? 'missing' : icsRatio.toFixed(2)}`,
    );
  } finally {
    await database.stop();
  }
}

await main();
