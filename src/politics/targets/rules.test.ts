import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { importResults } from '../import-results.ts';
import { captureOutput, resultsFile, resultsRow, type ResultFixture } from '../test-support.ts';
import { describeRule, evaluateListRule, seatsChosenBy, type TargetRule } from './rules.ts';

let database: TestDatabase;
const london: [string, string] = ['E12000007', 'London'];
const southEast: [string, string] = ['E12000008', 'South East'];

/** Six seats: shares 0.04%, 4.99%, exactly 5%, 5.01%, 20%, and one without a result. */
const seats: ResultFixture[] = [
  { code: 'E14000101', name: 'Alpha', region: london, result: 'Lab gain from Con', first: 'Lab', second: 'Con', electorate: 70000, valid: 40000, invalid: 100, majority: 16, votes: { Lab: 15016, Con: 15000 } },
  { code: 'E14000102', name: 'Bravo', region: london, result: 'Con hold', first: 'Con', second: 'RUK', electorate: 70000, valid: 10000, invalid: 100, majority: 499, votes: { Con: 4000, RUK: 3501 } },
  { code: 'E14000103', name: 'Charlie', region: southEast, result: 'Lab gain from Con', first: 'Lab', second: 'Con', electorate: 70000, valid: 10000, invalid: 100, majority: 500, votes: { Lab: 4000, Con: 3500 } },
  { code: 'E14000104', name: 'Delta', region: southEast, result: 'LD gain from Con', first: 'LD', second: 'Con', electorate: 70000, valid: 10000, invalid: 100, majority: 501, votes: { LD: 4001, Con: 3500 } },
  { code: 'E14000105', name: 'Echo', region: southEast, result: 'Lab hold', first: 'Lab', second: 'RUK', electorate: 70000, valid: 10000, invalid: 100, majority: 2000, votes: { Lab: 5000, RUK: 3000 } },
  { code: 'E14000106', name: 'Foxtrot', region: london, result: '', first: '', second: '', electorate: '', valid: '', invalid: '', majority: '', votes: {} },
];

beforeAll(async () => {
  database = await createTestDatabase();
  await importResults(database.db, resultsFile('targets-results.csv', seats.map(resultsRow)), { out: captureOutput().out });
});
afterAll(() => database.drop());

const names = async (rule: TargetRule) => {
  const codes = await seatsChosenBy(database.db, rule);
  return codes.map((c) => seats.find((s) => s.code === c)!.name);
};

describe('target list rules', () => {
  it('chooses seats whose 2024 majority is strictly below the share: a seat at exactly 5% is not below 5%, and seats without results never qualify', async () => {
    expect(await names({ maxMajorityPercent: 5 })).toEqual(['Alpha', 'Bravo']);
    expect(await names({ maxMajorityPercent: 5.01 })).toEqual(['Alpha', 'Bravo', 'Charlie']);
    expect(await names({ maxMajorityPercent: 100 })).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
  });

  it('chooses by winning party, runner-up and region, every condition holding', async () => {
    expect(await names({ winningParties: ['Lab'] })).toEqual(['Alpha', 'Charlie', 'Echo']);
    expect(await names({ winningParties: ['Lab', 'LD'], secondParties: ['Con'] })).toEqual(['Alpha', 'Charlie', 'Delta']);
    expect(await names({ secondParties: ['RUK'] })).toEqual(['Bravo', 'Echo']);
    expect(await names({ regionCodes: ['E12000007'] })).toEqual(['Alpha', 'Bravo', 'Foxtrot']);
    expect(await names({ regionCodes: ['E12000008'], maxMajorityPercent: 6, winningParties: ['Lab'] })).toEqual(['Charlie']);
    expect(await names({ winningParties: ['Green'] })).toEqual([]);
  });

  it('says the rule in words', () => {
    expect(describeRule({ maxMajorityPercent: 5, winningParties: ['Lab', 'LD'], secondParties: ['RUK'], regionCodes: ['E12000007'] }, new Map([['E12000007', 'London']]))).toBe(
      '2024 majority under 5% of the vote; won by Labour or Liberal Democrat; runner-up Reform UK; in London.',
    );
    expect(describeRule(null)).toBe('Seats chosen by hand.');
  });

  it('chooses the seats again when results are re-imported, keeping seats added by hand and leaving off those taken off; evaluating twice changes nothing', async () => {
    const { id } = await database.db.insertInto('target_lists').values({ name: 'Under 5%', rule: JSON.stringify({ maxMajorityPercent: 5 }) }).returning('id').executeTakeFirstOrThrow();
    await evaluateListRule(database.db, id, { maxMajorityPercent: 5 });
    await database.db.insertInto('target_list_seats').values({ list_id: id, constituency_code: 'E14000105', chosen: 'hand' }).execute();
    await database.db.updateTable('target_list_seats').set({ chosen: 'excluded' }).where('list_id', '=', id).where('constituency_code', '=', 'E14000102').execute();
    const rows = () => database.db.selectFrom('target_list_seats').select(['constituency_code', 'chosen', 'added_at']).where('list_id', '=', id).orderBy('constituency_code').execute();
    const before = await rows();
    await evaluateListRule(database.db, id, { maxMajorityPercent: 5 });
    expect(await rows()).toEqual(before);

    // A recount: Alpha's majority grows to 10%, Delta's falls to 1%.
    const recount = seats.map((s) => (s.name === 'Alpha' ? { ...s, majority: 4000 } : s.name === 'Delta' ? { ...s, majority: 100 } : s));
    const summary = await importResults(database.db, resultsFile('targets-results-2.csv', recount.map(resultsRow)), { out: captureOutput().out });
    expect(summary.notes).toMatchObject({ 'target lists whose seats were chosen again': 1 });
    expect((await rows()).map((r) => [r.constituency_code, r.chosen])).toEqual([
      ['E14000102', 'excluded'],
      ['E14000104', 'rule'],
      ['E14000105', 'hand'],
    ]);
  });
});
