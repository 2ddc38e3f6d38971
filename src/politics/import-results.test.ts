import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { getConstituency } from './constituencies.ts';
import { captureOutput, onspdFile, onspdRow, resultsFile, resultsRow } from './test-support.ts';
import { importResults } from './import-results.ts';
import { mostMarginal } from './marginality.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const hendon = resultsRow({
  code: 'E14001279',
  name: 'Hendon',
  member: ['David', 'Pinto-Duschinsky'],
  result: 'Lab gain from Con',
  first: 'Lab',
  second: 'Con',
  electorate: 74865,
  valid: 41256,
  invalid: 190,
  majority: 15,
  votes: { Con: 15840, Lab: 15855, LD: 1966, RUK: 3038, Green: 2667, 'All other candidates': 1890 },
});
const aberdeenSouth = resultsRow({
  code: 'S14000061',
  name: 'Aberdeen South',
  region: ['S92000003', 'Scotland'],
  country: 'Scotland',
  member: ['Stephen', 'Flynn'],
  result: 'SNP hold',
  first: 'SNP',
  second: 'Lab',
  electorate: 77328,
  valid: 46345,
  invalid: 178,
  majority: 3758,
  votes: { Con: 11300, Lab: 11455, LD: 2921, RUK: 3199, Green: 1609, SNP: 15213, 'All other candidates': 648 },
});
const islingtonNorth = resultsRow({
  code: 'E14001305',
  name: 'Islington North',
  member: ['Jeremy', 'Corbyn'],
  result: 'Ind gain from Lab',
  first: 'Ind',
  second: 'Lab',
  electorate: 72852,
  valid: 49006,
  invalid: 116,
  majority: 7247,
  votes: { Con: 1950, Lab: 16873, LD: 1661, RUK: 1710, Green: 2660, 'All other candidates': 24152, 'Of which other winner': 24120 },
});
const poole = resultsRow({
  code: 'E14001429',
  name: 'Poole',
  region: ['E12000009', 'South West'],
  result: 'Lab gain from Con',
  first: 'Lab',
  second: 'Con',
  electorate: 72509,
  valid: 44495,
  invalid: 148,
  majority: 18,
  votes: { Con: 14150, Lab: 14168 },
});
const badElectorate = resultsRow({ code: 'E14001077', name: 'Basildon and Billericay', result: 'Con hold', first: 'Con', second: 'Lab', electorate: 'lots', valid: 42124, invalid: 176, majority: 20, votes: {} });
const badCode = resultsRow({ code: 'HENDON', name: 'Nowhere', result: 'Lab hold', first: 'Lab', second: 'Con', electorate: 1, valid: 1, invalid: 0, majority: 1, votes: {} });
const badVotes = resultsRow({ code: 'E14001131', name: 'Bristol Central', result: 'Green gain from Lab', first: 'Green', second: 'Lab', electorate: 62735, valid: 43365, invalid: 165, majority: 10407, votes: { Green: 'many' } });

const fixture = () => resultsFile('results.csv', [hendon, badElectorate, aberdeenSouth, badCode, islingtonNorth, badVotes, poole]);

describe('chorus import results', () => {
  it('loads constituencies with quoted thousands, rejects bad rows by line, and names the most marginal seat', async () => {
    const output = captureOutput();
    const summary = await importResults(database.db, fixture(), { out: output.out });
    expect(summary).toMatchObject({ read: 7, loaded: 4, rejected: 3, failed: false, notes: { 'most marginal': 'Hendon (majority 15)' } });
    expect(summary.problems).toEqual([
      { line: 3, reason: 'Electorate "lots" is not a whole number' },
      { line: 5, reason: 'ONS ID "HENDON" is not a constituency code (like E14001279)' },
      { line: 7, reason: 'Green "many" is not a number of votes' },
    ]);
    expect(output.text()).toContain('line 3: Electorate "lots" is not a whole number');

    const row = await database.db.selectFrom('constituencies').selectAll().where('code', '=', 'S14000061').executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: 'Aberdeen South',
      region_code: 'S92000003',
      region_name: 'Scotland',
      country_name: 'Scotland',
      member_name: 'Stephen Flynn',
      result: 'SNP hold',
      electorate: 77328,
      valid_votes: 46345,
      invalid_votes: 178,
      majority: 3758,
    });
    expect(row.votes_by_party).toEqual({ Con: 11300, Lab: 11455, LD: 2921, RUK: 3199, Green: 1609, SNP: 15213, PC: 0, DUP: 0, SF: 0, SDLP: 0, UUP: 0, APNI: 0, 'All other candidates': 648, 'Of which other winner': 0 });
    expect(row.marginality).toBeCloseTo(3758 / 46345, 10);
  });

  it('orders seats by marginality (majority as a share of valid votes), most marginal first', async () => {
    const seats = await mostMarginal(database.db, 10);
    expect(seats.map((s) => [s.name, s.rank])).toEqual([
      ['Hendon', 1],
      ['Poole', 2],
      ['Aberdeen South', 3],
      ['Islington North', 4],
    ]);
    expect(seats[0]).toMatchObject({ majority: 15, validVotes: 41256, mp: { name: 'David Pinto-Duschinsky', party: 'Lab', partyName: 'Labour' } });
    expect((await mostMarginal(database.db, 1)).map((s) => s.code)).toEqual(['E14001279']);
  });

  it('keeps the votes of an independent winner apart from the party columns', async () => {
    const islington = await getConstituency(database.db, 'E14001305');
    expect(islington?.result).toMatchObject({ firstParty: 'Ind', memberElected: 'Jeremy Corbyn' });
    expect(islington?.result?.votesByParty).toMatchObject({ 'All other candidates': 24152, 'Of which other winner': 24120, Lab: 16873 });
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await database.db.selectFrom('constituencies').selectAll().orderBy('code').execute();
    const again = await importResults(database.db, fixture(), { out: captureOutput().out });
    expect(again).toMatchObject({ read: 7, loaded: 4, rejected: 3 });
    const after = await database.db.selectFrom('constituencies').selectAll().orderBy('code').execute();
    expect(after.map(({ updated_at: _, ...rest }) => rest)).toEqual(before.map(({ updated_at: _, ...rest }) => rest));
  });

  it('refuses an ONSPD file with one clear line', async () => {
    const output = captureOutput();
    const summary = await importResults(database.db, onspdFile('onspd-as-results.csv', [onspdRow({ pcds: 'AB10 1AB' })]), { out: output.out });
    expect(summary).toMatchObject({ failed: true, read: 0, loaded: 0 });
    expect(output.text()).toMatch(/^.*onspd-as-results\.csv does not look like a House of Commons Library general election results by constituency CSV: it has no "ONS ID", "Constituency name", "Valid votes" or "Majority" columns \(its first columns are: pcd7, pcd8, pcds, dointr, doterm, oscty, \.\.\.\)\.\n$/);
  });
});
