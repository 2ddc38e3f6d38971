/**
 * `npm run bench:library`: full-text search over BENCH_LINKS (100,000) news links on real
 * PostgreSQL, on this machine (load generator in its own process), against the bare Node server
 * answering a constant in the same run.
 *
 * The links are generated with realistic words: titles and summaries drawn from a vocabulary of
 * health-campaign words where a few are common (hospital, nhs, waiting...) and most are rare
 * (named places, drugs, unusual words), over 15 sources and ten years. The load goes round
 * searches for common terms (matching tens of thousands of links), rare terms (a handful),
 * phrases, exclusions and filters, as the public /links page asks for them (most relevant first),
 * with BENCH_CONNECTIONS (50) connections for BENCH_SECONDS (20), going round ~450 distinct
 * searches. Public /links answers are replayed for 5 s per address (as the calendar's are), so a
 * search asked again within 5 s is not searched again; the figures before the load are each
 * search alone, searched.
 *
 * Last line:
 *   RESULT search_p99_ms=<n> search_rps=<n> links=<n> search_ratio=<search rps ÷ bare rps>
 */
import { sql } from 'kysely';
import { connectDatabase } from '../src/platform/db/database.ts';
import type { Database } from '../src/schema.ts';
import { bareConstantRun } from './support/bare-runs.ts';
import { freshDatabase } from './support/postgres.ts';
import { startChorus } from './support/processes.ts';
import { runLoad, type LoadResult } from './support/run-load.ts';
import { seedReferenceData } from './support/seed.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LINKS = Number(process.env.BENCH_LINKS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const POOL = Number(process.env.BENCH_DB_POOL ?? 10);

const COMMON = ['nhs', 'hospital', 'waiting', 'patients', 'staff', 'closure', 'cuts', 'services', 'health', 'care', 'trust', 'beds', 'nurses', 'doctors', 'funding', 'a&e', 'gp', 'maternity', 'ambulance', 'mental'];
const MIDDLE = ['consultation', 'campaigners', 'council', 'scrutiny', 'privatisation', 'contract', 'strike', 'pay', 'vacancies', 'agency', 'corridor', 'discharge', 'social', 'dentists', 'cancer', 'stroke', 'children', 'ward', 'community', 'petition', 'protest', 'minister', 'budget', 'deficit', 'report', 'inspection', 'cqc', 'ombudsman', 'pfi', 'raac', 'concrete', 'winter', 'flu', 'covid', 'vaccine', 'pharmacy', 'physiotherapy', 'midwives', 'paramedics', 'surgery', 'clinic', 'icb', 'merger', 'downgrade', 'relocation', 'transport', 'parking', 'outsourcing', 'locum', 'rota'];
const RARE = ['huddersfield', 'shrewsbury', 'darlington', 'kettering', 'grimsby', 'truro', 'carlisle', 'hastings', 'wakefield', 'barnsley', 'ipswich', 'oldham', 'worcester', 'bolton', 'stockport', 'lewisham', 'plymouth', 'norwich', 'telford', 'yeovil', 'haemophilia', 'endometriosis', 'sepsis', 'dialysis', 'orthodontics', 'audiology', 'podiatry', 'lithotripsy', 'neonatal', 'hospice', 'ketamine', 'methotrexate', 'insulin', 'thalidomide', 'asbestos', 'legionella', 'norovirus', 'tuberculosis', 'measles', 'scarlet'];
const FILLER = ['the', 'of', 'to', 'in', 'for', 'on', 'after', 'over', 'as', 'with', 'new', 'plans', 'says', 'warns', 'could', 'will', 'more', 'than', 'year', 'local', 'national', 'figures', 'show', 'face', 'calls', 'fears', 'row', 'axed', 'saved', 'record'];
const SOURCES = ['BBC News', 'The Guardian', 'Health Service Journal', 'Nursing Times', 'The BMJ', 'Pulse', 'The King’s Fund', 'Nuffield Trust', 'The Independent', 'Manchester Evening News', 'Yorkshire Post', 'Bristol Post', 'Eastern Daily Press', 'The Northern Echo', 'Health Foundation'];

/** 100,000 links, generated in the database (a word is common, middling or rare by how often it is drawn). */
async function seed(url: string): Promise<void> {
  const handle = connectDatabase<Database>(url, 2, 'bench-seed');
  const db = handle.db;
  await seedReferenceData(db, 1);
  const batch = 20_000;
  for (let start = 0; start < LINKS; start += batch) {
    await sql`
      with words as (select ${COMMON}::text[] as common, ${MIDDLE}::text[] as middle, ${RARE}::text[] as rare, ${FILLER}::text[] as filler, ${SOURCES}::text[] as sources),
      pick as (
        select g, w.*,
          (select string_agg(case when r < 0.35 then w.common[1 + floor(random() * 20)::int] when r < 0.75 then w.filler[1 + floor(random() * 30)::int] when r < 0.995 then w.middle[1 + floor(random() * 50)::int] else w.rare[1 + floor(random() * 40)::int] end, ' ')
             from (select random() as r, g as anchor from generate_series(1, 6 + (g % 6))) t) as title,
          (select string_agg(case when r < 0.25 then w.common[1 + floor(random() * 20)::int] when r < 0.7 then w.filler[1 + floor(random() * 30)::int] when r < 0.995 then w.middle[1 + floor(random() * 50)::int] else w.rare[1 + floor(random() * 40)::int] end, ' ')
             from (select random() as r, g as anchor from generate_series(1, 25 + (g % 20))) t) as summary
        from generate_series(${start + 1}::int, ${Math.min(LINKS, start + batch)}::int) g, words w
      )
      insert into links (url, canonical_url, title, source, published_on, summary, tags, region_codes)
      select 'https://news.example/' || g, 'https://news.example/' || g, initcap(title), sources[1 + g % 15], date '2016-01-01' + (g % 3650), summary,
        array[common[1 + g % 20]], case when g % 4 = 0 then array['E1200000' || (1 + g % 9)] else '{}' end
      from pick`.execute(db);
  }
  await sql`vacuum analyze links`.execute(db);
  await handle.close();
}

/** What the public asks /links: common words, rare words, phrases, exclusions, filters. */
const SEARCHES = [
  'q=hospital', 'q=nhs+waiting', 'q=closures', 'q=patients+staff', 'q=%22a%26e%22', 'q=maternity+-closure', 'q=care&sort=newest',
  'q=huddersfield', 'q=sepsis', 'q=dialysis+neonatal', 'q=legionella', 'q=grimsby+hospital', 'q=%22mental+health%22', 'q=thalidomide',
  'q=strike+pay&source=Nursing+Times', 'q=beds&region=E12000003', 'q=funding&from=2020-01-01&to=2021-12-31', 'tag=maternity', 'q=ambulance&page=3', 'q=scrutiny+consultation',
].map((s) => `/links?${s}`);
/** And many more distinct ones (each word alone, common words with middling ones, later pages), so most answers are not ones just given. */
const MORE = [
  ...[...COMMON, ...MIDDLE, ...RARE].map((w) => `/links?q=${encodeURIComponent(w)}`),
  ...COMMON.flatMap((c, i) => MIDDLE.slice(i % 5, (i % 5) + 10).map((m) => `/links?q=${encodeURIComponent(`${c} ${m}`)}`)),
  ...COMMON.flatMap((c) => [2, 4].map((page) => `/links?q=${encodeURIComponent(c)}&page=${page}`)),
];
const ROTATION = [...SEARCHES, ...MORE];

const describe = (r: LoadResult) => `${Math.round(r.rps)}/s (${r.requests} in ${r.duration.toFixed(1)} s), p50 ${r.p50} ms, p99 ${r.p99} ms; status codes ${JSON.stringify(r.codes)}`;

async function main() {
  console.log(`bench:library — ${LINKS} links, ${CONNECTIONS} connections, ${SECONDS} s, server DB pool ${POOL}; ${ROTATION.length} distinct searches in rotation; load generator in its own process`);
  const database = await freshDatabase('library');
  try {
    const started = Date.now();
    await seed(database.url);
    console.log(`seeded ${LINKS} links in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const chorus = await startChorus(database.url, { DB_POOL_SIZE: String(POOL) });
    let search: LoadResult;
    try {
      for (const path of SEARCHES) {
        const t0 = performance.now();
        const response = await fetch(`${chorus.url}${path}`);
        const body = await response.text();
        const count = /<p role="status">([^<·]*)/.exec(body)?.[1]?.trim() ?? '?';
        console.log(`  ${path}: ${response.status}, ${count}, ${Math.round(performance.now() - t0)} ms alone`);
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      }
      await runLoad({ url: chorus.url, paths: ROTATION, connections: CONNECTIONS, durationSeconds: 3 });
      search = await runLoad({ url: chorus.url, paths: ROTATION, connections: CONNECTIONS, durationSeconds: SECONDS });
    } finally {
      await chorus.child.stop();
    }
    const bare = await bareConstantRun(CONNECTIONS, SECONDS);
    console.log(`search /links: ${describe(search)}`);
    console.log(`bare node:http answering a constant: ${describe(bare)}`);
    const ratio = search.rps / bare.rps;
    const errors = search.errors + search.timeouts + Object.entries(search.codes).filter(([c]) => Number(c) >= 400).reduce((n, [, c]) => n + c, 0);
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(`targets: p99 ≤50 ms ${met(search.p99 <= 50)}, ratio ≥0.1 ${met(ratio >= 0.1)}; errors and 4xx/5xx ${errors}`);
    console.log(`RESULT search_p99_ms=${search.p99} search_rps=${Math.round(search.rps)} links=${LINKS} search_ratio=${ratio.toFixed(2)}`);
  } finally {
    await database.stop();
  }
}

await main();
