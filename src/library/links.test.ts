import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import type { Agent } from '../../test/support/agent.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { places, seedPlaces } from '../../test/support/public-petitions.ts';
import { canonicalUrl } from './canonical-url.ts';
import { addLink } from './save-link.ts';
import type { LinkInput } from './store.ts';

let t: TestApp;
let admin: Agent;
let northOrganiser: Agent;
let southOrganiser: Agent;
const groups: Record<string, number> = {};

const input = (over: Partial<LinkInput>): LinkInput => ({ url: 'https://news.example/a', title: 'A title', source: 'News', publishedOn: '2024-01-01', summary: '', tags: [], constituencyCodes: [], regionCodes: [], groupId: null, ...over });

async function add(over: Partial<LinkInput>): Promise<number> {
  const outcome = await addLink(t.ctx.db, null, input(over));
  if (!outcome.ok) throw new Error('duplicate in fixture');
  return outcome.id;
}

const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.database.db);
  for (const [key, name] of [['north', 'North Save Our NHS'], ['south', 'South Save Our NHS']] as const) {
    groups[key] = (await t.ctx.db.insertInto('groups').values({ slug: `${key}-sonhs`, name }).returning('id').executeTakeFirstOrThrow()).id;
  }
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
  northOrganiser = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groups.north!] })).agent;
  southOrganiser = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groups.south!] })).agent;
  ids.titleMatch = await add({ url: 'https://news.example/1', title: 'Maternity unit closure confirmed', summary: 'The board voted on Tuesday.', source: 'Daily Bugle', publishedOn: '2023-05-01', tags: ['maternity'], regionCodes: [places.north.region] });
  ids.summaryMatch = await add({ url: 'https://news.example/2', title: 'Board meeting report', summary: 'Among other things, a maternity unit closure was discussed.', source: 'Weekly Gazette', publishedOn: '2025-05-01', tags: ['boards'] });
  ids.closures = await add({ url: 'https://news.example/3', title: 'Three hospital closures planned', summary: 'Campaigners promise to fight the plans for the A&E.', source: 'Daily Bugle', publishedOn: '2024-02-10', tags: ['a&e', 'closures'], regionCodes: [places.south.region] });
  ids.phrase = await add({ url: 'https://news.example/4', title: 'Waiting lists grow at the walk-in centre', summary: 'Walk-in centres are full; waiting lists reach a record.', source: 'Chronicle', publishedOn: '2022-01-10' });
  ids.wordsApart = await add({ url: 'https://news.example/5', title: 'Lists of centres where waiting is long', summary: 'A guide.', source: 'Chronicle', publishedOn: '2022-03-10' });
  ids.north = await add({ url: 'https://news.example/6', title: 'North group link about ambulances', source: 'Echo', groupId: groups.north! });
}, 60_000);
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const titlesOf = (html: string) => [...html.matchAll(/<h2 class="link-result__title"><a [^>]*>(.*?)<\/a><\/h2>/g)].map((m) => m[1]!.replace(/<\/?mark>/g, ''));

describe('searching the links', () => {
  it('ranks a title match above a summary match, with the matched words highlighted', async () => {
    const page = await get('/links?q=maternity+closure');
    expect(page.statusCode).toBe(200);
    const titles = titlesOf(page.body);
    expect(titles.slice(0, 2)).toEqual(['Maternity unit closure confirmed', 'Board meeting report']);
    expect(page.body).toContain('<mark>Maternity</mark>');
    expect(page.body).toContain('most relevant first');
    // Newest first on request: the summary match (2025) comes first then.
    expect(titlesOf((await get('/links?q=maternity+closure&sort=newest')).body).slice(0, 2)).toEqual(['Board meeting report', 'Maternity unit closure confirmed']);
  });

  it('stems English words: "closures" finds "closure" and the reverse', async () => {
    const titles = titlesOf((await get('/links?q=closures')).body);
    expect(titles).toContain('Maternity unit closure confirmed');
    expect(titles).toContain('Three hospital closures planned');
  });

  it('leaves out a word with a minus sign', async () => {
    const titles = titlesOf((await get('/links?q=closure+-maternity')).body);
    expect(titles).toEqual(['Three hospital closures planned']);
  });

  it('keeps a quoted phrase together', async () => {
    expect(titlesOf((await get('/links?q=waiting+lists')).body).sort()).toEqual(['Lists of centres where waiting is long', 'Waiting lists grow at the walk-in centre']);
    expect(titlesOf((await get('/links?q=%22waiting+lists%22')).body)).toEqual(['Waiting lists grow at the walk-in centre']);
  });

  it('filters by tag, source, date range and region, newest first without search words', async () => {
    expect(titlesOf((await get('/links?tag=closures')).body)).toEqual(['Three hospital closures planned']);
    expect(titlesOf((await get('/links?source=daily+bugle')).body)).toEqual(['Three hospital closures planned', 'Maternity unit closure confirmed']);
    expect(titlesOf((await get('/links?from=2022-01-01&to=2022-12-31')).body)).toEqual(['Lists of centres where waiting is long', 'Waiting lists grow at the walk-in centre']);
    expect(titlesOf((await get(`/links?region=${places.north.region}`)).body)).toEqual(['Maternity unit closure confirmed']);
    const all = await get('/links');
    expect(titlesOf(all.body)[0]).toBe('Board meeting report');
    expect(all.body).toContain('6 links');
  });

  it('names a bad filter with a 400 and keeps the page usable', async () => {
    const bad = await get('/links?from=2024-02-31&page=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('From must be a date');
    expect(bad.body).toContain('Page must be a whole number from 1');
    const reversed = await get('/links?from=2024-01-01&to=2023-01-01');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.body).toContain('From must be on or before To');
  });

  it('paginates', async () => {
    const many = await get('/links?page=2');
    expect(many.statusCode).toBe(200);
    expect(titlesOf(many.body)).toEqual([]);
  });

  it('has a page per link and an RSS feed', async () => {
    const page = await get(`/links/${ids.titleMatch}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Maternity unit closure confirmed');
    expect(page.body).toContain('North East');
    expect((await get('/links/99999999')).statusCode).toBe(404);
    const feed = await get('/links.rss');
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('application/rss+xml');
    expect(feed.body).toContain('<title>Board meeting report (Weekly Gazette)</title>');
    expect(feed.body).toContain('<link>https://news.example/2</link>');
  });

  it('never answers hostile query strings with a 5xx', async () => {
    const keys = fc.constantFrom('q', 'tag', 'source', 'from', 'to', 'region', 'sort', 'page', 'x');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(keys, fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('"', '-', '!', '&', '|', ':*', '(', "'", '\u0000', '\u0002', 'or', '-"a b"', '2024-01-01'))), { maxLength: 5 }), async (pairs) => {
        const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const response = await get(`/links?${query}`);
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});

describe('canonical addresses', () => {
  it('lower-cases scheme and host, drops fragments, utm_* and a trailing slash, keeps other parameters', () => {
    expect(canonicalUrl('HTTP://News.Example.COM/Story/1/?utm_source=x&id=7&utm_medium=y#comments')).toBe('https://news.example.com/Story/1?id=7');
    expect(canonicalUrl('https://news.example.com:443/a')).toBe('https://news.example.com/a');
  });
});

describe('organisers adding and changing links', () => {
  it('adds a typed link with tags and regions, audited', async () => {
    const response = await northOrganiser.post('/admin/links/new', { url: 'https://press.example/ambulance-waits?utm_source=tw', title: 'Ambulance waits grow', source: 'Press', published_on: '2025-06-01', summary: 'Waits **grew**.', tags: 'Ambulances, waits', regions: [places.north.region], constituencies: places.north.code.toLowerCase(), group: String(groups.north) });
    expect(response.statusCode).toBe(303);
    const row = await t.ctx.db.selectFrom('links').selectAll().where('title', '=', 'Ambulance waits grow').executeTakeFirstOrThrow();
    expect(row.canonical_url).toBe('https://press.example/ambulance-waits');
    expect(row.tags).toEqual(['ambulances', 'waits']);
    expect(row.constituency_codes).toEqual([places.north.code]);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'link').where('subject_id', '=', String(row.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['link.create']);
  });

  it('refuses a duplicate (same canonical address) with a link to the one already there', async () => {
    const again = await admin.post('/admin/links/new', { url: 'http://NEWS.example/1#top', title: 'Same story again', source: '', published_on: '', summary: '', tags: '', constituencies: '', group: '' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This link is already in the library');
    expect(again.body).toContain(`href="/admin/links/${ids.titleMatch}/edit"`);
    expect(again.body).toContain('value="Same story again"');
    // At the paste step too, before any fetch.
    const pasted = await admin.post('/admin/links/new/fetch', { url: 'https://news.example/1?utm_campaign=z' });
    expect(pasted.statusCode).toBe(409);
    expect(pasted.body).toContain(`href="/admin/links/${ids.titleMatch}/edit"`);
    // And a page whose <link rel=canonical> names a link already there.
    const viaCanonical = await admin.post('/admin/links/new', { url: 'https://mirror.example/copy', canonical: 'https://news.example/2', title: 'Mirror', source: '', published_on: '', summary: '', tags: '', constituencies: '', group: '' });
    expect(viaCanonical.statusCode).toBe(409);
    expect(viaCanonical.body).toContain(`href="/admin/links/${ids.summaryMatch}/edit"`);
  });

  it('re-renders the form naming each bad field, values kept', async () => {
    const response = await admin.post('/admin/links/new', { url: 'javascript:alert(1)', title: '', source: '', published_on: '2024-13-01', summary: '[x](javascript:alert(1))', tags: '', constituencies: 'nowhere', group: '' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Enter a web address starting with https://');
    expect(response.body).toContain('Enter the title');
    expect(response.body).toContain('Date published must be a real date');
    expect(response.body).toContain('Links in the summary must be web addresses');
    expect(response.body).toContain('Constituencies must be constituency codes');
    const unknown = await admin.post('/admin/links/new', { url: 'https://x.example/', title: 'X', source: '', published_on: '', summary: '', tags: '', constituencies: 'E14999999', group: '' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('There is no constituency with the code E14999999');
  });

  it('keeps organisers to their groups’ links; admins to all; moderators may look only', async () => {
    const north = `/admin/links/${ids.north}`;
    expect((await southOrganiser.get(`${north}/edit`)).statusCode).toBe(403);
    expect((await southOrganiser.post(`${north}/delete`, {})).statusCode).toBe(403);
    expect((await southOrganiser.post(`${north}/edit`, { url: 'https://news.example/6', title: 'Taken over', group: String(groups.south) })).statusCode).toBe(403);
    // Nor put a new link under another group, nor under the coalition.
    const other = await southOrganiser.post('/admin/links/new', { url: 'https://y.example/', title: 'Y', group: String(groups.north) });
    expect(other.statusCode).toBe(422);
    expect(other.body).toContain('Choose a group you organise for');
    expect((await southOrganiser.post('/admin/links/new', { url: 'https://y.example/', title: 'Y', group: '' })).statusCode).toBe(422);
    expect((await southOrganiser.get(`/admin/links/${ids.titleMatch}/edit`)).statusCode).toBe(403);
    const list = await southOrganiser.get('/admin/links');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('North group link about ambulances');
    expect((await northOrganiser.get('/admin/links')).body).toContain('North group link about ambulances');
    const moderator = (await signedInAgent(t.app, t.ctx, { role: 'moderator' })).agent;
    expect((await moderator.get('/admin/links')).statusCode).toBe(200);
    expect((await moderator.get(`${north}/edit`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/admin/links' })).statusCode).toBeGreaterThanOrEqual(300);
  });

  it('edits and deletes, each audited', async () => {
    const id = await add({ url: 'https://gone.example/x', title: 'To be changed', groupId: groups.north! });
    const edited = await northOrganiser.post(`/admin/links/${id}/edit`, { url: 'https://gone.example/x', title: 'Changed title', source: 'S', published_on: '', summary: '', tags: 'a', constituencies: '', group: String(groups.north) });
    expect(edited.statusCode).toBe(303);
    expect((await get(`/links/${id}`)).body).toContain('Changed title');
    const clash = await northOrganiser.post(`/admin/links/${id}/edit`, { url: 'https://news.example/6', title: 'Changed title', group: String(groups.north) });
    expect(clash.statusCode).toBe(409);
    expect((await northOrganiser.get(`/admin/links/${id}/delete`)).body).toContain('Delete this link?');
    expect((await northOrganiser.post(`/admin/links/${id}/delete`, {})).statusCode).toBe(303);
    expect((await get(`/links/${id}`)).statusCode).toBe(404);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'before']).where('subject_type', '=', 'link').where('subject_id', '=', String(id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['link.update', 'link.delete']);
    expect(JSON.stringify(audit[1]!.before)).toContain('Changed title');
  });

  it('needs the CSRF token on every form', async () => {
    expect((await admin.post('/admin/links/new', { url: 'https://z.example/', title: 'Z' }, { csrf: false })).statusCode).toBe(403);
  });

  it('never answers hostile add-link forms with a 5xx', async () => {
    const field = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 50 }), fc.constantFrom('', 'javascript:x', 'https://ok.example/p', '999999999999', '-1', 'E14000001', '2024-02-30', '\u0000\u0002'), fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }));
    await fc.assert(
      fc.asyncProperty(fc.record({ url: field, title: field, source: field, published_on: field, summary: field, tags: field, regions: field, constituencies: field, group: field, canonical: field }, { requiredKeys: [] }), async (fields) => {
        const response = await admin.post('/admin/links/new', fields as Record<string, string | string[]>);
        expect(response.statusCode).toBeLessThan(500);
        const edit = await admin.post(`/admin/links/${ids.phrase}/edit`, fields as Record<string, string | string[]>);
        expect(edit.statusCode).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
