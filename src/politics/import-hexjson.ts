import fs from 'node:fs';
import { sql } from 'kysely';
import { ImportProgress, writeSetting, type Importer } from '../platform/index.ts';
import type { Db, Q } from './tables.ts';
import { GSS_CODE, Rejections, failedRun, unreadableReason, type ImportOptions, type ImportResult } from './import-file.ts';
import { HEX_LAYOUTS, HEX_LAYOUT_SETTING, type HexLayoutName } from './hexes.ts';

/** Hex layouts are a few hundred kilobytes; anything this large is not one. */
const MAX_BYTES = 50 * 1024 * 1024;
const COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export interface HexRow {
  code: string;
  name: string | null;
  q: number;
  r: number;
  region: string | null;
  colour: string | null;
}

/** The line each hex's key is on, so a bad hex can be reported where it is. */
function keyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const key = /"([^"\\\n]{1,40})"\s*:\s*\{/g;
  let line = 1;
  let last = 0;
  for (let match = key.exec(text); match; match = key.exec(text)) {
    for (let i = last; i < match.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = match.index;
    if (!lines.has(match[1]!)) lines.set(match[1]!, line);
  }
  return lines;
}

function integer(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && Math.abs(n) < 100_000 ? n : undefined;
}

function readHex(code: string, value: unknown): HexRow | string {
  if (!GSS_CODE.test(code)) return `"${code.slice(0, 20)}" is not a constituency code (like E14001279)`;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return `${code} is not an object`;
  const hex = value as Record<string, unknown>;
  const q = integer(hex.q);
  const r = integer(hex.r);
  if (q === undefined) return `${code} has no whole-number "q"`;
  if (r === undefined) return `${code} has no whole-number "r"`;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  const colour = text(hex.colour);
  return { code, name: text(hex.n), q, r, region: text(hex.region)?.toUpperCase() ?? null, colour: colour && COLOUR.test(colour) ? colour : null };
}

/** Replaces the stored layout with this one: a layout is a whole, so reruns leave the same hexes. */
export async function replaceHexes(q: Q, layout: HexLayoutName, hexes: HexRow[]): Promise<void> {
  await sql`delete from constituency_hexes`.execute(q);
  if (hexes.length > 0) {
    const col = <T>(pick: (h: HexRow) => T) => hexes.map(pick);
    await sql`
      insert into constituency_hexes (constituency_code, name, q, r, region_code, colour)
      select * from unnest(${col((h) => h.code)}::text[], ${col((h) => h.name)}::text[], ${col((h) => h.q)}::int[],
        ${col((h) => h.r)}::int[], ${col((h) => h.region)}::text[], ${col((h) => h.colour)}::text[])`.execute(q);
  }
  await writeSetting(q, HEX_LAYOUT_SETTING, layout);
}

/** Loads a HexJSON hex cartogram of constituencies ({"layout":"odd-r","hexes":{"E14...":{"n","q","r"}}}). */
export async function importHexJson(db: Db, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const out = options.out ?? process.stderr;
  const unreadable = unreadableReason(file);
  if (unreadable) return failedRun(out, unreadable);
  if (fs.statSync(file).size > MAX_BYTES) return failedRun(out, `${file} is too large to be a HexJSON layout (over 50 MB).`);

  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return failedRun(out, `${file} does not look like a HexJSON layout: it is not valid JSON (${(error as Error).message.split('\n')[0]}).`);
  }
  const { layout, hexes } = (document && typeof document === 'object' ? document : {}) as { layout?: unknown; hexes?: unknown };
  if (!hexes || typeof hexes !== 'object' || Array.isArray(hexes)) {
    return failedRun(out, `${file} does not look like a HexJSON layout: it has no "hexes" object.`);
  }
  if (typeof layout !== 'string' || !(HEX_LAYOUTS as readonly string[]).includes(layout)) {
    return failedRun(out, `${file} has layout ${JSON.stringify(layout) ?? 'missing'}; a HexJSON layout is one of ${HEX_LAYOUTS.join(', ')}.`);
  }

  const progress = new ImportProgress('hexjson', file, out);
  const rejections = new Rejections(out);
  rejections.progress = progress;
  const lines = keyLines(text);
  const good: HexRow[] = [];
  const taken = new Map<string, string>();
  const entries = Object.entries(hexes as Record<string, unknown>);
  for (const [code, value] of entries) {
    const hex = readHex(code.trim().toUpperCase(), value);
    const line = lines.get(code) ?? 1;
    if (typeof hex === 'string') {
      rejections.add(line, hex);
      continue;
    }
    const cell = `${hex.q},${hex.r}`;
    const other = taken.get(cell);
    if (other) {
      rejections.add(line, `${hex.code} is at q ${hex.q}, r ${hex.r}, where ${other} already is`);
      continue;
    }
    taken.set(cell, hex.code);
    good.push(hex);
  }
  progress.update(progress.total, entries.length);
  if (good.length > 0) await db.transaction().execute((tx) => replaceHexes(tx, layout as HexLayoutName, good));
  const summary = progress.finish({ read: entries.length, loaded: good.length, rejected: rejections.count, notes: { layout }, failed: good.length === 0 });
  if (good.length === 0) out.write(`Nothing was loaded from ${file}; the layout stored before is unchanged.\n`);
  return { ...summary, problems: rejections.problems };
}

export const hexJsonImporter: Importer = {
  description: 'HexJSON hex map of constituencies',
  run: (ctx, file) => importHexJson(ctx.db, file),
};
