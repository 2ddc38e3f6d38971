import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { places, seedPlaces } from '../../test/support/public-petitions.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { toLondonInput } from '../supporters/index.ts';
import { boundingBox, findEvents, milesBetween } from './find-events.ts';
import { findEvent } from './store.ts';
import { eventsQ } from './tables.ts';
import { makeEvent, positioned, seedPositionedPostcodes } from './test-support.ts';

let t: TestApp;
let north: number;
let west: number;
const day = 86_400_000;
const at = (offsetDays: number) => {
  const start = new Date(Math.floor((Date.now() + offsetDays * day) / 3_600_000) * 3_600_000);
  return { starts_at: toLondonInput(start), ends_at: toLondonInput(new Date(start.getTime() + 2 * 3_600_000)) };
};

beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  await seedPositionedPostcodes(t.ctx.db);
  north = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
  west = await insertGroup(t.ctx.db, 'Bristol Keep Our NHS Public');
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });

describe('near me on /events', () => {
  it('lists events within the distance of a postcode, nearest first, with miles; the event page says how far from the postcode', async () => {
    const bath = await makeEvent(t, [west], { title: 'Bath rally for the RUH', type: 'rally', postcode: positioned.bath.postcode, ...at(2) });
    const clifton = await makeEvent(t, [west], { title: 'Clifton street stall', type: 'street_stall', postcode: positioned.clifton.postcode, ...at(9) });
    await makeEvent(t, [west], { title: 'Westminster lobby', postcode: positioned.london.postcode, ...at(3) });
    await makeEvent(t, [west], { title: 'Online training for stewards', type: 'online_meeting', postcode: '', online_url: 'https://meet.example.org/t', ...at(4) });

    const res = await get('/events?postcode=bs14dj&within=25');
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain('2 events within 25 miles of BS1 4DJ, nearest first');
    // Clifton (1.2 miles) before Bath (about 11 miles), though Bath comes sooner.
    expect(body.indexOf('Clifton street stall')).toBeGreaterThan(0);
    expect(body.indexOf('Clifton street stall')).toBeLessThan(body.indexOf('Bath rally for the RUH'));
    const cliftonMiles = milesBetween(positioned.centre, positioned.clifton);
    expect(cliftonMiles).toBeGreaterThan(1.1);
    expect(cliftonMiles).toBeLessThan(1.3);
    expect(body).toContain('1.2 miles from BS1 4DJ');
    expect(body).toContain('11 miles from BS1 4DJ');
    expect(body).not.toContain('Westminster lobby');
    expect(body).not.toContain('Online training for stewards');
    // The postcode typed is kept in the form; the link carries it to the event page.
    expect(body).toContain('value="bs14dj"');
    const cliftonPath = (await findEvent(t.ctx.db, clifton))!.path;
    expect(body).toContain(`href="${cliftonPath}?from=BS1%204DJ"`);

    const page = await get(`${cliftonPath}?from=BS1%204DJ`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('1.2 miles from BS1 4DJ');
    // Without the postcode, or with one that cannot be found, the page just has no distance.
    expect((await get(cliftonPath)).body).not.toContain('miles from');
    expect((await get(`${cliftonPath}?from=ZZ9%209ZZ`)).statusCode).toBe(200);
    // An old address with the postcode keeps it through the redirect.
    const moved = await get(`/events/${clifton}?from=BS1%204DJ`);
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(`${cliftonPath}?from=BS1%204DJ`);

    // Within 5 miles only Clifton; London (106 miles) is beyond even 100 miles.
    expect((await get('/events?postcode=BS1+4DJ&within=5')).body).toContain('1 event within 5 miles of BS1 4DJ');
    const wide = (await get('/events?postcode=BS1+4DJ&within=100')).body;
    expect(wide).toContain('2 events within 100 miles of BS1 4DJ');
    expect(wide).not.toContain('Westminster lobby');
    expect(milesBetween(positioned.centre, positioned.london)).toBeGreaterThan(100);
    expect(bath).toBeGreaterThan(0);
  });

  it('names the postcode field when the postcode cannot be found, keeping every value typed', async () => {
    for (const [postcode, message] of [
      ['ZZ9 9ZZ', 'We could not find the postcode ZZ9 9ZZ'],
      ['not a postcode', 'Enter a real UK postcode'],
      [places.terminated, 'no longer in use'],
      [positioned.nowhere.postcode, 'We do not know where BS2 0ZZ is on the map'],
      ['x'.repeat(40), 'Enter a UK postcode, like BS1 4DJ'],
    ]) {
      const res = await get(`/events?q=stall&type=street_stall&free=yes&within=10&postcode=${encodeURIComponent(postcode!)}`);
      expect(res.statusCode, postcode).toBe(422);
      expect(res.body).toContain('href="#field-postcode"');
      expect(res.body).toContain(message);
      expect(res.body).toContain('<title>Error: Events');
      expect(res.body).toContain('value="stall"');
      expect(res.body).toMatch(/<option value="street_stall" selected/);
      expect(res.body).toMatch(/<option value="10" selected/);
      expect(res.body).toMatch(/name="free"[^>]*checked/);
    }
    const long = await get(`/events?q=${'a'.repeat(201)}`);
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('href="#field-q"');
  });

  it('keeps to a bounding box the events_position index can serve, and finds exactly what a full scan finds among thousands of events', async () => {
    // 3,000 events over Great Britain, straight into the table (positions only matter here).
    const group = await insertGroup(t.ctx.db, 'Many events group');
    await sql`
      insert into events (slug, title, description, type, state, starts_at, ends_at, postcode, latitude, longitude, published_at)
      select 'spread', 'Spread event ' || n, 'x', 'street_stall', 'published', now() + interval '5 days', now() + interval '5 days 2 hours', 'BS1 4DJ',
        50.0 + (n % 97) * 0.08, -5.5 + (n % 89) * 0.08, now()
      from generate_series(1, 3000) as n`.execute(t.ctx.db);
    await sql`insert into event_groups (event_id, group_id) select id, ${group} from events where slug = 'spread'`.execute(t.ctx.db);
    await sql`insert into ticket_tiers (event_id, position, name, price_pence) select id, 1, 'Free', 0 from events where slug = 'spread'`.execute(t.ctx.db);
    await sql`analyze events`.execute(t.ctx.db);

    const centre = positioned.centre;
    const found = await findEvents(eventsQ(t.ctx.db), { near: { ...centre, miles: 25 }, groupId: group }, { page: 1, perPage: 500 });
    const all = await t.ctx.db.selectFrom('events').select(['id', 'latitude', 'longitude']).where('slug', '=', 'spread').execute();
    const expected = all
      .map((e) => ({ id: e.id, miles: milesBetween(centre, { latitude: e.latitude!, longitude: e.longitude! }) }))
      .filter((e) => e.miles <= 25)
      .sort((a, b) => a.miles - b.miles || a.id - b.id);
    expect(expected.length).toBeGreaterThan(10);
    expect(found.total).toBe(expected.length);
    expect(found.events.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    for (const e of expected) expect(found.miles.get(e.id)).toBeCloseTo(e.miles, 6);

    // The box holds the circle, and the planner can answer it from the index.
    const box = boundingBox(centre, 25);
    expect(milesBetween(centre, { latitude: box.north, longitude: centre.longitude })).toBeGreaterThanOrEqual(25);
    expect(milesBetween(centre, { latitude: centre.latitude, longitude: box.east })).toBeGreaterThanOrEqual(25);
    const plan = await t.ctx.db.connection().execute(async (db) => {
      await sql`set enable_seqscan = off`.execute(db);
      const rows = await sql<{ 'QUERY PLAN': string }>`explain select id from events where state in ('published', 'cancelled') and latitude is not null and longitude is not null
        and latitude between ${box.south} and ${box.north} and longitude between ${box.west} and ${box.east}`.execute(db);
      await sql`reset enable_seqscan`.execute(db);
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('events_position');
    await sql`delete from events where slug = 'spread'`.execute(t.ctx.db);
  });
});

describe('filters and search on /events', () => {
  it('narrows by type, group, region, online or in person, free, and words; unknown choices are ignored', async () => {
    await makeEvent(t, [north], { title: 'Northtown maternity meeting', type: 'public_meeting', ...at(5) });
    await makeEvent(t, [west], { title: 'Bristol rally for the BRI', type: 'rally', postcode: positioned.centre.postcode, tier_1_name: 'Waged', tier_1_price: '3', ...at(6) });
    await makeEvent(t, [north], { title: 'Stewards zoom call', type: 'online_meeting', postcode: '', venue_name: '', address: '', online_url: 'https://meet.example.org/z', ...at(7) });

    const northSlug = (await t.ctx.db.selectFrom('groups').select('slug').where('id', '=', north).executeTakeFirstOrThrow()).slug;
    const titles = async (query: string) => {
      const res = await get(`/events?${query}`);
      expect(res.statusCode, query).toBe(200);
      return ['Northtown maternity meeting', 'Bristol rally for the BRI', 'Stewards zoom call'].filter((title) => res.body.includes(title));
    };
    expect(await titles('')).toEqual(['Northtown maternity meeting', 'Bristol rally for the BRI', 'Stewards zoom call']);
    expect(await titles('type=rally')).toEqual(['Bristol rally for the BRI']);
    expect(await titles(`group=${northSlug}`)).toEqual(['Northtown maternity meeting', 'Stewards zoom call']);
    expect(await titles(`region=${places.north.region}`)).toEqual(['Northtown maternity meeting']);
    expect(await titles('mode=online')).toEqual(['Stewards zoom call']);
    expect(await titles('mode=in_person')).toEqual(['Northtown maternity meeting', 'Bristol rally for the BRI']);
    expect(await titles('free=yes')).toEqual(['Northtown maternity meeting', 'Stewards zoom call']);
    // Words: stems match ("rallies" finds a rally), and part of a title or venue does too.
    expect(await titles('q=rallies')).toEqual(['Bristol rally for the BRI']);
    expect(await titles('q=matern')).toEqual(['Northtown maternity meeting']);
    expect(await titles('q=Town+Hall')).toEqual(['Northtown maternity meeting', 'Bristol rally for the BRI']);
    expect(await titles('q=100%25')).toEqual([]);
    expect(await titles('q=%22unmatched+quote&type=rally')).toEqual([]);
    expect(await titles(`q=zoom&mode=online&group=${northSlug}&free=yes`)).toEqual(['Stewards zoom call']);
    // Choices that do not exist are ignored rather than refused.
    expect(await titles('type=party&group=no-such-group&region=X99&mode=by-post&within=7&page=-3').then((r) => r.length)).toBe(3);
    const res = await get(`/events?type=rally&free=yes&group=${northSlug}`);
    expect(res.body).toContain('No upcoming events match');
    expect(res.body).toMatch(/<details class="event-find__more" open/);
  });
});
