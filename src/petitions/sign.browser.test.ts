import AxeBuilder from '@axe-core/playwright';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../test/support/browser.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { addConfirmedSignatures, cachesExpire, createPetition, freePort, places, seedPlaces } from '../../test/support/public-petitions.ts';
import { linkIn, SmtpSink } from '../../test/support/smtp.ts';
import { countSignatures } from './jobs.ts';

let t: TestApp;
let sink: SmtpSink;
let browser: Browser;
let base: string;
beforeAll(async () => {
  sink = await new SmtpSink().start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  t = await createTestApp({ env: { SMTP_URL: sink.url, BASE_URL: base } });
  await t.app.listen({ port, host: '127.0.0.1' });
  await seedPlaces(t.ctx.db);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await sink?.stop();
});

async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const problems = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(problems, what).toEqual([]);
}

describe('signing in a real browser', () => {
  it('signs, confirms from the email, sees the count and their constituency; every page passes axe', { timeout: 90_000 }, async () => {
    const petition = await createPetition(t.ctx.db, {
      action: 'Keep the minor injuries unit open',
      milestones: [{ threshold: 10, kind: 'response', label: 'The board must respond' }],
    });
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Script errors and CSP refusals (a 422 page load is expected and not counted).
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });

    await page.goto(`${base}/petitions`);
    await expectAccessible(page, 'petition list');
    await page.getByRole('link', { name: 'Keep the minor injuries unit open' }).click();
    await page.waitForURL(`${base}${petition.path}`);
    await expectAccessible(page, 'petition page');

    // A mistake first: the error summary names the field and the name typed is kept.
    await page.getByLabel('Full name').fill('Robin Browser');
    await page.getByLabel('Email address').fill('robin-at-example');
    await page.getByLabel('UK postcode').fill(places.north.postcode);
    await page.getByRole('button', { name: 'Sign this petition' }).click();
    await page.waitForSelector('.error-summary');
    expect(await page.textContent('.error-summary')).toContain('Enter an email address in the correct format');
    expect(await page.getByLabel('Full name').inputValue()).toBe('Robin Browser');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await expectAccessible(page, 'sign errors page');

    await page.getByLabel('Email address').fill('robin@example.org');
    await page.getByRole('button', { name: 'Sign this petition' }).click();
    await page.waitForURL(/\/thank-you\?/);
    expect(await page.textContent('h1')).toContain('Now check your email');
    expect(await page.inputValue('#share-url')).toBe(`${base}${petition.path}?utm_source=copy`);
    await expectAccessible(page, 'thank-you and share page');

    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes('robin@example.org'));
    await page.goto(linkIn(mail, `${base}/signatures/`));
    expect(await page.textContent('h1')).toContain('Confirm your signature');
    await expectAccessible(page, 'confirm signature page');
    await page.getByRole('button', { name: 'Confirm my signature' }).click();
    await page.waitForURL(/\/confirmed/);
    expect(await page.textContent('h1')).toContain('your signature is confirmed');
    await expectAccessible(page, 'confirmed page');

    await countSignatures(t.ctx);
    await cachesExpire();
    await page.reload();
    expect(await page.textContent('.constituency-line')).toContain('1 person in Northtown has signed');
    // Someone else opening the petition now sees the count (this browser may still hold the page
    // it loaded before signing: public pages may be cached for 5 seconds).
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${base}${petition.path}`);
    expect(await visitor.textContent('[data-count-figure]')).toBe('1');
    expect(errors).toEqual([]);
    await visitor.close();
    await page.close();
  });

  it('shows the map image and the top constituencies, and the full tables page passes axe', { timeout: 90_000 }, async () => {
    const petition = await createPetition(t.ctx.db, { action: 'Keep the birth centre open' });
    await addConfirmedSignatures(t.ctx.db, petition.id, [
      { constituency: { code: places.north.code, region: places.north.region }, count: 3 },
      { constituency: { code: places.south.code, region: places.south.region }, count: 1 },
    ]);
    await countSignatures(t.ctx);
    const context = await browser.newContext();
    await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
    const page = await context.newPage();
    const errors: string[] = [];
    const offSite: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('request', (r) => !r.url().startsWith(base) && offSite.push(r.url()));

    await page.goto(`${base}${petition.path}`);
    const map = page.getByRole('img', { name: /^Map of signatures by constituency: Keep the birth centre open/ });
    await map.scrollIntoViewIfNeeded();
    await expect.poll(() => map.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    expect(await page.getByRole('table', { name: 'Constituencies with the most signatures' }).getByRole('row').count()).toBe(3);
    await expectAccessible(page, 'petition page with a map');

    await page.getByRole('link', { name: 'Signatures in every constituency, region and country (2 constituencies)' }).click();
    await page.waitForURL(`${base}${petition.path}/constituencies`);
    expect(await page.textContent('h1')).toBe('Where signatures come from');
    const rows = page.getByRole('table', { name: 'Signatures by constituency' }).getByRole('row');
    expect(await rows.allTextContents()).toEqual(['ConstituencyMPSignatures', 'NorthtownAda North3', 'SouthvaleBen South1']);
    await expectAccessible(page, 'full tables of where signatures come from');

    // The map opened on its own is a titled image too.
    await page.goto(`${base}/petitions/${petition.id}/hexmap.svg`);
    expect(await page.title()).toBe('Map of signatures by constituency: Keep the birth centre open');
    expect(errors).toEqual([]);
    expect(offSite).toEqual([]);
    await context.close();
  });

  it('solves the proof of work in the browser while a petition is under attack, so the signature counts', { timeout: 90_000 }, async () => {
    const petition = await createPetition(t.ctx.db, { action: 'A petition under attack', underAttack: true });
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}${petition.path}`);
    await page.getByLabel('Full name').fill('Pat Solver');
    await page.getByLabel('Email address').fill('pat@example.org');
    await page.getByLabel('UK postcode').fill(places.south.postcode);
    await page.waitForFunction(() => (document.querySelector('[data-altcha-field]') as HTMLInputElement | null)?.value !== '', null, { timeout: 30_000 });
    await expectAccessible(page, 'petition page under attack');
    await page.getByRole('button', { name: 'Sign this petition' }).click();
    await page.waitForURL(/\/thank-you\?/);
    const row = await t.ctx.db.selectFrom('signatures').select('held_reason').where('email', '=', 'pat@example.org').executeTakeFirstOrThrow();
    expect(row.held_reason).toBeNull();
    await page.close();
  });
});
