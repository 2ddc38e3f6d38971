import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../test/support/agent.ts';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, signInInBrowser, type ServedTestApp } from '../../../test/support/browser.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { createOrganiser } from '../../coalition/organisers.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { addOpportunityVia, addStorytellerVia, addTopic, askTokenFor, makeReady } from './test-support.ts';

let t: ServedTestApp;
let browser: Browser;
const password = 'a password long enough';
beforeAll(async () => {
  t = await serveTestApp();
  await seedPlaces(t.ctx.db);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the storyteller pages in a browser', () => {
  it('adds a storyteller with a mistake first, records a note and answers yes from the email link at 390 px wide; axe finds nothing on any storyteller page', { timeout: 180_000 }, async () => {
    const group = await insertGroup(t.ctx.db, 'Westbury Health Campaign');
    const topic = await addTopic(t, 'Mental health waiting times');
    await createOrganiser(t.ctx.db, { email: 'stories@example.org', name: 'Sol Stories', role: 'organiser', groupIds: [group], password, actor: 'test' });
    // One storyteller made ready and asked, through the same forms (an agent of the same organiser).
    const agent = new Agent(t.app);
    await agent.get('/sign-in');
    expect((await agent.post('/sign-in', { email: 'stories@example.org', password })).statusCode).toBe(303);
    const ready = await addStorytellerVia(agent, { name: 'Rhian Ready', email: 'rhian@example.org', phone: '07700 900777', postcode: places.west.postcode, groups: [group], topics: [topic] });
    await makeReady(agent, ready);
    const opportunity = await addOpportunityVia(agent, { topic: String(topic), postcode: places.west.postcode });

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: t.baseUrl });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signInInBrowser(page, 'stories@example.org', password);
    const narrow = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.goto('/admin/storytellers/new');
    await expectNoAxeViolations(page);
    await page.getByLabel('Name').fill('Bea Browser');
    await page.getByLabel('Email address').fill('not an email');
    await page.getByRole('button', { name: 'Add storyteller' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Enter an email address in the correct format');
    await expectNoAxeViolations(page);
    expect(await page.getByLabel('Name').inputValue()).toBe('Bea Browser');
    await page.getByLabel('Email address').fill('bea@example.org');
    await page.getByLabel('Mental health waiting times').check();
    await page.getByRole('button', { name: 'Add storyteller' }).click();
    await page.waitForURL(/\/admin\/storytellers\/[0-9a-f-]{36}$/);
    await page.getByText('Storyteller added.').waitFor();
    await expectNoAxeViolations(page);
    await narrow();
    await page.getByLabel('Add a note').fill('Happy to speak in the evenings');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Happy to speak in the evenings');

    for (const path of ['/admin/storytellers', '/admin/storytellers/topics', '/admin/storytellers/training', '/admin/storytellers/training/1', '/admin/opportunities', '/admin/opportunities/new', `/admin/opportunities/${opportunity}`]) {
      await page.goto(path);
      await expectNoAxeViolations(page);
      await narrow();
    }
    // The request page names nobody before a yes.
    expect(await page.locator('main').textContent()).not.toContain('Rhian');
    await page.getByLabel(/Storyteller 1: Same constituency/).check();
    await page.getByRole('button', { name: 'Ask them' }).click();
    await page.getByText('Asked: each gets an email with yes and no links.').waitFor();
    expect(await page.locator('main').textContent()).not.toContain('Rhian');

    // The storyteller, not signed in, answers from the link in the email.
    const token = await askTokenFor(t, 'rhian@example.org');
    const teller = await (await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: t.baseUrl })).newPage();
    await teller.goto(`/storytellers/asks/${token}?answer=yes`);
    await expectNoAxeViolations(teller);
    await teller.getByRole('button', { name: 'Yes, share my details for this' }).click();
    await expect.poll(() => teller.locator('main').textContent()).toContain('You said yes');
    await expectNoAxeViolations(teller);

    await page.goto(`/admin/opportunities/${opportunity}`);
    expect(await page.locator('main').textContent()).toContain('rhian@example.org');
    await expectNoAxeViolations(page);
    await page.goto(`/admin/storytellers/${ready}`);
    await expectNoAxeViolations(page);
    expect(errors).toEqual([]);
  });
});
