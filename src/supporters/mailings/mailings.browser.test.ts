import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganiser } from '../../coalition/organisers.ts';
import { collectPageErrors, launchBrowser, serveTestApp, signInInBrowser, type ServedTestApp } from '../../../test/support/browser.ts';
import { purposeFor } from '../consent.ts';
import { addPerson } from './test-support.ts';

let browser: Browser;
let t: ServedTestApp;
const password = 'a password long enough';

beforeAll(async () => {
  [browser, t] = await Promise.all([launchBrowser(), serveTestApp()]);
  await createOrganiser(t.ctx.db, { email: 'ada@example.org', name: 'Ada Admin', role: 'admin', password, actor: 'test' });
  const coalition = await purposeFor(t.ctx.db, { groupId: null });
  await addPerson(t.ctx.db, { email: 'reader@example.org', givenName: 'Rita', consents: [coalition.id] });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('a mailing in a real browser', () => {
  it('shows “Sending has started” once after sending: a reload does not show it again', async () => {
    const context = await browser.newContext({ baseURL: t.baseUrl });
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await signInInBrowser(page, 'ada@example.org', password);
      await page.waitForURL('**/admin');

      await page.goto('/admin/mailings/new');
      await page.getByLabel('From').selectOption({ label: 'Coalition updates' });
      await page.getByLabel('Subject').fill('Spring news');
      await page.getByLabel('Message', { exact: true }).fill('Hello {{first_name|friend}}');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByText('The draft has been saved.').waitFor();
      const mailingUrl = page.url();
      expect(new URL(mailingUrl).search).toBe('');

      await page.getByRole('link', { name: 'Send or schedule' }).click();
      await page.getByLabel('Now').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Send to 1 person now' }).click();
      await page.getByText('Sending has started.').waitFor();
      expect(page.url()).toBe(mailingUrl);

      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Spring news' }).waitFor();
      expect(await page.getByText('Sending has started.').count()).toBe(0);
      expect(await page.getByText('The draft has been saved.').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
