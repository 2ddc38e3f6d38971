import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDemoOnce } from '../../src/demo.ts';
import { giveConsent, purposeFor, wordingFor } from '../../src/supporters/consent.ts';
import { upsertPerson } from '../../src/supporters/people.ts';
import { preferencesUrl, unsubscribeUrl } from '../../src/supporters/subscriber-tokens.ts';
import { collectPageErrors, launchBrowser, serveTestApp, type ServedTestApp } from '../support/browser.ts';

// A phone: the width of an iPhone 12 to 15, and the height of its screen.
const PHONE = { width: 390, height: 844 };

let browser: Browser;
let t: ServedTestApp;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
let petitionPath: string;
let longEmail: string;
let preferencesPath: string;
let unsubscribePath: string;
let constituencyCode: string;

beforeAll(async () => {
  [browser, t] = await Promise.all([launchBrowser(), serveTestApp()]);
  await loadDemoOnce(t.ctx.db);
  const petition = await t.ctx.db.selectFrom('petitions').select(['id', 'slug']).where('slug', '=', 'keep-our-maternity-unit-open').executeTakeFirstOrThrow();
  petitionPath = `/petitions/${petition.id}-${petition.slug}`;
  constituencyCode = (await t.ctx.db.selectFrom('constituencies').select('code').orderBy('code').executeTakeFirstOrThrow()).code;
  // A 60-character address with no break in it: the kind that pushes a page sideways.
  longEmail = `${'a'.repeat(60 - '@example.org'.length)}@example.org`;
  expect(longEmail).toHaveLength(60);
  const person = await upsertPerson(t.ctx.db, { email: longEmail, givenName: 'Long', emailVerified: true });
  const coalition = await purposeFor(t.ctx.db, { groupId: null });
  const wording = await wordingFor(t.ctx.db, coalition.id, 'Words for the coalition');
  await giveConsent(t.ctx.db, { personId: person.id, purposeId: coalition.id, wordingId: wording.id, method: 'test' });
  preferencesPath = new URL(preferencesUrl(t.baseUrl, t.ctx.secret, person.publicId)).pathname;
  unsubscribePath = new URL(unsubscribeUrl(t.baseUrl, t.ctx.secret, { personPublicId: person.publicId, purposeId: coalition.id, mailingId: 0 })).pathname;
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});
beforeEach(async () => {
  context = await browser.newContext({ baseURL: t.baseUrl, viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  page = await context.newPage();
  pageErrors = collectPageErrors(page);
});
afterEach(async () => {
  await context.close();
  expect(pageErrors).toEqual([]);
});

describe('public pages on a 390 px wide phone', () => {
  const pages: Array<[name: string, path: () => string, shows?: () => string]> = [
    ['home', () => '/'],
    ['petition list', () => '/petitions'],
    ['petition', () => petitionPath],
    ['petition’s constituencies', () => `${petitionPath}/constituencies`],
    ['group', () => '/groups/keep-our-nhs-public'],
    ['join', () => '/join'],
    ['constituency finder', () => '/constituencies'],
    ['constituency', () => `/constituencies/${constituencyCode}`],
    ['preferences (60-character email address)', () => preferencesPath, () => longEmail],
    ['unsubscribe (60-character email address)', () => unsubscribePath, () => longEmail],
    ['sign in', () => '/sign-in'],
  ];

  for (const [name, path, shows] of pages) {
    it(`the ${name} page is no wider than the screen`, async () => {
      const response = await page.goto(path());
      expect(response?.status()).toBe(200);
      if (shows) expect(await page.locator('main').textContent()).toContain(shows());
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path()} is ${width} px wide`).toBeLessThanOrEqual(PHONE.width);
    });
  }

  it('a supporter sees a Sign link on the first screen of the petition page, and it takes them to the form', async () => {
    await page.goto(petitionPath);
    const link = page.getByRole('link', { name: 'Sign this petition', exact: true });
    expect(await link.isVisible()).toBe(true);
    const box = await link.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
    await link.click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#sign');
    const field = page.getByLabel('Full name');
    await expect.poll(() => field.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(PHONE.height);
    expect(await field.evaluate((el) => el.getBoundingClientRect().top)).toBeGreaterThanOrEqual(0);
  });

  it('a supporter who is not signed in sees no embed code or counter address on the petition page', async () => {
    await page.goto(petitionPath);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain('/embed');
    expect(text).not.toContain('counter.svg');
    expect(await page.locator('#embed-code').count()).toBe(0);
  });

  it('the demo’s sign form names the postcodes to try', async () => {
    await page.goto(petitionPath);
    const hint = await page.locator('#sign-form').textContent();
    expect(hint).toContain('NW4 4BT');
    expect(hint).toContain('SW1A 1AA');
  });

  it('the demo’s sign form still names the postcodes to try when it comes back with a mistake', async () => {
    await page.goto(petitionPath);
    await page.getByLabel('Full name').fill('Robin Phone');
    await page.getByLabel('Email address').fill('robin-at-example');
    await page.getByLabel('UK postcode').fill('ZZ99 9ZZ');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/signatures')),
      page.getByRole('button', { name: 'Sign this petition' }).click(),
    ]);
    expect(response.status()).toBe(422);
    await page.waitForSelector('.error-summary');
    const hint = (await page.locator('#sign-form').textContent()) ?? '';
    expect(hint).toContain('This is a demo: try');
    expect(hint).toContain('NW4 4BT');
    expect(hint).not.toContain('For example SW1A 1AA');
  });
});
