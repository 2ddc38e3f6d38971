import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { constituencyNames, getConstituency } from './constituencies.ts';
import { captureOutput, resultsFile, resultsRow, writeFixture } from './test-support.ts';
import { importMps } from './import-mps.ts';
import { importResults } from './import-results.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const header = 'PCON24CD,PCON24NM,MP,Gender,ID,TheyWorkForYou ID,TheyWorkForYou URI,Start date,Party,Party name,Party bg,Party fg,Thumbnail';
const openInnovations = [
  header,
  'E14001279,Hendon,David Pinto-Duschinsky,M,5360,26632,https://www.theyworkforyou.com/mp/26632/david_pinto-duschinsky/hendon,2024-07-04T00:00:00,Lab,Labour,#d50000,#ffffff,https://members-api.parliament.uk/api/Members/5360/Thumbnail',
  'S14000061,Aberdeen South,Stephen Flynn,M,4735,25867,https://www.theyworkforyou.com/mp/25867/stephen_flynn/aberdeen_south,2019-12-12T00:00:00,SNP,Scottish National Party,#fff685,#000000,https://members-api.parliament.uk/api/Members/4735/Thumbnail',
  'Hendon,E14001279,Someone,M,1,2,https://example.org,2024-07-04T00:00:00,Lab,Labour,#d50000,#ffffff,', // line 4: columns swapped
  'E14001305,Islington North,Jeremy Corbyn,M,185,10133,javascript:alert(1),1983-06-09T00:00:00,Ind,Independent,#c4c4c4,#000000,', // line 5: not a web address
  'E14001429,Poole,,M,5359,26633,,2024-07-04T00:00:00,Lab,Labour,#d50000,#ffffff,', // line 6: no name
  '"E14001174","Clacton","Nigel Farage",M,5091,26352,https://www.theyworkforyou.com/mp/26352/nigel_farage/clacton,2024-07-04T00:00:00,RUK,Reform UK,#12b6cf,#ffffff,',
].join('\n');

async function count(table: 'mps' | 'constituencies'): Promise<number> {
  const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('chorus import mps', () => {
  it('loads MPs, creates constituencies not yet known, and reports bad rows by line', async () => {
    const output = captureOutput();
    const summary = await importMps(database.db, writeFixture('mps.csv', openInnovations), { out: output.out });
    expect(summary).toMatchObject({ read: 6, loaded: 3, rejected: 3, failed: false, notes: { 'constituencies without election results yet': 3 } });
    expect(summary.problems).toEqual([
      { line: 4, reason: 'constituency code "HENDON" is not like E14001279' },
      { line: 5, reason: 'TheyWorkForYou URI "javascript:alert(1)" is not a web address' },
      { line: 6, reason: 'the MP’s name is empty' },
    ]);
    expect(output.text()).toContain('line 5: TheyWorkForYou URI "javascript:alert(1)" is not a web address');
    const hendon = await getConstituency(database.db, 'E14001279');
    expect(hendon).toMatchObject({
      name: 'Hendon',
      mp: { name: 'David Pinto-Duschinsky', party: 'Lab', partyName: 'Labour', sitting: true, startDate: '2024-07-04', twfyUrl: 'https://www.theyworkforyou.com/mp/26632/david_pinto-duschinsky/hendon' },
      result: null,
    });
  });

  it('changes nothing when imported again, and keeps names from the results file', async () => {
    await importResults(
      database.db,
      resultsFile('results.csv', [
        resultsRow({ code: 'S14000061', name: 'Aberdeen South', result: 'SNP hold', first: 'SNP', second: 'Lab', electorate: 77328, valid: 46345, invalid: 178, majority: 3758, votes: { SNP: 15213 } }),
      ]),
      { out: captureOutput().out },
    );
    const before = { mps: await count('mps'), constituencies: await count('constituencies') };
    const again = await importMps(database.db, writeFixture('mps.csv', openInnovations.replace(',Aberdeen South,', ',Aberdeen S.,')), { out: captureOutput().out });
    expect(again).toMatchObject({ read: 6, loaded: 3, rejected: 3, notes: { 'constituencies without election results yet': 2 } });
    expect({ mps: await count('mps'), constituencies: await count('constituencies') }).toEqual(before);
    expect(before).toEqual({ mps: 3, constituencies: 3 });
    expect((await constituencyNames(database.db, ['S14000061'])).get('S14000061')).toEqual({ name: 'Aberdeen South', mp: 'Stephen Flynn', party: 'SNP' });
  });

  it('accepts a simple sheet with plain headers in any case', async () => {
    const simple = ['Code,Constituency,MP,Party,TWFY_ID', 'E14001305,Islington North,Jeremy Corbyn,Ind,10133', 'w07000081,Aberafan Maesteg,Stephen Kinnock,Lab,'].join('\n');
    const summary = await importMps(database.db, writeFixture('simple.csv', simple), { out: captureOutput().out });
    expect(summary).toMatchObject({ read: 2, loaded: 2, rejected: 0 });
    const names = await constituencyNames(database.db, ['E14001305', 'W07000081', 'E99999999']);
    expect(names.get('E14001305')).toEqual({ name: 'Islington North', mp: 'Jeremy Corbyn', party: 'Ind' });
    expect(names.get('W07000081')).toEqual({ name: 'Aberafan Maesteg', mp: 'Stephen Kinnock', party: 'Lab' });
    expect(names.has('E99999999')).toBe(false);
    expect((await getConstituency(database.db, 'E14001305'))?.mp?.twfyUrl).toBe('https://www.theyworkforyou.com/mp/10133');
  });

  it('refuses a file of another kind with one clear line', async () => {
    const output = captureOutput();
    const summary = await importMps(database.db, writeFixture('hex.json', '{"layout":"odd-r","hexes":{}}'), { out: output.out });
    expect(summary).toMatchObject({ failed: true, loaded: 0 });
    expect(output.text()).toContain('does not look like an MPs CSV');
    expect(output.text().trim().split('\n')).toHaveLength(1);
  });
});
