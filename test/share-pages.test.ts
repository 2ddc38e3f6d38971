import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { signedInAgent } from './support/organisers.ts';
import { createPetition, places, seedPlaces } from './support/public-petitions.ts';
import { encodePng, imageSize } from '../src/platform/index.ts';

let t: TestApp;
let plain: { id: number; path: string };
let pictured: { id: number; path: string };
const group = { slug: 'ward-friends', name: 'Ward Friends' };

beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  await t.ctx.db
    .insertInto('groups')
    .values({ slug: group.slug, name: group.name, description: 'Friends of the ward.\n\nWe meet on Tuesdays.', website: null, contact_email: null, logo_media_id: null })
    .execute();
  plain = await createPetition(t.ctx.db, { action: 'Keep the ward open' });
  pictured = await createPetition(t.ctx.db, { action: 'Keep the clinic open' });
  const bytes = encodePng(800, 420, () => [200, 30, 30]);
  const media = await t.ctx.db
    .insertInto('media')
    .values({ content_type: 'image/png', bytes, sha256: 'ab'.repeat(32), byte_size: bytes.length })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.ctx.db.updateTable('petitions').set({ image_media_id: media.id, image_alt: 'The clinic' }).where('id', '=', pictured.id).execute();
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });

/** The content of <meta property|name="key">, or the href of <link rel="key">; undefined when absent. */
function tag(body: string, key: string): string | undefined {
  const meta = new RegExp(`<meta (?:property|name)="${key.replace(/[:.]/g, '\\$&')}" content="([^"]*)"/>`).exec(body);
  if (meta) return meta[1];
  return new RegExp(`<link rel="${key}" href="([^"]*)"/>`).exec(body)?.[1];
}

const publicPages = () => ['/', '/groups', `/groups/${group.slug}`, '/petitions', '/petitions?state=closed', '/constituencies', `/constituencies/${places.north.code}`, plain.path, '/privacy', '/accessibility'];

describe('sharing a link to any public page', () => {
  it('every public page has a share image served by Chorus itself (the brand card) with its size, type and the site name', async () => {
    const brand = await t.ctx.brand.get();
    for (const url of publicPages()) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(tag(res.body, 'og:site_name'), url).toBe(brand.name);
      expect(tag(res.body, 'og:image'), url).toBe(`http://chorus.test/brand-card.png?v=${brand.version}`);
      expect(tag(res.body, 'og:image:type'), url).toBe('image/png');
      expect(tag(res.body, 'og:image:width'), url).toBe('1200');
      expect(tag(res.body, 'og:image:height'), url).toBe('630');
      expect(tag(res.body, 'og:image:alt'), url).toBe(brand.name);
      expect(tag(res.body, 'twitter:card'), url).toBe('summary_large_image');
    }
  });

  it('the brand card is a real 1200 × 630 PNG in the brand colours, with a public cache', async () => {
    const brand = await t.ctx.brand.get();
    const res = await get(`/brand-card.png?v=${brand.version}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const png = res.rawPayload;
    expect(imageSize(png)).toEqual({ width: 1200, height: 630 });
    // The top-left pixel is the brand's main colour (decoded from the PNG's own data).
    const idat = png.subarray(png.indexOf('IDAT') + 4, png.indexOf('IEND') - 8);
    const pixels = inflateSync(idat);
    const hex = `#${[pixels[1], pixels[2], pixels[3]].map((b) => b!.toString(16).padStart(2, '0')).join('')}`;
    expect(hex).toBe(brand.primaryColour.toLowerCase());
  });

  it('the home, petitions list, group and constituency pages have a description, a canonical link and Open Graph tags', async () => {
    const expected: Array<[string, string, RegExp]> = [
      ['/', 'http://chorus.test/', /\S/],
      ['/petitions', 'http://chorus.test/petitions', /open for signing/],
      ['/petitions?state=closed&sort=newest&page=1', 'http://chorus.test/petitions?state=closed', /closed/],
      ['/petitions?q=ward', 'http://chorus.test/petitions', /open for signing/],
      [`/groups/${group.slug}`, `http://chorus.test/groups/${group.slug}`, /^Friends of the ward\. We meet on Tuesdays\.$/],
      ['/groups', 'http://chorus.test/groups', /campaigns/],
      [`/constituencies/${places.north.code}`, `http://chorus.test/constituencies/${places.north.code}`, new RegExp(`^${places.north.name}, a UK Parliament constituency in North East, England: its MP, ${places.north.mp}, `)],
      ['/constituencies', 'http://chorus.test/constituencies', /constituency/],
    ];
    for (const [url, canonical, description] of expected) {
      const { body } = await get(url);
      expect(tag(body, 'canonical'), url).toBe(canonical);
      expect(tag(body, 'og:url'), url).toBe(canonical);
      expect(tag(body, 'description'), url).toMatch(description);
      expect(tag(body, 'og:description'), url).toBe(tag(body, 'description'));
      expect(tag(body, 'og:title'), url).toMatch(/\S/);
      expect(tag(body, 'og:type'), url).toBe('website');
      expect(body.match(/<meta name="description"/g), url).toHaveLength(1);
    }
    expect(tag((await get(`/groups/${group.slug}`)).body, 'og:title')).toBe(group.name);
  });

  it('a petition with an uploaded image shares that image; one without shares the brand card', async () => {
    const withImage = (await get(pictured.path)).body;
    expect(tag(withImage, 'og:image')).toMatch(/^http:\/\/chorus\.test\/media\/[0-9a-f-]{36}$/);
    expect(tag(withImage, 'og:image:alt')).toBe('The clinic');
    // Its own type and size, read from the stored image.
    expect([tag(withImage, 'og:image:type'), tag(withImage, 'og:image:width'), tag(withImage, 'og:image:height')]).toEqual(['image/png', '800', '420']);
    expect(withImage.match(/og:image:width/g)).toHaveLength(1);
    expect(withImage).not.toContain('brand-card.png');
    const without = (await get(plain.path)).body;
    expect(tag(without, 'og:image')).toMatch(/^http:\/\/chorus\.test\/brand-card\.png\?v=/);
    expect(tag(without, 'og:title')).toBe('Keep the ward open');
    expect(tag(without, 'canonical')).toBe(`http://chorus.test${plain.path}`);
  });

  it('organiser pages carry no share tags', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const { body } = await agent.get('/admin/petitions');
    expect(tag(body, 'og:image')).toBeUndefined();
    expect(tag(body, 'og:site_name')).toBeUndefined();
  });
});
