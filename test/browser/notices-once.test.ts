import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api/tokens.ts';
import { createOrganiser } from '../../src/coalition/organisers.ts';
import { upsertPerson } from '../../src/supporters/people.ts';
import { collectPageErrors, launchBrowser, serveTestApp, signInInBrowser, type ServedTestApp } from '../support/browser.ts';

// After a change, the page it leads to says so once: the notice is not in the address, so a
// reload (or a bookmark, or the back button) does not announce the change again.

let browser: Browser;
let t: ServedTestApp;
let context: BrowserContext;
let page: Page;
let errors: string[];
let personPath: string;
const email = 'notice-admin@example.org';
const password = 'a password long enough';

beforeAll(async () => {
  [browser, t] = await Promise.all([launchBrowser(), serveTestApp()]);
  const id = await createOrganiser(t.ctx.db, { email, name: 'Notice Admin', role: 'admin', password, actor: 'test' });
  await createApiToken(t.ctx.db, { actor: { id, name: 'Notice Admin', email, role: 'admin' }, name: 'Old CRM key', groupId: null, scope: 'read', confirmsSignatures: false });
  const person = await upsertPerson(t.ctx.db, { email: 'noticed@example.org', givenName: 'Nora' });
  personPath = `/admin/people/${person.publicId}`;
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});
beforeEach(async () => {
  context = await browser.newContext({ baseURL: t.baseUrl });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  errors = collectPageErrors(page);
  await signInInBrowser(page, email, password);
});
afterEach(async () => {
  await context.close();
  expect(errors).toEqual([]);
});

/** Waits until the browser is on `pathname` (whatever the query). */
async function arriveAt(pathname: string | RegExp) {
  await page.waitForURL((url) => (typeof pathname === 'string' ? url.pathname === pathname : pathname.test(url.pathname)));
}

/** The notice is on the page now, and a reload shows it no more. */
async function expectShownOnce(notice: string, heading: string) {
  await page.getByText(notice).waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  expect(await page.getByText(notice).count(), `“${notice}” again after a reload`).toBe(0);
}

describe('notices after a change show once, and not after a reload', () => {
  it('a person’s page: “The details have been saved.”', async () => {
    await page.goto(`${personPath}/edit`);
    await page.getByRole('button', { name: 'Save details' }).click();
    await arriveAt(personPath);
    await expectShownOnce('The details have been saved.', 'Nora');
  });

  it('segments: “The segment has been saved.” and “The segment has been deleted.”', async () => {
    await page.goto('/admin/segments/new');
    await page.getByLabel('Segment name').fill('Everyone noticed');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await arriveAt(/^\/admin\/segments\/\d+$/);
    await expectShownOnce('The segment has been saved.', 'Everyone noticed');

    await page.getByRole('button', { name: 'Delete segment' }).click();
    await arriveAt('/admin/segments');
    await expectShownOnce('The segment has been deleted.', 'Segments');
  });

  it('tags: “Created.” and “Your changes have been saved.”', async () => {
    await page.goto('/admin/tags');
    await page.getByLabel('Name').first().fill('volunteer');
    await page.getByRole('button', { name: 'Create tag' }).click();
    await arriveAt(/^\/admin\/tags\/\d+$/);
    await expectShownOnce('Created.', 'volunteer');

    await page.getByLabel('Name').first().fill('volunteers');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectShownOnce('Your changes have been saved.', 'volunteers');
  });

  it('retention: “The retention rules have been saved.”', async () => {
    await page.goto('/admin/retention');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await arriveAt('/admin/retention');
    await expectShownOnce('The retention rules have been saved.', 'Retention rules');
  });

  it('API keys: “The key has been revoked.”', async () => {
    await page.goto('/admin/api');
    await page.getByRole('button', { name: 'Revoke Old CRM key' }).click();
    await arriveAt('/admin/api');
    await expectShownOnce('The key has been revoked. Requests made with it are now refused.', 'API and webhooks');
  });

  it('brand: “The brand has been saved.”; groups: “The group has been added.”', async () => {
    await page.goto('/admin/brand');
    await page.getByRole('button', { name: 'Save brand' }).click();
    await arriveAt('/admin/brand');
    await expectShownOnce('The brand has been saved. Every page now uses it.', 'Brand');

    await page.goto('/admin/groups/new');
    await page.getByLabel('Name', { exact: true }).fill('Noticed Save Our NHS');
    await page.getByRole('button', { name: 'Add group' }).click();
    await arriveAt('/admin/groups');
    await expectShownOnce('The group has been added. Its public page is live.', 'Groups');
  });
});
