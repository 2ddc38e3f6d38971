import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { loadPoliticsDemo } from './demo.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.ctx.db.transaction().execute((tx) => loadPoliticsDemo(tx));
});
afterAll(() => t.close());

interface ListBody {
  constituencies: Array<{ name: string; marginality: number }>;
  links: Record<string, string>;
}
interface DetailBody {
  result2024: { votesByParty: Record<string, number>; turnout: number };
}

async function getJson<T = Record<string, unknown>>(url: string) {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, headers: res.headers, body: res.json<T & Record<string, unknown>>() };
}

function expectPublic(headers: Record<string, unknown>) {
  expect(headers['access-control-allow-origin']).toBe('*');
  expect(String(headers['cache-control'])).toMatch(/public, max-age=\d+/);
  expect(String(headers['content-type'])).toMatch(/^application\/json/);
}

describe('GET /postcodes/<postcode>.json', () => {
  it('finds a postcode in any spacing and case, URL-encoded', async () => {
    for (const typed of ['NW4%204BT', 'nw44bt', '%20Nw4%20%204bT%20']) {
      const res = await getJson(`/postcodes/${typed}.json`);
      expect(res.status).toBe(200);
      expectPublic(res.headers);
      expect(res.body).toEqual({
        postcode: 'NW4 4BT',
        status: 'found',
        constituency: { code: 'E14001279', name: 'Hendon', url: 'http://chorus.test/constituencies/E14001279' },
        region: { code: 'E12000007', name: 'London' },
        latitude: expect.any(Number),
        longitude: expect.any(Number),
      });
    }
  });

  it('names the problem: malformed, unknown, terminated or outside the UK', async () => {
    const cases: Array<[string, number, string, string]> = [
      ['NW4', 422, 'invalid', 'malformed'],
      ['ZZ99%209ZZ', 404, 'not_found', 'unknown'],
      ['AB10%201AA', 404, 'not_found', 'terminated'],
      ['JE2%204WD', 422, 'invalid', 'outside_uk'],
      ['IM1%201AA', 422, 'invalid', 'outside_uk'],
    ];
    for (const [typed, status, error, kind] of cases) {
      const res = await getJson(`/postcodes/${typed}.json`);
      expect(res.status, typed).toBe(status);
      expectPublic(res.headers);
      expect(res.body).toMatchObject({ error, status: kind, message: expect.any(String) });
    }
    expect((await getJson('/postcodes/AB10%201AA.json')).body.message).toContain('AB10 1AA is no longer in use (terminated)');
  });

  it('has no HTML twin', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/postcodes/NW4%204BT' })).statusCode).toBe(404);
  });
});

describe('GET /constituencies.json', () => {
  it('lists the most marginal seats first with ?sort=marginality&limit=N, paginated with links', async () => {
    const res = await getJson<ListBody>('/constituencies.json?sort=marginality&limit=3');
    expect(res.status).toBe(200);
    expectPublic(res.headers);
    expect(res.body.constituencies.map((c) => c.name)).toEqual(['Hendon', 'Poole', 'Basildon and Billericay']);
    expect(res.body.constituencies[0]).toMatchObject({
      code: 'E14001279',
      majority: 15,
      validVotes: 41256,
      marginalityRank: 1,
      mp: { name: 'David Pinto-Duschinsky', party: 'Lab', partyName: 'Labour' },
      region: { code: 'E12000007', name: 'London' },
      hex: { q: 7, r: 1 },
    });
    expect(res.body.constituencies[0]!.marginality).toBeCloseTo(15 / 41256, 10);
    expect(res.body).toMatchObject({ page: 1, perPage: 3, total: 28, totalPages: 10 });
    expect(res.body.links).toEqual({
      self: 'http://chorus.test/constituencies.json?sort=marginality&limit=3&page=1',
      first: 'http://chorus.test/constituencies.json?sort=marginality&limit=3&page=1',
      last: 'http://chorus.test/constituencies.json?sort=marginality&limit=3&page=10',
      next: 'http://chorus.test/constituencies.json?sort=marginality&limit=3&page=2',
    });
    const next = await getJson<ListBody>('/constituencies.json?sort=marginality&limit=3&page=2');
    expect(next.body.constituencies[0]!.name).toBe('Ynys Môn');
    expect(next.body.links.prev).toBe('http://chorus.test/constituencies.json?sort=marginality&limit=3&page=1');
  });

  it('defaults to 50 a page by name, and searches', async () => {
    const all = await getJson<ListBody>('/constituencies.json');
    expect(all.body).toMatchObject({ perPage: 50, total: 28, sort: 'name' });
    expect(all.body.constituencies[0]!.name).toBe('Aberdeen North');
    const search = await getJson<ListBody>('/constituencies.json?q=manchester');
    expect(search.body.constituencies.map((c) => c.name)).toEqual(['Manchester Central', 'Manchester Rusholme', 'Manchester Withington']);
  });

  it('refuses a bad limit with a 422 naming it', async () => {
    const res = await getJson('/constituencies.json?limit=1000');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: 'invalid', errors: [{ field: 'limit', message: 'Limit must be a whole number from 1 to 650' }] });
  });
});

describe('GET /constituencies/<code>.json', () => {
  it('gives the constituency, its MP and its 2024 result', async () => {
    const res = await getJson<DetailBody>('/constituencies/S14000061.json');
    expect(res.status).toBe(200);
    expectPublic(res.headers);
    expect(res.body).toMatchObject({
      code: 'S14000061',
      name: 'Aberdeen South',
      country: 'Scotland',
      rankedSeats: 28,
      mp: { name: 'Stephen Flynn', party: 'SNP', theyWorkForYouUrl: 'https://www.theyworkforyou.com/mp/25867/stephen_flynn/aberdeen_south' },
      result2024: { result: 'SNP hold', firstParty: 'SNP', secondParty: 'Lab', electorate: 77328, validVotes: 46345, invalidVotes: 178, majority: 3758 },
    });
    expect(res.body.result2024.votesByParty).toEqual({ Con: 11300, Lab: 11455, LD: 2921, RUK: 3199, Green: 1609, SNP: 15213, 'All other candidates': 648 });
    expect(res.body.result2024.turnout).toBeCloseTo(46345 / 77328, 10);
  });

  it('answers an unknown code with a JSON 404', async () => {
    const res = await getJson('/constituencies/E14999999.json');
    expect(res.status).toBe(404);
    expectPublic(res.headers);
    expect(res.body).toEqual({ error: 'not_found', message: 'There is no constituency with the code E14999999.' });
  });
});
