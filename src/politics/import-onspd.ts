import { sql } from 'kysely';
import type { Importer } from '../platform/index.ts';
import type { Db } from './tables.ts';
import { GSS_CODE, importCsv, lastOfEach, type CsvKind, type ImportOptions, type ImportResult } from './import-file.ts';
import { compactPostcode } from './postcodes.ts';

/** ONS country codes of the Channel Islands and the Isle of Man: in the directory, but not in the UK. */
const OUTSIDE_UK_COUNTRIES = new Set(['L93000001', 'M83000003']);
/** Outward code, a space, inward code. Looser than the lookup's check: the directory is the authority. */
const PUBLISHED_POSTCODE = /^[A-Z0-9]{2,4} ?[0-9][A-Z]{2}$/;
/** "Not applicable" codes such as S99999999: stored as unknown. */
const PSEUDO_CODE = /99999999$/;

export interface PostcodeRow {
  compact: string;
  postcode: string;
  countryCode: string | null;
  regionCode: string | null;
  constituencyCode: string | null;
  latitude: number | null;
  longitude: number | null;
  introducedOn: string | null;
  terminatedOn: string | null;
}

/** "201610" → "2016-10-01"; "" → null; anything else → undefined. */
function monthOf(text: string): string | null | undefined {
  if (text === '') return null;
  const match = /^(\d{4})(\d{2})$/.exec(text);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) return undefined;
  return `${match[1]}-${match[2]}-01`;
}

/** Latitude or longitude; "" → null; not a number → undefined. */
function coordinate(text: string): number | null | undefined {
  if (text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function code(text: string): string | null {
  const upper = text.toUpperCase();
  return upper === '' || PSEUDO_CODE.test(upper) ? null : upper;
}

const columns = {
  postcode: ['pcds'],
  introduced: ['dointr'],
  terminated: ['doterm'],
  constituency: ['pcon', 'pcon24cd', 'pcon25cd', 'pcon24', 'pcon25'],
  country: ['ctry', 'ctry25cd', 'ctry24cd'],
  region: ['rgn', 'rgn25cd', 'rgn24cd'],
  latitude: ['lat'],
  longitude: ['long'],
} as const;

export const onspdKind: CsvKind<keyof typeof columns, PostcodeRow> = {
  label: 'onspd',
  expected: 'an ONS Postcode Directory (ONSPD or NSPL) CSV',
  columns,
  required: ['postcode', 'constituency'],
  batchSize: 5000,
  read(field) {
    const published = field('postcode').toUpperCase().replace(/\s+/g, ' ');
    if (!PUBLISHED_POSTCODE.test(published)) return { reject: `pcds "${published.slice(0, 20)}" is not a postcode` };
    const introducedOn = monthOf(field('introduced'));
    if (introducedOn === undefined) return { reject: `dointr "${field('introduced').slice(0, 20)}" is not a month (YYYYMM)` };
    const terminatedOn = monthOf(field('terminated'));
    if (terminatedOn === undefined) return { reject: `doterm "${field('terminated').slice(0, 20)}" is not a month (YYYYMM)` };
    let latitude = coordinate(field('latitude'));
    if (latitude === undefined || (latitude !== null && Math.abs(latitude) > 90 && latitude !== 99.999999)) {
      return { reject: `lat "${field('latitude').slice(0, 20)}" is not a latitude` };
    }
    let longitude = coordinate(field('longitude'));
    if (longitude === undefined || (longitude !== null && Math.abs(longitude) > 180)) {
      return { reject: `long "${field('longitude').slice(0, 20)}" is not a longitude` };
    }
    // The directory marks "no grid reference" with 99.999999 / 0.000000.
    if (latitude === 99.999999 || latitude === null || longitude === null) latitude = longitude = null;
    const constituencyCode = code(field('constituency'));
    if (constituencyCode && !GSS_CODE.test(constituencyCode)) return { reject: `pcon "${constituencyCode.slice(0, 20)}" is not a constituency code` };
    return {
      compact: compactPostcode(published),
      postcode: published,
      countryCode: field('country').toUpperCase() || null,
      regionCode: code(field('region')),
      constituencyCode,
      latitude,
      longitude,
      introducedOn,
      terminatedOn,
    };
  },
  tally(row, notes) {
    if (row.terminatedOn) notes.terminated = (notes.terminated ?? 0) + 1;
    if (row.countryCode && OUTSIDE_UK_COUNTRIES.has(row.countryCode)) notes['outside the UK'] = (notes['outside the UK'] ?? 0) + 1;
    if (row.latitude === null) notes['no coordinates'] = (notes['no coordinates'] ?? 0) + 1;
  },
  async write(db, batch) {
    // One statement per batch; a postcode listed twice in a batch keeps its last row.
    const rows = lastOfEach(batch, (r) => r.compact);
    const col = <T>(pick: (r: PostcodeRow) => T) => rows.map(pick);
    await sql`
      insert into postcodes (compact, postcode, country_code, region_code, constituency_code, latitude, longitude, introduced_on, terminated_on, imported_at)
      select v.*, now() from unnest(
        ${col((r) => r.compact)}::text[], ${col((r) => r.postcode)}::text[], ${col((r) => r.countryCode)}::text[],
        ${col((r) => r.regionCode)}::text[], ${col((r) => r.constituencyCode)}::text[], ${col((r) => r.latitude)}::float8[],
        ${col((r) => r.longitude)}::float8[], ${col((r) => r.introducedOn)}::date[], ${col((r) => r.terminatedOn)}::date[]
      ) as v(compact, postcode, country_code, region_code, constituency_code, latitude, longitude, introduced_on, terminated_on)
      on conflict (compact) do update set
        postcode = excluded.postcode, country_code = excluded.country_code, region_code = excluded.region_code,
        constituency_code = excluded.constituency_code, latitude = excluded.latitude, longitude = excluded.longitude,
        introduced_on = excluded.introduced_on, terminated_on = excluded.terminated_on, imported_at = excluded.imported_at`.execute(db);
  },
};

/** Loads the ONS Postcode Directory (or NSPL): terminated postcodes are kept, flagged with terminated_on. */
export function importOnspd(db: Db, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  return importCsv(db, file, onspdKind, options);
}

export const onspdImporter: Importer = {
  description: 'ONS Postcode Directory or NSPL CSV',
  run: (ctx, file) => importOnspd(ctx.db, file),
};
