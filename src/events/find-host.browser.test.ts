import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, type ServedTestApp } from '../../test/support/browser.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { toLondonInput } from '../supporters/index.ts';
import { saveHostRules } from './host-rules.ts';
import { fixtureAdmin, makeEvent, positioned, seedPositionedPostcodes } from './test-support.ts';

let t: ServedTestApp;
let browser: Browser;
beforeAll(async () => {
  t = await serveTestApp();
  await seedPlaces(t.ctx.db);
  await seedPositionedPostcodes(t.ctx.db);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The page is no wider than the phone's screen. */
async function expectNoHorizontalScroll(page: Page) {
  const { pageWidth, viewport } = await page.evaluate(() => ({ pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(pageWidth).toBeLessThanOrEqual(viewport);
}

const phone = { width: 390, height: 844 };
const inDays = (n: number) => {
  const start = new Date(Math.floor((Date.now() + n * 86_400_000) / 3_600_000) * 3_600_000);
  return { starts_at: toLondonInput(start), ends_at: toLondonInput(new Date(start.getTime() + 2 * 3_600_000)) };
};

describe('finding and hosting events in a real browser, on a 390 px phone', () => {
  it('finds events near a postcode with filters, in miles, nearest first; a wrong postcode is named; axe finds nothing and nothing scrolls sideways', { timeout: 90_000 }, async () => {
    const group = await insertGroup(t.ctx.db, 'Bristol Keep Our NHS Public');
    await makeEvent(t, [group], { title: 'Bath rally for the RUH', type: 'rally', postcode: positioned.bath.postcode, ...inDays(2) });
    await makeEvent(t, [group], { title: 'Clifton street stall', type: 'street_stall', postcode: positioned.clifton.postcode, ...inDays(6) });
    await makeEvent(t, [group], { title: 'Clifton conference on social care', type: 'conference', postcode: positioned.clifton.postcode, tier_1_name: 'Waged', tier_1_price: '10', tier_2_name: 'Unwaged', tier_2_price: '5', ...inDays(8) });
    const page = await (await browser.newContext({ viewport: phone })).newPage();
    const errors = collectPageErrors(page);

    await page.goto(`${t.baseUrl}/events`);
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);

    // A mistake first: the postcode is named, and what was typed stays.
    await page.getByLabel('Search events').fill('stall');
    await page.getByLabel('Near a postcode').fill('ZZ9 9ZZ');
    await page.getByRole('button', { name: 'Find events' }).click();
    await page.waitForSelector('.error-summary');
    expect(await page.getByRole('link', { name: /We could not find the postcode ZZ9 9ZZ/ }).count()).toBe(1);
    expect(await page.getByLabel('Search events').inputValue()).toBe('stall');
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);

    await page.getByLabel('Search events').fill('');
    await page.getByLabel('Near a postcode').fill('BS1 4DJ');
    await page.getByLabel('Within').selectOption('25');
    await page.getByText('More filters').click();
    await page.getByLabel('Free events only').check();
    await page.getByRole('button', { name: 'Find events' }).click();
    await page.waitForURL(/postcode=BS1/);
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);
    const results = page.locator('.event-results');
    await expect.poll(() => results.getByRole('heading', { level: 2 }).innerText()).toBe('2 events within 25 miles of BS1 4DJ, nearest first');
    const titles = await results.locator('.event-list__title').allInnerTexts();
    expect(titles).toEqual(['Clifton street stall', 'Bath rally for the RUH']);
    expect(await results.getByText('1.2 miles from BS1 4DJ').count()).toBe(1);

    await results.getByRole('link', { name: 'Clifton street stall' }).click();
    await page.waitForURL(/from=BS1/);
    expect(await page.getByText('1.2 miles from BS1 4DJ').count()).toBe(1);
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);
    expect(errors).toEqual([]);
  });

  it('a supporter sends an event for approval through the host form, a mistake first; axe finds nothing and nothing scrolls sideways', { timeout: 90_000 }, async () => {
    await saveHostRules(t.ctx.db, await fixtureAdmin(t), { supportersMayHost: true });
    const page = await (await browser.newContext({ viewport: phone })).newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${t.baseUrl}/events`);
    await page.getByRole('link', { name: 'Host an event' }).click();
    await page.waitForURL(`${t.baseUrl}/events/host`);
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);

    const when = inDays(10);
    await page.getByLabel('Your name').fill('Pat Host');
    await page.getByLabel('Your email address').fill('pat-browser@example.org');
    await page.getByLabel('Title').fill('Coffee morning for the NHS');
    await page.getByLabel('Type of event').selectOption('street_stall');
    await page.getByLabel('Description').fill('Cake and conversation about our hospital.');
    await page.getByLabel('Starts').fill(when.starts_at);
    await page.getByLabel('Ends').fill(when.starts_at);
    await page.getByLabel('Postcode').fill(positioned.clifton.postcode);
    await page.getByLabel('Step-free access').check();
    await page.getByRole('button', { name: 'Send for approval' }).click();
    await page.waitForSelector('.error-summary');
    expect(await page.getByRole('link', { name: 'The end must be after the start' }).count()).toBe(1);
    expect(await page.getByLabel('Title').inputValue()).toBe('Coffee morning for the NHS');
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);

    await page.getByLabel('Ends').fill(when.ends_at);
    await page.getByRole('button', { name: 'Send for approval' }).click();
    await page.waitForURL(`${t.baseUrl}/events/host/sent`);
    await expectNoAxeViolations(page);
    const row = await t.ctx.db.selectFrom('events').select(['state', 'access_step_free']).where('title', '=', 'Coffee morning for the NHS').executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'awaiting_approval', access_step_free: true });
    expect(errors).toEqual([]);
  });
});
