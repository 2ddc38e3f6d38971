import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganiser } from '../../coalition/organisers.ts';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, signInInBrowser, type ServedTestApp } from '../../../test/support/browser.ts';
import { upsertPerson } from '../people.ts';
import { addPostcode } from '../test-support.ts';

let browser: Browser;
let t: ServedTestApp;
const password = 'a password long enough';

beforeAll(async () => {
  [browser, t] = await Promise.all([launchBrowser(), serveTestApp()]);
  await createOrganiser(t.ctx.db, { email: 'ada@example.org', name: 'Ada Admin', role: 'admin', password, actor: 'test' });
  await addPostcode(t.ctx.db, 'NW4 4BT', { code: 'E14001273', name: 'Hendon', regionCode: 'E12000007' });
  await addPostcode(t.ctx.db, 'GU11 1AA', { code: 'E14001063', name: 'Aldershot', regionCode: 'E12000008' });
  for (const [email, code] of [['h1@example.org', 'E14001273'], ['h2@example.org', 'E14001273'], ['a1@example.org', 'E14001063']] as const) {
    await upsertPerson(t.ctx.db, { email, givenName: 'Test', postcode: null, constituencyCode: code });
  }
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(page: Page) {
  await signInInBrowser(page, 'ada@example.org', password);
  await page.waitForURL('**/admin');
}

describe('the segment builder in a real browser', () => {
  it('without JavaScript: finds a constituency by name with Enter, ticks it, counts; adding a second condition flags nothing', async () => {
    const context = await browser.newContext({ baseURL: t.baseUrl, javaScriptEnabled: false });
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      await signIn(page);
      await page.goto('/admin/segments/new');
      await page.getByRole('button', { name: 'Constituency', exact: true }).click();
      await page.getByLabel('Find a constituency by name or postcode').fill('hend');
      await page.getByLabel('Find a constituency by name or postcode').press('Enter');
      await page.getByLabel('Hendon').waitFor();
      expect(await page.getByText('Condition 1: Constituency').count()).toBe(1);
      expect(await page.getByText('There is a problem').count()).toBe(0);
      await page.getByLabel('Hendon').check();
      await page.getByRole('button', { name: 'Update count' }).click();
      await page.getByText('2 people match').waitFor();
      expect(await page.getByLabel('Hendon').isChecked()).toBe(true);

      // A fresh second condition, then a third: the unfilled second is not flagged by adding.
      await page.getByRole('button', { name: 'Tags', exact: true }).click();
      await page.getByText('Condition 2: Tags').waitFor();
      await page.getByRole('button', { name: 'Date added', exact: true }).click();
      await page.getByText('Condition 3: Date added').waitFor();
      expect(await page.getByText('There is a problem').count()).toBe(0);
      await page.getByRole('button', { name: 'Update count' }).click();
      await page.getByText('There is a problem').waitFor();
    } finally {
      await context.close();
    }
  });

  it('with JavaScript: a name picked from the list is ticked at once and counted', async () => {
    const context = await browser.newContext({ baseURL: t.baseUrl });
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await signIn(page);
      await page.goto('/admin/segments/new?add=constituency');
      await page.getByLabel('Find a constituency by name or postcode').fill('Aldershot');
      await page.getByLabel('Aldershot').waitFor();
      expect(await page.getByLabel('Aldershot').isChecked()).toBe(true);
      await page.locator('#segment-count', { hasText: '1 person matches' }).waitFor();
      await expectNoAxeViolations(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
