import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { storyCountsByConstituency, storytellersReadyNear } from '../../stories/index.ts';
import { hustingsIn, SECRET_EMAIL, SECRET_NAME, seedResults, signaturesIn, storyIn, storytellerIn, supportersIn } from './test-support.ts';

let t: TestApp;
let ours: number;
let theirs: number;
let coalitionList: number;
let ourList: number;
let readyInSouth: string;
let readyInWest: string;
let southHustings: number;
let northHustings: number;

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const idFrom = (location: unknown) => Number(/\/admin\/targets\/(\d+)/.exec(String(location))![1]);

beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  await seedResults(t);
  ours = await insertGroup(t.ctx.db, 'Southvale Save Our NHS');
  theirs = await insertGroup(t.ctx.db, 'Westbury Health Campaign');
  const { agent: admin } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
  await admin.get('/admin/targets/new');
  const made = await admin.post('/admin/targets/new', { name: 'Marginals on the map', description: '', group: '', max_majority: '5' });
  expect(made.statusCode, made.body).toBe(303);
  coalitionList = idFrom(made.headers.location);
  const { agent: owner } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
  await owner.get('/admin/targets/new');
  const own = await owner.post('/admin/targets/new', { name: 'Southvale group targets', description: '', group: String(ours), max_majority: '', regions: places.south.region });
  expect(own.statusCode, own.body).toBe(303);
  ourList = idFrom(own.headers.location);

  // Southvale: 5 signatures this week and 3 older; 2 new supporters and 1 older; stories of every kind; a storyteller ready.
  await signaturesIn(t, places.south, 5);
  await signaturesIn(t, places.south, 3, 10);
  await signaturesIn(t, places.north, 2, 20);
  await supportersIn(t, places.south.code, 2);
  await supportersIn(t, places.south.code, 1, 20);
  await storyIn(t, places.south, 'ready');
  await storyIn(t, places.south, 'ready', 30);
  await storyIn(t, places.south, 'published');
  await storyIn(t, places.south, 'flagged');
  await storyIn(t, places.south, 'withdrawn');
  readyInSouth = await storytellerIn(t, places.south, ours, 'ready', { topic: 'A&E waits' });
  readyInWest = await storytellerIn(t, places.west, theirs, 'spoke', { ageDays: 40, topic: 'Maternity' });
  await storytellerIn(t, places.north, ours, 'recruited');
  southHustings = await hustingsIn(t, places.south, ours);
  northHustings = await hustingsIn(t, places.north, ours);
  // Letters to Southvale's MP: one sent this week; two sent weeks ago, replied to (one reply told of this week).
  const campaign = await t.ctx.db
    .insertInto('letter_campaigns')
    .values({ title: 'Save our A&E', about: 'The A&E closure', talking_points: 'Waits', deadline: '2030-01-01', group_id: ours, target: 'own_mp', chosen_seats: [] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
  const letter = (delivered: number, reply?: { answered: number; days: number }) => ({
    campaign_id: campaign.id,
    mp_seat_code: places.south.code,
    mp_name: 'Sam Southvale',
    delivery: 'email' as const,
    state: 'ready' as const,
    minhash: [],
    bands: [],
    delivered_at: daysAgo(delivered),
    ...(reply ? { answered_at: daysAgo(reply.answered), got_reply: true, reply_days: reply.days } : {}),
  });
  await t.ctx.db.insertInto('letters').values([letter(2), letter(20, { answered: 10, days: 5 }), letter(20, { answered: 3, days: 15 })]).execute();
});
afterAll(() => t.close());

describe('stories per seat', () => {
  it('counts ready (consented, not flagged, not published), published and ready storytellers, now and in the last week, from open columns only', async () => {
    const all = new Map((await storyCountsByConstituency(t.ctx.db)).map((r) => [r.constituencyCode, r]));
    expect(all.get(places.south.code)).toEqual({ constituencyCode: places.south.code, storiesReady: 2, storiesPublished: 1, storytellersReady: 1 });
    expect(all.get(places.west.code)).toEqual({ constituencyCode: places.west.code, storiesReady: 0, storiesPublished: 0, storytellersReady: 1 });
    expect(all.get(places.north.code)).toBeUndefined();
    const week = new Map((await storyCountsByConstituency(t.ctx.db, { since: new Date(Date.now() - 7 * 86_400_000) })).map((r) => [r.constituencyCode, r]));
    expect(week.get(places.south.code)).toEqual({ constituencyCode: places.south.code, storiesReady: 1, storiesPublished: 1, storytellersReady: 1 });
    expect(week.get(places.west.code)?.storytellersReady ?? 0).toBe(0);
  });

  it('finds storytellers ready in the seat, else in its region, within what the viewer may see', async () => {
    const admin = { id: 1, name: 'Admin', email: 'a@example.org', role: 'admin' as const };
    const near = await storytellersReadyNear(t.ctx.db, { constituencyCodes: [places.south.code, places.west.code, places.north.code], viewer: admin });
    expect(near.map((n) => [n.constituencyCode, n.near, n.storytellers.map((s) => s.publicId)])).toEqual([
      [places.south.code, 'constituency', [readyInSouth]],
      [places.west.code, 'constituency', [readyInWest]],
      [places.north.code, 'none', []],
    ]);
    expect(near[0]!.storytellers[0]).toMatchObject({ path: `/admin/storytellers/${readyInSouth}`, stageLabel: 'Ready to speak', topics: ['A&E waits'] });
    const { id } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [theirs] });
    const other = { id, name: 'Other', email: 'o@example.org', role: 'organiser' as const };
    const theirsNear = await storytellersReadyNear(t.ctx.db, { constituencyCodes: [places.south.code], viewer: other });
    expect(theirsNear).toEqual([{ constituencyCode: places.south.code, near: 'region', storytellers: [expect.objectContaining({ publicId: readyInWest })] }]);
  });
});

describe('the seat page', () => {
  it('shows stories and storytellers beside the other figures, and what each gained in the last 7 days', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
    const page = await agent.get(`/admin/seats/${places.south.code}`);
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain('Signatures 8');
    expect(body).toContain('Supporters 3, of whom 0 agreed to hear from us');
    expect(body).toContain('Stories 2 ready to use, 1 published');
    expect(body).toContain('Storytellers 1 ready to speak');
    expect(body).toMatch(/Events 1, 1 still to come, 0 bookings/);
    expect(body).toContain('Letters to the MP 3 sent, 2 replies (as writers told us)');
    expect(body).toMatch(/How the MP answers letters .*MP Seat Letters Replies Median days to reply Sam Southvale Southvale 3 2 10 /);
    expect(body).toContain('What changed in the last 7 days');
    for (const line of ['+5 signatures this week', '+2 supporters this week', '+1 story ready to use this week', '+1 published story this week', '+1 storyteller ready to speak this week', '+1 event this week', 'No new bookings this week', '+1 letter sent to the MP this week', '+1 reply from the MP this week']) expect(body).toContain(line);
    expect(body).not.toContain(SECRET_NAME);
    const north = text((await agent.get(`/admin/seats/${places.north.code}`)).body);
    expect(north).toContain('Signatures 2');
    expect(north).toContain('No new signatures this week');
    expect(north).toContain('Letters to the MP 0 sent, 0 replies');
    expect(north).toContain('No letters delivered yet.');
  });
});

describe('the map', () => {
  it('draws every seat as a hex with a title, desc and role img, shaded by the figure, with the list’s seats outlined', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const res = await agent.get(`/admin/targets/${coalitionList}/map.svg?figure=storiesReady`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
    const svg = res.body;
    expect(svg).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="hexmap-title hexmap-desc"/);
    expect(svg).toContain('<title id="hexmap-title">Map of stories ready to use by constituency: Marginals on the map</title>');
    expect(svg).toMatch(/<desc id="hexmap-desc">[^<]*The 2 seats of the list are outlined/);
    for (const p of [places.north, places.south, places.west]) expect(svg).toContain(`data-code="${p.code}"`);
    expect([...svg.matchAll(/data-outline="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual([places.north.code, places.south.code]);
    expect(svg).toContain(`<title>Southvale: 2 stories ready to use (on the list)</title>`);
    expect(svg).toContain(`<title>Westbury: 0 stories ready to use</title>`);
    expect(svg).toMatch(new RegExp(`data-code="${places.south.code}" data-level="[1-5]"`));
    // The all-seats map outlines nothing until a list is chosen.
    const plain = (await agent.get('/admin/map.svg?figure=signatures')).body;
    expect(plain).not.toContain('data-outline=');
    expect((await agent.get(`/admin/map.svg?list=${coalitionList}`)).body).toContain(`data-outline="${places.south.code}"`);
  });

  it('gives the table alternative, ordered by any column, each seat linking to its page, and the figure chooser works as a GET form', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
    const page = await agent.get(`/admin/targets/${coalitionList}/map?figure=signatures`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<form action="\/admin\/targets\/\d+\/map" method="get"/);
    expect(page.body).toContain(`src="/admin/targets/${coalitionList}/map.svg?figure=signatures"`);
    expect(page.body).toContain(`href="/admin/seats/${places.south.code}" aria-label="Southvale: 8 signatures (on the list)"`);
    expect(page.body).toContain('Outlined: on the list (2)');
    const rows = [...page.body.matchAll(/<tr><th scope="row"><a href="\/admin\/seats\/([^"]+)">/g)].map((m) => m[1]);
    expect(rows).toEqual([places.south.code, places.north.code]);
    expect(text(page.body)).toContain('Southvale Ben South (Independent) 1,200 (3.0%) 2 8 Northtown Ada North (Independent) 400 (1.0%) 1 2');
    const byName = await agent.get(`/admin/targets/${coalitionList}/map?figure=signatures&sort=seat&dir=desc`);
    expect([...byName.body.matchAll(/<tr><th scope="row"><a href="\/admin\/seats\/([^"]+)">/g)].map((m) => m[1])).toEqual([places.south.code, places.north.code]);
    expect(byName.body).toMatch(/aria-sort="descending"><a href="[^"]*sort=seat&amp;dir=asc/);
    const everySeat = await agent.get(`/admin/map?figure=storytellersReady&list=${coalitionList}`);
    expect([...everySeat.body.matchAll(/<tr><th scope="row"><a href="\/admin\/seats\/([^"]+)">/g)].map((m) => m[1])).toEqual([places.south.code, places.west.code, places.north.code]);
    expect(everySeat.body).toContain('<th scope="col">On the list</th>');
    expect(everySeat.body).toMatch(/<option value="\d+" selected>Marginals on the map<\/option>/);
  });

  it('exports every figure of the list’s seats (and of every seat) as a streamed CSV', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const res = await agent.get(`/admin/targets/${coalitionList}/map.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe(
      'Code,Seat,Region,MP,MP party,2024 majority,Majority share of valid votes,Marginality rank,On the list,Signatures,Supporters,Supporters who agreed to hear from us,Stories ready to use (not published),Published stories,Storytellers ready to speak,Events,Events still to come,Bookings,Letters sent to the MP,Replies from the MP (writers told us)',
    );
    expect(lines.slice(1).sort()).toEqual([`${places.north.code},Northtown,North East,Ada North,Independent,400,0.0100,1,yes,2,0,0,0,0,0,1,1,0,0,0`, `${places.south.code},Southvale,South East,Ben South,Independent,1200,0.0300,2,yes,8,3,0,2,1,1,1,1,0,3,2`]);
    const all = (await agent.get(`/admin/map.csv?list=${coalitionList}`)).body.trim().split('\n');
    expect(all).toHaveLength(4);
    expect(all.find((l) => l.startsWith(places.west.code))).toContain(',no,0,0,0,0,0,1,0,0,0,0,0');
  });

  it('the public map shows only public totals: no admin-only figure, no list, no personal data', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/map' });
    expect(page.statusCode).toBe(200);
    const options = [...page.body.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
    expect(options).toEqual(['signatures', 'supporters', 'storiesPublished', 'events', 'lettersSent']);
    expect(page.body).toContain(`href="/constituencies/${places.south.code}" aria-label="Southvale: 8 signatures"`);
    expect(page.body).toMatch(/<a [^>]*href="\/map"[^>]*>Map<\/a>/);
    for (const figure of ['storiesReady', 'storytellersReady', 'supportersWithConsent', 'bookings', 'upcomingEvents', 'mpReplies']) {
      for (const url of [`/map?figure=${figure}`, `/map.svg?figure=${figure}`]) {
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        // An admin-only figure is not there: the map falls back to signatures.
        expect(res.body, url).toContain('signatures');
        for (const secret of ['ready to use', 'ready to speak', 'agreed to hear', 'Bookings', 'still to come', 'on the list', 'Marginals on the map', 'Southvale group targets', SECRET_NAME, SECRET_EMAIL, '/admin/']) expect(res.body, `${url} ${secret}`).not.toContain(secret);
      }
    }
    const published = await t.app.inject({ method: 'GET', url: '/map?figure=storiesPublished' });
    expect(text(published.body)).toMatch(/Southvale Ben South \(Independent\) 1,200 \(3\.0%\) 1/);
    expect((await t.app.inject({ method: 'GET', url: '/map.svg?figure=supporters' })).body).toContain('<title>Southvale: 3 supporters</title>');
  });
});

describe('opportunities for action', () => {
  it('lists hustings in target seats with the storytellers ready in or near each, linking to the event and the storyteller', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const page = await agent.get(`/admin/targets/opportunities?list=${coalitionList}`);
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain('Hustings: Southvale');
    expect(body).toContain('Hustings: Northtown');
    expect(page.body).toMatch(new RegExp(`href="/events/${southHustings}-[^"]+">Hustings: Southvale`));
    expect(page.body).toMatch(new RegExp(`href="/events/${northHustings}-[^"]+">Hustings: Northtown`));
    expect(body).toContain('Storytellers ready to speak in Southvale:');
    expect(page.body).toContain(`href="/admin/storytellers/${readyInSouth}"`);
    expect(body).toContain('speaks on A&E waits');
    expect(body).toContain('No storyteller you can see is ready to speak in Northtown or its region.');
    expect(body).not.toContain(SECRET_NAME);
  });

  it('shows an organiser only the storytellers their groups may see: another group’s organiser gets the region’s', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [theirs] });
    const page = await agent.get(`/admin/targets/opportunities?list=${coalitionList}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(readyInSouth);
    expect(page.body).toContain(`href="/admin/storytellers/${readyInWest}"`);
    expect(text(page.body)).toContain('None ready in Southvale itself; ready to speak in its region:');
  });
});

describe('group scope', () => {
  it('an organiser of another group cannot see a group’s list on any map, CSV or the opportunities', async () => {
    const { agent: owner } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
    expect((await owner.get(`/admin/targets/${ourList}/map`)).statusCode).toBe(200);
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [theirs] });
    for (const url of [
      `/admin/targets/${ourList}/map`,
      `/admin/targets/${ourList}/map?figure=storiesReady`,
      `/admin/targets/${ourList}/map.svg`,
      `/admin/targets/${ourList}/map.csv`,
      `/admin/map?list=${ourList}`,
      `/admin/map.svg?list=${ourList}`,
      `/admin/map.csv?list=${ourList}`,
      `/admin/targets/opportunities?list=${ourList}`,
    ]) {
      const res = await agent.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('Southvale group targets');
    }
    expect((await agent.get('/admin/map')).body).not.toContain('Southvale group targets');
    expect((await agent.get('/admin/targets/opportunities')).body).not.toContain('Southvale group targets');
    // Signed out: the admin maps are not there at all.
    expect((await t.app.inject({ method: 'GET', url: `/admin/targets/${coalitionList}/map` })).statusCode).toBeGreaterThanOrEqual(300);
    expect((await t.app.inject({ method: 'GET', url: `/admin/map.csv` })).statusCode).toBeGreaterThanOrEqual(300);
  });
});

describe('the map pages under any query string', () => {
  it('answers every map, image, CSV and opportunities address with a page or a 4xx, never a 5xx', { timeout: 120_000 }, async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.constantFrom('', 'signatures', 'storiesReady', 'storytellersReady', 'bookings', 'figure', 'rank', 'majority', 'seat', 'asc', 'desc', String(coalitionList), String(ourList), '0', '-1', '99999999999999999999', '__proto__', '\u0000', '<svg onload=alert(1)>'),
    );
    const query = fc.dictionary(fc.constantFrom('figure', 'sort', 'dir', 'list', 'page', '__proto__', 'constructor'), fc.oneof(value, fc.array(value, { maxLength: 2 })), { maxKeys: 5 });
    const paths = [`/admin/targets/${coalitionList}/map`, `/admin/targets/${coalitionList}/map.svg`, `/admin/targets/${coalitionList}/map.csv`, '/admin/map', '/admin/map.svg', '/admin/map.csv', '/admin/targets/opportunities', '/map', '/map.svg'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), query, async (path, q) => {
        const search = new URLSearchParams(Object.entries(q).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString();
        const res = path.startsWith('/admin') ? await agent.get(`${path}?${search}`) : await t.app.inject({ method: 'GET', url: `${path}?${search}` });
        expect([200, 400, 404, 422], `${path}?${search}`).toContain(res.statusCode);
        expect(res.body).not.toContain('<svg onload');
      }),
      { numRuns: 120 },
    );
  });
});

describe('the public map over HTTP', () => {
  it('is replayed to visitors who are not signed in for a few seconds, per figure, and never to a signed-in organiser', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const first = await fetch(`${base}/map?figure=events`);
    expect(first.status).toBe(200);
    const servedBefore = t.app.hotResponses.served;
    const again = await fetch(`${base}/map?figure=events`);
    expect(t.app.hotResponses.served).toBe(servedBefore + 1);
    expect(await again.text()).toBe(await first.text());
    // Another figure is its own page; a request with cookies always goes to the app.
    await fetch(`${base}/map?figure=signatures`);
    await fetch(`${base}/map?figure=events`, { headers: { cookie: 'chorus_session=x' } });
    expect(t.app.hotResponses.served).toBe(servedBefore + 1);
  });
});
