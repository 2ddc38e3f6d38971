import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, signInInBrowser, type ServedTestApp } from '../../../test/support/browser.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { createOrganiser } from '../../coalition/organisers.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';

let t: ServedTestApp;
let browser: Browser;
const password = 'a password long enough';
beforeAll(async () => {
  t = await serveTestApp();
  await seedPlaces(t.ctx.db);
  await t.ctx.db.updateTable('constituencies').set({ majority: 400, valid_votes: 40000, first_party: 'Lab', second_party: 'Con' }).where('code', '=', places.north.code).execute();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function checkPage(page: Page) {
  await expectNoAxeViolations(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), page.url()).toBeLessThanOrEqual(390);
}

describe('target lists in a real browser, on a 390 px phone', () => {
  it('makes a group’s list with a mistake first, adds a seat and a politician, opens the seat page; axe finds nothing on any of the pages', { timeout: 120_000 }, async () => {
    const group = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
    await createOrganiser(t.ctx.db, { email: 'targets@example.org', name: 'Tara Gets', role: 'organiser', groupIds: [group], password, actor: 'test' });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: t.baseUrl });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signInInBrowser(page, 'targets@example.org', password);

    await page.goto('/admin/targets');
    await checkPage(page);
    await page.getByRole('link', { name: 'Make a target list' }).click();
    await checkPage(page);
    await page.getByLabel('Name', { exact: true }).fill('Northtown and friends');
    await page.getByLabel('2024 majority below this share of the vote, in per cent').fill('lots');
    await page.getByRole('button', { name: 'Make the list' }).click();
    await page.waitForSelector('.error-summary');
    await checkPage(page);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Northtown and friends');
    await page.getByLabel('2024 majority below this share of the vote, in per cent').fill('5');
    await page.getByRole('button', { name: 'Make the list' }).click();
    await page.waitForURL(/\/admin\/targets\/\d+$/);
    await page.getByText('The list was made and its seats chosen.').waitFor();
    await checkPage(page);
    expect(await page.getByRole('link', { name: places.north.name }).count()).toBe(1);

    await page.getByLabel('Add a seat by hand').fill('Nowhere at all');
    await page.getByRole('button', { name: 'Add the seat' }).click();
    await page.waitForSelector('.error-summary');
    await checkPage(page);
    await page.getByLabel('Add a seat by hand').fill(places.west.name);
    await page.getByRole('button', { name: 'Add the seat' }).click();
    await page.getByText('The seat was added.').waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Ben South');
    await page.getByLabel('Role', { exact: true }).selectOption('committee_chair');
    await page.getByLabel('Their own seat (optional)').fill(places.south.name);
    await page.getByRole('button', { name: 'Add the politician' }).click();
    await page.getByText('The politician was added.').waitFor();
    await checkPage(page);

    await page.getByRole('link', { name: places.south.name }).click();
    await page.waitForURL(`**/admin/seats/${places.south.code}`);
    await checkPage(page);
    expect(await page.textContent('main')).toContain('Northtown and friends');
    expect(errors).toEqual([]);
  });
});
