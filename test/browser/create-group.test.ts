import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganiser } from '../../src/coalition/organisers.ts';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, signInInBrowser, type ServedTestApp } from '../support/browser.ts';

let browser: Browser;
let t: ServedTestApp;
const password = 'a password long enough';

beforeAll(async () => {
  [browser, t] = await Promise.all([launchBrowser(), serveTestApp()]);
  await createOrganiser(t.ctx.db, { email: 'ada@example.org', name: 'Ada Admin', role: 'admin', password, actor: 'test' });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('a coalition admin adds a member group in a real browser', () => {
  it('signs in, creates the group at /admin/groups/new, and the public sees it on /groups', async () => {
    const context = await browser.newContext({ baseURL: t.baseUrl });
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await signInInBrowser(page, 'ada@example.org', password);
      await page.waitForURL('**/admin');

      const form = await page.goto('/admin/groups/new');
      expect(form?.status()).toBe(200);
      await expectNoAxeViolations(page);
      await page.getByLabel(/^Name\b/).fill('Friends of Ward 7');
      await page.getByLabel(/^Description/).fill('Patients and staff keeping the stroke ward open.');
      await page.getByLabel(/^Website/).fill('https://ward7.example.org');
      await page.getByLabel(/^Contact email/).fill('ward7@example.org');
      await page.getByRole('button', { name: 'Add group' }).click();
      await page.waitForLoadState();
      expect(errors).toEqual([]);

      // Anyone, signed in or not, now finds it among the member groups.
      const visitor = await browser.newContext({ baseURL: t.baseUrl });
      try {
        const publicPage = await visitor.newPage();
        await publicPage.goto('/groups');
        await publicPage.getByRole('link', { name: 'Friends of Ward 7', exact: true }).click();
        await publicPage.waitForLoadState();
        expect(await publicPage.getByRole('heading', { level: 1 }).textContent()).toBe('Friends of Ward 7');
        expect(await publicPage.getByText('Patients and staff keeping the stroke ward open.').isVisible()).toBe(true);
      } finally {
        await visitor.close();
      }
    } finally {
      await context.close();
    }
  });
});
