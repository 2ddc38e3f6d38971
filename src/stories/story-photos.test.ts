import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_STORIES_KEY, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { places, seedPlaces } from '../../test/support/public-petitions.ts';
import { encodeJpegImage } from '../platform/images/codecs.ts';
import { generateKeyText } from '../platform/sealed.ts';
import { withSecrets } from '../platform/mail/outbox.ts';
import { erasePerson, exportPersonalData } from '../supporters/personal-data.ts';
import { deleteEndedStories } from './jobs.ts';
import { rotateStoriesKey } from './rotate-key.ts';
import { STORIES_PER_ADDRESS } from './public/routes.tsx';

let t: TestApp;
let groupA: number;
let groupB: number;
let ip = 0;
let photo: Buffer;

/** A real JPEG carrying a comment segment that names a place, as camera metadata would. */
const SECRET_METADATA = 'GPS 51.4549N 2.5868W taken at 14 Hidden Lane';
async function jpegWithMetadata(width = 640, height = 480): Promise<Buffer> {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([(i * 7) % 255, 120, 200, 255], i * 4);
  const jpeg = await encodeJpegImage({ data, width, height }, 80);
  const comment = Buffer.from(SECRET_METADATA, 'latin1');
  const segment = Buffer.concat([Buffer.from([0xff, 0xfe, (comment.length + 2) >> 8, (comment.length + 2) & 255]), comment]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.database.db);
  const made = await t.ctx.db
    .insertInto('groups')
    .values([
      { slug: 'photo-group', name: 'Photo Group', website: null, contact_email: null, logo_media_id: null },
      { slug: 'another-group', name: 'Another Group', website: null, contact_email: null, logo_media_id: null },
    ])
    .returning('id')
    .execute();
  [groupA, groupB] = made.map((g) => g.id) as [number, number];
  photo = await jpegWithMetadata();
});
afterAll(() => t.close());

const STORY = 'The physiotherapy waiting list at Eastbrook was eleven months long for my knee.';
const fields = (overrides: Record<string, string> = {}) => ({
  story: STORY,
  service: 'Physiotherapy, Eastbrook Hospital',
  happened_when: 'last_year',
  postcode: places.north.postcode,
  name: 'Morgan Kneeling',
  email: `morgan${Math.random().toString(36).slice(2, 8)}@example.org`,
  consent_publish_hub: 'yes',
  ...overrides,
});

type Part = string | { filename: string; type?: string; data: Buffer };
const BOUNDARY = '----chorusstoryphotos';
function multipart(parts: Record<string, Part>): Buffer {
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(parts)) {
    if (typeof value === 'string') {
      chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    } else {
      chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.filename}"\r\nContent-Type: ${value.type ?? 'image/jpeg'}\r\n\r\n`), value.data, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

function send(url: string, parts: Record<string, Part> | Buffer, headers: Record<string, string> = { origin: 'http://chorus.test' }, address?: string) {
  ip++;
  return t.app.inject({
    method: 'POST',
    url,
    payload: Buffer.isBuffer(parts) ? parts : multipart(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    remoteAddress: address ?? `10.77.${Math.floor(ip / 250)}.${ip % 250}`,
  });
}

const latestStory = () => t.database.db.selectFrom('stories').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
const photosOf = (storyId: number) => t.database.db.selectFrom('story_photos').selectAll().where('story_id', '=', storyId).orderBy('position').execute();

async function confirm(email: string) {
  const [row] = await t.database.db.selectFrom('outbound_emails').select(['text_body', 'secrets']).where('to_address', '=', email).where('kind', '=', 'stories.story.confirm').execute();
  const path = withSecrets(row!.text_body, row!.secrets as string[] | null).match(/http:\/\/chorus\.test(\/stories\/confirm\/[A-Za-z0-9_-]{32})/)![1]!;
  return t.app.inject({ method: 'POST', url: path, headers: { origin: 'http://chorus.test', 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
}

describe('photos on the tell form', () => {
  it('the form is a multipart upload with three photo fields', async () => {
    const page = await t.app.inject({ url: '/groups/photo-group/stories/tell' });
    expect(page.body).toMatch(/<form action="\/groups\/photo-group\/stories" method="post" enctype="multipart\/form-data"/);
    for (const field of ['photo_1', 'photo_2', 'photo_3']) expect(page.body).toContain(`name="${field}" type="file" accept="image/jpeg,image/png,image/webp"`);
  });

  it('are kept sealed, resized and stripped of their metadata: the table holds neither the picture nor the metadata', { timeout: 30_000 }, async () => {
    const big = await jpegWithMetadata(2400, 1800);
    const body = fields();
    const response = await send('/groups/photo-group/stories', { ...body, photo_1: { filename: 'knee.jpg', data: photo }, photo_3: { filename: 'ward.jpg', data: big } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).toContain('Check your email');
    const story = await latestStory();
    const rows = await photosOf(story.id);
    expect(rows.map((r) => [r.position, r.width, r.height, r.thumbnail_width])).toEqual([
      [1, 640, 480, 400],
      [3, 1600, 1200, 400],
    ]);
    const raw = await sql<{ photo_sealed: Buffer; thumbnail_sealed: Buffer }>`select photo_sealed, thumbnail_sealed from story_photos where story_id = ${story.id}`.execute(t.database.db);
    for (const row of raw.rows) {
      for (const bytes of [row.photo_sealed, row.thumbnail_sealed]) {
        expect(bytes.subarray(0, 4).toString('latin1')).toBe('CSB1');
        expect(bytes.includes(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
        expect(bytes.includes(Buffer.from('Hidden Lane'))).toBe(false);
      }
    }
  });

  it('a bad photo is a 422 naming its field, keeping the other values and asking for it again', async () => {
    const body = fields({ service: 'Knee clinic at Eastbrook' });
    const response = await send('/groups/photo-group/stories', { ...body, photo_1: { filename: 'fine.jpg', data: photo }, photo_2: { filename: 'notes.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4 not a photo') } });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('href="#field-photo_2"');
    expect(response.body).not.toContain('href="#field-photo_1"');
    expect(response.body).toContain('Photo 2 must be a JPEG, PNG or WebP image. Choose it again');
    expect(response.body).toContain('value="Knee clinic at Eastbrook"');
    expect(response.body).toContain(STORY);
    expect(response.body).toContain('Choose the photos again.');
    const count = Number((await sql<{ n: string }>`select count(*) as n from outbound_emails where to_address = ${body.email}`.execute(t.database.db)).rows[0]!.n);
    expect(count).toBe(0);
  });

  it('a photo over 10 MB, or one that cannot be decoded, is named beside its field; a good photo with another field wrong must be chosen again', async () => {
    const huge = Buffer.concat([photo, Buffer.alloc(10 * 1024 * 1024 + 10)]);
    // Sent before the other fields, as a browser sends the form's photos before its consent boxes: those are still read.
    const tooBig = await send('/groups/photo-group/stories', { photo_3: { filename: 'huge.jpg', data: huge }, ...fields() });
    expect(tooBig.statusCode).toBe(422);
    expect(tooBig.body).toContain('Photo 3 must be 10 MB or smaller: choose a smaller one');
    expect(tooBig.body).toContain('value="Physiotherapy, Eastbrook Hospital"');
    expect(tooBig.body).toMatch(/name="consent_publish_hub"[^>]*checked/);
    const broken = await send('/groups/photo-group/stories', { ...fields(), photo_1: { filename: 'broken.jpg', data: Buffer.concat([photo.subarray(0, 200), Buffer.alloc(100)]) } });
    expect(broken.statusCode).toBe(422);
    expect(broken.body).toContain('href="#field-photo_1"');
    const otherWrong = await send('/groups/photo-group/stories', { ...fields({ email: 'not-an-email' }), photo_1: { filename: 'fine.jpg', data: photo } });
    expect(otherWrong.statusCode).toBe(422);
    expect(otherWrong.body).toContain('href="#field-email"');
    expect(otherWrong.body).toContain('Choose the photo again.');
  });

  it('from another site are refused before the body is read; an address over its hourly limit is refused before it too', async () => {
    // A body that cannot be read: a 400 would mean it was read.
    const broken = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="photo_1"; filename="a.jpg"\r\n\r\nxx`);
    expect((await send('/groups/photo-group/stories', broken)).statusCode).toBe(400);
    expect((await send('/groups/photo-group/stories', broken, { origin: 'https://evil.example' })).statusCode).toBe(403);
    const address = '10.78.0.1';
    for (let i = 0; i < STORIES_PER_ADDRESS; i++) expect((await send('/stories', fields(), undefined, address)).statusCode).toBe(200);
    const limited = await send('/stories', broken, undefined, address);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('hostile multipart input never brings a 5xx', async () => {
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
      fc.constant(photo),
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0x7f, 0xff, 0x7f, 0xff]), Buffer.from(a)])),
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(a)])),
    );
    const value: fc.Arbitrary<Part> = fc.oneof(fc.string(), fc.record({ filename: fc.string({ maxLength: 20 }).map((s) => s.replace(/["\r\n]/g, '') || 'x'), type: fc.constantFrom('image/jpeg', 'image/png', 'text/plain', ''), data: file }));
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('story', 'service', 'postcode', 'name', 'email', 'happened_when', 'consent_video', 'photo_1', 'photo_2', 'photo_3', 'photo_4', 'groups'), value, { maxKeys: 8 }),
        fc.boolean(),
        fc.constantFrom('/stories', '/groups/photo-group/stories', '/embed/stories/photo-group'),
        async (parts, complete, url) => {
          const response = await send(url, complete ? { ...fields(), ...parts } : parts);
          expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('photos for organisers', () => {
  it('the story’s group organiser sees them through an audited, uncached route; another group’s organiser gets 403 and an audit entry', async () => {
    await send('/groups/photo-group/stories', { ...fields(), photo_2: { filename: 'knee.jpg', data: photo } });
    const story = await latestStory();
    const own = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupA] });
    const page = await own.agent.get(`/admin/stories/${story.id}`);
    expect(page.body).toContain(`<img src="/admin/stories/${story.id}/photos/2/thumbnail" width="400" height="300"`);
    for (const path of [`/admin/stories/${story.id}/photos/2`, `/admin/stories/${story.id}/photos/2/thumbnail`]) {
      const image = await own.agent.get(path);
      expect(image.statusCode).toBe(200);
      expect(image.headers['content-type']).toBe('image/jpeg');
      expect(image.headers['cache-control']).toBe('private, no-store');
      expect(image.rawPayload.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
      expect(image.rawPayload.includes(Buffer.from('Hidden Lane'))).toBe(false);
    }
    expect((await own.agent.get(`/admin/stories/${story.id}/photos/1`)).statusCode).toBe(404);
    const seen = await t.database.db.selectFrom('audit_log').select(['action', 'after']).where('actor_id', '=', own.id).where('action', '=', 'story.photo.view').execute();
    expect(seen).toHaveLength(2);

    const other = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupB] });
    const refused = await other.agent.get(`/admin/stories/${story.id}/photos/2`);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).not.toBe('image/jpeg');
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('actor_id', '=', other.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['story.view.refused']);
    expect((await t.app.inject({ url: `/admin/stories/${story.id}/photos/2` })).statusCode).not.toBe(200);
  });

  it('an organiser recording a story by phone can add photos too', async () => {
    const own = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupA] });
    const form = await own.agent.get('/admin/stories/new');
    const action = /<form action="([^"]+)"[^>]*enctype="multipart\/form-data"/.exec(form.body)![1]!.replace(/&amp;/g, '&');
    expect(action).toMatch(/^\/admin\/stories\/new\?_csrf=/);
    const response = await own.agent.postMultipartRaw(action, multipart({ ...fields(), method: 'phone', groups: String(groupA), photo_1: { filename: 'letter.jpg', data: photo } }), BOUNDARY);
    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
    const story = await latestStory();
    expect(story.method).toBe('phone');
    expect((await photosOf(story.id)).map((p) => p.position)).toEqual([1]);
  });
});

describe('photos and personal data', () => {
  it('subject access includes them (opened); erasure deletes them', async () => {
    const body = fields();
    await send('/groups/photo-group/stories', { ...body, photo_1: { filename: 'knee.jpg', data: photo } });
    await confirm(body.email);
    const story = await latestStory();
    const exported = (await exportPersonalData(t.ctx.db, story.person_id!)) as { stories: Array<{ photos: Array<{ position: number; photo: string }> }> };
    const [sent] = exported.stories[0]!.photos;
    expect(sent!.position).toBe(1);
    expect(sent!.photo).toMatch(/^data:image\/jpeg;base64,/);
    expect(Buffer.from(sent!.photo.split(',')[1]!, 'base64').subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
    await t.ctx.db.transaction().execute((tx) => erasePerson(tx, story.person_id!, 'test'));
    expect(await photosOf(story.id)).toEqual([]);
  });

  it('retention deletes them with the story', async () => {
    await send('/groups/photo-group/stories', { ...fields(), photo_1: { filename: 'knee.jpg', data: photo } });
    const story = await latestStory();
    expect(await photosOf(story.id)).toHaveLength(1);
    await t.database.db.updateTable('stories').set({ created_at: new Date(Date.now() - 400 * 86_400_000) }).where('id', '=', story.id).execute();
    await deleteEndedStories(t.ctx);
    expect(await photosOf(story.id)).toEqual([]);
  });

  it('rotate-key re-seals them under the new key', async () => {
    await send('/groups/photo-group/stories', { ...fields(), photo_1: { filename: 'knee.jpg', data: photo } });
    const story = await latestStory();
    const newKey = generateKeyText();
    const { parseKeyText, KeyRing } = await import('../platform/sealed.ts');
    const newId = parseKeyText(newKey, 'k').id;
    await rotateStoriesKey({ ...t.ctx, config: { ...t.ctx.config, STORIES_KEY: newKey, STORIES_OLD_KEYS: TEST_STORIES_KEY } } as never, () => {});
    const [row] = await photosOf(story.id);
    expect(row!.photo_sealed.subarray(4, 8).toString('hex')).toBe(newId);
    expect(new KeyRing(parseKeyText(newKey, 'k')).openBytes(row!.thumbnail_sealed, 'story_photos.thumbnail_sealed').subarray(0, 2).toString('hex')).toBe('ffd8');
    await rotateStoriesKey({ ...t.ctx, config: { ...t.ctx.config, STORIES_OLD_KEYS: newKey } } as never, () => {});
    const [back] = await photosOf(story.id);
    expect(back!.photo_sealed.subarray(4, 8).toString('hex')).not.toBe(newId);
  });
});

describe('the privacy notice for storytellers', () => {
  it('is at /stories/privacy, rendered from docs/stories-privacy-notice.md, and every link on it and on the tell forms resolves', async () => {
    const page = await t.app.inject({ url: '/stories/privacy' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Your story and your privacy</h1>');
    expect(page.body).toContain('<h2>Who can see your story and your details</h2>');
    expect(page.body).toContain('<a href="https://ico.org.uk/make-a-complaint/">');
    expect(page.body).toContain('<strong>anonymous</strong>');
    const links = new Set<string>();
    for (const url of ['/stories/privacy', '/stories/tell?to=chosen', '/groups/photo-group/stories/tell', '/embed/stories/photo-group']) {
      const body = (await t.app.inject({ url })).body;
      if (url !== '/stories/privacy') expect(body).toContain('href="/stories/privacy"');
      for (const [, href] of body.matchAll(/<a [^>]*href="(\/[^"#]*)"/g)) links.add(href!.replace(/&amp;/g, '&'));
    }
    expect(links).toContain('/stories/privacy');
    for (const href of links) expect((await t.app.inject({ url: href })).statusCode, href).toBeLessThan(400);
  });
});
