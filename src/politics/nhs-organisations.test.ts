import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { findNhsOrganisations, getNhsOrganisation } from './index.ts';
import { importNhsOrganisations } from './import-nhs-organisations.ts';
import { loadShippedNhsOrganisations, readableOdsName, shippedNhsOrganisations } from './nhs-organisations.ts';
import { captureOutput, writeFixture } from './test-support.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

interface OdsFixture {
  code: string;
  name: string;
  region?: string;
  icb?: string;
  postcode?: string;
  opened?: string;
  closed?: string;
}

/** One row of an ODS standard file, as NHS Digital publishes it: 27 quoted fields, no header. */
function odsRow(o: OdsFixture): string {
  const fields = Array<string>(27).fill('');
  fields[0] = o.code;
  fields[1] = o.name;
  fields[2] = o.region ?? 'Y58';
  fields[3] = o.icb ?? '';
  fields[4] = 'MAIN BUILDING';
  fields[7] = 'SOMEWHERE';
  fields[9] = o.postcode ?? '';
  fields[10] = o.opened ?? '19910401';
  fields[11] = o.closed ?? '';
  fields[21] = '1';
  fields[23] = 'K';
  return fields.map((f) => `"${f}"`).join(',');
}

async function snapshot() {
  return database.db.selectFrom('nhs_organisations').selectAll().orderBy('code').execute();
}

describe('the NHS organisations Chorus ships', () => {
  it('are in every fresh database: 36 ICBs and 202 open trusts, each trust in a shipped ICB or none (Wales)', async () => {
    const rows = await snapshot();
    expect(rows.filter((r) => r.kind === 'icb')).toHaveLength(36);
    expect(rows.filter((r) => r.kind === 'trust')).toHaveLength(202);
    const icbs = new Set(rows.filter((r) => r.kind === 'icb').map((r) => r.code));
    const trusts = rows.filter((r) => r.kind === 'trust');
    expect(trusts.filter((r) => r.icb_code !== null && !icbs.has(r.icb_code))).toEqual([]);
    expect(trusts.filter((r) => r.icb_code === null).map((r) => r.code).sort()).toEqual(['RQF', 'RT4', 'RYT']);
    expect(rows.every((r) => r.source === 'shipped' && r.closed_on === null)).toBe(true);
  });

  it('gives one by its code in any case, with its readable name, postcode and ICB', async () => {
    expect(await getNhsOrganisation(database.db, ' r0a ')).toEqual({
      code: 'R0A',
      kind: 'trust',
      name: 'Manchester University NHS Foundation Trust',
      odsName: 'MANCHESTER UNIVERSITY NHS FOUNDATION TRUST',
      postcode: 'M13 9WL',
      icb: { code: 'QOP', name: 'NHS Greater Manchester Integrated Care Board' },
      closedOn: null,
    });
    expect(await getNhsOrganisation(database.db, 'Z9B2Z')).toMatchObject({ kind: 'icb', name: 'NHS West and North London Integrated Care Board', icb: null, postcode: null });
    expect(await getNhsOrganisation(database.db, 'XX9')).toBeUndefined();
    expect(await getNhsOrganisation(database.db, "'; drop table nhs_organisations; --")).toBeUndefined();
  });

  it('reads ODS upper-case names the way people write them', () => {
    expect(readableOdsName("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST")).toBe("Guy's and St Thomas' NHS Foundation Trust");
    expect(readableOdsName('NHS STAFFORDSHIRE AND STOKE-ON-TRENT INTEGRATED CARE BOARD')).toBe('NHS Staffordshire and Stoke-on-Trent Integrated Care Board');
    expect(readableOdsName('THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST')).toBe('The Newcastle upon Tyne Hospitals NHS Foundation Trust');
    expect(readableOdsName('WESTON-SUPER-MARE  NHS TRUST')).toBe('Weston-super-Mare NHS Trust');
    expect(shippedNhsOrganisations().every((r) => r.odsName === r.odsName.toUpperCase())).toBe(true);
  });
});

describe('findNhsOrganisations (the form picker)', () => {
  it('finds by part of a name in any case, words in any order, names starting with the words (after NHS) first', async () => {
    const devon = await findNhsOrganisations(database.db, { query: 'devon' });
    expect(devon.map((o) => o.name)).toEqual([
      'Devon Partnership NHS Trust',
      'NHS Devon Integrated Care Board',
      'Royal Devon University Healthcare NHS Foundation Trust',
      'Torbay and South Devon NHS Foundation Trust',
    ]);
    const words = await findNhsOrganisations(database.db, { query: 'TRUST manchester  university' });
    expect(words.map((o) => o.code)).toEqual(['R0A']);
    const manchester = await findNhsOrganisations(database.db, { query: 'manchester university' });
    expect(manchester.map((o) => o.code)).toEqual(['R0A']);
    const childrens = await findNhsOrganisations(database.db, { query: "children's", kind: 'trust' });
    expect(childrens.map((o) => o.code).sort()).toEqual(['RBS', 'RCU', 'RQ3']);
  });

  it('finds by ODS code, keeps to a kind and a limit, and treats % and _ as letters', async () => {
    expect((await findNhsOrganisations(database.db, { query: 'qjk' }))[0]).toMatchObject({ code: 'QJK', kind: 'icb' });
    const icbs = await findNhsOrganisations(database.db, { query: 'london', kind: 'icb' });
    expect(icbs.map((o) => o.name)).toEqual([
      'NHS North East London Integrated Care Board',
      'NHS South East London Integrated Care Board',
      'NHS South West London Integrated Care Board',
      'NHS West and North London Integrated Care Board',
    ]);
    expect(await findNhsOrganisations(database.db, { query: 'nhs', limit: 5 })).toHaveLength(5);
    expect(await findNhsOrganisations(database.db, { query: 'nhs', limit: 10_000 })).toHaveLength(100);
    expect(await findNhsOrganisations(database.db, { query: '%' })).toEqual([]);
    expect(await findNhsOrganisations(database.db, { query: '_' })).toEqual([]);
    expect(await findNhsOrganisations(database.db, { query: '   ' })).toEqual([]);
  });

  it('answers any text without failing, never more than asked for', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.integer({ min: -5, max: 500 }), async (query, limit) => {
        const found = await findNhsOrganisations(database.db, { query, limit });
        expect(found.length).toBeLessThanOrEqual(Math.min(Math.max(limit, 1), 100));
      }),
      { numRuns: 60 },
    );
  });
});

describe('chorus import nhs-organisations', () => {
  const etr = [
    odsRow({ code: 'NOT A CODE', name: 'SOMETHING NHS TRUST' }), // line 1: a bad first row does not refuse the file
    odsRow({ code: 'RA7', name: 'BRISTOL NHS FOUNDATION TRUST', icb: 'QUY', postcode: 'BS1 3NU' }), // known: unchanged
    odsRow({ code: 'RH8', name: 'ROYAL DEVON AND EXETER NHS FOUNDATION TRUST', icb: 'QJK', postcode: 'ex2 5dw' }), // renamed since
    odsRow({ code: 'RBZ', name: 'NORTHERN DEVON HEALTHCARE NHS TRUST', icb: 'QJK', postcode: 'EX31 4JB', closed: '20220331' }), // closed
    odsRow({ code: 'X9Z9Z', name: 'A NEW COMMUNITY NHS TRUST', icb: 'QJK', postcode: 'PL6 8DH', opened: '20260701' }), // new
    odsRow({ code: 'RK9', name: 'UNIVERSITY HOSPITALS PLYMOUTH NHS TRUST', opened: '2026-07-01' }), // line 6
    '"RA9","TORBAY AND SOUTH DEVON NHS FOUNDATION TRUST","Y58"', // line 7: cut short
  ].join('\r\n');
  const icbFile = [
    odsRow({ code: 'QJK', name: 'NHS DEVON INTEGRATED CARE BOARD', region: 'Y58', postcode: 'EX2 5DW', opened: '20220701' }),
    odsRow({ code: '15N', name: 'NHS DEVON ICB - 15N', region: 'Y58', icb: 'QJK', opened: '20130401' }),
    odsRow({ code: 'Y58', name: 'SOUTH WEST COMMISSIONING REGION', region: '', opened: '20180401' }),
  ].join('\n');

  it('loads trusts from an etr.csv: new, renamed and closed ones, bad rows reported by line', async () => {
    const output = captureOutput();
    const summary = await importNhsOrganisations(database.db, writeFixture('etr.csv', etr), { out: output.out });
    expect(summary).toMatchObject({ read: 7, loaded: 4, rejected: 3, failed: false, notes: { trusts: 4, closed: 1 } });
    expect(summary.problems).toEqual([
      { line: 1, reason: 'organisation code "NOT A CODE" is not an ODS code (like RA7 or QJK)' },
      { line: 6, reason: 'RK9\'s open date "2026-07-01" is not a date (YYYYMMDD)' },
      { line: 7, reason: 'has 3 fields; an ODS row has 27' },
    ]);
    expect(output.text()).toContain('line 7: has 3 fields; an ODS row has 27');
    expect(await getNhsOrganisation(database.db, 'RH8')).toMatchObject({ name: 'Royal Devon and Exeter NHS Foundation Trust', postcode: 'EX2 5DW' });
    expect(await getNhsOrganisation(database.db, 'X9Z9Z')).toMatchObject({ kind: 'trust', name: 'A New Community NHS Trust', icb: { code: 'QJK', name: 'NHS Devon Integrated Care Board' } });
    expect(await getNhsOrganisation(database.db, 'RBZ')).toMatchObject({ closedOn: '2022-03-31' });
    const devon = await findNhsOrganisations(database.db, { query: 'devon', kind: 'trust' });
    expect(devon.map((o) => o.code)).toEqual(['RWV', 'RH8', 'RA9']);
    expect((await findNhsOrganisations(database.db, { query: 'northern devon' })).map((o) => o.code)).toEqual([]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await snapshot();
    const again = await importNhsOrganisations(database.db, writeFixture('etr.csv', etr), { out: captureOutput().out });
    expect(again).toMatchObject({ read: 7, loaded: 4, rejected: 3 });
    expect(await snapshot()).toEqual(before);
    await loadShippedNhsOrganisations(database.db);
    expect(await snapshot()).toEqual(before); // the shipped list never undoes an import
  });

  it('loads ICBs from the ICB file and leaves out sub-ICB locations and regions', async () => {
    const summary = await importNhsOrganisations(database.db, writeFixture('icbs.csv', icbFile), { out: captureOutput().out });
    expect(summary).toMatchObject({ read: 3, loaded: 1, rejected: 0, notes: { ICBs: 1, 'sub-ICB locations skipped': 1, 'other organisations skipped': 1 } });
    expect(await getNhsOrganisation(database.db, 'QJK')).toMatchObject({ kind: 'icb', name: 'NHS Devon Integrated Care Board', postcode: 'EX2 5DW' });
    expect(await getNhsOrganisation(database.db, '15N')).toBeUndefined();
    expect(await getNhsOrganisation(database.db, 'Y58')).toBeUndefined();
  });

  it('refuses a file of another kind, an empty one or a missing one with one clear line', async () => {
    const before = await snapshot();
    const mps = captureOutput();
    const wrong = await importNhsOrganisations(database.db, writeFixture('mps.csv', 'PCON24CD,PCON24NM,MP\nE14001279,Hendon,David Pinto-Duschinsky\n'), { out: mps.out });
    expect(wrong).toMatchObject({ failed: true, loaded: 0 });
    expect(mps.text()).toContain('does not look like an NHS ODS organisation file (etr.csv for NHS trusts, or the file listing integrated care boards)');
    expect(mps.text().trim().split('\n')).toHaveLength(1);
    const empty = captureOutput();
    expect(await importNhsOrganisations(database.db, writeFixture('empty.csv', ''), { out: empty.out })).toMatchObject({ failed: true });
    expect(empty.text()).toBe(`Cannot import ${path.join(path.dirname(writeFixture('x', '')), 'empty.csv')}: the file is empty.\n`);
    const broken = captureOutput();
    expect(await importNhsOrganisations(database.db, writeFixture('broken.csv', '"RA7","BRISTOL NHS FOUNDATION TRUST\n'), { out: broken.out })).toMatchObject({ failed: true });
    expect(broken.text()).toContain('cannot be read as CSV');
    expect(await snapshot()).toEqual(before);
  });

  it('is a kind of `chorus import`, which exits 1 with one line, not a stack trace, for a wrong file', async () => {
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['bin/chorus.js', 'import', 'nhs-organisations', writeFixture('wrong.csv', 'code,name\n1,2\n')],
        { cwd: root, env: { ...process.env, BASE_URL: 'http://chorus.test', DATABASE_URL: database.url, LOG_LEVEL: 'warn' } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('does not look like an NHS ODS organisation file');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
