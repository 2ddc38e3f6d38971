/**
 * `npm run bench:letters`, on real PostgreSQL, on this machine (load generator in its own process):
 *
 * 1. The similarity check (WriteToThem's rule): BENCH_LETTERS (100,000) earlier letters of one
 *    campaign, each its own words (sentences drawn from a shared stock, as letters on one subject
 *    share phrases), stored with their MinHash signatures and LSH band keys (GIN index). Then
 *    BENCH_CHECKS (1,000) new letters, half of them near copies of earlier ones, each checked as
 *    `writeLetter` does (shingles, signature, one query): the median and p99 per letter, and how
 *    many near copies were caught and how many different letters were (wrongly) held.
 * 2. The seat page `/admin/seats/<code>` (a signed-in organiser) and the map page (BENCH_MAP_PATH,
 *    default the public hexmap `/map`) with 650 seats' figures, each under load for BENCH_SECONDS
 *    with BENCH_CONNECTIONS connections, against a bare Node server answering a constant in the
 *    same run.
 *
 * Last line: RESULT similarity_p99_ms=<n> letters=<n> seat_map_ratio=<map rps ÷ bare rps>
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createOrganiser } from '../src/coalition/organisers.ts';
import { connectDatabase } from '../src/platform/db/database.ts';
import { fingerprint } from '../src/politics/letters/similarity.ts';
import { letterText, nearCopy } from '../src/politics/letters/test-support.ts';
import { judgeLetter } from '../src/politics/letters/write-letter.ts';
import { politicsQ } from '../src/politics/tables.ts';
import type { Database } from '../src/schema.ts';
import { bareConstantRun } from './support/bare-runs.ts';
import { freshDatabase } from './support/postgres.ts';
import { startChorus } from './support/processes.ts';
import { runLoad, type LoadResult } from './support/run-load.ts';
import { seedReferenceData } from './support/seed.ts';

const LETTERS = Number(process.env.BENCH_LETTERS ?? 100_000);
const CHECKS = Number(process.env.BENCH_CHECKS ?? 1_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const MAP_PATH = process.env.BENCH_MAP_PATH ?? '/map';
const BATCH = 2_000;
const PASSWORD = 'bench password long enough';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const describe = (r: LoadResult) => `${Math.round(r.rps)}/s (${r.requests} in ${r.duration.toFixed(1)} s), p50 ${r.p50} ms, p99 ${r.p99} ms; status codes ${JSON.stringify(r.codes)}`;

async function seed(url: string): Promise<{ campaignId: number; seats: string[] }> {
  const handle = connectDatabase<Database>(url, 4, 'bench-seed');
  const db = handle.db;
  const { constituencies } = await seedReferenceData(db, 1);
  await createOrganiser(db, { email: 'bench@example.org', name: 'Bench', role: 'admin', password: PASSWORD, actor: 'bench' });
  const { id: campaignId } = await db
    .insertInto('letter_campaigns')
    .values({ title: 'Keep our maternity units open', about: 'Bench campaign.', talking_points: 'One\nTwo', deadline: '2099-12-31', target: 'own_mp' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const started = performance.now();
  for (let from = 0; from < LETTERS; from += BATCH) {
    const n = Math.min(BATCH, LETTERS - from);
    const rows = Array.from({ length: n }, (_, k) => {
      const i = from + k;
      const body = letterText(i);
      const fp = fingerprint(campaignId, body);
      return { i, seat: constituencies[i % constituencies.length]!, body, minhash: `{${fp.minhash.join(',')}}`, bands: `{${fp.bands.join(',')}}` };
    });
    await sql`
      insert into letters (campaign_id, writer_name, writer_email, mp_seat_code, mp_name, body, delivery, state, minhash, bands, confirmed_at, delivered_at, got_reply, reply_days, answered_at)
      select ${campaignId}, 'Writer ' || i, 'writer' || i || '@example.org', seat, 'MP for ' || seat, body, 'email', 'ready', minhash::int[], bands::bigint[],
        now() - interval '20 days', now() - interval '20 days', i % 3 = 0, case when i % 3 = 0 then 3 + i % 20 end, case when i % 2 = 0 then now() end
      from unnest(${rows.map((r) => r.i)}::int[], ${rows.map((r) => r.seat)}::text[], ${rows.map((r) => r.body)}::text[], ${rows.map((r) => r.minhash)}::text[], ${rows.map((r) => r.bands)}::text[])
        as t(i, seat, body, minhash, bands)`.execute(db);
  }
  await sql`vacuum analyze letters`.execute(db);
  console.log(`seeded 650 constituencies with MPs and ${LETTERS} letters of one campaign in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  await handle.close();
  return { campaignId, seats: constituencies };
}

/** Checks new letters as writeLetter does (signature + one query each); half are near copies of earlier letters. */
async function similarityRun(url: string, campaignId: number) {
  const handle = connectDatabase<Database>(url, 2, 'bench-similarity');
  const q = politicsQ(handle.db);
  const times: number[] = [];
  const candidates: number[] = [];
  let caught = 0;
  let wronglyHeld = 0;
  for (let k = -50; k < CHECKS; k++) {
    const copy = k % 2 === 0;
    const body = copy ? nearCopy(letterText((Math.abs(k) * 7919) % LETTERS)) : letterText(LETTERS + 1_000_000 + Math.abs(k));
    const started = performance.now();
    const fp = fingerprint(campaignId, body);
    const judged = await judgeLetter(q, campaignId, fp, { personId: null });
    const ms = performance.now() - started;
    if (k < 0) continue; // warm-up
    times.push(ms);
    // Not timed: how many earlier letters shared a band with it (the rows the check compared).
    const shared = await sql<{ n: number }>`select count(*)::int as n from letters where bands && ${fp.bands}::bigint[] and campaign_id = ${campaignId}`.execute(q);
    candidates.push(shared.rows[0]!.n);
    if (copy && judged.heldReason === 'similar') caught++;
    if (!copy && judged.heldReason === 'similar') wronglyHeld++;
  }
  await handle.close();
  times.sort((a, b) => a - b);
  candidates.sort((a, b) => a - b);
  return { candidatesMedian: percentile(candidates, 50), candidatesMax: candidates.at(-1)!, median: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1)!, caught, copies: Math.ceil(CHECKS / 2), wronglyHeld, different: Math.floor(CHECKS / 2) };
}

/** Signs in as the bench organiser the way a browser does (the form, its CSRF token and cookie); returns the Cookie header. */
async function signIn(base: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!.trim(), value.join('='));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const form = await fetch(`${base}/sign-in`);
  keep(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie(), origin: base },
    body: new URLSearchParams({ _csrf: token, email: 'bench@example.org', password: PASSWORD }).toString(),
  });
  keep(res);
  if (res.status !== 303) throw new Error(`signing in answered ${res.status}`);
  return cookie();
}

async function main() {
  console.log(`bench:letters — ${LETTERS} earlier letters, ${CHECKS} similarity checks; pages ${SECONDS} s each with ${CONNECTIONS} connections; map page ${MAP_PATH}`);
  const database = await freshDatabase('letters');
  try {
    const { campaignId, seats } = await seed(database.url);
    const similarity = await similarityRun(database.url, campaignId);
    console.log(
      `similarity check against ${LETTERS} letters: median ${similarity.median.toFixed(2)} ms, p99 ${similarity.p99.toFixed(2)} ms, max ${similarity.max.toFixed(2)} ms per letter; ` +
        `near copies held ${similarity.caught} of ${similarity.copies}, different letters held ${similarity.wronglyHeld} of ${similarity.different}; ` +
        `letters compared per check (sharing a band): median ${similarity.candidatesMedian}, max ${similarity.candidatesMax}; machine load ${os.loadavg()[0]!.toFixed(1)}`,
    );

    const chorus = await startChorus(database.url);
    let seat: LoadResult;
    let map: LoadResult;
    try {
      const cookie = await signIn(chorus.url);
      const seatPath = `/admin/seats/${seats[17]}`;
      for (const [path, headers] of [[seatPath, { cookie }], [MAP_PATH, {}]] as const) {
        const res = await fetch(`${chorus.url}${path}`, { headers });
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      }
      await runLoad({ url: `${chorus.url}${seatPath}`, connections: CONNECTIONS, durationSeconds: 2, headers: { cookie } });
      seat = await runLoad({ url: `${chorus.url}${seatPath}`, connections: CONNECTIONS, durationSeconds: SECONDS, headers: { cookie } });
      await runLoad({ url: `${chorus.url}${MAP_PATH}`, connections: CONNECTIONS, durationSeconds: 2 });
      map = await runLoad({ url: `${chorus.url}${MAP_PATH}`, connections: CONNECTIONS, durationSeconds: SECONDS });
    } finally {
      await chorus.child.stop();
    }
    const bare = await bareConstantRun(CONNECTIONS, SECONDS);
    console.log(`bare node:http answering a constant: ${describe(bare)}`);
    console.log(`seat page /admin/seats/<code> (signed in): ${describe(seat)}; ratio ${(seat.rps / bare.rps).toFixed(2)}`);
    console.log(`map page ${MAP_PATH}: ${describe(map)}`);
    const ratio = map.rps / bare.rps;
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(`targets: similarity p99 ≤50 ms over ${LETTERS} letters ${met(similarity.p99 <= 50 && LETTERS >= 100_000)}, seat_map_ratio ≥0.2 ${met(ratio >= 0.2)}`);
    console.log(`RESULT similarity_p99_ms=${similarity.p99.toFixed(1)} letters=${LETTERS} seat_map_ratio=${ratio.toFixed(2)}`);
  } finally {
    await database.stop();
  }
}

await main();
