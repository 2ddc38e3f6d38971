import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ImportProgress, type Importer } from '../platform/index.ts';
import type { Db } from './tables.ts';
import { Rejections, failedRun, unreadableReason, type ImportOptions, type ImportResult } from './import-file.ts';
import { ODS_CODE, upsertNhsOrganisations, type NhsOrganisationKind, type NhsOrganisationRow } from './nhs-organisations.ts';
import { normalisePostcode } from './postcodes.ts';

/**
 * NHS Digital's Organisation Data Service (ODS) "standard" CSV files: no header row, 27 fields a
 * row, the same layout for etr.csv (NHS trusts) and the commissioner files that list integrated
 * care boards. The fields we read (1-based, as the ODS documents them):
 *   1 organisation code, 2 name, 3 national grouping (NHS England region), 4 high level health
 *   geography (a trust's ICB), 5-9 address lines, 10 postcode, 11 open date (YYYYMMDD),
 *   12 close date (YYYYMMDD or empty).
 */
const FIELD = { code: 0, name: 1, icb: 3, postcode: 9, opened: 10, closed: 11 } as const;
const MIN_FIELDS = 12;
/** ODS files are a few hundred kilobytes; anything this large is not one. */
const MAX_BYTES = 20 * 1024 * 1024;
const DATE = /^(\d{4})(\d{2})(\d{2})$/;
const EXPECTED =
  'an NHS ODS organisation file (etr.csv for NHS trusts, or the file listing integrated care boards): no header row, ' +
  'each row starting with the ODS code and the name, the postcode in field 10 and the open date (YYYYMMDD) in field 11';

type Kind = NhsOrganisationKind | { skip: string };

/** What a row is, from its published name (the files mix ICBs with sub-ICB locations and regions). */
function kindOf(name: string): Kind {
  const upper = name.toUpperCase();
  if (/\bINTEGRATED CARE BOARD$/.test(upper)) return 'icb';
  if (/\bICB - [A-Z0-9]{3,5}$/.test(upper)) return { skip: 'sub-ICB locations skipped' };
  if (/\bTRUST$/.test(upper)) return 'trust';
  return { skip: 'other organisations skipped' };
}

/** "20240401" → "2024-04-01"; "" → null; anything else → undefined. */
function odsDate(text: string): string | null | undefined {
  if (text === '') return null;
  const match = DATE.exec(text);
  if (!match) return undefined;
  const iso = `${match[1]}-${match[2]}-${match[3]}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

/** A first row that is a header someone added ("Organisation Code,Name,..."), not an organisation. */
const looksLikeHeader = (record: string[]) => /code/i.test(record[0] ?? '') && /name/i.test(record[1] ?? '');

function looksLikeOds(record: string[]): boolean {
  return record.length >= MIN_FIELDS && ODS_CODE.test((record[FIELD.code] ?? '').trim().toUpperCase()) && (record[FIELD.name] ?? '').trim() !== '' && odsDate((record[FIELD.opened] ?? '').trim()) !== undefined;
}

function readRow(record: string[]): NhsOrganisationRow | { skip: string } | { reject: string } {
  if (record.length < MIN_FIELDS) return { reject: `has ${record.length} fields; an ODS row has 27` };
  const field = (i: number) => (record[i] ?? '').trim();
  const code = field(FIELD.code).toUpperCase();
  if (!ODS_CODE.test(code)) return { reject: `organisation code "${code.slice(0, 20)}" is not an ODS code (like RA7 or QJK)` };
  const name = field(FIELD.name).replace(/\s+/g, ' ');
  if (name === '') return { reject: `${code} has no name` };
  if (name.length > 200) return { reject: `${code}'s name is longer than 200 characters` };
  const kind = kindOf(name);
  if (typeof kind === 'object') return kind;
  const openedOn = odsDate(field(FIELD.opened));
  if (openedOn === undefined) return { reject: `${code}'s open date "${field(FIELD.opened).slice(0, 20)}" is not a date (YYYYMMDD)` };
  const closedOn = odsDate(field(FIELD.closed));
  if (closedOn === undefined) return { reject: `${code}'s close date "${field(FIELD.closed).slice(0, 20)}" is not a date (YYYYMMDD)` };
  const postcodeText = field(FIELD.postcode);
  const icb = field(FIELD.icb).toUpperCase();
  return {
    code,
    kind,
    odsName: name,
    postcode: postcodeText === '' ? null : (normalisePostcode(postcodeText) ?? postcodeText.toUpperCase().slice(0, 10)),
    icbCode: kind === 'trust' && ODS_CODE.test(icb) ? icb : null,
    openedOn,
    closedOn,
  };
}

/**
 * Loads NHS trusts (etr.csv) or integrated care boards from an ODS file: new ones added, known ones
 * updated (names, postcodes, ICBs, closures), a rerun of the same file changes nothing. Rows that
 * are neither (sub-ICB locations, regions) are counted and left out.
 */
export async function importNhsOrganisations(db: Db, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const out = options.out ?? process.stderr;
  const unreadable = unreadableReason(file);
  if (unreadable) return failedRun(out, unreadable);
  if (fs.statSync(file).size > MAX_BYTES) return failedRun(out, `${file} does not look like ${EXPECTED}: it is larger than 20 MB.`);

  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(fs.readFileSync(file), { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 1 << 16 }) as unknown as typeof records;
  } catch (error) {
    return failedRun(out, `${file} does not look like ${EXPECTED}: it cannot be read as CSV (${(error as Error).message.split(':')[0]}).`);
  }
  if (records.length > 0 && looksLikeHeader(records[0]!.record)) records = records.slice(1);
  const first = records[0];
  if (!first) return failedRun(out, `Cannot import ${file}: it has no rows.`);
  // One bad row at the top of a real ODS file should not refuse the whole file: any of the first five will do.
  if (!records.slice(0, 5).some(({ record }) => looksLikeOds(record))) {
    const shown = first.record.slice(0, 4).map((f) => f.trim().slice(0, 30)).join(', ');
    return failedRun(out, `${file} does not look like ${EXPECTED} (its first row starts: ${shown}).`);
  }

  const rejections = new Rejections(out);
  rejections.progress = new ImportProgress('nhs-organisations', file, out);
  const notes: Record<string, number> = {};
  const rows: NhsOrganisationRow[] = [];
  for (const { record, info } of records) {
    const row = readRow(record);
    if ('reject' in row) rejections.add(info.lines, row.reject);
    else if ('skip' in row) notes[row.skip] = (notes[row.skip] ?? 0) + 1;
    else rows.push(row);
  }
  for (const row of rows) {
    const key = row.kind === 'icb' ? 'ICBs' : 'trusts';
    notes[key] = (notes[key] ?? 0) + 1;
    if (row.closedOn) notes.closed = (notes.closed ?? 0) + 1;
  }
  for (let i = 0; i < rows.length; i += 500) await upsertNhsOrganisations(db, rows.slice(i, i + 500), 'import');

  const loaded = rows.length;
  const summary = rejections.progress.finish({ read: records.length, loaded, rejected: rejections.count, notes, failed: loaded === 0 });
  if (loaded === 0) out.write(`Nothing was loaded from ${file}: it holds no NHS trusts or integrated care boards.\n`);
  return { ...summary, problems: rejections.problems };
}

export const nhsOrganisationsImporter: Importer = {
  description: 'NHS trusts (ODS etr.csv) or integrated care boards (ODS file)',
  run: (ctx, file) => importNhsOrganisations(ctx.db, file),
};
