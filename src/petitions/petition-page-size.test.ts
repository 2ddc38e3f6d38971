import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { createPetition } from '../../test/support/public-petitions.ts';
import type { Db } from '../schema.ts';

/**
 * A petition in full flight over the whole of the UK: 650 constituencies with names, MPs and
 * hexes as long as real ones, every one with signatures, as the counter leaves them.
 */
const PLACES = ['Aberavon', 'Basingstoke', 'Carshalton', 'Dunfermline', 'Epping Forest', 'Folkestone', 'Gainsborough', 'Hartlepool', 'Inverclyde', 'Kensington'];
const JOINS = ['and', 'with', 'North and', 'South and', 'East and'];
const TAILS = ['Wallington', 'Hythe', 'West Fife', 'Bayswater', 'Malling', 'Deeside', 'Renfrewshire', 'Cheadle', 'Skye', 'Rye', 'Ross-shire', 'Chelsea', 'Tweeddale'];

interface Seat {
  code: string;
  name: string;
  count: number;
}

async function seedNation(db: Db): Promise<Seat[]> {
  const seats: Seat[] = Array.from({ length: 650 }, (_, i) => ({
    code: `E14${String(1000 + i).padStart(6, '0')}`,
    name: `${PLACES[i % PLACES.length]} ${JOINS[Math.floor(i / PLACES.length) % JOINS.length]} ${TAILS[i % TAILS.length]} ${Math.floor(i / 50) + 1}`,
    count: 50 + ((i * 37) % 9000),
  }));
  const codes = seats.map((s) => s.code);
  await sql`insert into constituencies (code, name, region_code, region_name, country_name)
    select code, name, 'E12000007', 'London', 'England' from unnest(${codes}::text[], ${seats.map((s) => s.name)}::text[]) as t(code, name)`.execute(db);
  await sql`insert into mps (constituency_code, name, party)
    select code, 'Dame Alexandra ' || initcap(name), 'Lab' from unnest(${codes}::text[], ${seats.map((s) => s.name)}::text[]) as t(code, name)`.execute(db);
  await sql`insert into constituency_hexes (constituency_code, name, q, r, region_code)
    select code, code, (ord - 1) % 26, -((ord - 1) / 26)::int, 'E12000007' from unnest(${codes}::text[]) with ordinality as t(code, ord)`.execute(db);
  await sql`insert into settings (key, value) values ('politics.hex_layout', '"odd-r"') on conflict (key) do nothing`.execute(db);
  return seats;
}

let t: TestApp;
let seats: Seat[];
let petition: { id: number; path: string };
beforeAll(async () => {
  t = await createTestApp();
  seats = await seedNation(t.ctx.db);
  petition = await createPetition(t.ctx.db, {
    action: 'Save our maternity unit from closure',
    background: 'The trust plans to close the maternity unit.\n\nMothers would travel 40 miles to give birth.',
  });
  const total = seats.reduce((sum, s) => sum + s.count, 0);
  await sql`insert into petition_counts (petition_id, dimension, key, count)
    select ${petition.id}, 'constituency', code, n from unnest(${seats.map((s) => s.code)}::text[], ${seats.map((s) => s.count)}::int[]) as t(code, n)`.execute(t.ctx.db);
  await sql`insert into petition_counts (petition_id, dimension, key, count) values
    (${petition.id}, 'country', 'GB', ${total}), (${petition.id}, 'country', 'FR', 812), (${petition.id}, 'region', 'E12000007', ${total})`.execute(t.ctx.db);
  await sql`update petitions set signature_count = ${total + 812}, counted_at = now() where id = ${petition.id}`.execute(t.ctx.db);
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity', ...headers } });

describe('the petition page with signatures in all 650 constituencies', () => {
  it('is at most 60 kB of HTML as served, uncompressed', async () => {
    const res = await get(petition.path);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.rawPayload.byteLength).toBeLessThanOrEqual(60_000);
  });

  it('keeps the ten constituencies with the most signatures, the map as an image, and a link to every constituency', async () => {
    const { body } = await get(petition.path);
    const top = [...seats].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)).slice(0, 10);
    const rows = [...body.matchAll(/<tr><th scope="row">([^<]+)<\/th><td>[^<]*<\/td><td class="numeric">([\d,]+)<\/td><\/tr>/g)];
    expect(rows.map((r) => [r[1], Number(r[2]!.replaceAll(',', ''))])).toEqual(top.map((s) => [s.name, s.count]));
    expect(body).toMatch(new RegExp(`<img class="hexmap__img" src="/petitions/${petition.id}/hexmap.svg" width="\\d+" height="\\d+" alt="Map of signatures by constituency: Save our maternity unit from closure\\. [^"]+650 constituencies have signatures[^"]+"`));
    expect(body).toContain(`<a href="${petition.path}/constituencies">Signatures in every constituency, region and country (650 constituencies)</a>`);
    expect(body).not.toContain('<svg');
  });
});

describe('the full table of where signatures come from', () => {
  it('lists every constituency with signatures, with its MP and count, largest first, and the regions and countries', async () => {
    const res = await get(`${petition.path}/constituencies`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');
    const table = /<caption class="table__caption">Signatures by constituency<\/caption>[\s\S]*?<\/table>/.exec(res.body)![0];
    const rows = [...table.matchAll(/<tr><th scope="row">([^<]+)<\/th><td>([^<]+)<\/td><td class="numeric">([\d,]+)<\/td><\/tr>/g)];
    const expected = [...seats].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
    expect(rows).toHaveLength(650);
    expect(rows.map((r) => [r[1], Number(r[3]!.replaceAll(',', ''))])).toEqual(expected.map((s) => [s.name, s.count]));
    expect(rows[0]![2]).toMatch(/^Dame Alexandra /);
    expect(res.body).toMatch(/<caption class="table__caption">Signatures by region<\/caption>[\s\S]*<th scope="row">London<\/th>/);
    expect(res.body).toMatch(/<caption class="table__caption">Signatures by country<\/caption>[\s\S]*<th scope="row">France<\/th><td class="numeric">812<\/td>/);
    expect(res.body).toContain(`<link rel="alternate" type="application/json" href="/petitions/${petition.id}.json"/>`);
    expect(res.body).toContain(`<a href="${petition.path}">Save our maternity unit from closure</a>`);
  });
});

describe('the map at its own address', () => {
  it('answers image/svg+xml with caching headers and an ETag, and 304 to a client holding it', async () => {
    const res = await get(`/petitions/${petition.id}/hexmap.svg`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=30, stale-while-revalidate=60');
    const etag = String(res.headers.etag);
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(res.body).toContain('<title id="hexmap-title">Map of signatures by constituency: Save our maternity unit from closure</title>');
    expect(res.body).toContain(`Every constituency’s figure is listed at http://chorus.test${petition.path}/constituencies.</desc>`);
    const hexes = [...res.body.matchAll(/data-code="([^"]+)" data-level="(\d)"><title>([^<]+)<\/title>/g)];
    expect(hexes).toHaveLength(650);
    const first = seats[0]!;
    expect(hexes.find((h) => h[1] === first.code)![3]).toBe(`${first.name}: ${first.count} signatures`);
    const again = await get(`/petitions/${petition.id}/hexmap.svg`, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('public, max-age=30, stale-while-revalidate=60');
    const compressed = await get(`/petitions/${petition.id}/hexmap.svg`, { 'accept-encoding': 'br' });
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.headers.etag).toBe(etag);
  });

  it('is not found for a petition the public cannot see', async () => {
    const draft = await createPetition(t.ctx.db, { state: 'draft' });
    expect((await get(`/petitions/${draft.id}/hexmap.svg`)).statusCode).toBe(404);
    expect((await get(`${draft.path}/constituencies`)).statusCode).toBe(404);
  });
});
