/**
 * `npm run bench:mailing`: one mailing to 100,000 people, through the real sender (the
 * graphile-worker job, waves, claims, throttle) on a real embedded PostgreSQL, into a local SMTP
 * sink running in its own process. Samples this process's RSS while it runs to show memory stays
 * flat as the count sent grows. Ends with: RESULT messages_per_s=<n> peak_rss_mb=<n>
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createOrganiser } from '../src/coalition/organisers.ts';
import { loadConfig } from '../src/config.ts';
import { allCron, allJobs, allTickers } from '../src/jobs.ts';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { startWorker } from '../src/platform/jobs/jobs.ts';
import { openRuntime } from '../src/runtime.ts';
import { getMailing } from '../src/supporters/mailings/store.ts';
import { saveMailing } from '../src/supporters/mailings/save-mailing.ts';
import { sendOrSchedule } from '../src/supporters/mailings/schedule-mailing.ts';
import { statusCounts } from '../src/supporters/mailings/report.ts';
import { withMailings } from '../src/supporters/mailings/tables.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const SMTP_POOL = Number(process.env.BENCH_SMTP_POOL ?? 10);
const RATE = 10_000;
const here = path.dirname(fileURLToPath(import.meta.url));

interface SinkCount {
  count: number;
  distinct: number;
  rssMb: number;
}

function startSink(): Promise<{ child: ChildProcess; port: number; count(): Promise<SinkCount> }> {
  const child = fork(path.join(here, 'support/smtp-counter.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let waiting: ((c: SinkCount) => void)[] = [];
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: { port?: number } & Partial<SinkCount>) => {
      if (message.port !== undefined) {
        resolve({
          child,
          port: message.port,
          count: () =>
            new Promise<SinkCount>((res) => {
              waiting.push(res);
              child.send('count');
            }),
        });
      } else {
        const done = waiting;
        waiting = [];
        for (const w of done) w(message as SinkCount);
      }
    });
  });
}

const mb = (bytes: number) => bytes / 1048576;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-mailing-'));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg') });
  const sink = await startSink();
  const config = loadConfig({
    DATABASE_URL: pg.url,
    SMTP_URL: `smtp://127.0.0.1:${sink.port}/?starttls=off&pool=${SMTP_POOL}`,
    MAILING_RATE: String(RATE),
    LOG_LEVEL: 'warn',
    BASE_URL: 'https://campaigns.example.org',
    CHORUS_SECRET: 'bench-secret-that-is-long-enough-0123456789',
  });
  const runtime = await openRuntime(config, { migrate: true, applicationName: 'chorus-bench' });
  try {
    console.log(`Seeding ${fmt(PEOPLE)} people with consent (embedded PostgreSQL in ${dir})...`);
    const db = runtime.db;
    const purpose = await db.insertInto('consent_purposes').values({ key: 'coalition.updates', name: 'Coalition updates', group_id: null }).returning('id').executeTakeFirstOrThrow();
    await sql`insert into constituencies (code, name) select 'E14' || lpad(n::text, 6, '0'), 'Constituency ' || n from generate_series(1, 650) n`.execute(db);
    await sql`insert into mps (constituency_code, name, party) select 'E14' || lpad(n::text, 6, '0'), 'MP number ' || n, 'Independent' from generate_series(1, 650) n`.execute(db);
    await sql`
      with p as (
        insert into people (email, canonical_email, email_status, given_name, constituency_code)
        select 'supporter' || n || '@example.org', 'supporter' || n || '@example.org', 'verified', 'Supporter' || n,
          'E14' || lpad((1 + n % 650)::text, 6, '0')
        from generate_series(1, ${PEOPLE}) n
        returning id
      )
      insert into consents (person_id, purpose_id, status, method, given_at) select id, ${purpose.id}, 'given', 'bench', now() from p`.execute(db);
    await sql`analyze`.execute(db);

    const adminId = await createOrganiser(db, { email: 'bench@example.org', name: 'Bench', role: 'admin', actor: 'bench' });
    const viewer = { id: adminId, name: 'Bench', email: 'bench@example.org', role: 'admin' as const };
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
    const id = await db.transaction().execute((tx) =>
      saveMailing(tx, { actor: viewer, scope: 'all', input: { purpose_id: purpose.id, segment_id: null, subject: 'News for {{first_name}}', body, rate_per_second: RATE } }),
    );
    const mailing = (await getMailing(db, id))!;

    const worker = await startWorker(runtime, allJobs, allCron, { concurrency: 4, tickers: allTickers(runtime) });
    const samples: Array<{ t: number; sent: number; rssMb: number; heapMb: number }> = [];
    const started = Date.now();
    await db.transaction().execute((tx) => sendOrSchedule(tx, { mailing, actor: viewer, when: { now: true }, confirmedCount: PEOPLE }));
    console.log(`Sending "${mailing.subject}" to ${fmt(PEOPLE)} people at up to ${fmt(RATE)}/s over ${SMTP_POOL} SMTP connections...`);
    let status = 'preparing';
    while (status !== 'sent') {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const counted = await sink.count();
      const memory = process.memoryUsage();
      samples.push({ t: (Date.now() - started) / 1000, sent: counted.count, rssMb: mb(memory.rss), heapMb: mb(memory.heapUsed) });
      status = (await withMailings(db).selectFrom('mailings').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
      if (Date.now() - started > 15 * 60_000) throw new Error('Gave up after 15 minutes');
    }
    const elapsed = (Date.now() - started) / 1000;
    await worker.stop();
    const finalCount = await sink.count();
    const times = await withMailings(db).selectFrom('mailings').select(['sending_started_at', 'finished_at', 'send_requested_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const counts = await statusCounts(db, id);
    const prepareS = (times.sending_started_at!.getTime() - times.send_requested_at!.getTime()) / 1000;
    const sendS = (times.finished_at!.getTime() - times.sending_started_at!.getTime()) / 1000;

    console.log('\n   elapsed s        received    RSS MB   heap MB');
    const marks = [0.1, 0.25, 0.5, 0.75, 1];
    for (const mark of marks) {
      const s = samples.find((x) => x.sent >= mark * PEOPLE) ?? samples[samples.length - 1]!;
      console.log(`${fmt(s.t, 1).padStart(12)} ${fmt(s.sent).padStart(15)} ${fmt(s.rssMb, 1).padStart(9)} ${fmt(s.heapMb, 1).padStart(9)}`);
    }
    const sending = samples.filter((s) => s.sent > 0);
    const peak = Math.max(...samples.map((s) => s.rssMb));
    const early = Math.max(...sending.filter((s) => s.sent <= PEOPLE * 0.25).map((s) => s.rssMb));
    const late = Math.max(...sending.filter((s) => s.sent >= PEOPLE * 0.75).map((s) => s.rssMb));
    const rate = finalCount.count / elapsed;
    console.log(`
Received by the sink: ${fmt(finalCount.count)} messages to ${fmt(finalCount.distinct)} distinct addresses (duplicates: ${fmt(finalCount.count - finalCount.distinct)})
Recipient rows: ${Object.entries(counts).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}
Time: ${fmt(elapsed, 1)} s from "send now" to finished (preparing recipients ${fmt(prepareS, 1)} s, sending ${fmt(sendS, 1)} s = ${fmt(finalCount.count / sendS)}/s while sending)
Memory (this process: web app code, worker, sender): peak RSS ${fmt(peak, 1)} MB; highest in the first quarter ${fmt(early, 1)} MB, in the last quarter ${fmt(late, 1)} MB (${late - early >= 0 ? '+' : ''}${fmt(late - early, 1)} MB while ${fmt(PEOPLE / 2)} more messages were sent)
Sink process RSS: ${fmt(finalCount.rssMb, 1)} MB`);
    console.log(`RESULT messages_per_s=${Math.round(rate)} peak_rss_mb=${Math.round(peak)}`);
  } finally {
    await runtime.close();
    sink.child.send('stop');
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
