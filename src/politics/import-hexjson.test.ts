import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { readSetting } from '../platform/settings.ts';
import { captureOutput, writeFixture } from './test-support.ts';
import { hexLayout } from './hexes.ts';
import { importHexJson } from './import-hexjson.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const layout = `{
\t"layout":"odd-r",
\t"version": "1.2",
\t"hexes": {
\t\t"E14001279":{"n":"Hendon","r":-36,"q":61,"region":"E12000007","colour":"#D73058"},
\t\t"S14000061":{"n":"Aberdeen South","r":-4,"q":52,"region":"S92000003","colour":"#0B4C9A"},
\t\t"E14001429":{"n":"Poole","r":-43},
\t\t"NOT-A-CODE":{"n":"Nowhere","r":1,"q":1},
\t\t"E14001305":{"n":"Islington North","r":-36,"q":61},
\t\t"W07000081":{"n":"Aberafan Maesteg","r":"-38","q":"47","colour":"url(javascript:1)"}
\t}
}
`;

describe('chorus import hexjson', () => {
  it('stores the hexes and the layout name, and reports bad hexes by line', async () => {
    const output = captureOutput();
    const summary = await importHexJson(database.db, writeFixture('map.hexjson', layout), { out: output.out });
    expect(summary).toMatchObject({ read: 6, loaded: 3, rejected: 3, failed: false, notes: { layout: 'odd-r' } });
    expect(summary.problems).toEqual([
      { line: 7, reason: 'E14001429 has no whole-number "q"' },
      { line: 8, reason: '"NOT-A-CODE" is not a constituency code (like E14001279)' },
      { line: 9, reason: 'E14001305 is at q 61, r -36, where E14001279 already is' },
    ]);
    expect(output.text()).toContain('line 7: E14001429 has no whole-number "q"');
    expect(await readSetting(database.db, 'politics.hex_layout')).toBe('odd-r');
    const map = await hexLayout(database.db);
    expect(map).toEqual({
      layout: 'odd-r',
      hexes: [
        { code: 'S14000061', name: 'Aberdeen South', q: 52, r: -4, region: 'S92000003' },
        { code: 'E14001279', name: 'Hendon', q: 61, r: -36, region: 'E12000007' },
        { code: 'W07000081', name: 'Aberafan Maesteg', q: 47, r: -38, region: null },
      ],
    });
    const colours = await database.db.selectFrom('constituency_hexes').select(['constituency_code', 'colour']).orderBy('constituency_code').execute();
    expect(colours).toEqual([
      { constituency_code: 'E14001279', colour: '#D73058' },
      { constituency_code: 'S14000061', colour: '#0B4C9A' },
      { constituency_code: 'W07000081', colour: null },
    ]);
  });

  it('leaves the same hexes when imported again, and replaces them with a new layout', async () => {
    await importHexJson(database.db, writeFixture('map.hexjson', layout), { out: captureOutput().out });
    expect((await hexLayout(database.db))?.hexes).toHaveLength(3);
    const second = await importHexJson(database.db, writeFixture('new.hexjson', '{"layout":"even-q","hexes":{"E14001279":{"n":"Hendon","q":0,"r":0}}}'), {
      out: captureOutput().out,
    });
    expect(second).toMatchObject({ read: 1, loaded: 1, rejected: 0 });
    expect(await hexLayout(database.db)).toEqual({ layout: 'even-q', hexes: [{ code: 'E14001279', name: 'Hendon', q: 0, r: 0, region: null }] });
  });

  it('refuses files that are not HexJSON, keeping the stored layout', async () => {
    const notJson = captureOutput();
    expect(await importHexJson(database.db, writeFixture('mps.csv', 'PCON24CD,PCON24NM,MP\nE14001279,Hendon,X\n'), { out: notJson.out })).toMatchObject({ failed: true });
    expect(notJson.text()).toMatch(/mps\.csv does not look like a HexJSON layout: it is not valid JSON/);
    const wrongLayout = captureOutput();
    expect(await importHexJson(database.db, writeFixture('odd.hexjson', '{"layout":"square","hexes":{}}'), { out: wrongLayout.out })).toMatchObject({ failed: true });
    expect(wrongLayout.text()).toContain('has layout "square"; a HexJSON layout is one of odd-r, even-r, odd-q, even-q');
    const missing = captureOutput();
    expect(await importHexJson(database.db, '/no/such.hexjson', { out: missing.out })).toMatchObject({ failed: true });
    expect(missing.text()).toBe('Cannot read /no/such.hexjson: there is no such file.\n');
    expect((await hexLayout(database.db))?.layout).toBe('even-q');
  });
});
