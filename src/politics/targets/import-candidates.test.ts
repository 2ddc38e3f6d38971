import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { captureOutput, writeFixture } from '../test-support.ts';
import { candidatesIn } from './list-seats.ts';
import { importCandidates } from './import-candidates.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db
    .insertInto('constituencies')
    .values([
      { code: 'E14001279', name: 'Hendon' },
      { code: 'E14001429', name: 'Poole' },
    ])
    .execute();
});
afterAll(() => database.drop());

/** Democracy Club's core columns in their published order, then the optional gss and elected. */
const header = 'person_id,person_name,election_id,ballot_paper_id,election_date,election_current,party_name,party_id,post_label,cancelled_poll,seats_contested,gss,elected';
const file = [
  header,
  '5360,David Pinto-Duschinsky,parl.2024-07-04,parl.hendon.2024-07-04,2024-07-04,False,Labour Party,PP53,Hendon,False,1,E14001279,True',
  '2514,Matthew Offord,parl.2024-07-04,parl.hendon.2024-07-04,2024-07-04,False,Conservative and Unionist Party,PP52,Hendon,False,1,E14001279,False',
  // No gss column value: matched to the constituency by its name.
  '70001,Neil Duncan-Jordan,parl.2024-07-04,parl.poole.2024-07-04,2024-07-04,False,Labour Party,PP53,Poole,False,1,,True',
  '70002,Robert Syms,parl.2024-07-04,parl.poole.2024-07-04,2024-07-04,False,Conservative and Unionist Party,PP52,Poole,False,1,,False',
  '90001,Someone Local,local.barnet.2024-05-02,local.barnet.hendon.2024-05-02,2024-05-02,False,Labour Party,PP53,Hendon,False,3,,', // line 6: not Parliament
  'abc,Bad Id,parl.2024-07-04,parl.poole.2024-07-04,2024-07-04,False,Labour Party,PP53,Poole,False,1,,', // line 7
  '70003,Nowhere Person,parl.2024-07-04,parl.atlantis.2024-07-04,2024-07-04,False,Independent,ynmp-party:2,Atlantis,False,1,,maybe', // line 8
  '70004,Unplaced Person,parl.2024-07-04,parl.atlantis.2024-07-04,2024-07-04,False,Independent,ynmp-party:2,Atlantis,False,1,,',
].join('\n');

function chorus(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/chorus.js', ...args], { cwd: root, env: { ...process.env, BASE_URL: 'http://chorus.test', DATABASE_URL: database.url, LOG_LEVEL: 'warn' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const allRows = () => database.db.selectFrom('candidates').selectAll().orderBy('ballot_paper_id').orderBy('dc_person_id').execute();

describe('chorus import candidates (Democracy Club candidates CSV)', () => {
  it('loads UK Parliament candidacies by seat (by GSS code, or by the seat’s name), reporting bad rows by line', async () => {
    const summary = await importCandidates(database.db, writeFixture('candidates.csv', file), { out: captureOutput().out });
    expect(summary).toMatchObject({ read: 8, loaded: 5, rejected: 3, failed: false, notes: { 'candidates whose seat is not a known constituency': 1 } });
    expect(summary.problems).toEqual([
      { line: 6, reason: 'ballot_paper_id "local.barnet.hendon.2024-05-02" is not a UK Parliament ballot (like parl.hendon.2024-07-04)' },
      { line: 7, reason: 'person_id "abc" is not a number' },
      { line: 8, reason: 'elected "maybe" is not True or False' },
    ]);
    expect((await candidatesIn(database.db, 'E14001279')).map((c) => [c.name, c.party, c.elected, c.electionDate])).toEqual([
      ['Matthew Offord', 'Conservative and Unionist Party', false, '2024-07-04'],
      ['David Pinto-Duschinsky', 'Labour Party', true, '2024-07-04'],
    ]);
    expect((await candidatesIn(database.db, 'E14001429')).map((c) => c.name)).toEqual(['Robert Syms', 'Neil Duncan-Jordan']);
  });

  it('runs again through chorus import and changes nothing; a changed row is updated', { timeout: 60_000 }, async () => {
    const path1 = writeFixture('candidates-again.csv', file);
    const before = await allRows();
    const again = await chorus('import', 'candidates', path1);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('candidates: 8 rows read, 5 loaded, 3 rejected');
    expect(await allRows()).toEqual(before);

    const renamed = await chorus('import', 'candidates', writeFixture('candidates-renamed.csv', file.replace('Robert Syms,', 'Sir Robert Syms,')));
    expect(renamed.code).toBe(0);
    const after = await allRows();
    expect(after.find((r) => r.dc_person_id === '70002')!.person_name).toBe('Sir Robert Syms');
    expect(after.filter((r) => r.dc_person_id !== '70002')).toEqual(before.filter((r) => r.dc_person_id !== '70002'));
  });

  it('refuses a file that is not a candidates CSV with one clear line and a non-zero exit', { timeout: 60_000 }, async () => {
    const wrong = await chorus('import', 'candidates', writeFixture('not-candidates.csv', 'PCON24CD,PCON24NM,MP\nE14001279,Hendon,Someone\n'));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toContain('does not look like a Democracy Club candidates CSV');
    expect(wrong.stderr).toContain('it has no "person_id", "person_name", "election_id", "ballot_paper_id" or "post_label" columns');
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });
});
