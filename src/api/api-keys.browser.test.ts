import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, serveTestApp, signInInBrowser, type ServedTestApp } from '../../test/support/browser.ts';
import { signedInAgent } from '../../test/support/organisers.ts';

let t: ServedTestApp;
let browser: Browser;
const email = 'key-maker@example.org';
let password: string;

beforeAll(async () => {
  t = await serveTestApp();
  ({ password } = await signedInAgent(t.app, t.ctx, { role: 'admin', email }));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function makeKeyIn(page: Page, name: string): Promise<string> {
  await signInInBrowser(page, email, password);
  await page.locator('h1', { hasText: 'Organiser dashboard' }).waitFor();
  await page.goto(`${t.baseUrl}/admin/api/keys/new`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Whose data').selectOption({ label: 'Whole coalition (every group)' });
  await page.getByLabel('Read', { exact: true }).check();
  await page.getByRole('button', { name: 'Make the key' }).click();
  await page.locator('h1', { hasText: 'Your new API key' }).waitFor();
  return (await page.locator('#api-key').textContent())!.trim();
}

describe('a new API key in a real browser', () => {
  it('copies the once-shown key to the clipboard with its copy button', async () => {
    const context = await browser.newContext({ baseURL: t.baseUrl });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseUrl });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const key = await makeKeyIn(page, 'CRM sync');
    expect(key.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy the key' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Key copied' }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    // The key is the one that works: the API accepts it.
    const answer = await page.evaluate(async (token) => (await fetch('/api/v1', { headers: { 'OSDI-API-Token': token } })).status, key);
    expect(answer).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('still shows the key as selectable text, and no dead button, without JavaScript', async () => {
    const context = await browser.newContext({ baseURL: t.baseUrl, javaScriptEnabled: false });
    const page = await context.newPage();
    const key = await makeKeyIn(page, 'Script without JS');
    expect(key).toMatch(/\S{20,}/);
    expect(await page.locator('#api-key').evaluate((el) => getComputedStyle(el).userSelect)).toBe('all');
    expect(await page.getByRole('button', { name: 'Copy the key' }).isVisible()).toBe(false);
    await context.close();
  });
});
