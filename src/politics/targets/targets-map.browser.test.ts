import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, signInInBrowser, type ServedTestApp } from '../../../test/support/browser.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { createOrganiser } from '../../coalition/organisers.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { hustingsIn, seedResults, signaturesIn, storyIn, storytellerIn, supportersIn } from './test-support.ts';

let t: ServedTestApp;
let browser: Browser;
let listId: number;
const password = 'a password long enough';
beforeAll(async () => {
  t = await serveTestApp();
  await seedPlaces(t.ctx.db);
  await seedResults(t);
  const group = await insertGroup(t.ctx.db, 'Southvale Save Our NHS');
  await createOrganiser(t.ctx.db, { email: 'mapper@example.org', name: 'Map Per', role: 'organiser', groupIds: [group], password, actor: 'test' });
  const list = await t.ctx.db.insertInto('target_lists').values({ name: 'Marginals to win', group_id: group }).returning('id').executeTakeFirstOrThrow();
  listId = list.id;
  await t.ctx.db
    .insertInto('target_list_seats')
    .values([places.north.code, places.south.code].map((code) => ({ list_id: listId, constituency_code: code, chosen: 'hand' as const })))
    .execute();
  await signaturesIn(t, places.south, 6);
  await signaturesIn(t, places.north, 2);
  await supportersIn(t, places.south.code, 3);
  await storyIn(t, places.south, 'published');
  await storyIn(t, places.south, 'ready');
  await storytellerIn(t, places.south, group, 'ready', { topic: 'Waiting times' });
  await hustingsIn(t, places.south, group);
  await hustingsIn(t, places.west, group);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function checkPage(page: Page, width: number) {
  await expectNoAxeViolations(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), page.url()).toBeLessThanOrEqual(width);
}

describe('the map, the public map and the opportunities in a real browser', () => {
  for (const [device, width, height] of [
    ['a 390 px phone', 390, 844],
    ['a desktop', 1280, 900],
  ] as const) {
    it(`on ${device}: chooses a figure (a plain GET form), follows a hex to its seat, and axe finds nothing on any page`, { timeout: 120_000 }, async () => {
      const context = await browser.newContext({ viewport: { width, height }, baseURL: t.baseUrl });
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await signInInBrowser(page, 'mapper@example.org', password);

      await page.goto(`/admin/targets/${listId}`);
      await page.getByRole('link', { name: 'See the list on the map' }).click();
      await page.waitForURL(`**/admin/targets/${listId}/map`);
      await checkPage(page, width);
      expect(await page.locator('img.hexmap__img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      await page.getByLabel('Colour the seats by').selectOption('storiesReady');
      await page.getByRole('button', { name: 'Show the map' }).click();
      await page.waitForURL(/figure=storiesReady/);
      await checkPage(page, width);
      expect(await page.getByRole('columnheader', { name: /Stories ready to use/ }).count()).toBe(1);
      await page.getByRole('link', { name: 'Southvale: 1 story ready to use (on the list)' }).click();
      await page.waitForURL(`**/admin/seats/${places.south.code}`);
      expect(await page.textContent('main')).toContain('+6 signatures this week');
      await checkPage(page, width);

      await page.goto(`/admin/map?list=${listId}&figure=supporters`);
      await checkPage(page, width);

      await page.goto(`/admin/targets/opportunities?list=${listId}`);
      await checkPage(page, width);
      expect(await page.getByRole('link', { name: 'Hustings: Southvale', exact: true }).count()).toBe(1);
      await page.getByRole('link', { name: /Storyteller 1/ }).click();
      await page.waitForURL('**/admin/storytellers/*');

      const visitor = await browser.newContext({ viewport: { width, height }, baseURL: t.baseUrl });
      const publicPage = await visitor.newPage();
      await publicPage.goto('/');
      await publicPage.getByRole('link', { name: 'Map', exact: true }).first().click();
      await publicPage.waitForURL('**/map');
      await checkPage(publicPage, width);
      await publicPage.getByLabel('Colour the seats by').selectOption('storiesPublished');
      await publicPage.getByRole('button', { name: 'Show the map' }).click();
      await publicPage.waitForURL(/figure=storiesPublished/);
      await checkPage(publicPage, width);
      await publicPage.getByRole('link', { name: 'Southvale: 1 published story' }).click();
      await publicPage.waitForURL(`**/constituencies/${places.south.code}`);
      expect(errors).toEqual([]);
      await visitor.close();
      await context.close();
    });
  }
});
