/**
 * `npm run bench:count`: how many readers the count endpoint and the petition page serve (and how
 * many bytes the page is: page_bytes, as served, uncompressed), against a
 * bare Node `http` server answering a constant, measured in the same run on the same machine.
 * Every server and the load generator run as separate processes (this machine has 2 cores).
 */
import { sql } from 'kysely';
import { connectDatabase } from '../src/platform/db/database.ts';
import type { Database } from '../src/schema.ts';
import { freshDatabase } from './support/postgres.ts';
import { freePort, startChild, startChorus, waitForHttp } from './support/processes.ts';
import { runLoad, type LoadResult } from './support/run-load.ts';
import { seedReferenceData } from './support/seed.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

function line(label: string, r: LoadResult) {
  console.log(`${label.padEnd(22)} ${Math.round(r.rps).toString().padStart(7)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms   errors ${r.errors}   non-2xx ${r.non2xx}`);
}

async function seedPetition(url: string): Promise<{ id: number; path: string }> {
  const handle = connectDatabase<Database>(url, 2, 'bench-seed');
  const db = handle.db;
  const { constituencies } = await seedReferenceData(db);
  const petition = await db
    .insertInto('petitions')
    .values({
      slug: 'save-our-maternity-unit',
      action: 'Save our maternity unit from closure',
      background: 'The trust plans to close the maternity unit. Mothers would travel 40 miles to give birth.',
      additional_details: 'We ask the Secretary of State to halt the closure and consult the public.',
      target: 'The Secretary of State for Health and Social Care',
      state: 'open',
      opened_at: new Date(),
      closing_date: '2027-05-24',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`insert into petition_milestones (petition_id, threshold, kind, label) values
    (${petition.id}, 10000, 'response', 'The target must respond'), (${petition.id}, 100000, 'debate', 'We ask for a debate')`.execute(db);
  // A petition in full flight: a count in every constituency, as the counter leaves them.
  await sql`insert into petition_counts (petition_id, dimension, key, count)
    select ${petition.id}, 'constituency', code, 50 + (ord * 37) % 900 from unnest(${constituencies}::text[]) with ordinality as t(code, ord)`.execute(db);
  await sql`insert into petition_counts (petition_id, dimension, key, count) values
    (${petition.id}, 'country', 'GB', 321000), (${petition.id}, 'country', 'FR', 812), (${petition.id}, 'region', 'E12000007', 80000)`.execute(db);
  await sql`update petitions set signature_count = 321812, counted_at = now() where id = ${petition.id}`.execute(db);
  await handle.close();
  return { id: petition.id, path: `/petitions/${petition.id}-save-our-maternity-unit` };
}

async function main() {
  console.log(`bench:count — ${DURATION} s per target, ${CONNECTIONS} connections, load generator in its own process`);
  const database = await freshDatabase('count');
  const bare = async (bodyBytes = 0, random = false) => {
    const port = await freePort();
    const server = startChild(['--import', 'tsx', 'bench/support/bare-server.ts'], { PORT: String(port), BODY_BYTES: String(bodyBytes), RANDOM: random ? '1' : '' });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/`, server);
      return await runLoad({ url: `http://127.0.0.1:${port}/`, connections: CONNECTIONS, durationSeconds: DURATION });
    } finally {
      await server.stop();
    }
  };
  const bareRun = await bare();
  line('bare node http', bareRun);

  const petition = await seedPetition(database.url);
  const chorus = await startChorus(database.url);
  try {
    // Warm up (first render, JIT) before measuring.
    await runLoad({ url: `${chorus.url}${petition.path}`, connections: 10, durationSeconds: 2 });
    const plain = await fetch(`${chorus.url}${petition.path}`, { headers: { 'accept-encoding': 'identity' } });
    const plainBytes = (await plain.arrayBuffer()).byteLength;
    const compressed = await fetch(`${chorus.url}${petition.path}`, { headers: { 'accept-encoding': 'br' } });
    const compressedBytes = Number(compressed.headers.get('content-length') ?? 0);
    console.log(`petition page: ${plainBytes} bytes (${compressedBytes} bytes with br), 650 constituencies with counts`);
    const map = await fetch(`${chorus.url}/petitions/${petition.id}/hexmap.svg`, { headers: { 'accept-encoding': 'identity' } });
    const mapBytes = (await map.arrayBuffer()).byteLength;
    const mapAgain = await fetch(`${chorus.url}/petitions/${petition.id}/hexmap.svg`, { headers: { 'if-none-match': map.headers.get('etag') ?? '' } });
    console.log(`hexmap.svg (its own address): ${mapBytes} bytes, ${map.headers.get('cache-control')}, revalidated: ${mapAgain.status}`);
    const count = await runLoad({ url: `${chorus.url}/petitions/${petition.id}/count.json`, connections: CONNECTIONS, durationSeconds: DURATION });
    line('count.json', count);
    const page = await runLoad({ url: `${chorus.url}${petition.path}`, connections: CONNECTIONS, durationSeconds: DURATION });
    line('petition page', page);
    const gzipPage = await runLoad({
      url: `${chorus.url}${petition.path}`,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      headers: { 'accept-encoding': 'br, gzip' },
    });
    line('petition page (br/gzip)', gzipPage);
    // Context, not a target: the same bare server answering bodies the size of the page, which
    // shows how much of the page's cost is moving its bytes (server and load generator share 2 cores).
    line(`bare, ${plainBytes} B body`, await bare(plainBytes));
    line(`bare, ${compressedBytes} B random`, await bare(compressedBytes, true));
    const bad = count.errors + count.non2xx + page.errors + page.non2xx + gzipPage.errors + gzipPage.non2xx;
    if (bad > 0) console.log(`WARNING: ${bad} failed requests`);
    const ratio = count.rps / bareRun.rps;
    const pageRatio = page.rps / bareRun.rps;
    console.log(
      `targets: count ≥ 0.6 × bare (${ratio >= 0.6 ? 'met' : 'NOT met'}), page ≥ 0.3 × bare (${pageRatio >= 0.3 ? 'met' : 'NOT met'}), page ≤ 60,000 bytes (${plainBytes <= 60_000 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `RESULT count_rps=${Math.round(count.rps)} page_rps=${Math.round(page.rps)} baseline_rps=${Math.round(bareRun.rps)} ratio=${ratio.toFixed(2)} page_ratio=${pageRatio.toFixed(2)} page_bytes=${plainBytes}`,
    );
  } finally {
    await chorus.child.stop();
    await database.stop();
  }
}

await main();
