import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { captureOutput, onspdFile, onspdRow } from './test-support.ts';
import { importOnspd } from './import-onspd.ts';
import { compactPostcode, lookupPostcode, normalisePostcode, resolvePostcodes } from './postcodes.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  const file = onspdFile('postcodes.csv', [
    onspdRow({ pcds: 'AB10 1AB', pcon: 'S14000061' }),
    onspdRow({ pcds: 'AB10 1AA', doterm: '201610' }),
    onspdRow({ pcds: 'SW1A 1AA', ctry: 'E92000001', rgn: 'E12000007', pcon: 'E14001172', lat: '51.501009', long: '-0.141588' }),
    onspdRow({ pcds: 'IM1 1AA', ctry: 'M83000003', rgn: 'M99999999', pcon: 'M99999999', lat: '99.999999', long: '0.000000' }),
  ]);
  await importOnspd(database.db, file, { out: captureOutput().out });
});
afterAll(() => database.drop());

describe('postcode lookup', () => {
  it('normalises any spacing and case', () => {
    expect(compactPostcode(' ab10  1ab ')).toBe('AB101AB');
    expect(normalisePostcode('sw1a1aa')).toBe('SW1A 1AA');
    expect(normalisePostcode('SW1A')).toBeUndefined();
  });

  it('resolves many postcodes at once, keyed by what was typed', async () => {
    const typed = ['AB10 1AB', 'ab101ab', ' Ab10  1aB ', 'sw1a 1aa', 'AB10 1AA', 'IM1 1AA', 'GY1 1AA', 'ZZ99 9ZZ', 'not a postcode', ''];
    const places = await resolvePostcodes(database.db, typed);
    expect([...places.keys()].sort()).toEqual([...typed].sort());
    for (const key of ['AB10 1AB', 'ab101ab', ' Ab10  1aB ']) {
      expect(places.get(key)).toMatchObject({ status: 'found', postcode: 'AB10 1AB', constituencyCode: 'S14000061' });
    }
    expect(places.get('sw1a 1aa')).toMatchObject({ status: 'found', regionCode: 'E12000007', latitude: 51.501009, longitude: -0.141588 });
    expect(places.get('AB10 1AA')).toMatchObject({ status: 'terminated', postcode: 'AB10 1AA' });
    expect(places.get('IM1 1AA')).toMatchObject({ status: 'outside_uk' });
    expect(places.get('GY1 1AA')).toMatchObject({ status: 'outside_uk' });
    expect(places.get('ZZ99 9ZZ')).toMatchObject({ status: 'unknown', message: 'We could not find the postcode ZZ99 9ZZ. Check it is typed correctly.' });
    expect(places.get('not a postcode')).toMatchObject({ status: 'malformed', message: 'Enter a real UK postcode, like SW1A 1AA' });
    expect(places.get('')).toMatchObject({ status: 'malformed' });
  });

  it('looks up one postcode', async () => {
    expect(await lookupPostcode(database.db, 'ab10 1ab')).toMatchObject({ status: 'found', constituencyCode: 'S14000061' });
  });
});
