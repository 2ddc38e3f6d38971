import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publicDir } from '../../src/app.ts';
import { loadDemoOnce } from '../../src/demo.ts';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, type ServedTestApp } from '../support/browser.ts';

let browser: Browser;
let t: ServedTestApp;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  [browser, t] = await Promise.all([launchBrowser(), serveTestApp()]);
  await loadDemoOnce(t.ctx.db); // a brand, member groups and their pages to look at
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});
beforeEach(async () => {
  context = await browser.newContext({ baseURL: t.baseUrl });
  page = await context.newPage();
  pageErrors = collectPageErrors(page);
});
afterEach(async () => {
  await context.close();
  // No CSP refusals (inline script or style), failed loads or script errors on any page visited.
  expect(pageErrors).toEqual([]);
});

describe('public pages in a real browser', () => {
  const pages: Array<[name: string, path: string, heading: string]> = [
    ['home', '/', 'NHS Together Coalition'],
    ['member groups', '/groups', 'Member groups'],
    ['group', '/groups/keep-our-nhs-public', 'Keep Our NHS Public'],
    ['sign in', '/sign-in', 'Sign in'],
    ['forgotten password', '/forgot-password', 'Reset your password'],
    ['privacy', '/privacy', 'Privacy'],
    ['accessibility statement', '/accessibility', 'Accessibility statement'],
  ];

  for (const [name, path, heading] of pages) {
    it(`axe finds no WCAG 2.2 A/AA problems on the ${name} page (${path})`, async () => {
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
      await expectNoAxeViolations(page);
    });
  }

  // Demo petitions have signatures over the demo constituencies: the page with its map image, and
  // the page with every constituency's figures.
  for (const [name, suffix, heading] of [
    ['demo petition', '', 'Keep our maternity unit open'],
    ['demo petition’s full tables', '/constituencies', 'Where signatures come from'],
  ] as const) {
    it(`axe finds no WCAG 2.2 A/AA problems on the ${name} page`, async () => {
      const petition = await t.ctx.db.selectFrom('petitions').select(['id', 'slug']).where('slug', '=', 'keep-our-maternity-unit-open').executeTakeFirstOrThrow();
      const response = await page.goto(`/petitions/${petition.id}-${petition.slug}${suffix}`);
      expect(response?.status()).toBe(200);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(heading);
      if (suffix === '') {
        const map = page.locator('img.hexmap__img');
        await map.scrollIntoViewIfNeeded();
        await expect.poll(() => map.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
      }
      await expectNoAxeViolations(page);
    });
  }

  it('axe finds no problems on the friendly 404 page', async () => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    await expectNoAxeViolations(page);
  });

  it('axe finds no problems on a form showing validation errors, and app.js moves focus to the error summary', async () => {
    await page.goto('/forgot-password');
    await page.getByLabel('Email address').fill('not an email');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.textContent()).toContain('There is a problem');
    // The typed value is kept, and the message sits beside the field too, tied to it for screen readers.
    const field = page.getByLabel('Email address');
    expect(await field.inputValue()).toBe('not an email');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    const message = await page.locator(`#${describedBy.split(' ').find((id) => id.endsWith('-error'))}`).textContent();
    expect(message).toMatch(/^Error: .+/);
    expect(await summary.textContent()).toContain(message!.replace(/^Error: /, ''));
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-module'))).toBe('error-summary');
    await expectNoAxeViolations(page);
  });

  it('the skip link is the first thing the keyboard reaches, and it moves focus to the main content', async () => {
    await page.goto('/groups');
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect(await focused.textContent()).toBe('Skip to main content');
    expect(await focused.isVisible()).toBe(true); // shown when focused
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    // The next Tab continues inside the main content, not back in the header.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
  });

  it('the one script is small, loaded deferred from our own site, and only enhances', async () => {
    expect(fs.statSync(`${publicDir}/app.js`).size).toBeLessThan(2048);
    await page.goto('/sign-in');
    const scripts = await page.locator('script').evaluateAll((nodes) => nodes.map((n) => ({ src: n.getAttribute('src'), defer: n.hasAttribute('defer') })));
    expect(scripts).toEqual([{ src: expect.stringMatching(/^\/assets\/app\.js\?v=[0-9a-f]{12}$/), defer: true }]);
    // Without an error summary on the page it leaves focus alone.
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  });
});
