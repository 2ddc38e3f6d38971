/**
 * Segment count benchmark: `npm run bench:segment`.
 *
 * Builds (once; kept between runs in .tmp/bench-segment, an embedded PostgreSQL cluster of its
 * own) a coalition of 1,000,000 people over the 650 constituencies of 2024, with ~20 tags each
 * on 1-30% of people, a few petition signatures each, group connections and consent; then times
 * a segment count with conditions on constituency, region, tags and actions through the real
 * compiler (countSegment), and reports the median of 10 runs after a warm-up.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { migrations } from '../src/migrations.ts';
import { connectDatabase } from '../src/platform/db/database.ts';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrateDatabase } from '../src/platform/db/migrate.ts';
import type { Database, Db } from '../src/schema.ts';
import { countSegment, type PeopleScope } from '../src/supporters/segments/compile-segment.ts';
import type { SegmentDefinition } from '../src/supporters/segments/definition.ts';

const PEOPLE = 1_000_000;
const RUNS = 10;
/** Change when the generated data changes, so the next run rebuilds it. */
const BUILD_VERSION = `v2-${PEOPLE}`;
const TARGET_MS = 200;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** 2024 constituency codes: England E14001063.., Wales W07000081.., Scotland S14000021.., NI N05000001.. */
function constituencies(): Array<{ code: string; region: string }> {
  const seats: Array<{ code: string; region: string }> = [];
  // English regions in ONS order with their 2024 seat counts (543 in all).
  const english: Array<[string, number]> = [
    ['E12000001', 27], ['E12000002', 73], ['E12000003', 54], ['E12000004', 47], ['E12000005', 57],
    ['E12000006', 61], ['E12000007', 75], ['E12000008', 91], ['E12000009', 58],
  ];
  let n = 1063;
  for (const [region, count] of english) for (let i = 0; i < count; i++) seats.push({ code: `E1400${n++}`, region });
  const three = (k: number) => String(k).padStart(3, '0');
  for (let i = 0; i < 32; i++) seats.push({ code: `W07000${three(81 + i)}`, region: 'W92000004' });
  for (let i = 0; i < 57; i++) seats.push({ code: `S14000${three(21 + i)}`, region: 'S92000003' });
  for (let i = 0; i < 18; i++) seats.push({ code: `N05000${three(1 + i)}`, region: 'N92000002' });
  return seats;
}

async function step(label: string, work: () => Promise<unknown>) {
  const started = performance.now();
  await work();
  console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function build(db: Db) {
  const seats = constituencies();
  if (seats.length !== 650) throw new Error(`expected 650 seats, made ${seats.length}`);
  console.log(`Building ${PEOPLE.toLocaleString('en-GB')} people (first run only)...`);
  await sql`truncate people, groups, tags, consent_purposes restart identity cascade`.execute(db);
  await step('groups', () =>
    sql`insert into groups (slug, name) select 'group-' || g, 'Group ' || g from generate_series(1, 10) g`.execute(db),
  );
  await step('people', () =>
    sql`
      with seats as (select * from unnest(${seats.map((s) => s.code)}::text[], ${seats.map((s) => s.region)}::text[]) with ordinality as s(code, region, n))
      insert into people (email, canonical_email, given_name, family_name, constituency_code, region_code, country_code, created_at, first_action_at, latest_action_at)
      select 'person' || r.i || '@example.org', 'person' || r.i || '@example.org', 'Given' || r.i, 'Family' || r.i, s.code, s.region, 'GB',
        r.t, r.t, r.t
      from (select i, now() - (random() * interval '1800 days') as t, 1 + floor(random() * 650)::int as seat from generate_series(1, ${PEOPLE}) i) r
      join seats s on s.n = r.seat
      order by r.i`.execute(db),
  );
  await step('group connections', () =>
    sql`
      insert into person_groups (person_id, group_id)
      select id, 1 + (id % 10) from people
      union all
      select id, 1 + ((id * 7) % 10) from people where id % 3 = 0 and (id * 7) % 10 <> id % 10`.execute(db),
  );
  await step('tags (20, each on 1-30% of people)', async () => {
    await sql`insert into tags (name, group_id) select 'Tag ' || k, case when k % 4 = 0 then 1 + (k % 10) end from generate_series(1, 20) k`.execute(db);
    await sql`
      insert into taggings (tag_id, person_id)
      select t.id, p.id from tags t cross join people p
      -- p.id * 0 keeps random() per pair: a condition on t alone would be evaluated once per tag.
      where random() + p.id * 0 < 0.01 + 0.29 * ((t.id * 37) % 20) / 19.0`.execute(db);
  });
  await step('petition signatures (a few each)', () =>
    sql`
      insert into person_actions (person_id, kind, subject_type, subject_id, group_id, occurred_at)
      select p.id, 'petition.signed', 'petition', (1 + floor(power(random(), 2) * 40))::int::text, 1 + (p.id % 10),
        greatest(p.created_at, now() - random() * interval '700 days')
      from people p cross join lateral generate_series(1, (random() * 5)::int + (p.id % 2)::int) s`.execute(db),
  );
  await step('other actions', () =>
    sql`
      insert into person_actions (person_id, kind, group_id, occurred_at)
      select id, case when id % 3 = 0 then 'signup.group' else 'signup.coalition' end, 1 + (id % 10), created_at from people where random() < 0.4`.execute(db),
  );
  await step('consent', async () => {
    await sql`insert into consent_purposes (key, name) values ('coalition.updates', 'Coalition updates')`.execute(db);
    await sql`
      insert into consents (person_id, purpose_id, status, method, given_at)
      select id, 1, case when random() < 0.85 then 'given' else 'withdrawn' end, 'bench', created_at from people where random() < 0.7`.execute(db);
  });
  await step('vacuum analyze', () => sql`vacuum analyze`.execute(db));
  await sql`create table if not exists bench_segment_build (version text not null)`.execute(db);
  await sql`delete from bench_segment_build`.execute(db);
  await sql`insert into bench_segment_build (version) values (${BUILD_VERSION})`.execute(db);
}

async function builtVersion(db: Db): Promise<string | undefined> {
  const rows = await sql<{ version: string }>`select version from bench_segment_build`.execute(db).catch(() => ({ rows: [] }));
  return rows.rows[0]?.version;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function time(db: Db, label: string, definition: SegmentDefinition, scope: PeopleScope): Promise<{ ms: number; count: number }> {
  let count = await countSegment(db, definition, scope); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    count = await countSegment(db, definition, scope);
    times.push(performance.now() - started);
  }
  const ms = median(times);
  console.log(`  ${label}: ${count.toLocaleString('en-GB')} people, median ${ms.toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`);
  return { ms, count };
}

async function main() {
  const started = performance.now();
  const server = await startEmbeddedPostgres({ dataDir: path.join(root, '.tmp', 'bench-segment'), database: 'chorus_bench' });
  const handle = connectDatabase<Database>(server.url, 4, 'chorus-bench');
  try {
    await migrateDatabase(handle.db as never, handle.pool, migrations);
    const db = handle.db;
    if ((await builtVersion(db)) !== BUILD_VERSION) await build(db);
    else console.log('Using the database built by an earlier run (.tmp/bench-segment)');
    const people = Number((await sql<{ n: number }>`select count(*)::int as n from people`.execute(db)).rows[0]!.n);
    await sql`analyze`.execute(db);

    const sizes = await sql<{ taggings: number; actions: number; groups: number }>`
      select (select count(*) from taggings)::int as taggings, (select count(*) from person_actions)::int as actions,
        (select count(*) from person_groups)::int as groups`.execute(db);
    const s = sizes.rows[0]!;
    console.log(`Data: ${people.toLocaleString('en-GB')} people, ${s.taggings.toLocaleString('en-GB')} taggings, ${s.actions.toLocaleString('en-GB')} actions, ${s.groups.toLocaleString('en-GB')} group connections`);

    const seats = constituencies();
    const fiftySeats = seats.filter((_, i) => i % 13 === 0).slice(0, 50).map((seat) => seat.code);
    const tagIds = (await db.selectFrom('tags').select('id').orderBy('id').execute()).map((t) => t.id);
    const yearAgo = new Date(Date.now() - 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);

    console.log(`Segment counts (median of ${RUNS} after a warm-up):`);
    const main = await time(
      db,
      '50 seats AND tag any-of 2 AND NOT tag AND signed petition 3 in the last year',
      {
        version: 1,
        match: 'all',
        conditions: [
          { kind: 'constituency', codes: fiftySeats, not: false },
          { kind: 'tags', match: 'any', tagIds: [tagIds[2]!, tagIds[7]!], not: false },
          { kind: 'tags', match: 'any', tagIds: [tagIds[11]!], not: true },
          { kind: 'action', action: 'petition.signed', subjectId: '3', since: yearAgo, not: false },
        ],
      },
      'all',
    );
    await time(
      db,
      'London AND all-of 2 tags AND signed any petition',
      {
        version: 1,
        match: 'all',
        conditions: [
          { kind: 'region', codes: ['E12000007'], not: false },
          { kind: 'tags', match: 'all', tagIds: [tagIds[4]!, tagIds[9]!], not: false },
          { kind: 'action', action: 'petition.signed', not: false },
        ],
      },
      'all',
    );
    await time(
      db,
      'same as the first, for a group organiser (2 groups)',
      {
        version: 1,
        match: 'all',
        conditions: [
          { kind: 'constituency', codes: fiftySeats, not: false },
          { kind: 'tags', match: 'any', tagIds: [tagIds[2]!, tagIds[7]!], not: false },
          { kind: 'action', action: 'petition.signed', subjectId: '3', since: yearAgo, not: false },
        ],
      },
      [1, 2],
    );
    await time(
      db,
      'any-of: London OR tag OR live coalition consent',
      {
        version: 1,
        match: 'any',
        conditions: [
          { kind: 'region', codes: ['E12000007'], not: false },
          { kind: 'tags', match: 'any', tagIds: [tagIds[0]!], not: false },
          { kind: 'consent', purposeId: 1, not: false },
        ],
      },
      'all',
    );
    console.log(`Target: at most ${TARGET_MS} ms for the first count. Total time ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    console.log(`RESULT segment_count_ms=${Math.round(main.ms)} people=${people}`);
  } finally {
    await handle.close();
    await server.stop();
  }
}

await main();
