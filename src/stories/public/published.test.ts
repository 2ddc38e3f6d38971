import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Agent } from '../../../test/support/agent.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { REDACTED_VERSION, consentedStory, linkIn, mailsTo, postForm } from '../moderation/test-support.ts';

let t: TestApp;
let moderator: Agent;
const ids: Record<string, number> = {};

async function publish(overrides: Record<string, string>, version: Partial<typeof REDACTED_VERSION>) {
  const { id, email } = await consentedStory(t, overrides);
  await moderator.post(`/admin/stories/${id}/moderate`, { ...REDACTED_VERSION, ...version });
  await moderator.post(`/admin/stories/${id}/moderate/send`, {});
  await postForm(t, linkIn((await mailsTo(t, email, 'stories.published.approval'))[0]!, '/stories/approve'), {});
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.database.db);
  await t.ctx.db.insertInto('groups').values({ slug: 'keep-our-ae', name: 'Keep Our A&E', website: null, contact_email: null, logo_media_id: null }).execute();
  moderator = (await signedInAgent(t.app, t.ctx, { role: 'moderator' })).agent;
  ids.northGp = await publish({ postcode: places.north.postcode }, { title: 'North GP wait', service: 'gp', topic: 'waiting' });
  ids.southMaternity = await publish({ postcode: places.south.postcode, identify_as: 'full_name' }, { title: 'South maternity closing', service: 'maternity', topic: 'closure' });
  ids.westGp = await publish({ postcode: places.west.postcode, identify_as: 'anonymous' }, { title: 'West GP staffing', service: 'gp', topic: 'staffing' });
}, 60_000);
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const titles = async (query: string) => {
  const response = await get(`/stories.json${query}`);
  expect(response.statusCode).toBe(200);
  return (JSON.parse(response.body) as { stories: Array<{ title: string }> }).stories.map((s) => s.title).sort();
};

describe('published stories', () => {
  it('filters by constituency, region, service and topic, on the page and in the JSON', async () => {
    expect(await titles('')).toEqual(['North GP wait', 'South maternity closing', 'West GP staffing']);
    expect(await titles(`?constituency=${places.north.code}`)).toEqual(['North GP wait']);
    expect(await titles(`?region=${places.south.region}`)).toEqual(['South maternity closing', 'West GP staffing']);
    expect(await titles('?service=gp')).toEqual(['North GP wait', 'West GP staffing']);
    expect(await titles('?service=gp&topic=staffing')).toEqual(['West GP staffing']);
    const page = await get(`/stories?region=${places.south.region}&service=maternity`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('South maternity closing');
    expect(page.body).not.toContain('West GP staffing');
    expect(page.body).toContain('1 story');
    // Filters offer only places with stories, by name.
    expect(page.body).toContain(`<option value="${places.west.code}"`);
    expect(page.body).toContain('South East');
  });

  it('shows the latest stories on the front page, with a way to tell one, and Stories in the header', async () => {
    const home = await get('/');
    expect(home.statusCode).toBe(200);
    const section = home.body.slice(home.body.indexOf('id="latest-stories-heading"'));
    expect(section).toContain('Stories of the NHS');
    for (const title of ['North GP wait', 'South maternity closing', 'West GP staffing']) expect(section).toContain(title);
    expect(section).toContain('href="/stories/tell"');
    expect(home.body).toMatch(/<a[^>]*href="\/stories"[^>]*>Stories<\/a>/);
  });

  it('names each teller only as they chose', async () => {
    const full = await get(`/stories/${ids.southMaternity}.json`);
    expect((JSON.parse(full.body) as { byline: string }).byline).toBe('Priya Quietname');
    const anonymous = await get(`/stories/${ids.westGp}.json`);
    expect((JSON.parse(anonymous.body) as { byline: string }).byline).toBe('Anonymous');
    expect(anonymous.body).not.toContain('Priya');
    const first = await get(`/stories/${ids.northGp}.json`);
    expect((JSON.parse(first.body) as { byline: string }).byline).toBe('Priya');
  });

  it('a story’s address carries its slug, and a wrong slug redirects', async () => {
    const wrong = await get(`/stories/${ids.northGp}-nothing-like-it`);
    expect(wrong.statusCode).toBe(301);
    expect(wrong.headers.location).toBe(`/stories/${ids.northGp}-north-gp-wait`);
    expect((await get('/stories/999999-none')).statusCode).toBe(404);
  });

  it('the RSS feed is well formed and lists each published story', async () => {
    const feed = await get('/stories.rss');
    expect(feed.headers['content-type']).toContain('application/rss+xml');
    expect(feed.body).toContain(`<link>http://chorus.test/stories/${ids.westGp}-west-gp-staffing</link>`);
    expect(feed.body.match(/<item>/g)).toHaveLength(3);
  });

  it('hostile filters on the list, its JSON and story addresses never bring a 5xx; bad ones are a 400 naming the filter', async () => {
    const bad = await get('/stories?service=spa');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#field-service"');
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('constituency', 'region', 'service', 'topic', 'page'), fc.oneof(fc.string(), fc.constantFrom(places.north.code, 'gp', 'staffing', '0', '-1', '1e9', '%00'))),
        fc.constantFrom('/stories', '/stories.json'),
        async (query, path) => {
          const response = await get(`${path}?${new URLSearchParams(query).toString()}`);
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 80 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string(), async (ref) => {
        for (const url of [`/stories/${encodeURIComponent(ref)}`, `/stories/${encodeURIComponent(ref)}/card.png`]) expect((await get(url)).statusCode).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  });

  it('first name and town, when the teller chose it', async () => {
    const id = await publish({ postcode: places.north.postcode, identify_as: 'first_name_town', town: 'Northtown' }, { title: 'Named with a town' });
    const json = JSON.parse((await get(`/stories/${id}.json`)).body) as { byline: string };
    expect(json.byline).toBe('Priya, Northtown');
  });
});
