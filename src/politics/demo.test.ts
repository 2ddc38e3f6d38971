import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValid } from 'postcode';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { constituencyNames, regionNames } from './constituencies.ts';
import { isPoliticsDemo } from './demo-label.ts';
import { demoSeats, loadPoliticsDemo } from './demo.ts';
import { captureOutput, resultsFile, resultsRow } from './test-support.ts';
import { hexLayout } from './hexes.ts';
import { importResults } from './import-results.ts';
import { mostMarginal } from './marginality.ts';
import { resolvePostcodes } from './postcodes.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('politics demo data', () => {
  it('loads real constituencies across the four nations, each with an MP, a hex and postcodes', async () => {
    const loaded = await database.db.transaction().execute((tx) => loadPoliticsDemo(tx));
    expect(loaded).toMatchObject({ loaded: true, constituencies: demoSeats.length });
    expect(demoSeats.length).toBeGreaterThanOrEqual(25);
    expect(new Set(demoSeats.map((s) => s.code[0]))).toEqual(new Set(['E', 'S', 'W', 'N']));
    expect(await isPoliticsDemo(database.db)).toBe(true);

    const names = await constituencyNames(database.db, demoSeats.map((s) => s.code));
    expect(names.size).toBe(demoSeats.length);
    expect(names.get('S14000061')).toEqual({ name: 'Aberdeen South', mp: 'Stephen Flynn', party: 'SNP' });
    expect([...names.values()].every((n) => n.mp && n.party)).toBe(true);

    const regions = await regionNames(database.db);
    expect(regions.get('E12000007')).toBe('London');
    expect(regions.get('N92000002')).toBe('Northern Ireland');

    const map = await hexLayout(database.db);
    expect(map?.layout).toBe('odd-r');
    expect(map?.hexes).toHaveLength(demoSeats.length);
    expect(new Set(map?.hexes.map((h) => `${h.q},${h.r}`)).size).toBe(demoSeats.length);

    expect((await mostMarginal(database.db, 1))[0]).toMatchObject({ name: 'Hendon', majority: 15 });
  });

  it('gives each demo constituency 3 to 5 valid postcodes that lead back to it', async () => {
    const all = demoSeats.flatMap((s) => s.postcodes);
    const places = await resolvePostcodes(database.db, all);
    for (const seat of demoSeats) {
      expect(seat.postcodes.length).toBeGreaterThanOrEqual(3);
      expect(seat.postcodes.length).toBeLessThanOrEqual(5);
      for (const postcode of seat.postcodes) {
        expect(isValid(postcode), postcode).toBe(true);
        expect(places.get(postcode), postcode).toMatchObject({ status: 'found', constituencyCode: seat.code, constituencyName: seat.name });
      }
    }
    const problems = await resolvePostcodes(database.db, ['AB10 1AA', 'JE2 4WD']);
    expect(problems.get('AB10 1AA')?.status).toBe('terminated');
    expect(problems.get('JE2 4WD')?.status).toBe('outside_uk');
  });

  it('loads only into an empty set of constituencies', async () => {
    const again = await database.db.transaction().execute((tx) => loadPoliticsDemo(tx));
    expect(again).toEqual({ loaded: false, constituencies: 0, postcodes: 0 });
  });

  it('stops being labelled demo once official results are imported', async () => {
    const file = resultsFile('results.csv', [
      resultsRow({ code: 'E14001279', name: 'Hendon', result: 'Lab gain from Con', first: 'Lab', second: 'Con', electorate: 74865, valid: 41256, invalid: 190, majority: 15, votes: { Lab: 15855, Con: 15840 } }),
    ]);
    await importResults(database.db, file, { out: captureOutput().out });
    expect(await isPoliticsDemo(database.db)).toBe(false);
  });
});
