import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { toLondonInput } from '../../supporters/index.ts';
import { changeEventState } from '../change-event-state.ts';
import { eventFormSchema } from '../event-form.ts';
import { updateEvent } from '../save-event.ts';
import { findEvent } from '../store.ts';
import { eventFields, fixtureAdmin, makeEvent } from '../test-support.ts';
import { calendarClient, children, readCalendar, readXml, textOf } from './test-support.ts';

let t: TestApp;
let north: number;
let south: number;
let northSlug: string;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  north = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
  south = await insertGroup(t.ctx.db, 'Southvale Keep Our NHS Public');
  northSlug = (await t.ctx.db.selectFrom('groups').select('slug').where('id', '=', north).executeTakeFirstOrThrow()).slug;
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const uidOf = (id: number) => `event-${id}@chorus.test`;
const day = 86_400_000;
const hour = 3_600_000;
const startIn = (days: number) => new Date(Math.floor((Date.now() + days * day) / hour) * hour);
const timing = (start: Date, hours = 2) => ({ starts_at: toLondonInput(start), ends_at: toLondonInput(new Date(start.getTime() + hours * hour)) });

async function edit(id: number, overrides: Record<string, string>) {
  const event = (await findEvent(t.ctx.db, id))!;
  const input = eventFormSchema.parse(eventFields(event.groups.map((g) => g.id), { ...timing(event.startsAt), title: event.title, type: event.type, ...overrides }));
  await t.ctx.db.transaction().execute(async (tx) => updateEvent(tx, await fixtureAdmin(t), id, input));
}

describe('the iCalendar feeds', () => {
  it('/events.ics carries every public event, cancelled ones marked CANCELLED, with stable UIDs, DTSTAMP, SEQUENCE and UTC times; never a draft', async () => {
    const start = startIn(10);
    const rally = await makeEvent(t, [north], { title: 'Rally, march; and “speeches”', type: 'rally', ...timing(start) });
    const cancelled = await makeEvent(t, [south], { title: 'Called-off stall', type: 'street_stall', postcode: places.south.postcode });
    await t.ctx.db.transaction().execute(async (tx) => changeEventState(tx, await fixtureAdmin(t), cancelled, 'cancel'));
    const draft = await makeEvent(t, [north], { title: 'Draft idea' }, false);

    const res = await get('/events.ics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const cal = readCalendar(res.body);
    expect(cal.method).toBe('PUBLISH');
    expect(cal.name).toBe('Chorus events');
    const byUid = new Map(cal.events.map((e) => [e.uid, e]));
    expect(byUid.has(uidOf(draft))).toBe(false);

    const r = byUid.get(uidOf(rally))!;
    const stored = (await findEvent(t.ctx.db, rally))!;
    expect(r.summary).toBe('Rally, march; and “speeches”');
    expect(r.sequence).toBe(stored.sequence);
    expect(r.stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(r.status).toBe('CONFIRMED');
    expect(r.start.zone?.tzid).toBe('UTC');
    expect(r.start.toJSDate().toISOString()).toBe(start.toISOString());
    expect(r.end.toJSDate().toISOString()).toBe(new Date(start.getTime() + 2 * hour).toISOString());
    expect(res.body).toMatch(new RegExp(`DTSTART:${start.toISOString().replace(/[-:]/g, '').replace(/\.000Z$/, 'Z')}\r\n`));

    const c = byUid.get(uidOf(cancelled))!;
    expect(c.status).toBe('CANCELLED');
    expect(c.sequence).toBe((await findEvent(t.ctx.db, cancelled))!.sequence);

    // The same UID in the event's own file, and the feed answers again from its kept text.
    const own = readCalendar((await get(`/events/${rally}.ics`)).body);
    expect(own.events.map((e) => e.uid)).toEqual([uidOf(rally)]);
    const again = await get('/events.ics', { 'if-none-match': String(res.headers.etag) });
    expect(again.statusCode).toBe(304);
  });

  it('a changed event replaces the old one in a calendar client: same UID, higher SEQUENCE, the new time and place', async () => {
    const start = startIn(20);
    const id = await makeEvent(t, [north], { title: 'Public meeting on maternity', ...timing(start), venue_name: 'Old Hall' });
    const client = calendarClient();
    client.read((await get('/events.ics')).body);
    client.read((await get(`/events/${id}.ics`)).body);
    const before = client.get(uidOf(id))!;
    expect(before.event.location).toContain('Old Hall');

    const moved = new Date(start.getTime() + 3 * hour);
    await edit(id, { ...timing(moved), venue_name: 'Carrs Lane Conference Centre' });
    const feedAfter = readCalendar((await get('/events.ics')).body).events.find((e) => e.uid === uidOf(id))!;
    const fileAfter = readCalendar((await get(`/events/${id}.ics`)).body).events[0]!;
    for (const after of [feedAfter, fileAfter]) {
      expect(after.uid).toBe(before.uid);
      expect(after.sequence).toBeGreaterThan(before.sequence);
    }
    client.read((await get('/events.ics')).body);
    const sizeBefore = client.size();
    client.read((await get(`/events/${id}.ics`)).body);
    expect(client.size()).toBe(sizeBefore);
    const now = client.get(uidOf(id))!;
    expect(now.start.toJSDate().toISOString()).toBe(moved.toISOString());
    expect(now.event.location).toContain('Carrs Lane Conference Centre');

    await t.ctx.db.transaction().execute(async (tx) => changeEventState(tx, await fixtureAdmin(t), id, 'cancel'));
    client.read((await get(`/events/${id}.ics`)).body);
    expect(client.get(uidOf(id))!.status).toBe('CANCELLED');
    expect(client.get(uidOf(id))!.sequence).toBeGreaterThan(now.sequence);
  });

  it('a group’s feed has its events only, a type’s and a region’s theirs; filters combine', async () => {
    const ours = await makeEvent(t, [north], { title: 'North training', type: 'training' });
    const theirs = await makeEvent(t, [south], { title: 'South training', type: 'training', postcode: places.south.postcode });
    const rally = await makeEvent(t, [south], { title: 'South rally', type: 'rally', postcode: places.west.postcode });
    const uids = async (url: string) => {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      return readCalendar(res.body).events.map((e) => e.uid);
    };

    const group = await uids(`/groups/${northSlug}/events.ics`);
    expect(group).toContain(uidOf(ours));
    expect(group).not.toContain(uidOf(theirs));
    expect(readCalendar((await get(`/groups/${northSlug}/events.ics`)).body).name).toBe('Chorus events: from Northtown Save Our NHS');

    const training = await uids('/events.ics?type=training');
    expect(training).toEqual(expect.arrayContaining([uidOf(ours), uidOf(theirs)]));
    expect(training).not.toContain(uidOf(rally));
    expect(await uids('/events.ics?type=public-meeting')).not.toContain(uidOf(ours));

    const southEast = await uids('/events.ics?region=south-east');
    expect(southEast).toEqual(expect.arrayContaining([uidOf(theirs), uidOf(rally)]));
    expect(southEast).not.toContain(uidOf(ours));
    expect(await uids(`/events.ics?region=${places.south.region}`)).toEqual(southEast);
    expect(await uids('/events.ics?region=south-east&type=rally')).toEqual([uidOf(rally)]);
    expect(await uids(`/events.ics?group=${northSlug}&type=training`)).toEqual([uidOf(ours)]);
  });

  it('cannot ask for a type, region or group that does not exist: a 4xx naming the parameter, never a 500', async () => {
    for (const [url, field] of [
      ['/events.ics?type=picnic', 'type'],
      ['/events.ics?type=rally&type=march', 'type'],
      ['/events.ics?region=atlantis', 'region'],
      ['/events.rss?region=atlantis', 'region'],
      ['/events.json?group=nobody-at-all', 'group'],
      ['/events.json?page=99999', 'page'],
    ] as const) {
      const res = await get(url, { accept: 'application/json' });
      expect(res.statusCode, url).toBe(400);
      expect(res.body, url).toContain(field);
    }
    for (const url of ['/groups/no-such-group/events.ics', '/groups/BAD_SLUG/events.ics', '/events/999999999.ics', '/events/abc.ics', '/events/999999999.json']) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
    const draft = await makeEvent(t, [north], {}, false);
    expect((await get(`/events/${draft}.ics`)).statusCode).toBe(404);
    expect((await get(`/events/${draft}.json`)).statusCode).toBe(404);
  });
});

describe('the RSS feed of new events', () => {
  it('is well-formed RSS 2.0, newest first, whatever the titles hold', async () => {
    const older = await makeEvent(t, [north], { title: 'Older & wiser <meeting>', type: 'public_meeting' });
    // A lone surrogate is stored as U+FFFD (PostgreSQL keeps UTF-8); the bell is dropped from the XML.
    const odd = await makeEvent(t, [north], { title: 'Bell\u0007 and “quotes” \'single\' ]]> \ud800 end', type: 'march' });
    await t.ctx.db.updateTable('events').set({ published_at: new Date(Date.now() - day) }).where('id', '=', older).execute();

    const res = await get('/events.rss');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const doc = readXml(res.body);
    const [root] = children(doc, 'rss');
    expect(root!.attribs.version).toBe('2.0');
    const [channel] = children(root!, 'channel');
    expect(textOf(children(channel!, 'title')[0])).toBe('Chorus events: new events');
    expect(children(channel!, 'atom:link')[0]!.attribs.href).toBe('http://chorus.test/events.rss');
    const items = children(channel!, 'item');
    const titles = items.map((i) => textOf(children(i, 'title')[0]));
    expect(titles).toContain('Older & wiser <meeting>');
    expect(titles).toContain('Bell and “quotes” \'single\' ]]> \ufffd end');
    expect(titles.indexOf('Bell and “quotes” \'single\' ]]> \ufffd end')).toBeLessThan(titles.indexOf('Older & wiser <meeting>'));
    const item = items.find((i) => textOf(children(i, 'title')[0]) === 'Older & wiser <meeting>')!;
    const event = (await findEvent(t.ctx.db, older))!;
    expect(textOf(children(item, 'link')[0])).toBe(`http://chorus.test${event.path}`);
    expect(textOf(children(item, 'guid')[0])).toBe(`http://chorus.test${event.path}`);
    expect(new Date(textOf(children(item, 'pubDate')[0])).getTime()).toBe(Math.floor(event.publishedAt!.getTime() / 1000) * 1000);
    expect(textOf(children(item, 'description')[0])).toContain('(UK time)');
    expect(children(item, 'category').map((c) => textOf(c))).toContain('Public meeting');
    expect(odd).toBeGreaterThan(older);

    const marches = readXml((await get('/events.rss?type=march')).body);
    const marchTitles = children(children(children(marches, 'rss')[0]!, 'channel')[0]!, 'item').map((i) => textOf(children(i, 'title')[0]));
    expect(marchTitles).toContain('Bell and “quotes” \'single\' ]]> \ufffd end');
    expect(marchTitles).not.toContain('Older & wiser <meeting>');
  });
});

describe('the JSON list', () => {
  it('is in the petitions JSON style: links, meta and data with type, id, links and attributes', async () => {
    const id = await makeEvent(t, [south], {
      title: 'Conference on care',
      type: 'conference',
      postcode: places.south.postcode,
      tier_1_name: 'Waged',
      tier_1_price: '10',
      tier_2_name: 'Unwaged',
      tier_2_price: '5',
      capacity: '120',
    });
    const res = await get('/events.json?type=conference');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const body = res.json();
    expect(body.meta).toEqual({ total: 1, page: 1, total_pages: 1 });
    expect(body.links).toEqual({
      self: 'http://chorus.test/events.json?type=conference&page=1',
      first: 'http://chorus.test/events.json?type=conference&page=1',
      last: 'http://chorus.test/events.json?type=conference&page=1',
      next: null,
      prev: null,
    });
    const event = (await findEvent(t.ctx.db, id))!;
    expect(body.data).toEqual([
      {
        type: 'event',
        id,
        links: { self: `http://chorus.test/events/${id}.json`, html: `http://chorus.test${event.path}`, ics: `http://chorus.test/events/${id}.ics` },
        attributes: expect.objectContaining({
          title: 'Conference on care',
          type: 'conference',
          state: 'published',
          status: 'upcoming',
          starts_at: event.startsAt.toISOString(),
          ends_at: event.endsAt.toISOString(),
          repeat_rule: null,
          region: { name: places.south.regionName, gss_code: places.south.region },
          constituency: { name: places.south.name, ons_code: places.south.code },
          tickets: [
            { name: 'Waged', price_pence: 1000, price: '10.00', currency: 'GBP', places_left: 120 },
            { name: 'Unwaged', price_pence: 500, price: '5.00', currency: 'GBP', places_left: 120 },
          ],
          places_left: 120,
          groups: [expect.objectContaining({ name: 'Southvale Keep Our NHS Public' })],
        }),
      },
    ]);
    const one = (await get(`/events/${id}.json`)).json();
    expect(one.links.self).toBe(`http://chorus.test/events/${id}.json`);
    expect(one.data.attributes.title).toBe('Conference on care');

    const paged = (await get('/events.json?count=1&page=2')).json();
    expect(paged.data).toHaveLength(1);
    expect(paged.meta.page).toBe(2);
    expect(paged.links.prev).toBe('http://chorus.test/events.json?count=1&page=1');
    expect(paged.links.next).toBe(paged.meta.total_pages > 2 ? 'http://chorus.test/events.json?count=1&page=3' : null);
  });
});

describe('subscribe links', () => {
  it('the calendar, each event page and a group’s page link webcal:// feeds that parse; a group with no events offers none', async () => {
    const id = await makeEvent(t, [north], { title: 'Stall outside the library', type: 'street_stall' });
    const event = (await findEvent(t.ctx.db, id))!;
    const quiet = await insertGroup(t.ctx.db, 'Quiet Group');
    const quietSlug = (await t.ctx.db.selectFrom('groups').select('slug').where('id', '=', quiet).executeTakeFirstOrThrow()).slug;
    const pages: Array<[string, string]> = [
      ['/events', 'webcal://chorus.test/events.ics'],
      [event.path, `webcal://chorus.test/events/${id}.ics`],
      [`/groups/${northSlug}`, `webcal://chorus.test/groups/${northSlug}/events.ics`],
    ];
    for (const [page, webcal] of pages) {
      const res = await get(page);
      expect(res.statusCode, page).toBe(200);
      expect(res.body, page).toContain(`href="${webcal}"`);
      const feed = await get(webcal.replace('webcal://chorus.test', ''));
      expect(readCalendar(feed.body).events.map((e) => e.uid), page).toContain(uidOf(id));
    }
    expect((await get('/events')).body).toContain('<link rel="alternate" type="application/rss+xml" title="New events (RSS)" href="/events.rss"/>');
    const quietPage = await get(`/groups/${quietSlug}`);
    expect(quietPage.statusCode).toBe(200);
    expect(quietPage.body).not.toContain('webcal://');
  });

  it('the calendar filtered by type, region and group links the feed of those same events', async () => {
    const stall = await makeEvent(t, [north], { title: 'Filtered stall', type: 'street_stall' });
    const rally = await makeEvent(t, [north], { title: 'Unfiltered rally', type: 'rally' });
    const region = (await findEvent(t.ctx.db, stall))!.region!.code;
    const page = await get(`/events?type=street_stall&region=${region}&group=${northSlug}&q=stall`);
    expect(page.statusCode).toBe(200);
    const query = `?type=street_stall&amp;region=${region}&amp;group=${northSlug}`;
    expect(page.body).toContain(`href="webcal://chorus.test/events.ics${query}"`);
    expect(page.body).toContain(`href="/events.rss${query}"`);
    const feed = readCalendar((await get(`/events.ics${query.replaceAll('&amp;', '&')}`)).body).events.map((e) => e.uid);
    expect(feed).toContain(uidOf(stall));
    expect(feed).not.toContain(uidOf(rally));
    // A choice the calendar does not know is left out of the link, never passed on to fail there.
    expect((await get('/events?type=nonsense')).body).toContain('href="webcal://chorus.test/events.ics"');
  });
});
