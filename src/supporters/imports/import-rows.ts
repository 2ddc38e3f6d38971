import type { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { canonicalEmail } from '../../petitions/index.ts';
import { normalisePostcode } from '../../politics/index.ts';
import { splitName } from '../people.ts';
import type { ColumnMapping } from './import-mapping.ts';

/** One row of an import file, checked and tidied: what we will tell upsertPerson. */
export interface ImportRow {
  email: string;
  canonicalEmail: string;
  givenName: string | null;
  familyName: string | null;
  phone: string | null;
  /** Written form ("SW1A 1AA") for UK postcodes; as given for other countries. */
  postcode: string | null;
  ukPostcode: boolean;
  countryCode: string | null;
  /** False when the file says they unsubscribed (or bounce, or complained): no consent. */
  subscribed: boolean;
  tags: string[];
  createdAt: Date | null;
}

export type ParsedLine = { line: number; row: ImportRow } | { line: number; problem: string };

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const SUBSCRIBED = new Set(['', 'subscribed', 'yes', 'y', 'true', '1', 'optedin', 'optin', 'subscribe', 'active']);
const NOT_SUBSCRIBED = new Set(['unsubscribed', 'no', 'n', 'false', '0', 'bouncing', 'bounced', 'spamcomplaint', 'optedout', 'optout', 'cleaned', 'unsubscribe']);
const UK_NAMES = new Set(['gb', 'uk', 'unitedkingdom', 'greatbritain', 'england', 'scotland', 'wales', 'northernireland', 'britain', 'gbr']);
const MAX_TAGS_PER_ROW = 50;

/** The delimiter of a CSV from its first line: comma, semicolon or tab, whichever is most common. */
export function detectDelimiter(head: Buffer | string): string {
  const text = typeof head === 'string' ? head : head.subarray(0, 65536).toString('utf8');
  const firstLine = text.split(/\r?\n/, 1)[0]!.replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.d : ',';
}

export interface CsvRecord {
  /** Line of the file where the record ends (the header is line 1). */
  line: number;
  cells: string[];
  /** Bytes of the file read so far (for progress bars). */
  bytes: number;
}

/** Reads a CSV as records with line numbers; a file that cannot be parsed throws FileProblem. */
export async function* readCsv(source: Readable, delimiter: string): AsyncGenerator<CsvRecord> {
  const parser = source.pipe(
    parse({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 1_000_000 }),
  );
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
      yield { line: item.info.lines, cells: item.record, bytes: item.info.bytes };
    }
  } catch (error) {
    const csv = error as CsvError & { lines?: number };
    if (csv.code && csv.code.startsWith('CSV_')) throw new FileProblem(csv.lines ?? 0, csv.message);
    throw error;
  }
}

/** The file itself cannot be read (unclosed quote...): no row after `line` can be trusted. */
export class FileProblem extends Error {
  constructor(readonly line: number, message: string) {
    super(line > 0 ? `The file could not be read at line ${line}: ${message}` : `The file could not be read: ${message}`);
  }
}

function cell(cells: string[], index: number | undefined): string {
  return index === undefined ? '' : (cells[index] ?? '').trim();
}

function countryCode(value: string): { code: string | null; uk: boolean } {
  if (!value) return { code: null, uk: true };
  const key = value.toLowerCase().replace(/[^a-z]/g, '');
  if (UK_NAMES.has(key)) return { code: 'GB', uk: true };
  if (/^[a-z]{2}$/.test(key)) return { code: key.toUpperCase(), uk: false };
  return { code: null, uk: false };
}

/** Dates as exports write them: 2024-03-01, 2024-03-01 10:20:00 (UTC), ISO with zone, or 01/03/2024 (UK order). */
export function parseImportDate(value: string): Date | undefined {
  const text = value.trim().replace(/\s+UTC$/i, 'Z');
  let match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (match) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', zone = 'Z'] = match;
    const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return undefined;
    // 2024-02-30 rolls over to March in JavaScript: refuse it (checked where the zone is UTC).
    if (zone === 'Z' && date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return undefined;
    return date;
  }
  match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (match) {
    const [, d, mo, y] = match;
    const iso = `${y}-${mo!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
    const date = new Date(`${iso}T00:00:00Z`);
    return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? undefined : date;
  }
  return undefined;
}

function splitTags(value: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of value.split(/[,;]/)) {
    const tag = raw.trim().replace(/\s+/g, ' ');
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    tags.push(tag);
  }
  return tags;
}

/** Checks and tidies one record, or says (for the report) what is wrong with it. */
export function interpretRow(record: CsvRecord, mapping: ColumnMapping, now: Date = new Date()): ParsedLine {
  const { line, cells } = record;
  const email = cell(cells, mapping.email);
  if (!email) return { line, problem: 'No email address' };
  if (email.length > 254 || !EMAIL.test(email)) return { line, problem: `"${email.slice(0, 80)}" is not an email address` };

  let givenName: string | null = cell(cells, mapping.givenName) || null;
  let familyName: string | null = cell(cells, mapping.familyName) || null;
  const fullName = cell(cells, mapping.fullName);
  if (!givenName && !familyName && fullName) ({ givenName, familyName } = splitName(fullName));
  if ((givenName?.length ?? 0) > 100 || (familyName?.length ?? 0) > 100) return { line, problem: 'Name is longer than 100 characters' };

  const phone = cell(cells, mapping.phone) || null;
  if (phone && (phone.length > 40 || !/^[0-9+()\-.\s]+$/.test(phone) || phone.replace(/\D/g, '').length < 6)) {
    return { line, problem: `"${phone.slice(0, 40)}" is not a phone number` };
  }

  const country = countryCode(cell(cells, mapping.country));
  const typedPostcode = cell(cells, mapping.postcode);
  let postcode: string | null = null;
  if (typedPostcode) {
    if (country.uk) {
      const normal = normalisePostcode(typedPostcode);
      if (!normal) return { line, problem: `"${typedPostcode.slice(0, 20)}" is not a UK postcode` };
      postcode = normal;
    } else {
      postcode = typedPostcode.slice(0, 20);
    }
  }

  const status = cell(cells, mapping.subscription).toLowerCase().replace(/[^a-z0-9]/g, '');
  let subscribed: boolean;
  if (SUBSCRIBED.has(status)) subscribed = true;
  else if (NOT_SUBSCRIBED.has(status)) subscribed = false;
  else return { line, problem: `Subscription status "${cell(cells, mapping.subscription).slice(0, 40)}" is not one we know (subscribed or unsubscribed)` };

  const tags = splitTags(cell(cells, mapping.tags));
  if (tags.length > MAX_TAGS_PER_ROW) return { line, problem: `More than ${MAX_TAGS_PER_ROW} tags` };
  if (tags.some((t) => t.length > 100)) return { line, problem: 'A tag is longer than 100 characters' };

  const createdText = cell(cells, mapping.createdAt);
  let createdAt: Date | null = null;
  if (createdText) {
    const parsed = parseImportDate(createdText);
    if (!parsed) return { line, problem: `Date joined "${createdText.slice(0, 40)}" is not a date (use 2024-01-31)` };
    if (parsed.getTime() > now.getTime() + 24 * 3600 * 1000) return { line, problem: `Date joined ${createdText} is in the future` };
    createdAt = parsed;
  }

  return {
    line,
    row: {
      email,
      canonicalEmail: canonicalEmail(email),
      givenName,
      familyName,
      phone,
      postcode,
      ukPostcode: postcode !== null && country.uk,
      countryCode: country.code,
      subscribed,
      tags,
      createdAt,
    },
  };
}
