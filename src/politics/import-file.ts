import fs from 'node:fs';
import { parse } from 'csv-parse';
import { ImportProgress, type ImportSummary } from '../platform/index.ts';
import type { Db } from './tables.ts';

/** A row that could not be loaded: its line in the file and why. */
export interface ImportProblem {
  line: number;
  reason: string;
}

/** The summary printed at the end, plus the first rejected rows (for tests and callers). */
export interface ImportResult extends ImportSummary {
  problems: ImportProblem[];
}

export interface ImportOptions {
  /** Where progress, rejected rows and one-line failures go (stderr by default). */
  out?: NodeJS.WriteStream;
}

const PROBLEMS_KEPT = 1000;

/** Why a path cannot be imported at all (missing, a folder, empty), or undefined when it can be read. */
export function unreadableReason(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `Cannot read ${file}: there is no such file.` : `Cannot read ${file} (${code ?? 'unknown error'}).`;
  }
  if (stat.isDirectory()) return `Cannot read ${file}: it is a folder, not a file.`;
  if (stat.size === 0) return `Cannot import ${file}: the file is empty.`;
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    return `Cannot read ${file}: permission denied.`;
  }
  return undefined;
}

/** Ends a run that could not start: one line saying why, and a failed summary (non-zero exit). */
export function failedRun(out: NodeJS.WriteStream, message: string): ImportResult {
  out.write(`${message}\n`);
  return { read: 0, loaded: 0, rejected: 0, notes: {}, failed: true, problems: [] };
}

/** Collects rejected rows: reported through the progress display, the first ones kept. */
export class Rejections {
  readonly problems: ImportProblem[] = [];
  count = 0;
  progress: ImportProgress | undefined;

  constructor(private readonly out: NodeJS.WriteStream) {}

  add(line: number, reason: string): void {
    this.count++;
    if (this.problems.length < PROBLEMS_KEPT) this.problems.push({ line, reason });
    if (this.progress) this.progress.reject(line, reason);
    else this.out.write(`line ${line}: ${reason}\n`);
  }
}

/** Column positions by our own key; undefined when the file lacks that column. */
export type Columns<K extends string> = Record<K, number | undefined>;

/**
 * Finds columns by header name, in any case and spacing, so files whose columns come in another
 * order (ONSPD and NSPL) or carry extra columns still load. Each key lists the names it accepts.
 */
export function findColumns<K extends string>(header: string[], names: Record<K, readonly string[]>): Columns<K> {
  const simple = (name: string) => name.trim().toLowerCase().replace(/[\s_]+/g, ' ');
  const positions = new Map<string, number>();
  header.forEach((name, index) => {
    if (!positions.has(simple(name))) positions.set(simple(name), index);
  });
  const found = {} as Columns<K>;
  for (const key of Object.keys(names) as K[]) {
    found[key] = names[key].map((n) => positions.get(simple(n))).find((p) => p !== undefined);
  }
  return found;
}

/** What one kind of CSV file needs: how to recognise it, read a row, and store a batch of rows. */
export interface CsvKind<K extends string, Row> {
  /** Printed in progress and summary lines, e.g. "onspd". */
  label: string;
  /** What the file should be, for the wrong-format message ("an ONS Postcode Directory (ONSPD or NSPL) CSV"). */
  expected: string;
  columns: Record<K, readonly string[]>;
  /** Columns without which the file is the wrong kind. */
  required: readonly K[];
  /** A row to load, or the reason this record is rejected; `record` has every field, `header` every name. */
  read(field: (key: K) => string, record: string[], header: string[]): Row | { reject: string };
  /** Stores a batch of good rows (an upsert: reruns change nothing). */
  write(db: Db, rows: Row[]): Promise<void>;
  batchSize: number;
  /** Runs once everything has loaded (when anything has); returns extra figures for the summary. */
  afterLoad?(db: Db): Promise<Record<string, number | string>>;
  /** Running tallies for the summary (e.g. terminated postcodes), told of every loaded row. */
  tally?(row: Row, notes: Record<string, number>): void;
}

/** The columns a kind needs, or why this header is not that kind of file. */
function columnsOf<K extends string, Row>(header: string[], kind: CsvKind<K, Row>): Columns<K> | string {
  const columns = findColumns(header, kind.columns);
  const missing = kind.required.filter((key) => columns[key] === undefined);
  if (missing.length === 0) return columns;
  const names = missing.map((key) => `"${kind.columns[key][0]}"`);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)} columns` : `${names[0]} column`;
  const shown = header.slice(0, 6).map((h) => h.trim().slice(0, 40)).join(', ');
  return `it has no ${list} (its first columns are: ${shown}${header.length > 6 ? ', ...' : ''})`;
}

/**
 * Streams a CSV file into the database in batches: never the whole file in memory, bad rows
 * reported with their line number and left out, good rows loaded, a summary at the end.
 */
export async function importCsv<K extends string, Row>(db: Db, file: string, kind: CsvKind<K, Row>, options: ImportOptions = {}): Promise<ImportResult> {
  const out = options.out ?? process.stderr;
  const unreadable = unreadableReason(file);
  if (unreadable) return failedRun(out, unreadable);

  let header: string[] | undefined;
  let columns: Columns<K> | undefined;
  let read = 0;
  let loaded = 0;
  const tallies: Record<string, number> = {};
  let batch: Row[] = [];
  const rejections = new Rejections(out);

  const source = fs.createReadStream(file);
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, skip_records_with_error: true, max_record_size: 1 << 20 });
  source.on('error', (error) => parser.destroy(error));
  parser.on('skip', (error: Error & { lines?: number }) => {
    read++;
    rejections.add(error.lines ?? 0, `cannot be read as CSV (${error.message.split(':')[0]})`);
  });
  source.pipe(parser);
  // One batch is written while the next is read: at most two batches in memory at once.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await writing;
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    writing = kind.write(db, rows).then(() => {
      loaded += rows.length;
    });
    writing.catch(() => undefined); // awaited (and reported) at the next flush
  };

  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
      if (!header) {
        header = record;
        const found = columnsOf(header, kind);
        if (typeof found === 'string') {
          source.destroy();
          parser.destroy();
          return failedRun(out, `${file} does not look like ${kind.expected}: ${found}.`);
        }
        columns = found;
        rejections.progress = new ImportProgress(kind.label, file, out);
        continue;
      }
      read++;
      if (record.length !== header.length) {
        rejections.add(info.lines, `has ${record.length} fields, but the header has ${header.length}`);
        continue;
      }
      const row = kind.read((key) => {
        const index = columns![key];
        return index === undefined ? '' : (record[index] ?? '').trim();
      }, record, header);
      if (typeof row === 'object' && row !== null && 'reject' in row) {
        rejections.add(info.lines, row.reject);
        continue;
      }
      kind.tally?.(row, tallies);
      batch.push(row);
      if (batch.length >= kind.batchSize) await flush();
      if (read % 1000 === 0) rejections.progress?.update(info.bytes, read);
    }
    await flush();
    await writing;
  } catch (error) {
    source.destroy();
    parser.destroy();
    await writing.catch(() => undefined);
    rejections.progress?.finish({ read, loaded, rejected: rejections.count, notes: tallies, failed: true });
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    out.write(`Stopped reading ${file} after ${read} rows (${reason}); the ${loaded} rows before that are loaded.\n`);
    return { read, loaded, rejected: rejections.count, notes: tallies, failed: true, problems: rejections.problems };
  }

  const progress = rejections.progress;
  if (!header || !progress) return failedRun(out, `Cannot import ${file}: it has no header row.`);
  const notes = { ...tallies, ...(loaded > 0 && kind.afterLoad ? await kind.afterLoad(db) : {}) };
  const summary = progress.finish({ read, loaded, rejected: rejections.count, notes, failed: loaded === 0 });
  if (loaded === 0) out.write(`Nothing was loaded from ${file}.\n`);
  return { ...summary, problems: rejections.problems };
}

/** One row per key, the last one listed winning: a multi-row upsert may not touch a row twice. */
export function lastOfEach<Row>(rows: Row[], key: (row: Row) => string): Row[] {
  return [...new Map(rows.map((row) => [key(row), row])).values()];
}

/** "72,580" → 72580; "" → null; anything else that is not a whole number → undefined. */
export function wholeNumber(text: string): number | null | undefined {
  const bare = text.replace(/,/g, '').trim();
  if (bare === '') return null;
  if (!/^-?\d+$/.test(bare)) return undefined;
  const value = Number(bare);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** A GSS code such as E14001279 (England), S14000061 (Scotland), W07000081 (Wales), N05000001 (NI). */
export const GSS_CODE = /^[A-Z]\d{8}$/;
