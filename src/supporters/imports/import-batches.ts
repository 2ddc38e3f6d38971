import type { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { resolvePostcodes, type PostcodePlace } from '../../politics/index.ts';
import type { Q } from '../tables.ts';
import type { ColumnMapping } from './import-mapping.ts';
import { detectDelimiter, interpretRow, readCsv, type ImportRow, type ParsedLine } from './import-rows.ts';

export interface FileHead {
  delimiter: string;
  headers: string[];
  /** The first few rows, to help the organiser recognise the columns. */
  sample: string[][];
}

/** Header and first rows of a file, from its first bytes; undefined when there is no header. */
export function readHead(head: Buffer): FileHead | undefined {
  const delimiter = detectDelimiter(head);
  // Cut at the last whole line: the sample is only the beginning of the file.
  const text = head.subarray(0, 65536).toString('utf8');
  const whole = text.length < 65536 ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  let records: string[][];
  try {
    records = parse(whole, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, to_line: 6 }) as string[][];
  } catch {
    return undefined;
  }
  const headers = records[0]?.map((h) => h.trim()) ?? [];
  if (headers.length === 0 || headers.every((h) => h === '')) return undefined;
  return { delimiter, headers, sample: records.slice(1, 4) };
}

export interface ParsedBatch {
  lines: ParsedLine[];
  lastLine: number;
  bytes: number;
}

/** The rows after the header (and after `afterLine`), checked, in batches of `batchSize`. */
export async function* parsedBatches(
  source: Readable,
  options: { delimiter: string; mapping: ColumnMapping; batchSize: number; afterLine?: number; now?: Date },
): AsyncGenerator<ParsedBatch> {
  let header = true;
  let batch: ParsedLine[] = [];
  let lastLine = 0;
  let bytes = 0;
  for await (const record of readCsv(source, options.delimiter)) {
    bytes = record.bytes;
    if (header) {
      header = false;
      continue;
    }
    if (record.line <= (options.afterLine ?? 0)) continue;
    batch.push(interpretRow(record, options.mapping, options.now));
    lastLine = record.line;
    if (batch.length >= options.batchSize) {
      yield { lines: batch, lastLine, bytes };
      batch = [];
    }
  }
  if (batch.length > 0) yield { lines: batch, lastLine, bytes };
}

export function validRows(lines: ParsedLine[]): Array<{ line: number; row: ImportRow }> {
  return lines.filter((l): l is { line: number; row: ImportRow } => 'row' in l);
}

/** Where each UK postcode of a batch is (one query). */
export async function placesOf(q: Q, rows: ImportRow[]): Promise<Map<string, PostcodePlace>> {
  const postcodes = [...new Set(rows.filter((r) => r.ukPostcode && r.postcode).map((r) => r.postcode!))];
  return postcodes.length > 0 ? resolvePostcodes(q, postcodes) : new Map();
}
