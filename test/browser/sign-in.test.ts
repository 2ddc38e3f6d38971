import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganiser } from '../../src/coalition/organisers.ts';
import { collectPageErrors, launchBrowser, serveTestApp, type ServedTestApp } from '../support/browser.ts';

let browser: Browser;
let t: ServedTestApp;
const password = 'a password long enough';

beforeAll(async () => {
  [browser, t] = await Promise.all([launchBrowser(), serveTestApp()]);
  await createOrganiser(t.ctx.db, { email: 'robin@example.org', name: 'Robin Admin', role: 'admin', password, actor: 'test' });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signInWith(context: BrowserContext) {
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto('/admin/mail');
  // Not signed in: sent to the sign-in page, and brought back afterwards.
  expect(new URL(page.url()).pathname).toBe('/sign-in');

  await page.getByLabel('Email address').fill('robin@example.org');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  expect(await page.getByRole('alert').textContent()).toContain('There is a problem');
  expect(await page.getByLabel('Email address').inputValue()).toBe('robin@example.org');

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/admin/mail');
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Outgoing mail');
  expect(await page.getByText('Robin Admin (coalition admin)').isVisible()).toBe(true);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  expect(await page.getByRole('link', { name: 'Organiser sign in' }).isVisible()).toBe(true);
  return { page, errors };
}

describe('organiser sign-in in a real browser', () => {
  it('works with JavaScript turned off', async () => {
    const context = await browser.newContext({ baseURL: t.baseUrl, javaScriptEnabled: false });
    try {
      const { errors } = await signInWith(context);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('works with JavaScript on, where focus moves to the error summary', async () => {
    const context = await browser.newContext({ baseURL: t.baseUrl });
    try {
      const page = await context.newPage();
      await page.goto('/sign-in');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-module'))).toBe('error-summary');
      // Each message in the summary links to its field.
      await page.getByRole('link', { name: 'Enter your password' }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? '')).toBe('field-password');
      await page.close();
      const { errors } = await signInWith(context);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
