import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/**
 * Spreadsheets run cells that start with = + - @ (or a tab or carriage return) as formulas; a
 * leading apostrophe keeps them text. Empty for null, ISO 8601 for a date.
 */
export function spreadsheetSafe(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * A CSV download with a header row, produced as the rows are read, every cell made spreadsheet
 * safe. A failure part-way ends the download (not the process), and a download cut short stops
 * the reading: the source's `finally` blocks still run.
 */
export function csvStream(columns: readonly string[], rows: AsyncIterable<readonly unknown[]>): Readable {
  async function* safeRows() {
    for await (const row of rows) yield row.map(spreadsheetSafe);
  }
  return pipeline(Readable.from(safeRows()), stringify({ header: true, columns: [...columns] }), () => undefined);
}
