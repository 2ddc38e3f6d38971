import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { loadPoliticsDemo } from './demo.ts';
import { upsertResults, type ResultRow } from './import-results.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.ctx.db.transaction().execute((tx) => loadPoliticsDemo(tx));
  // 60 more (made-up) seats, so the list has two pages of 50; all safer than any demo seat.
  const extra: ResultRow[] = Array.from({ length: 60 }, (_, i) => ({
    code: `E1490${String(i).padStart(4, '0')}`,
    name: `Testshire ${String(i + 1).padStart(2, '0')}`,
    regionCode: 'E12000004',
    regionName: 'East Midlands',
    countryName: 'England',
    type: 'County',
    memberName: `Member ${i + 1}`,
    result: 'Con hold',
    firstParty: 'Con',
    secondParty: 'Lab',
    electorate: 70_000,
    validVotes: 40_000,
    invalidVotes: 100,
    majority: 20_000 + i,
    votesByParty: { Con: 30_000 + i, Lab: 10_000 - i },
  }));
  await upsertResults(t.ctx.db, extra);
});
afterAll(() => t.close());

const get = (url: string) => new Agent(t.app).get(url);
/** The table rows' constituency names, in order. */
const listedNames = (html: string) => [...html.matchAll(/<th scope="row"><a href="\/constituencies\/[A-Z0-9]+">([^<]+)<\/a><\/th>/g)].map((m) => m[1]);

describe('the demo', () => {
  it('finds the example postcode every form shows, and every postcode its pages suggest', async () => {
    const page = await get('/constituencies');
    const suggested = /try ([^.]+)\. An administrator/.exec(page.body)?.[1] ?? '';
    const postcodes = [...suggested.matchAll(/[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}/g)].map((m) => m[0]);
    expect(postcodes[0]).toBe('SW1A 1AA');
    expect(postcodes.length).toBeGreaterThanOrEqual(4);
    for (const postcode of postcodes) {
      const found = await get(`/constituencies?postcode=${encodeURIComponent(postcode)}`);
      expect(found.statusCode, postcode).toBe(303);
    }
    expect((await get('/constituencies?postcode=SW1A+1AA')).headers.location).toBe('/constituencies/E14001172');
    const seat = await get('/constituencies/E14001172');
    expect(seat.body).toContain('Cities of London and Westminster');
    expect(seat.body).toContain('Rachel Blake');
  });
});

describe('constituency pages', () => {
  it('shows a constituency with its MP, party, result, majority and share, and marginality rank', async () => {
    const res = await get('/constituencies/E14001279');
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<h1>Hendon</h1>');
    expect(html).toContain('UK Parliament constituency in London, England');
    expect(html).toContain('David Pinto-Duschinsky, Labour');
    expect(html).toContain('href="https://www.theyworkforyou.com/mp/26632/david_pinto-duschinsky/hendon"');
    expect(html).toContain('<dt>Result</dt><dd>Lab gain from Con</dd>');
    expect(html).toContain('<dt>Second party</dt><dd>Conservative</dd>');
    expect(html).toContain('<dt>Majority</dt><dd>15 (0.04%)</dd>');
    expect(html).toContain('<dt>Marginality</dt><dd>The most marginal seat of 88</dd>');
    expect(html).toContain('<dt>Electorate</dt><dd>74,865</dd>');
    expect(html).toContain('<dt>Turnout</dt><dd>55.1%</dd>');
    expect(html).toContain('<dt>Valid votes</dt><dd>41,256</dd>');
    expect(html).toContain('<dt>Invalid votes</dt><dd>190</dd>');
    expect(html).toContain('<caption class="table__caption">Votes by party in Hendon, general election 2024</caption>');
    expect(html).toContain('<th scope="col">Party</th>');
    expect(html).toMatch(/<th scope="row">Labour<\/th><td class="numeric">15,855<\/td><td class="numeric">38\.4%<\/td>/);
    expect(html).toContain('Demo data.');
  });

  it('ranks other seats by marginality and notes an independent winner’s votes', async () => {
    const poole = await get('/constituencies/E14001429');
    expect(poole.body).toContain('The 2nd most marginal seat of 88');
    const islington = await get('/constituencies/E14001305');
    expect(islington.body).toContain('Jeremy Corbyn, Independent');
    expect(islington.body).toContain('Of the votes for other candidates, 24,120 went to the winning candidate.');
    expect(islington.body).not.toContain('Of which other winner');
  });

  it('answers an unknown or malformed code with a friendly 404, and a lower-case code with a redirect', async () => {
    for (const url of ['/constituencies/E14999999', '/constituencies/hendon', '/constituencies/%3Cscript%3E']) {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('We could not find that constituency.');
      expect(res.body).not.toContain('<script>');
    }
    const lower = await get('/constituencies/e14001279');
    expect(lower.statusCode).toBe(301);
    expect(lower.headers.location).toBe('/constituencies/E14001279');
  });

  it('lists constituencies 50 a page by name, with MP, party and majority', async () => {
    const first = await get('/constituencies');
    expect(first.statusCode).toBe(200);
    const names = listedNames(first.body);
    expect(names).toHaveLength(50);
    expect(names.slice(0, 3)).toEqual(['Aberdeen North', 'Aberdeen South', 'Basildon and Billericay']);
    expect(first.body).toContain('Page 1 of 2');
    expect(first.body).toContain('<caption class="table__caption">Constituencies, by name (page 1 of 2)</caption>');
    expect(first.body).toContain('Stephen Flynn, Scottish National Party');
    expect(first.body).toContain('3,758 (8.1%)');
    expect(first.body).toContain('href="/constituencies?page=2"');
    const second = await get('/constituencies?page=2');
    expect(listedNames(second.body)).toHaveLength(38);
  });

  it('sorts by marginality, most marginal first', async () => {
    const res = await get('/constituencies?sort=marginality');
    expect(listedNames(res.body).slice(0, 4)).toEqual(['Hendon', 'Poole', 'Basildon and Billericay', 'Ynys Môn']);
    expect(res.body).toContain('href="/constituencies?sort=marginality&amp;page=2"');
  });

  it('searches by name in any case', async () => {
    const res = await get('/constituencies?q=ABERDEEN&sort=name');
    expect(listedNames(res.body)).toEqual(['Aberdeen North', 'Aberdeen South']);
    expect(res.body).toContain('value="ABERDEEN"');
    const none = await get('/constituencies?q=%25%25');
    expect(none.body).toContain('No constituencies match “%%”.');
  });

  it('refuses a bad sort or page with a 422 naming the problem', async () => {
    const res = await get('/constituencies?sort=size');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Sort must be name or marginality');
    expect((await get('/constituencies?page=0')).statusCode).toBe(422);
  });
});

describe('find your constituency', () => {
  it('redirects to the constituency for a postcode in any spacing and case', async () => {
    for (const typed of ['NW4 4BT', 'nw44bt', ' Nw4  4bT ']) {
      const res = await get(`/constituencies?postcode=${encodeURIComponent(typed)}`);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/constituencies/E14001279');
    }
  });

  const problems: Array<[string, number, string]> = [
    ['', 422, 'Enter your postcode'],
    ['NW4', 422, 'Enter a real UK postcode, like SW1A 1AA'],
    ['ZZ99 9ZZ', 404, 'We could not find the postcode ZZ99 9ZZ'],
    ['ab10 1aa', 404, 'AB10 1AA is no longer in use (terminated)'],
    ['JE2 4WD', 422, 'JE2 4WD is outside the UK (Channel Islands or Isle of Man)'],
    ['GY1 1AA', 422, 'GY1 1AA is outside the UK (Channel Islands or Isle of Man)'],
  ];
  for (const [typed, status, message] of problems) {
    it(`explains “${typed}” (${status}) in the error summary and beside the field, keeping the value`, async () => {
      const res = await get(`/constituencies?postcode=${encodeURIComponent(typed)}`);
      expect(res.statusCode).toBe(status);
      expect(res.body).toContain('<title>Error: Constituencies');
      expect(res.body).toMatch(new RegExp(`<a href="#field-postcode">${escape(message)}`));
      expect(res.body).toMatch(new RegExp(`<p class="error-message" id="field-postcode-error"><span class="visually-hidden">Error:</span> ${escape(message)}`));
      expect(res.body).toMatch(typed ? new RegExp(`name="postcode" type="text" value="${typed}"`) : /name="postcode" type="text" value autocomplete/);
      expect(res.body).toContain('aria-invalid="true"');
    });
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
