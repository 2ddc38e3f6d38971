/**
 * The signature writer alone (no HTTP): CLIENTS callers each submitting one signature after
 * another for SECONDS, against a fresh embedded PostgreSQL. Prints signatures a second and the
 * CPU PostgreSQL used per signature. A development probe for the sign hot path.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { connectDatabase } from '../../src/platform/db/database.ts';
import type { Database } from '../../src/schema.ts';
import { SignatureWriter } from '../../src/petitions/signature-writer.ts';
import { queueConfirmationSender } from '../../src/petitions/confirmation-emails.ts';
import { benchRoot, freshDatabase } from './postgres.ts';
import { cpuMeter, postgresPids } from './cpu.ts';
import { seedReferenceData } from './seed.ts';

const SECONDS = Number(process.env.SECONDS ?? 10);
const CLIENTS = Number(process.env.CLIENTS ?? 64);
const database = await freshDatabase('writer-probe');
try {
  // EXPLAIN=<ms>: PostgreSQL logs the plan, with timings and buffers, of every statement slower than that (auto_explain), in its postgres.log.
  const explain = process.env.EXPLAIN
    ? `${database.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=${process.env.EXPLAIN} -c auto_explain.log_analyze=on -c auto_explain.log_buffers=on -c auto_explain.log_nested_statements=on -c auto_explain.log_level=warning`)}`
    : '';
  const handle = connectDatabase<Database>(database.url + explain, 10, 'probe');
  const { postcodes } = await seedReferenceData(handle.db, 20);
  const petition = await handle.db
    .insertInto('petitions')
    .values({ slug: 'p', action: 'Probe', background: 'b', target: 't', state: 'open', opened_at: new Date(), closing_date: '2027-05-24' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const writer = new SignatureWriter(handle.db as never, handle.pool, {
    rateLimits: { burst: 100, burstSeconds: 60, sustained: 5, sustainedSeconds: 300 },
    onConfirmationsDue: queueConfirmationSender as never,
    ...(process.env.MAX_CONCURRENT ? { maxConcurrent: Number(process.env.MAX_CONCURRENT) } : {}),
  });
  let batches = 0;
  const w = writer as unknown as { transaction: (i: unknown[]) => Promise<unknown> };
  const original = w.transaction.bind(writer);
  w.transaction = (inputs) => {
    batches++;
    return original(inputs);
  };
  const run = async (seconds: number, tag: string) => {
    let done = 0;
    const latencies: number[] = [];
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = 0; Date.now() < until; i++) {
          const email = `${tag}-${c}-${i}-${randomUUID().slice(0, 8)}@example.org`;
          const t = performance.now();
          const outcome = await writer.submit({
            petitionId: petition.id,
            name: `Signer ${c} ${i}`,
            email,
            canonicalEmail: email,
            postcode: postcodes[(c * 7919 + i) % postcodes.length]!,
            countryCode: 'GB',
            ip: `10.${c}.${(i >> 8) & 255}.${i & 255}`,
            hearMore: false,
            consentTextId: null,
          });
          latencies.push(performance.now() - t);
          if (outcome.kind !== 'signed') throw new Error(JSON.stringify(outcome));
          done++;
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return { perSecond: done / seconds, p99: latencies[Math.floor(latencies.length * 0.99)]!, done };
  };
  await run(2, 'warm');
  const pg = cpuMeter(() => postgresPids(path.join(benchRoot, 'writer-probe', 'postgres')));
  const node = cpuMeter(() => [process.pid]);
  batches = 0;
  const r = await run(SECONDS, 'probe');
  const pgCpu = pg.stop();
  const nodeCpu = node.stop();
  console.log(
    `PROBE per_s=${Math.round(r.perSecond)} p99_ms=${r.p99.toFixed(1)} pg_us=${Math.round((pgCpu / r.done) * 1e6)} node_us=${Math.round((nodeCpu / r.done) * 1e6)} batch=${(r.done / batches).toFixed(1)}`,
  );
  await handle.close();
  if (process.env.EXPLAIN) {
    const { default: fs } = await import('node:fs');
    fs.copyFileSync(path.join(benchRoot, 'writer-probe', 'postgres.log'), path.join(benchRoot, 'writer-probe-explain.log'));
    console.log(`plans: ${path.join(benchRoot, 'writer-probe-explain.log')}`);
  }
} finally {
  await database.stop();
}
