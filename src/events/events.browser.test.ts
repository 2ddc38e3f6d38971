import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, type ServedTestApp } from '../../test/support/browser.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { findEvent } from './store.ts';
import { makeEvent } from './test-support.ts';

let t: ServedTestApp;
let browser: Browser;
beforeAll(async () => {
  t = await serveTestApp();
  await seedPlaces(t.ctx.db);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('events in a real browser', () => {
  it('finds an event on the calendar, books a concession place with a mistake first; axe finds nothing on the calendar, the event page, the booking form with errors or the booked page', { timeout: 90_000 }, async () => {
    const group = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
    const id = await makeEvent(t, [group], { title: 'Social care conference', type: 'conference', tier_1_name: 'Waged', tier_1_price: '10', tier_2_name: 'Unwaged', tier_2_price: '5', capacity: '50' });
    const event = (await findEvent(t.ctx.db, id))!;
    const page = await (await browser.newContext({ viewport: { width: 375, height: 720 } })).newPage();
    const errors = collectPageErrors(page);

    await page.goto(`${t.baseUrl}/events`);
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Social care conference' }).click();
    await page.waitForURL(`${t.baseUrl}${event.path}`);
    await expectNoAxeViolations(page);

    await page.getByLabel('Full name').fill('Robin Browser');
    await page.getByLabel('Email address').fill('robin@example.org');
    await page.getByLabel('Unwaged: £5').check();
    await page.getByLabel('How many places?').fill('11');
    await page.getByRole('button', { name: 'Book' }).click();
    await page.waitForSelector('.error-summary');
    await expectNoAxeViolations(page);
    expect(await page.getByLabel('Full name').inputValue()).toBe('Robin Browser');

    await page.getByLabel('How many places?').fill('2');
    await page.getByRole('button', { name: 'Book' }).click();
    await page.waitForURL(`${t.baseUrl}${event.path}/booked`);
    await expectNoAxeViolations(page);
    expect((await findEvent(t.ctx.db, id))!.tiers.find((x) => x.name === 'Unwaged')!.placesBooked).toBe(2);
    expect(errors).toEqual([]);
  });
});
