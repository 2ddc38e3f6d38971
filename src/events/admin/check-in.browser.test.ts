import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, type ServedTestApp } from '../../../test/support/browser.ts';
import { seedPlaces } from '../../../test/support/public-petitions.ts';
import { createOrganiser } from '../../coalition/organisers.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { findEvent } from '../store.ts';
import { makeEvent } from '../test-support.ts';

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

describe('the door list on a phone', () => {
  it('checks in a booking by name and another by reference, adds a walk-in with a mistake first, at 390 px wide; axe finds nothing on the attendee, check-in and message pages', { timeout: 120_000 }, async () => {
    const group = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
    await createOrganiser(t.ctx.db, { email: 'door@example.org', name: 'Dee Door', role: 'organiser', groupIds: [group], password, actor: 'test' });
    const id = await makeEvent(t, [group], { title: 'Public meeting', tier_1_name: 'Waged', tier_1_price: '10', tier_2_name: 'Unwaged', tier_2_price: '5', capacity: '50' });
    const event = (await findEvent(t.ctx.db, id))!;
    for (const [name, email] of [['Robin Early', 'robin@example.org'], ['Sam Later', 'sam@example.org']]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/events/${id}/bookings`,
        payload: new URLSearchParams({ name: name!, email: email!, tier: String(event.tiers[1]!.id), places: '1', access_needs: 'Needs a seat near the front' }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.baseUrl },
      });
      expect(res.statusCode).toBe(303);
    }
    const sam = await t.ctx.db.selectFrom('bookings').select('reference').where('name', '=', 'Sam Later').executeTakeFirstOrThrow();

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: t.baseUrl });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('door@example.org');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin/);

    await page.goto(`/admin/events/${id}/attendees`);
    await expectNoAxeViolations(page);
    await page.goto(`/admin/events/${id}/message`);
    await expectNoAxeViolations(page);

    await page.goto(`/admin/events/${id}/check-in`);
    await expectNoAxeViolations(page);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByLabel('Find by name, email or reference').fill('robin');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: 'Check in Robin Early' }).click();
    await expect.poll(() => page.locator('.notice').first().textContent()).toContain('Checked in Robin Early');
    expect(await page.locator('.door-counts').textContent()).toContain('1 of 2 places checked in');
    await expectNoAxeViolations(page);

    await page.getByLabel('Check in by booking reference').fill(sam.reference.toLowerCase());
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await expect.poll(() => page.locator('.door-counts').textContent()).toContain('2 of 2 places checked in');

    await page.getByLabel('Full name').fill('Walk In');
    await page.getByLabel('How many places?').fill('0');
    await page.getByRole('button', { name: 'Add and check in' }).click();
    await page.waitForSelector('.error-summary');
    await expectNoAxeViolations(page);
    expect(await page.getByLabel('Full name').inputValue()).toBe('Walk In');
    await page.getByLabel('How many places?').fill('2');
    await page.getByLabel('Waged: £10').check();
    await page.getByRole('button', { name: 'Add and check in' }).click();
    await expect.poll(() => page.locator('.door-counts').textContent()).toContain('4 of 4 places checked in');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
  });
});
