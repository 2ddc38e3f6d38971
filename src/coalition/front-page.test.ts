import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { createPetition } from '../../test/support/public-petitions.ts';

let t: TestApp;
let hendon: { id: number; slug: string };
let other: { id: number; slug: string };
let hendonPetition: { id: number; path: string };
let otherPetition: { id: number; path: string };
let closed: { id: number; path: string };

const groupNamed = (slug: string, name: string) =>
  t.ctx.db.insertInto('groups').values({ slug, name, description: `${name} campaigns locally.` }).returning(['id', 'slug']).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await createTestApp();
  hendon = await groupNamed('hendon-save-our-nhs', 'Hendon Save Our NHS');
  other = await groupNamed('keep-our-nhs-public', 'Keep Our NHS Public');
  hendonPetition = await createPetition(t.ctx.db, { action: 'Keep Hendon’s walk-in centre open', groupIds: [hendon.id], signatureCount: 1234 });
  otherPetition = await createPetition(t.ctx.db, { action: 'Fund the ambulance service properly', groupIds: [other.id], signatureCount: 56 });
  closed = await createPetition(t.ctx.db, { action: 'An old closed petition', state: 'closed', groupIds: [hendon.id], signatureCount: 9999 });
  await createPetition(t.ctx.db, { action: 'A draft nobody may see yet', state: 'draft', groupIds: [hendon.id] });
  await createPetition(t.ctx.db, { action: 'A petition whose closing date has passed', groupIds: [hendon.id], closingDate: '2020-01-01' });
});
afterAll(() => t.close());

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url });
  expect(res.statusCode).toBe(200);
  return res.body;
};
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

describe('the front page is the campaign’s front page', () => {
  it('shows the petitions open for signing, most signed first, each with its count and a Sign button to its form', async () => {
    const html = main(await get('/'));
    expect(html).toContain('Sign a petition');
    const first = html.indexOf('Keep Hendon’s walk-in centre open');
    const second = html.indexOf('Fund the ambulance service properly');
    expect(first).toBeGreaterThan(-1);
    expect(second).toBeGreaterThan(first);
    expect(html).toContain('1,234 signatures');
    expect(html).toContain('56 signatures');
    expect(html).toContain(`href="${hendonPetition.path}#sign"`);
    expect(html).toContain(`href="${otherPetition.path}#sign"`);
    expect(html).toContain('href="/petitions"');
    // Only what can be signed now.
    expect(html).not.toContain('An old closed petition');
    expect(html).not.toContain('A draft nobody may see yet');
    expect(html).not.toContain('A petition whose closing date has passed');
    expect(html).not.toContain(closed.path);
  });

  it('asks supporters to join, and each member group offers its petitions and its subscribe form', async () => {
    const html = main(await get('/'));
    expect(html).toMatch(/<h2 id="join-heading">Join [^<]+<\/h2>/);
    expect(html).toContain('href="/join"');
    expect(html).toContain(`href="/groups/${hendon.slug}/subscribe"`);
    expect(html).toContain(`href="/groups/${other.slug}/subscribe"`);
    expect(html).toContain(`href="/groups/${hendon.slug}"`);
  });

  it('puts Join in the header of every public page', async () => {
    for (const url of ['/', '/petitions', `/groups/${hendon.slug}`, hendonPetition.path]) {
      const html = await get(url);
      const nav = html.slice(html.indexOf('<nav class="site-nav"'), html.indexOf('</nav>', html.indexOf('<nav class="site-nav"')));
      expect(nav, url).toContain('<a href="/join">Join</a>');
    }
  });
});

describe('a member group’s page', () => {
  it('shows the group’s own open petitions with counts and Sign buttons, not other groups’', async () => {
    const html = main(await get(`/groups/${hendon.slug}`));
    expect(html).toContain('Petitions from Hendon Save Our NHS');
    expect(html).toContain('Keep Hendon’s walk-in centre open');
    expect(html).toContain('1,234 signatures');
    expect(html).toContain(`href="${hendonPetition.path}#sign"`);
    expect(html).not.toContain('Fund the ambulance service properly');
    expect(html).not.toContain('An old closed petition');
  });

  it('has the group’s subscribe form on it, and signing up there works', async () => {
    const html = main(await get(`/groups/${hendon.slug}`));
    expect(html).toContain('Get updates from Hendon Save Our NHS');
    expect(html).toContain(`<form action="/groups/${hendon.slug}/subscribe" method="post"`);
    const wording = /name="wording_group" value="(\d+)"/.exec(html)?.[1];
    expect(wording).toBeDefined();
    const res = await t.app.inject({
      method: 'POST',
      url: `/groups/${hendon.slug}/subscribe`,
      headers: { origin: 'http://chorus.test' },
      payload: { name: 'Ada Lovelace', email: 'ada@example.org', consent_group: 'yes', wording_group: wording! },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Check your email');
  });

  it('a group with no open petitions shows no empty petitions section, but still its subscribe form', async () => {
    const html = main(await get(`/groups/${other.slug}`));
    expect(html).toContain('Fund the ambulance service properly');
    const quiet = await groupNamed('quiet-group', 'Quiet Group');
    const quietHtml = main(await get(`/groups/${quiet.slug}`));
    expect(quietHtml).not.toContain('Petitions from Quiet Group');
    expect(quietHtml).toContain(`<form action="/groups/${quiet.slug}/subscribe" method="post"`);
  });
});
