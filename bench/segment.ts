/**
 * Segment count benchmark: `npm run bench:segment`.
 *
 * Builds (once; kept between runs in .tmp/bench-segment, an embedded PostgreSQL cluster of its
 * own) a coalition of 1,000,000 people over the 650 constituencies of 2024, with 20 tags each on
 * 1-30% of people, 5 lists, a few petition signatures each, group connections and consent for
 * the coalition's and each group's purpose, all from generate_series in a handful of statements;
 * then times every condition shape the builder offers (seat, region, date added, tags any/all/none,
 * lists, live consent, actions on a petition, all-of, any-of, negations, any-of over all-of tags)
 * through the real compiler (countSegment), as the median of BENCH_RUNS runs after a warm-up.
 *
 * The machine is shared and noisy, so it also times `select count(*) from people` in the same run
 * (baseline_ms) and reports the slowest shape as a ratio of it. The last line is
 *   RESULT segment_count_ms=<first shape> people=<n> slowest_ms=<n> slowest=<shape> baseline_ms=<n> ratio=<slowest/baseline>
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
import type { Condition, SegmentDefinition } from '../src/supporters/segments/definition.ts';

const PEOPLE = 1_000_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
/** Change when the generated data changes, so the next run rebuilds it. */
const BUILD_VERSION = `v4-${PEOPLE}`;
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
  await sql`truncate people, groups, tags, lists, consent_purposes restart identity cascade`.execute(db);
  // Loading is fast when nothing is checked or indexed row by row: foreign keys are not checked
  // (the data is generated consistent), and the secondary indexes are dropped and made again at
  // the end, each in one sort.
  const loaded = ['people', 'person_groups', 'taggings', 'list_members', 'person_actions', 'consents'];
  const indexes = await sql<{ name: string; def: string }>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def from pg_index i
    where i.indrelid = any(${loaded}::regclass[]) and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`.execute(db);
  await step(`drop ${indexes.rows.length} secondary indexes`, async () => {
    for (const index of indexes.rows) await sql`drop index ${sql.raw(index.name)}`.execute(db);
  });
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
  await step('lists (5, each on 0.5-8% of people)', async () => {
    await sql`insert into lists (name, group_id) select 'List ' || k, case when k % 2 = 0 then k end from generate_series(1, 5) k`.execute(db);
    await sql`
      insert into list_members (list_id, person_id)
      select l.id, p.id from lists l cross join people p
      where random() + p.id * 0 < 0.005 + 0.075 * (l.id - 1) / 4.0`.execute(db);
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
    await sql`insert into consent_purposes (key, name, group_id) select 'group.' || g || '.updates', 'Group ' || g || ' updates', g from generate_series(1, 10) g`.execute(db);
    await sql`
      insert into consents (person_id, purpose_id, status, method, given_at)
      select id, 1, case when random() < 0.85 then 'given' else 'withdrawn' end, 'bench', created_at from people where random() < 0.7`.execute(db);
    // Each person's own group's purpose (id 1 + group), for half of them.
    await sql`
      insert into consents (person_id, purpose_id, status, method, given_at)
      select id, 2 + (id % 10), case when random() < 0.9 then 'given' else 'withdrawn' end, 'bench', created_at from people where random() < 0.5`.execute(db);
  });
  await step('indexes again', async () => {
    for (const index of indexes.rows) await sql`${sql.raw(index.def)}`.execute(db);
  });
  await step('vacuum analyze', () => sql`vacuum analyze`.execute(db));
  await sql`create table if not exists bench_segment_build (version text not null)`.execute(db);
  await sql`delete from bench_segment_build`.execute(db);
  await sql`insert into bench_segment_build (version) values (${BUILD_VERSION})`.execute(db);
}

/** 40 petitions (signed above as subjects 1-40), petition n run by group 1 + n % 10. */
async function ensurePetitions(db: Db) {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from petition_groups`.execute(db);
  if (rows[0]!.n > 0) return;
  await sql`truncate petitions restart identity cascade`.execute(db);
  await sql`
    insert into petitions (slug, action, background, target, state, opened_at)
    select 'petition-' || n, 'Petition ' || n, 'Because.', 'The government', 'open', now() from generate_series(1, 40) n`.execute(db);
  await sql`insert into petition_groups (petition_id, group_id) select id, 1 + id % 10 from petitions`.execute(db);
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

async function timed(label: string, run: () => Promise<number>): Promise<{ ms: number; count: number }> {
  let count = await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    count = await run();
    times.push(performance.now() - started);
  }
  const ms = median(times);
  console.log(`  ${label}: ${count.toLocaleString('en-GB')} people, median ${ms.toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`);
  return { ms, count };
}

interface Shape {
  name: string;
  definition: SegmentDefinition;
  scope: PeopleScope;
}

function shapes(tagIds: number[], fiftySeats: string[], yearAgo: string): Shape[] {
  const all = (...conditions: SegmentDefinition['conditions']): SegmentDefinition => ({ version: 1, match: 'all', conditions });
  const any = (...conditions: SegmentDefinition['conditions']): SegmentDefinition => ({ version: 1, match: 'any', conditions });
  const seats: Condition = { kind: 'constituency', codes: fiftySeats, not: false };
  const london: Condition = { kind: 'region', codes: ['E12000007'], not: false };
  const twoTags: Condition = { kind: 'tags', match: 'any', tagIds: [tagIds[2]!, tagIds[7]!], not: false };
  const notTag: Condition = { kind: 'tags', match: 'any', tagIds: [tagIds[11]!], not: true };
  const petition3: Condition = { kind: 'action', action: 'petition.signed', subjectId: '3', since: yearAgo, not: false };
  const consent: Condition = { kind: 'consent', purposeId: 1, not: false };
  return [
    { name: 'all-of:seats+tags-any+not-tag+petition', definition: all(seats, twoTags, notTag, petition3), scope: 'all' },
    { name: 'everyone', definition: all(), scope: 'all' },
    { name: 'seats', definition: all(seats), scope: 'all' },
    { name: 'not-seats', definition: all({ ...seats, not: true }), scope: 'all' },
    { name: 'region', definition: all(london), scope: 'all' },
    { name: 'created', definition: all({ kind: 'created', since: '2024-01-01', before: '2025-01-01', not: false }), scope: 'all' },
    { name: 'tags-any', definition: all(twoTags), scope: 'all' },
    { name: 'tags-all', definition: all({ kind: 'tags', match: 'all', tagIds: [tagIds[4]!, tagIds[9]!], not: false }), scope: 'all' },
    { name: 'tags-none', definition: all({ kind: 'tags', match: 'none', tagIds: [tagIds[0]!, tagIds[5]!], not: false }), scope: 'all' },
    { name: 'not-tag', definition: all(notTag), scope: 'all' },
    { name: 'list', definition: all({ kind: 'lists', listIds: [3, 5], not: false }), scope: 'all' },
    { name: 'consent', definition: all(consent), scope: 'all' },
    { name: 'not-consent', definition: all({ ...consent, not: true }), scope: 'all' },
    { name: 'petition-since', definition: all(petition3), scope: 'all' },
    { name: 'any-petition', definition: all({ kind: 'action', action: 'petition.signed', not: false }), scope: 'all' },
    { name: 'not-petition', definition: all({ kind: 'action', action: 'petition.signed', subjectId: '1', not: true }), scope: 'all' },
    { name: 'all-of:region+tags-all+any-petition', definition: all(london, { kind: 'tags', match: 'all', tagIds: [tagIds[4]!, tagIds[9]!], not: false }, { kind: 'action', action: 'petition.signed', not: false }), scope: 'all' },
    // A group organiser builds on their own groups' tags and petitions (tag 16 is group 7's; petition 10 is group 1's).
    {
      name: 'all-of:organiser-2-groups',
      definition: all(seats, { kind: 'tags', match: 'any', tagIds: [tagIds[2]!, tagIds[6]!], not: false }, { ...petition3, subjectId: '10' }),
      scope: [1, 2],
    },
    { name: 'any-of:region+tag+consent', definition: any(london, { kind: 'tags', match: 'any', tagIds: [tagIds[0]!], not: false }, consent), scope: 'all' },
    { name: 'any-of:seats+list+petition', definition: any(seats, { kind: 'lists', listIds: [1], not: false }, petition3), scope: 'all' },
    { name: 'any-of:organiser-region+tag+group-consent', definition: any(london, { kind: 'tags', match: 'any', tagIds: [tagIds[0]!], not: false }, { kind: 'consent', purposeId: 2, not: false }), scope: [1] },
    {
      name: 'any-of:nested-not-tag+tags-all+not-consent+petition',
      definition: any(notTag, { kind: 'tags', match: 'all', tagIds: [tagIds[4]!, tagIds[9]!], not: false }, { ...consent, not: true }, petition3),
      scope: 'all',
    },
    {
      name: 'any-of:not-region+tags-none+created',
      definition: any({ ...london, not: true }, { kind: 'tags', match: 'none', tagIds: [tagIds[1]!], not: false }, { kind: 'created', since: '2025-01-01', not: false }),
      scope: 'all',
    },
  ];
}

async function main() {
  const started = performance.now();
  const server = await startEmbeddedPostgres({ dataDir: path.join(root, '.tmp', 'bench-segment'), database: 'chorus_bench' });
  const handle = connectDatabase<Database>(server.url, 4, 'chorus-bench');
  try {
    await migrateDatabase(handle.db as never, handle.pool, migrations);
    const db = handle.db;
    if ((await builtVersion(db)) !== BUILD_VERSION) {
      // One connection, with foreign-key triggers off (as a restore does) and room to sort.
      await db.connection().execute(async (conn) => {
        for (const setting of ['session_replication_role = replica', `maintenance_work_mem = '256MB'`, 'synchronous_commit = off']) await sql`set ${sql.raw(setting)}`.execute(conn);
        try {
          await build(conn);
        } finally {
          for (const setting of ['session_replication_role', 'maintenance_work_mem', 'synchronous_commit']) await sql`reset ${sql.raw(setting)}`.execute(conn);
        }
      });
    }
    else console.log('Using the database built by an earlier run (.tmp/bench-segment)');
    await ensurePetitions(db);
    const people = Number((await sql<{ n: number }>`select count(*)::int as n from people`.execute(db)).rows[0]!.n);
    await sql`analyze`.execute(db);

    const sizes = await sql<{ taggings: number; actions: number; groups: number; members: number; consents: number }>`
      select (select count(*) from taggings)::int as taggings, (select count(*) from person_actions)::int as actions,
        (select count(*) from person_groups)::int as groups, (select count(*) from list_members)::int as members,
        (select count(*) from consents)::int as consents`.execute(db);
    const s = sizes.rows[0]!;
    const n = (v: number) => v.toLocaleString('en-GB');
    console.log(`Data: ${n(people)} people, ${n(s.taggings)} taggings, ${n(s.members)} list members, ${n(s.actions)} actions, ${n(s.consents)} consents, ${n(s.groups)} group connections`);

    const seats = constituencies();
    const fiftySeats = seats.filter((_, i) => i % 13 === 0).slice(0, 50).map((seat) => seat.code);
    const tagIds = (await db.selectFrom('tags').select('id').orderBy('id').execute()).map((t) => t.id);
    const yearAgo = new Date(Date.now() - 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);

    console.log(`Baseline and segment counts (median of ${RUNS} after a warm-up):`);
    const baseline = await timed('baseline: select count(*) from people', async () => Number((await sql<{ n: string }>`select count(*) as n from people`.execute(db)).rows[0]!.n));
    const results: Array<{ name: string; ms: number }> = [];
    for (const shape of shapes(tagIds, fiftySeats, yearAgo)) {
      const { ms } = await timed(shape.name, () => countSegment(db, shape.definition, shape.scope));
      results.push({ name: shape.name, ms });
    }
    const slowest = results.reduce((a, b) => (b.ms > a.ms ? b : a));
    const over = results.filter((r) => r.ms > TARGET_MS);
    console.log(`Target: every count at most ${TARGET_MS} ms; ${over.length === 0 ? 'all within it' : `over: ${over.map((r) => `${r.name} ${r.ms.toFixed(0)} ms`).join(', ')}`}. Total time ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    console.log(
      `RESULT segment_count_ms=${Math.round(results[0]!.ms)} people=${people} slowest_ms=${Math.round(slowest.ms)} slowest=${slowest.name} baseline_ms=${Math.round(baseline.ms)} ratio=${(slowest.ms / baseline.ms).toFixed(2)}`,
    );
  } finally {
    await handle.close();
    await server.stop();
  }
}

await main();
