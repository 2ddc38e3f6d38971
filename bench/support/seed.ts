import { sql } from 'kysely';
import { isValid } from 'postcode';
import type { Db } from '../../src/schema.ts';

const AREAS = ['AB', 'B', 'BS', 'CF', 'E', 'EH', 'G', 'L', 'LS', 'M', 'N', 'NE', 'NG', 'S', 'SE', 'SW', 'W', 'BT', 'CB', 'OX'];
const UNIT_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const REGIONS = ['E12000001', 'E12000002', 'E12000003', 'E12000004', 'E12000005', 'E12000006', 'E12000007', 'E12000008', 'E12000009', 'S92000003', 'W92000004', 'N92000002'];

export interface Seeded {
  constituencies: string[];
  postcodes: string[];
}

/**
 * Synthetic UK reference data at national scale: 650 constituencies on a hex grid, each with
 * `perConstituency` valid-format postcodes, so signatures spread over the whole map.
 */
export async function seedReferenceData(db: Db, perConstituency = 20): Promise<Seeded> {
  const codes: string[] = [];
  const postcodes: string[] = [];
  const pcRows: Array<[string, string, string, string]> = [];
  for (let i = 0; i < 650; i++) {
    const code = `E14${String(1000 + i).padStart(6, '0')}`;
    codes.push(code);
    const area = AREAS[i % AREAS.length]!;
    const district = 1 + Math.floor(i / AREAS.length);
    for (let j = 0; j < perConstituency; j++) {
      const unit = UNIT_LETTERS[j % UNIT_LETTERS.length]! + UNIT_LETTERS[Math.floor(j / UNIT_LETTERS.length) % UNIT_LETTERS.length]!;
      const postcode = `${area}${district} ${j % 10}${unit}`;
      if (!isValid(postcode)) continue;
      postcodes.push(postcode);
      pcRows.push([postcode.replace(' ', ''), postcode, code, REGIONS[i % REGIONS.length]!]);
    }
  }
  await sql`insert into constituencies (code, name, region_code, region_name, country_name, majority, valid_votes, electorate)
    select code, 'Constituency ' || ord, region, 'Region ' || region, 'England', 1000 + ord, 40000, 70000
    from unnest(${codes}::text[], ${codes.map((_, i) => REGIONS[i % REGIONS.length]!)}::text[]) with ordinality as t(code, region, ord)`.execute(db);
  await sql`insert into mps (constituency_code, name, party) select code, 'MP for ' || code, 'Lab' from unnest(${codes}::text[]) as t(code)`.execute(db);
  await sql`insert into constituency_hexes (constituency_code, name, q, r, region_code)
    select code, 'Constituency ' || ord, (ord - 1) % 26, -((ord - 1) / 26)::int, null from unnest(${codes}::text[]) with ordinality as t(code, ord)`.execute(db);
  await sql`insert into settings (key, value) values ('politics.hex_layout', '"odd-r"') on conflict (key) do nothing`.execute(db);
  await sql`insert into postcodes (compact, postcode, constituency_code, region_code, country_code)
    select c, p, k, r, 'E92000001' from unnest(${pcRows.map((r) => r[0])}::text[], ${pcRows.map((r) => r[1])}::text[],
      ${pcRows.map((r) => r[2])}::text[], ${pcRows.map((r) => r[3])}::text[]) as t(c, p, k, r)
    on conflict (compact) do nothing`.execute(db);
  return { constituencies: codes, postcodes };
}
