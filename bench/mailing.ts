/**
 * `npm run bench:mailing`: one mailing to 100,000 people, sent by a real `chorus worker` process
 * (the graphile-worker job, claims, waves, throttle) from a fresh embedded PostgreSQL into the
 * counting SMTP sink (its own process). Samples the worker's resident memory while it sends, to
 * show it stays flat as the count grows, and checks at the sink that everyone got it exactly once.
 * Ends with: RESULT messages_per_s=<n> peak_rss_mb=<n>
 */
import { sql } from 'kysely';
import { createOrganiser } from '../src/coalition/organisers.ts';
import { connectDatabase } from '../src/platform/db/database.ts';
import type { Database } from '../src/schema.ts';
import { purposeFor } from '../src/supporters/consent.ts';
import { saveMailing } from '../src/supporters/mailings/save-mailing.ts';
import { sendOrSchedule } from '../src/supporters/mailings/schedule-mailing.ts';
import { getMailing } from '../src/supporters/mailings/store.ts';
import { statusCounts } from '../src/supporters/mailings/report.ts';
import { withMailings } from '../src/supporters/mailings/tables.ts';
import { freshDatabase } from './support/postgres.ts';
import { rssMb, startChild, type Child } from './support/processes.ts';
import { seedReferenceData } from './support/seed.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const SMTP_POOL = Number(process.env.BENCH_SMTP_POOL ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 10_000);
const TARGET_PER_S = 500;

interface SinkStats {
  messages: number;
  recipients: number;
  duplicates: number;
  firstAt: number;
  lastAt: number;
}

/** bench/support/smtp-sink.ts in its own process; it prints its two ports once listening. */
async function startSink(): Promise<{ child: Child; smtpPort: number; stats(): Promise<SinkStats> }> {
  const child = startChild(['--import', 'tsx', 'bench/support/smtp-sink.ts'], {});
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ports = /smtp (\d+) stats (\d+)/.exec(child.output());
    if (ports) {
      const statsUrl = `http://127.0.0.1:${ports[2]}/`;
      return { child, smtpPort: Number(ports[1]), stats: async () => (await (await fetch(statsUrl)).json()) as SinkStats };
    }
    if (child.process.exitCode !== null || Date.now() > deadline) throw new Error(`The SMTP sink did not start:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const body = [
  'Dear {{first_name|friend}},',
  '',
  'The health service in **{{constituency}}** needs you. Please write to {{mp|your MP}} this week.',
  '',
  '- [Sign the petition](https://campaigns.example.org/petitions/1-save-our-nhs)',
  '- [Find a local event](https://campaigns.example.org/events)',
  '',
  'Thank you for everything you do.',
].join('\n');

async function main() {
  console.log(`bench:mailing — one mailing to ${fmt(PEOPLE)} people, up to ${fmt(RATE)}/s over ${SMTP_POOL} SMTP connections, worker in its own process`);
  const database = await freshDatabase('mailing');
  const handle = connectDatabase<Database>(database.url, 4, 'bench-mailing');
  const db = handle.db;
  const sink = await startSink();
  let worker: Child | undefined;
  try {
    const { constituencies } = await seedReferenceData(db, 1);
    const purpose = await purposeFor(db, { groupId: null });
    await sql`
      with p as (
        insert into people (email, canonical_email, email_status, given_name, constituency_code)
        select 'supporter' || n || '@example.org', 'supporter' || n || '@example.org', 'verified', 'Supporter' || n,
          (${constituencies}::text[])[1 + n % ${constituencies.length}]
        from generate_series(1, ${PEOPLE}) n
        returning id
      )
      insert into consents (person_id, purpose_id, status, method, given_at) select id, ${purpose.id}, 'given', 'bench', now() from p`.execute(db);
    await sql`analyze`.execute(db);
    console.log(`seeded ${fmt(PEOPLE)} people with a live consent, ${constituencies.length} constituencies with MPs`);

    const adminId = await createOrganiser(db, { email: 'bench@example.org', name: 'Bench', role: 'admin', actor: 'bench' });
    const viewer = { id: adminId, name: 'Bench', email: 'bench@example.org', role: 'admin' as const };
    const id = await db.transaction().execute((tx) =>
      saveMailing(tx, { actor: viewer, scope: 'all', input: { purpose_id: purpose.id, segment_id: null, subject: 'News for {{first_name}}', body, rate_per_second: RATE } }),
    );
    const mailing = (await getMailing(db, id))!;

    worker = startChild(['bin/chorus.js', 'worker'], {
      DATABASE_URL: database.url,
      SMTP_URL: `smtp://127.0.0.1:${sink.smtpPort}/?starttls=off&pool=${SMTP_POOL}`,
      MAILING_RATE: String(RATE),
      LOG_LEVEL: 'warn',
      BASE_URL: 'https://campaigns.example.org',
      CHORUS_SECRET: 'benchmark-secret-benchmark-secret-0123456789',
    });
    // Timing starts with "send now", once the worker is up (connected, migrations checked).
    for (const until = Date.now() + 60_000; ; ) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where application_name = 'chorus-worker' and query ilike 'listen%'`.execute(db);
      if (rows[0]!.n > 0) break;
      if (worker.process.exitCode !== null || Date.now() > until) throw new Error(`The worker did not start:\n${worker.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const started = Date.now();
    await db.transaction().execute((tx) => sendOrSchedule(tx, { mailing, actor: viewer, when: { now: true }, confirmedCount: PEOPLE }));

    const samples: Array<{ t: number; received: number; rssMb: number }> = [];
    let status = 'preparing';
    let lastPrint = Date.now();
    while (status !== 'sent') {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (worker.process.exitCode !== null) throw new Error(`The worker exited:\n${worker.output()}`);
      const stats = await sink.stats();
      samples.push({ t: (Date.now() - started) / 1000, received: stats.messages, rssMb: await rssMb(worker.process.pid!) });
      status = (await withMailings(db).selectFrom('mailings').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
      if (Date.now() - lastPrint > 10_000) {
        lastPrint = Date.now();
        console.log(`  ... ${fmt(stats.messages)} of ${fmt(PEOPLE)} received after ${fmt((Date.now() - started) / 1000, 1)} s; worker RSS ${fmt(samples.at(-1)!.rssMb, 1)} MB`);
      }
      if (Date.now() - started > 15 * 60_000) throw new Error('Gave up after 15 minutes');
    }
    await new Promise((resolve) => setTimeout(resolve, 1000)); // anything sent twice would arrive now
    const final = await sink.stats();
    const counts = await statusCounts(db, id);
    const times = await withMailings(db).selectFrom('mailings').select(['send_requested_at', 'sending_started_at', 'finished_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const elapsed = (final.lastAt - started) / 1000;
    const prepareS = (times.sending_started_at!.getTime() - times.send_requested_at!.getTime()) / 1000;
    const sendS = (final.lastAt - final.firstAt) / 1000;

    console.log('\n elapsed s        received   worker RSS MB');
    for (const mark of [0.1, 0.25, 0.5, 0.75, 1]) {
      const s = samples.find((x) => x.received >= mark * PEOPLE) ?? samples.at(-1)!;
      console.log(`${fmt(s.t, 1).padStart(10)} ${fmt(s.received).padStart(15)} ${fmt(s.rssMb, 1).padStart(15)}`);
    }
    const sending = samples.filter((s) => s.received > 0);
    const peak = Math.max(...samples.map((s) => s.rssMb));
    const early = Math.max(...sending.filter((s) => s.received <= PEOPLE * 0.25).map((s) => s.rssMb));
    const late = Math.max(...sending.filter((s) => s.received >= PEOPLE * 0.75).map((s) => s.rssMb));
    const perSecond = final.messages / elapsed;
    console.log(`
received by the sink: ${fmt(final.messages)} messages to ${fmt(final.recipients)} addresses; sent twice: ${fmt(final.duplicates)}; missing: ${fmt(PEOPLE - final.recipients)}
recipient rows: ${Object.entries(counts).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}
time: ${fmt(elapsed, 1)} s from "send now" to the last message (working out recipients ${fmt(prepareS, 1)} s; first to last message ${fmt(sendS, 1)} s = ${fmt(final.messages / sendS)}/s)
worker memory: peak RSS ${fmt(peak, 1)} MB; highest in the first quarter ${fmt(early, 1)} MB, in the last quarter ${fmt(late, 1)} MB (${late - early >= 0 ? '+' : ''}${fmt(late - early, 1)} MB over the middle ${fmt(PEOPLE / 2)} messages)
targets: ≥${TARGET_PER_S}/s ${perSecond >= TARGET_PER_S ? 'met' : 'NOT met'}, exactly once ${final.duplicates === 0 && final.recipients === PEOPLE ? 'met' : 'NOT met'}`);
    console.log(`RESULT messages_per_s=${Math.round(perSecond)} peak_rss_mb=${Math.round(peak)}`);
  } finally {
    await worker?.stop();
    await sink.child.stop();
    await handle.close();
    await database.stop();
  }
}

await main();
