import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { captureOutput, onspdFile, onspdRow, resultsFile, resultsRow, writeFixture } from './test-support.ts';
import { importOnspd } from './import-onspd.ts';
import { resolvePostcodes } from './postcodes.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const rows = [
  onspdRow({ pcds: 'AB10 1AB', dointr: '201106', pcon: 'S14000061' }), // line 2: live
  onspdRow({ pcds: 'AB10 1AA', dointr: '201109', doterm: '201610', lat: '57.148232', long: '-2.096648' }), // line 3: terminated
  onspdRow({ pcds: 'JE2 4WD', dointr: '199507', ctry: 'L93000001', rgn: 'L99999999', pcon: 'L99999999', lat: '99.999999', long: '0.000000' }), // 4
  onspdRow({ pcds: 'NOT A POSTCODE' }), // line 5: bad
  onspdRow({ pcds: 'AB11 3AG', dointr: '199707', doterm: '199707', pcon: '', lat: '99.999999', long: '0.000000' }), // line 6: terminated, nowhere
  onspdRow({ pcds: 'AB11 5QN', lat: 'north' }), // line 7: bad latitude
  'AB12 3CD,AB12 3CD,AB12 3CD,198001', // line 8: too few fields
  onspdRow({ pcds: 'AB12 4EF', doterm: '2016-10' }), // line 9: bad month
  onspdRow({ pcds: 'M1 1AD', dointr: '200303', ctry: 'E92000001', rgn: 'E12000002', pcon: 'E14001352', lat: '53.483784', long: '-2.244866' }), // 10
];

async function counts() {
  const row = await database.db
    .selectFrom('postcodes')
    .select((eb) => [eb.fn.countAll<string>().as('all'), eb.fn.count<string>('terminated_on').as('terminated')])
    .executeTakeFirstOrThrow();
  return { all: Number(row.all), terminated: Number(row.terminated) };
}

describe('chorus import onspd', () => {
  it('loads good rows, keeps terminated postcodes flagged, and reports bad rows by line', async () => {
    const file = onspdFile('onspd.csv', rows);
    const output = captureOutput();
    const summary = await importOnspd(database.db, file, { out: output.out });
    expect(summary).toMatchObject({ read: 9, loaded: 5, rejected: 4, failed: false });
    expect(summary.notes).toMatchObject({ terminated: 2, 'outside the UK': 1, 'no coordinates': 2 });
    expect(summary.problems).toEqual([
      { line: 5, reason: expect.stringContaining('pcds "NOT A POSTCODE" is not a postcode') },
      { line: 7, reason: expect.stringContaining('lat "north" is not a latitude') },
      { line: 8, reason: 'has 4 fields, but the header has 52' },
      { line: 9, reason: expect.stringContaining('doterm "2016-10" is not a month') },
    ]);
    expect(output.text()).toContain('line 7: lat "north" is not a latitude');

    const terminated = await database.db.selectFrom('postcodes').selectAll().where('compact', '=', 'AB101AA').executeTakeFirstOrThrow();
    expect(terminated).toMatchObject({ postcode: 'AB10 1AA', constituency_code: 'S14000061', latitude: 57.148232, longitude: -2.096648 });
    expect(String(terminated.terminated_on)).toMatch(/2016/);
    const jersey = await database.db.selectFrom('postcodes').selectAll().where('compact', '=', 'JE24WD').executeTakeFirstOrThrow();
    expect(jersey).toMatchObject({ country_code: 'L93000001', constituency_code: null, region_code: null, latitude: null, longitude: null, terminated_on: null });
  });

  it('makes lookups say found, terminated or outside the UK', async () => {
    const places = await resolvePostcodes(database.db, ['ab101ab', 'AB10 1AA', 'je2 4wd', 'M1 1AD']);
    expect(places.get('ab101ab')).toMatchObject({ status: 'found', postcode: 'AB10 1AB', constituencyCode: 'S14000061', latitude: 57.149606 });
    expect(places.get('AB10 1AA')).toMatchObject({ status: 'terminated', message: expect.stringContaining('no longer in use') });
    expect(places.get('je2 4wd')).toMatchObject({ status: 'outside_uk' });
    expect(places.get('M1 1AD')).toMatchObject({ status: 'found', constituencyCode: 'E14001352', regionCode: 'E12000002' });
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await counts();
    const again = await importOnspd(database.db, onspdFile('onspd.csv', rows), { out: captureOutput().out });
    expect(again).toMatchObject({ read: 9, loaded: 5, rejected: 4 });
    expect(await counts()).toEqual(before);
    expect(before).toEqual({ all: 5, terminated: 2 });
  });

  it('applies a newer directory over an older one (a postcode terminated since)', async () => {
    const newer = onspdFile('newer.csv', [onspdRow({ pcds: 'M1 1AD', dointr: '200303', doterm: '202402', ctry: 'E92000001', pcon: 'E14001352' })]);
    await importOnspd(database.db, newer, { out: captureOutput().out });
    expect((await resolvePostcodes(database.db, ['m11ad'])).get('m11ad')?.status).toBe('terminated');
  });

  it('finds its columns by name, so NSPL (another order, other columns) loads too', async () => {
    const nsplHeader = ['pcd', 'pcd2', 'pcds', 'dointr', 'doterm', 'usertype', 'oseast1m', 'osnrth1m', 'ctry', 'rgn', 'pcon', 'lat', 'long', 'icb'];
    const file = onspdFile('nspl.csv', [onspdRow({ pcds: 'EH9 1NZ', pcon: 'S14000080', lat: '55.93', long: '-3.19' }, nsplHeader)], nsplHeader);
    const summary = await importOnspd(database.db, file, { out: captureOutput().out });
    expect(summary).toMatchObject({ read: 1, loaded: 1, rejected: 0 });
    expect((await resolvePostcodes(database.db, ['EH91NZ'])).get('EH91NZ')).toMatchObject({ status: 'found', constituencyCode: 'S14000080', latitude: 55.93 });
  });

  it('streams a large file in batches, a postcode listed twice keeping its last row', async () => {
    const many: string[] = [];
    for (let i = 0; i < 11_000; i++) {
      const district = 20 + Math.floor(i / 4000);
      const sector = Math.floor(i / 400) % 10;
      const unit = String.fromCharCode(65 + (Math.floor(i / 20) % 20)) + String.fromCharCode(65 + (i % 20));
      many.push(onspdRow({ pcds: `ZE${district} ${sector}${unit}`, pcon: 'S14000051' }));
    }
    many.push(onspdRow({ pcds: 'ZE20 0AA', pcon: 'S14000051', doterm: '202001' }));
    const summary = await importOnspd(database.db, onspdFile('many.csv', many), { out: captureOutput().out });
    expect(summary).toMatchObject({ read: 11_001, loaded: 11_001, rejected: 0 });
    const shetland = await database.db.selectFrom('postcodes').select((eb) => eb.fn.countAll<string>().as('n')).where('constituency_code', '=', 'S14000051').executeTakeFirstOrThrow();
    expect(Number(shetland.n)).toBe(11_000);
    expect((await resolvePostcodes(database.db, ['ZE20 0AA'])).get('ZE20 0AA')?.status).toBe('terminated');
  });

  it('refuses a file of another kind with one clear line, loading nothing', async () => {
    const results = resultsFile('results-as-onspd.csv', [
      resultsRow({ code: 'E14001279', name: 'Hendon', result: 'Lab gain from Con', first: 'Lab', second: 'Con', electorate: 74865, valid: 41256, invalid: 190, majority: 15, votes: {} }),
    ]);
    const output = captureOutput();
    const summary = await importOnspd(database.db, results, { out: output.out });
    expect(summary).toMatchObject({ failed: true, loaded: 0 });
    expect(output.text().trim().split('\n')).toHaveLength(1);
    expect(output.text()).toContain('does not look like an ONS Postcode Directory (ONSPD or NSPL) CSV: it has no "pcds" or "pcon" columns');
  });

  it('says plainly when the file is missing or empty', async () => {
    const missing = captureOutput();
    expect(await importOnspd(database.db, '/no/such/onspd.csv', { out: missing.out })).toMatchObject({ failed: true });
    expect(missing.text()).toBe('Cannot read /no/such/onspd.csv: there is no such file.\n');
    const empty = captureOutput();
    const file = writeFixture('empty.csv', '');
    expect(await importOnspd(database.db, file, { out: empty.out })).toMatchObject({ failed: true });
    expect(empty.text()).toBe(`Cannot import ${file}: the file is empty.\n`);
  });

  it('fails (non-zero exit) when the header is right but no row is good', async () => {
    const output = captureOutput();
    const summary = await importOnspd(database.db, onspdFile('all-bad.csv', [onspdRow({ pcds: 'NOPE' })]), { out: output.out });
    expect(summary).toMatchObject({ read: 1, loaded: 0, rejected: 1, failed: true });
    expect(output.text()).toContain('line 2: pcds "NOPE" is not a postcode');
    expect(output.text()).toContain('Nothing was loaded');
  });
});
