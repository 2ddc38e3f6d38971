/**
 * The checks of scripts/reference-data-smoke.sh: reads the import summaries it saved and asks the
 * running server's public JSON, the way any client would. Prints each check; exits 1 if any fails.
 *
 *   tsx scripts/reference-data-smoke.ts <base url> <postcode.csv> <folder with the import outputs>
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

const [base, postcodeFile, outputs] = process.argv.slice(2);
if (!base || !postcodeFile || !outputs) {
  console.error('usage: tsx scripts/reference-data-smoke.ts <base url> <postcode.csv> <folder with the import outputs>');
  process.exit(2);
}

let failures = 0;
function check(ok: boolean, what: string, detail = ''): void {
  if (!ok) failures++;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? ` (${detail})` : ''}`);
}

/** The summary line an import printed: "onspd: 8048 rows read, 8048 loaded, 0 rejected, terminated: 3811". */
function summary(kind: string): { line: string; read: number; loaded: number; notes: Map<string, string> } {
  const line = fs.readFileSync(path.join(outputs!, `${kind}.out`), 'utf8').trim().split('\n').at(-1) ?? '';
  const figures = /rows read, (\d+) loaded/.exec(line);
  const read = Number(/: (\d+) rows read/.exec(line)?.[1] ?? NaN);
  const notes = new Map(
    line
      .split(', ')
      .slice(3)
      .map((note) => note.split(': ') as [string, string]),
  );
  return { line, read, loaded: Number(figures?.[1] ?? NaN), notes };
}

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${url}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface Listed {
  code: string;
  name: string;
  majority: number | null;
  mp: { name: string; sitting: boolean } | null;
  hex: { q: number; r: number } | null;
}

const results = summary('results');
const mps = summary('mps');
const hexes = summary('hexjson');
const onspd = summary('onspd');

const list = await get('/constituencies.json?limit=650');
const constituencies = (list.body.constituencies ?? []) as Listed[];
check(list.body.total === 650 && results.loaded === 650, `650 constituencies (import: ${results.loaded} loaded; server lists ${String(list.body.total)})`);
const withMp = constituencies.filter((c) => c.mp?.sitting).length;
check(mps.loaded === 650 && withMp === 650, `650 MPs (import: ${mps.loaded} loaded; ${withMp} constituencies show a sitting MP)`);
const withHex = constituencies.filter((c) => c.hex).length;
check(hexes.loaded === 650 && withHex === 650, `650 hexes (import: ${hexes.loaded} loaded, layout ${hexes.notes.get('layout')}; ${withHex} constituencies on the map)`);

// Postcodes: the summary's counts against the file itself, then a sample of the terminated ones
// (every 10th, a few hundred requests) looked up through the server.
const rows = parse(fs.readFileSync(postcodeFile), { columns: true, bom: true }) as Array<{ pcds: string; doterm: string }>;
const terminatedInFile = rows.filter((r) => r.doterm.trim() !== '').map((r) => r.pcds);
const terminatedNote = Number(onspd.notes.get('terminated'));
check(onspd.read === 8048 && onspd.loaded === 8048 && rows.length === 8048, `8,048 postcodes read (import: ${onspd.read} read, ${onspd.loaded} loaded)`);
check(terminatedNote === 3811 && terminatedInFile.length === 3811, `3,811 of them terminated (import: ${terminatedNote}; file: ${terminatedInFile.length})`);
const sample = terminatedInFile.filter((_, i) => i % 10 === 0);
const statuses = new Map<string, number>();
for (let i = 0; i < sample.length; i += 25) {
  const answers = await Promise.all(sample.slice(i, i + 25).map((p) => get(`/postcodes/${encodeURIComponent(p)}.json`)));
  for (const answer of answers) statuses.set(String(answer.body.status), (statuses.get(String(answer.body.status)) ?? 0) + 1);
}
check(statuses.get('terminated') === sample.length, `${sample.length} of them (every 10th) looked up: all reported as terminated`, JSON.stringify(Object.fromEntries(statuses)));

for (const typed of ['AB10 1AB', 'ab101ab']) {
  const found = await get(`/postcodes/${encodeURIComponent(typed)}.json`);
  const constituency = found.body.constituency as { code?: string; name?: string } | null;
  check(
    found.status === 200 && constituency?.code === 'S14000061' && constituency.name === 'Aberdeen South',
    `"${typed}" resolves to Aberdeen South (S14000061)`,
    `${found.status} ${JSON.stringify(found.body)}`,
  );
}
const gone = await get(`/postcodes/${encodeURIComponent('AB10 1AA')}.json`);
check(gone.status === 404 && gone.body.status === 'terminated', '"AB10 1AA" is reported as terminated', `${gone.status} ${JSON.stringify(gone.body)}`);

const marginal = await get('/constituencies.json?sort=marginality&limit=1');
const [first] = (marginal.body.constituencies ?? []) as Listed[];
check(first?.name === 'Hendon' && first.majority === 15, 'Hendon is the most marginal seat (majority 15)', JSON.stringify(first));

if (failures > 0) {
  console.error(`reference-data smoke: ${failures} check(s) failed`);
  process.exit(1);
}
