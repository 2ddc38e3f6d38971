import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, signInInBrowser, type ServedTestApp } from '../../test/support/browser.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { places, seedPlaces } from '../../test/support/public-petitions.ts';
import { addLink } from './save-link.ts';
import type { LinkInput } from './store.ts';

let t: ServedTestApp;
let browser: Browser;
let linkId = 0;
const phone = { width: 390, height: 844 };

const input = (over: Partial<LinkInput>): LinkInput => ({ url: 'https://news.example/a', title: 'A title', source: 'News', publishedOn: '2024-01-01', summary: '', tags: [], constituencyCodes: [], regionCodes: [], groupId: null, ...over });

beforeAll(async () => {
  t = await serveTestApp();
  await seedPlaces(t.ctx.db);
  const first = await addLink(t.ctx.db, null, input({ url: 'https://news.example/maternity', title: 'Maternity unit closure confirmed', summary: 'The board voted to **close** the unit.', source: 'The Gazette', tags: ['maternity'], regionCodes: [places.north.region] }));
  linkId = first.ok ? first.id : 0;
  for (let i = 0; i < 25; i++) await addLink(t.ctx.db, null, input({ url: `https://news.example/other-${i}`, title: `Ambulance waits, part ${i + 1}`, summary: 'Waits grew again this winter.', source: i % 2 ? 'Echo' : 'Chronicle', publishedOn: `2023-0${1 + (i % 9)}-1${i % 9}` }));
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function checkPage(page: Page) {
  await expectNoAxeViolations(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${page.url()} is wider than the phone`).toBeLessThanOrEqual(phone.width);
}

describe('news links in a real browser, on a phone', () => {
  it('searches the links (a plain GET form), leaves a word out, pages through, and opens a link’s page; axe finds nothing and nothing is wider than 390 px', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: phone, baseURL: t.baseUrl });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/links');
    await checkPage(page);
    expect(await page.getByRole('status').textContent()).toContain('26 links');
    await page.getByLabel('Search the links').fill('closures -ambulance');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=closures/);
    expect(await page.locator('.link-result').count()).toBe(1);
    expect(await page.locator('.link-result mark').first().textContent()).toBe('closure');
    await checkPage(page);
    await page.getByRole('link', { name: /About this link/ }).click();
    await page.waitForURL(`${t.baseUrl}/links/${linkId}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Maternity unit closure confirmed');
    await checkPage(page);
    await page.goto('/links?q=ambulance&sort=newest');
    await page.getByRole('link', { name: /next/i }).first().click();
    await page.waitForURL(/page=2/);
    expect(await page.locator('.link-result').count()).toBe(5);
    await checkPage(page);
    // An error names the field, and is accessible too.
    await page.goto('/links?from=2024-02-31');
    await checkPage(page);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an organiser adds a link (the page cannot be fetched, so they type it), sees the refusal of a duplicate, edits and deletes; axe finds nothing on the admin link pages at 390 px', { timeout: 120_000 }, async () => {
    const { email, password } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const context = await browser.newContext({ viewport: phone, baseURL: t.baseUrl });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signInInBrowser(page, email, password);
    await page.goto('/admin/links');
    await checkPage(page);
    await page.getByRole('link', { name: 'Add a link' }).click();
    await checkPage(page);
    await page.getByLabel('Address of the page').fill('http://127.0.0.1/story');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('it is not a public web address').waitFor();
    await checkPage(page);
    await page.getByLabel('Address', { exact: true }).fill('https://press.example/new-story');
    await page.getByLabel('Title').fill('Walk-in centre saved');
    await page.getByLabel('Source').fill('Press');
    await page.getByLabel('North East').check();
    await page.getByRole('button', { name: 'Add link' }).click();
    await page.getByText('Link added.').waitFor();
    // The same article again is refused, pointing at the one there.
    await page.goto('/admin/links/new');
    await page.getByLabel('Address of the page').fill('https://news.example/maternity?utm_source=x');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('This link is already in the library:').waitFor();
    await checkPage(page);
    await page.getByRole('alert').getByRole('link', { name: 'Maternity unit closure confirmed' }).click();
    await page.waitForURL(/\/admin\/links\/\d+\/edit/);
    await checkPage(page);
    await page.getByLabel('Title').fill('Form with an error');
    await page.getByLabel('Date published').fill('');
    await page.getByLabel('Address', { exact: true }).fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Save link' }).click();
    await page.getByText('Enter a web address starting with https://').first().waitFor();
    await checkPage(page);
    await page.goto(`/admin/links/${linkId}/delete`);
    await checkPage(page);
    await page.getByRole('button', { name: 'Delete link' }).click();
    await page.getByText('Link deleted.').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
