import AxeBuilder from '@axe-core/playwright';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { freePort } from '../../src/platform/db/embedded-postgres.ts';
import { createTestApp, type TestApp, type TestAppOptions } from './app.ts';

/**
 * A real headless Chromium (the binary from @sparticuz/chromium, driven by playwright-core).
 * Launch one per test file in beforeAll and close it in afterAll; use a context per test.
 */
export async function launchBrowser(): Promise<Browser> {
  // Its Lambda-oriented flags minus those that would hide real behaviour: one process (which
  // breaks a second browser context) and relaxed web security.
  const dropped = new Set(['--single-process', '--no-zygote', '--disable-web-security', '--allow-running-insecure-content']);
  const args = chromium.args.filter((arg) => !dropped.has(arg));
  return playwright.launch({ executablePath: await chromium.executablePath(), args, headless: true });
}

/**
 * Collects what a visitor's browser would complain about: console errors (CSP refusals such as
 * an inline script or style being blocked), assets that fail to load, and uncaught script errors.
 * A page's own status (a 404 or 422 page) is not a complaint.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // Chromium logs every 4xx/5xx response, pages included; assets are checked below instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') errors.push(`${response.status()} for ${response.url()}`);
  });
  page.on('requestfailed', (request) => errors.push(`${request.failure()?.errorText ?? 'failed'}: ${request.url()}`));
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export interface ServedTestApp extends TestApp {
  /** The app's origin, e.g. http://127.0.0.1:41234 (also its BASE_URL). */
  baseUrl: string;
}

/**
 * A createTestApp() app listening on a real loopback port, with BASE_URL set to that origin so
 * links, cookies and same-origin checks behave as they would for a visitor.
 */
export async function serveTestApp(options: TestAppOptions = {}): Promise<ServedTestApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await createTestApp({ ...options, env: { ...options.env, BASE_URL: baseUrl } });
  try {
    await t.app.listen({ port, host: '127.0.0.1' });
  } catch (error) {
    await t.close();
    throw error;
  }
  return { ...t, baseUrl };
}

/** The WCAG 2.0, 2.1 and 2.2 level A and AA rules. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Runs axe-core on the page and fails, listing each violation readably, if it finds any. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  const report = results.violations.map((violation) => {
    const nodes = violation.nodes.map((node) => `    - ${node.target.join(' ')}\n      ${node.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`);
    return `  ${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n    ${violation.helpUrl}\n${nodes.join('\n')}`;
  });
  expect(report.join('\n'), `axe found accessibility problems on ${page.url()}`).toBe('');
}

/**
 * Signs an organiser in through the sign-in form, as a person would: opens /sign-in (the page's
 * context needs a baseURL), fills in the email address and password, presses Sign in and waits
 * until the browser has left the sign-in page (a refused sign-in stays on it, so this times out).
 */
export async function signInInBrowser(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}
