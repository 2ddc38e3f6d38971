/**
 * `npm run bench:sign`: first the HTTP ceiling of this machine (a bare Node `http` server that
 * reads and parses the same urlencoded sign form and answers 303, driven by the same load
 * generator with the same connections and duration), then a viral spike on the real sign
 * endpoint over HTTP, on real PostgreSQL, on this machine (load generator included), then
 * (unless BENCH_RAW_SECONDS=0) the raw single-row INSERT rate of PostgreSQL with the same
 * durability and connection count, then the worker sending every confirmation email of the
 * spike to a local SMTP sink. Each part runs as its own process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { connectDatabase } from '../src/platform/db/database.ts';
import type { Database } from '../src/schema.ts';
import { benchRoot, freshDatabase, resetStatementStats, statementStats } from './support/postgres.ts';
import { cpuMeter, postgresPids } from './support/cpu.ts';
import { freePort, startChild, startChorus, waitForHttp } from './support/processes.ts';
import { runLoad } from './support/run-load.ts';
import { seedReferenceData } from './support/seed.ts';

const SPIKE_SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const RAW_SECONDS = Number(process.env.BENCH_RAW_SECONDS ?? 15);
const POOL = Number(process.env.BENCH_DB_POOL ?? 10);

async function seed(url: string) {
  const handle = connectDatabase<Database>(url, 2, 'bench-seed');
  const { postcodes } = await seedReferenceData(handle.db, 20);
  const petition = await handle.db
    .insertInto('petitions')
    .values({
      slug: 'stop-the-closure',
      action: 'Stop the closure of our A&E',
      background: 'The A&E serves 300,000 people.',
      target: 'The Secretary of State for Health and Social Care',
      state: 'open',
      opened_at: new Date(),
      closing_date: '2027-05-24',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await handle.close();
  return { petitionId: petition.id, postcodes };
}

/** Single-row INSERTs into the same signatures table, autocommit (synchronous_commit on), N clients. */
async function rawInsertRate(url: string, petitionId: number, connections: number, seconds: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  let inserted = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const client = await pool.connect();
      try {
        for (let i = 0; Date.now() < until; i++) {
          const email = `raw-${c}-${i}-${randomUUID()}@example.org`;
          await client.query(
            `insert into signatures (petition_id, name, email, canonical_email, postcode, country_code, constituency_code, region_code, ip, confirmation_due_at)
             values ($1, $2, $3, $3, 'AB1 0AA', 'GB', 'E14001000', 'E12000001', $4, now())`,
            [petitionId, `Raw ${i}`, email, `2001:db8::${(i % 65535).toString(16)}`],
          );
          inserted++;
        }
      } finally {
        client.release();
      }
    }),
  );
  await pool.end();
  return inserted / seconds;
}

async function verifySpike(url: string, runId: string, successFile: string) {
  const answered = fs.readFileSync(successFile, 'utf8').split('\n').filter(Boolean);
  const handle = connectDatabase<Database>(url, 2, 'bench-verify');
  const rows = await sql<{ email: string; n: number }>`
    select email, count(*)::int as n from signatures where email like ${`signer-${runId}-%`} group by email`.execute(handle.db);
  await handle.close();
  const stored = new Map(rows.rows.map((r) => [r.email, r.n]));
  const lost = answered.filter((email) => !stored.has(email)).length;
  const twice = rows.rows.filter((r) => r.n > 1).length;
  return { answered: answered.length, stored: rows.rows.length, lost, twice };
}

async function sendConfirmations(url: string, expected: number) {
  const sink = startChild(['--import', 'tsx', 'bench/support/smtp-sink.ts'], {});
  const ports = await new Promise<{ smtp: number; stats: number }>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /smtp (\d+) stats (\d+)/.exec(sink.output());
      if (m) {
        clearInterval(timer);
        resolve({ smtp: Number(m[1]), stats: Number(m[2]) });
      } else if (sink.process.exitCode !== null) reject(new Error(sink.output()));
    }, 50);
  });
  const stats = async () => (await (await fetch(`http://127.0.0.1:${ports.stats}/`)).json()) as { messages: number; recipients: number; duplicates: number; firstAt: number; lastAt: number };
  const started = Date.now();
  // BENCH_PROFILE=dir: a CPU profile of the worker too.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const worker = startChild([...profile, 'bin/chorus.js', 'worker'], {
    DATABASE_URL: url,
    SMTP_URL: `smtp://127.0.0.1:${ports.smtp}/?starttls=off&pool=${process.env.BENCH_SMTP_POOL ?? 20}`,
    LOG_LEVEL: 'warn',
    BASE_URL: 'https://campaigns.example.org',
    CHORUS_SECRET: 'benchmark-secret-benchmark-secret-0123456789',
  });
  let last: Awaited<ReturnType<typeof stats>>;
  let lastPrint = 0;
  const deadline = Date.now() + Math.max(120_000, (expected / 200) * 1000);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    last = await stats();
    if (Date.now() - lastPrint > 10_000) {
      lastPrint = Date.now();
      console.log(`  ... ${last.messages} of ${expected} confirmation emails delivered`);
    }
    if (last.messages >= expected) break;
    if (worker.process.exitCode !== null) throw new Error(`worker exited:\n${worker.output()}`);
  }
  await new Promise((r) => setTimeout(r, 2000)); // anything sent twice would arrive now
  last = await stats();
  await worker.stop();
  await sink.stop();
  const seconds = (last.lastAt - started) / 1000;
  const sending = (last.lastAt - last.firstAt) / 1000;
  return { delivered: last.messages, recipients: last.recipients, duplicates: last.duplicates, seconds, perSecond: last.messages / seconds, whileSending: sending > 0 ? last.messages / sending : 0 };
}

/** The same signers, the same load generator, connections and duration, against a bare form-parsing server. */
async function httpCeiling(postcodesFile: string) {
  const port = await freePort();
  const server = startChild(['--import', 'tsx', 'bench/support/form-server.ts'], { PORT: String(port) });
  const url = `http://127.0.0.1:${port}/petitions/1/signatures`;
  const runId = `ceiling${randomUUID().slice(0, 8)}`;
  const successFile = path.join(benchRoot, `sign-ceiling-${runId}.txt`);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, server);
    await runLoad({ url, connections: CONNECTIONS, durationSeconds: 3, headers: { origin: `http://127.0.0.1:${port}` }, sign: { postcodesFile, runId: `warm${runId}`, successFile } });
    const cpu = cpuMeter(() => [server.process.pid!]);
    const run = await runLoad({ url, connections: CONNECTIONS, durationSeconds: SPIKE_SECONDS, headers: { origin: `http://127.0.0.1:${port}` }, sign: { postcodesFile, runId, successFile } });
    const cpuSeconds = cpu.stop();
    const answered = fs.readFileSync(successFile, 'utf8').split('\n').filter(Boolean).length;
    return { ...run, answered, perSecond: answered / run.duration, cpuMicros: (cpuSeconds / answered) * 1e6 };
  } finally {
    await server.stop();
    fs.rmSync(successFile, { force: true });
  }
}

async function main() {
  console.log(`bench:sign — ${SPIKE_SECONDS} s spike, ${CONNECTIONS} connections, server DB pool ${POOL}; load generator in its own process`);
  const database = await freshDatabase('sign');
  try {
    const { petitionId, postcodes } = await seed(database.url);
    const postcodesFile = path.join(benchRoot, 'sign-postcodes.txt');
    fs.writeFileSync(postcodesFile, postcodes.join('\n'));
    console.log(`seeded 650 constituencies, ${postcodes.length} postcodes, petition ${petitionId}`);

    const ceiling = await httpCeiling(postcodesFile);
    console.log(
      `HTTP ceiling (bare node:http, parses the form, answers 303): ${ceiling.answered} in ${ceiling.duration.toFixed(1)} s = ${Math.round(ceiling.perSecond)}/s; ` +
        `p50 ${ceiling.p50} ms, p99 ${ceiling.p99} ms; status codes ${JSON.stringify(ceiling.codes)}`,
    );

    const chorus = await startChorus(database.url, { TRUST_PROXY: '1', DB_POOL_SIZE: String(POOL) });
    const target = `${chorus.url}/petitions/${petitionId}/signatures`;
    const headers = { origin: chorus.url };
    let spike;
    let spikeCpu = { server: 0, database: 0 };
    const runId = randomUUID().slice(0, 8);
    const successFile = path.join(benchRoot, `sign-successes-${runId}.txt`);
    try {
      await runLoad({ url: target, connections: CONNECTIONS, durationSeconds: 3, headers, sign: { postcodesFile, runId: `warm${runId}`, successFile } });
      await resetStatementStats(database.url);
      const pgdata = path.join(benchRoot, 'sign', 'postgres');
      const serverCpu = cpuMeter(() => [chorus.child.process.pid!]);
      const databaseCpu = cpuMeter(() => postgresPids(pgdata));
      spike = await runLoad({ url: target, connections: CONNECTIONS, durationSeconds: SPIKE_SECONDS, headers, sign: { postcodesFile, runId, successFile } });
      spikeCpu = { server: serverCpu.stop(), database: databaseCpu.stop() };
    } finally {
      await chorus.child.stop();
    }
    const check = await verifySpike(database.url, runId, successFile);
    const answeredPerSecond = check.answered / spike.duration;
    console.log(
      `spike: ${check.answered} signatures answered with success in ${spike.duration.toFixed(1)} s = ${Math.round(answeredPerSecond)}/s; ` +
        `p50 ${spike.p50} ms, p99 ${spike.p99} ms, max ${spike.max} ms; status codes ${JSON.stringify(spike.codes)}`,
    );
    const micros = (seconds: number) => Math.round((seconds / check.answered) * 1e6);
    console.log(
      `CPU per signature: server ${micros(spikeCpu.server)} µs, PostgreSQL ${micros(spikeCpu.database)} µs ` +
        `(bare form server: ${Math.round(ceiling.cpuMicros)} µs per request); machine load ${os.loadavg()[0]!.toFixed(1)}`,
    );
    const stats = await statementStats(database.url, check.answered);
    if (stats) console.log(`PostgreSQL's time per statement during the spike (BENCH_PG_STATS):\n${stats}`);
    console.log(`stored: ${check.stored} (lost ${check.lost}, stored twice ${check.twice}); errors ${spike.errors}, timeouts ${spike.timeouts}`);

    if (RAW_SECONDS > 0) {
      const raw = await rawInsertRate(database.url, petitionId, CONNECTIONS, RAW_SECONDS);
      console.log(`raw PostgreSQL single-row INSERT into signatures, ${CONNECTIONS} clients, autocommit: ${Math.round(raw)}/s`);
    }

    const due = await (async () => {
      const handle = connectDatabase<Database>(database.url, 1, 'bench-count');
      const r = await sql<{ n: number }>`select count(*)::int as n from signatures where confirmation_due_at is not null and emails_sent = 0 and email not like 'raw-%'`.execute(handle.db);
      // The raw rows are not signatures anyone made through the product: no mail for them.
      await sql`update signatures set confirmation_due_at = null where email like 'raw-%'`.execute(handle.db);
      await handle.close();
      return r.rows[0]!.n;
    })();
    console.log(`sending ${due} confirmation emails through the worker to a local SMTP sink ...`);
    const mail = await sendConfirmations(database.url, due);
    console.log(
      `emails: ${mail.delivered} delivered to ${mail.recipients} recipients in ${mail.seconds.toFixed(1)} s = ${Math.round(mail.perSecond)}/s counting the worker's start (${Math.round(mail.whileSending)}/s from the first to the last); sent twice: ${mail.duplicates}; missing: ${due - mail.recipients}`,
    );

    const errors = spike.errors + spike.timeouts + Object.entries(spike.codes).filter(([code]) => Number(code) >= 400).reduce((n, [, c]) => n + c, 0);
    const ceilingRatio = answeredPerSecond / ceiling.perSecond;
    const emailRatio = mail.perSecond / answeredPerSecond;
    const exactlyOnce = mail.duplicates === 0 && mail.recipients === due;
    console.log(
      `targets: ceiling ratio ≥0.5 ${ceilingRatio >= 0.5 ? 'met' : 'NOT met'}, p99 ≤100 ms ${spike.p99 <= 100 ? 'met' : 'NOT met'}, ` +
        `0 lost ${check.lost === 0 ? 'met' : 'NOT met'}, 0 errors ${errors === 0 ? 'met' : 'NOT met'}, ` +
        `email ratio ≥1 ${emailRatio >= 1 ? 'met' : 'NOT met'}, exactly once ${exactlyOnce ? 'met' : 'NOT met'}`,
    );
    console.log(
      `RESULT signs_per_s=${Math.round(answeredPerSecond)} p99_ms=${spike.p99} lost=${check.lost} errors=${errors} ceiling_per_s=${Math.round(ceiling.perSecond)} ` +
        `ceiling_ratio=${ceilingRatio.toFixed(2)} emails_per_s=${Math.round(mail.perSecond)} email_ratio=${emailRatio.toFixed(2)}`,
    );
  } finally {
    await database.stop();
  }
}

await main();
