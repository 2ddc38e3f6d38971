/**
 * What each index on `signatures` costs the writer's insert: a fresh embedded PostgreSQL with
 * PREFILL signatures, then, for all indexes and for each index dropped in turn (inside a
 * transaction that is rolled back, so the next case has it again), ROUNDS multi-row inserts of
 * BATCH pending signatures as the writer makes them (and the same without the foreign key to petitions, whose
 * check runs once per row). Prints, per signature, the CPU time of the PostgreSQL backend and the WAL the
 * inserts took and what dropping each index saves. A development probe (`tsx bench/support/index-cost.ts`).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { cpuSeconds } from './cpu.ts';
import { freshDatabase } from './postgres.ts';

const PREFILL = Number(process.env.PREFILL ?? 200_000);
const BATCH = Number(process.env.BATCH ?? 20);
const ROUNDS = Number(process.env.ROUNDS ?? 300);
const REPEAT = Number(process.env.REPEAT ?? 3);

const database = await freshDatabase('index-cost');
const client = new pg.Client({ connectionString: database.url });
await client.connect();
try {
  const { rows: [petition] } = await client.query<{ id: number }>(
    `insert into petitions (slug, action, background, target, state, opened_at, closing_date)
     values ('p', 'Probe', 'b', 't', 'open', now(), '2027-05-24') returning id`,
  );
  await client.query(
    `insert into signatures (petition_id, name, email, canonical_email, postcode, country_code, constituency_code, region_code, ip, confirmation_due_at, state, validated_at)
     select $1, 'Prefill ' || g, 'prefill-' || g || '@example.org', 'prefill-' || g || '@example.org', 'AB1 0AA', 'GB', 'E14001000', 'E12000001',
       ('2001:db8::' || to_hex(g % 65535))::inet, case when g % 2 = 0 then now() end, case when g % 2 = 0 then 'pending' else 'validated' end, case when g % 2 = 1 then now() end
     from generate_series(1, $2) as g`,
    [petition!.id, PREFILL],
  );
  await client.query('vacuum analyze signatures');
  const { rows: indexes } = await client.query<{ name: string }>(
    // signatures_one_per_email stays: the insert's ON CONFLICT names it (and the duplicate rule rests on it).
    `select indexrelid::regclass::text as name from pg_index where indrelid = 'signatures'::regclass and not indisprimary and indexrelid::regclass::text <> 'signatures_one_per_email' order by 1`,
  );

  const insert = `insert into signatures (petition_id, public_id, name, email, canonical_email, household_slot, postcode, country_code,
      constituency_code, region_code, ip, held_reason, hear_more, consent_text_id, state, confirmation_due_at)
    select $1, p, n, e, e, 1, 'AB1 0AA', 'GB', 'E14001000', 'E12000001', i, null, false, null, 'pending', now()
    from unnest($2::uuid[], $3::text[], $4::text[], $5::inet[]) as v(p, n, e, i)
    on conflict (petition_id, canonical_email, household_slot) do nothing`;
  const backend = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  let serial = 0;
  const hex4 = () => Math.floor(Math.random() * 0x10000).toString(16);
  const run = async (drop: string | undefined) => {
    await client.query('begin');
    if (drop === 'the petition foreign key') await client.query('alter table signatures drop constraint signatures_petition_id_fkey');
    else if (drop) await client.query(`drop index ${drop}`);
    const lsn = (await client.query<{ l: string }>('select pg_current_wal_insert_lsn()::text as l')).rows[0]!.l;
    // The backend's own CPU time, not the wall clock: the machine is shared, and waiting for a core is not the index's cost.
    const started = cpuSeconds(backend) * 1000;
    for (let r = 0; r < ROUNDS; r++) {
      const emails = Array.from({ length: BATCH }, () => `probe-${serial++}-${randomUUID().slice(0, 8)}@example.org`);
      await client.query({
        name: 'probe-insert',
        text: insert,
        values: [petition!.id, emails.map(() => randomUUID()), emails.map((e) => `Signer ${e}`), emails, emails.map(() => `2001:db8:${hex4()}:${hex4()}::${hex4()}`)],
      });
    }
    const ms = cpuSeconds(backend) * 1000 - started;
    const wal = (await client.query<{ b: string }>('select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::text as b', [lsn])).rows[0]!.b;
    await client.query('rollback');
    return { us: (ms * 1000) / (ROUNDS * BATCH), wal: Number(wal) / (ROUNDS * BATCH) };
  };
  await run(undefined); // warm
  const cases = [undefined, ...indexes.map((i) => i.name), 'the petition foreign key'];
  const results = new Map<string | undefined, { us: number[]; wal: number[] }>();
  for (let k = 0; k < REPEAT; k++) {
    for (const c of cases) {
      const r = await run(c);
      const kept = results.get(c) ?? { us: [], wal: [] };
      kept.us.push(r.us);
      kept.wal.push(r.wal);
      results.set(c, kept);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const all = results.get(undefined)!;
  console.log(`signatures: ${PREFILL} prefilled; ${ROUNDS} inserts of ${BATCH} per case, median of ${REPEAT}`);
  console.log(`all indexes: ${median(all.us).toFixed(1)} µs and ${median(all.wal).toFixed(0)} B of WAL per signature`);
  for (const c of cases.slice(1)) {
    const r = results.get(c)!;
    console.log(`without ${c!.padEnd(32)} ${median(r.us).toFixed(1).padStart(6)} µs (saves ${(median(all.us) - median(r.us)).toFixed(1).padStart(5)}), WAL ${median(r.wal).toFixed(0).padStart(5)} B (saves ${(median(all.wal) - median(r.wal)).toFixed(0)})`);
  }
} finally {
  await client.end();
  await database.stop();
}
