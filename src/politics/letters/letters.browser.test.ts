import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, type ServedTestApp } from '../../../test/support/browser.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { SmtpSink, linkIn } from '../../../test/support/smtp.ts';
import { captureOutput, writeFixture } from '../test-support.ts';
import { importMpContacts } from './import-mp-contacts.ts';
import { fingerprint } from './similarity.ts';
import { contactResponse, giveMpsParliamentIds, letterText, nearCopy } from './test-support.ts';

let t: ServedTestApp;
let smtp: SmtpSink;
let browser: Browser;
let campaignId: number;
const earlier = letterText(4242);

beforeAll(async () => {
  smtp = await new SmtpSink().start();
  t = await serveTestApp({ env: { SMTP_URL: smtp.url } });
  await seedPlaces(t.ctx.db);
  await giveMpsParliamentIds(t.ctx.db, { [places.north.code]: '4001' });
  await importMpContacts(t.ctx.db, writeFixture('browser-mp-contacts.json', JSON.stringify({ '4001': contactResponse('4001', 'ada.north.mp@parliament.uk', { x: 'https://x.com/AdaNorthMP' }) })), { out: captureOutput().out });
  ({ id: campaignId } = await t.ctx.db
    .insertInto('letter_campaigns')
    .values({ title: 'Keep Northtown maternity open', about: 'The trust wants to close the maternity unit.', talking_points: 'Why it matters to you\nHow far the next unit is', deadline: '2099-12-31', target: 'own_mp' })
    .returning('id')
    .executeTakeFirstOrThrow());
  const fp = fingerprint(campaignId, earlier);
  await t.ctx.db
    .insertInto('letters')
    .values({ campaign_id: campaignId, writer_name: 'Earlier Writer', writer_email: 'earlier@example.org', mp_seat_code: places.north.code, mp_name: places.north.mp, body: earlier, delivery: 'email', state: 'ready', minhash: fp.minhash, bands: fp.bands, confirmed_at: new Date(), delivered_at: new Date() })
    .execute();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.stop();
});

async function checkPage(page: Page) {
  await expectNoAxeViolations(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), page.url()).toBeLessThanOrEqual(390);
}

describe('writing to your MP in a real browser, on a 390 px phone', () => {
  it('writes a letter from a postcode, is held for being like another, rewrites it, confirms and sends it, answers the questionnaire; axe finds nothing on any page', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: t.baseUrl });
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    await page.goto('/letters');
    await checkPage(page);
    await page.getByRole('link', { name: 'Keep Northtown maternity open' }).click();
    await checkPage(page);
    expect(await page.textContent('.letter-points')).toContain('How far the next unit is');
    await page.getByLabel('Your name').fill('Wren Writer');
    await page.getByLabel('Your email address').fill('wren@example.org');
    await page.getByLabel('Your address').fill('5 Chapel Row\nNorthtown');
    await page.getByLabel('Your postcode').fill(places.north.postcode.toLowerCase());
    await page.getByLabel('Write your letter').fill(nearCopy(earlier));
    await page.getByRole('button', { name: 'Send my letter' }).click();
    await page.waitForURL(/\/letters\/mine\//);
    expect(await page.textContent('main')).toContain('very like a letter someone else has already sent');
    await checkPage(page);

    await page.getByLabel('Rewrite your letter').fill(letterText(777));
    await page.getByRole('button', { name: 'Send my rewritten letter' }).click();
    await page.waitForURL(/notice=rewritten/);
    expect(await page.textContent('main')).toContain('Check your email');
    await checkPage(page);

    await t.runJobs();
    const confirmation = await smtp.waitFor((m) => m.to.includes('wren@example.org') && m.subject.startsWith('Confirm your letter'));
    await page.goto(linkIn(confirmation, `${t.baseUrl}/letters/confirm/`).replace(/^https?:\/\/[^/]+/, ''));
    await checkPage(page);
    await page.getByRole('button', { name: 'Confirm and send my letter' }).click();
    await page.waitForURL(/notice=confirmed/);
    await t.runJobs();
    await smtp.waitFor((m) => m.to.includes('ada.north.mp@parliament.uk') && m.subject === 'Letter from your constituent, Wren Writer');
    await page.reload();
    expect(await page.textContent('main')).toContain('has been sent to Ada North by email');
    expect(await page.getByRole('link', { name: /X \(Twitter\)/ }).getAttribute('href')).toContain(encodeURIComponent('@AdaNorthMP'));
    await checkPage(page);

    await t.ctx.db.updateTable('letters').set({ delivered_at: sql`now() - interval '15 days'` }).where('writer_email', '=', 'wren@example.org').execute();
    await sql`select graphile_worker.add_job('politics.letters.questionnaires.sweep', '{}'::json)`.execute(t.ctx.db);
    await t.runJobs();
    const questionnaire = await smtp.waitFor((m) => m.to.includes('wren@example.org') && m.subject === 'Did Ada North reply to your letter?');
    await page.goto(linkIn(questionnaire, `${t.baseUrl}/letters/questionnaire/`).replace(/^https?:\/\/[^/]+/, ''));
    await checkPage(page);
    await page.getByRole('button', { name: 'Save my answers' }).click();
    await page.waitForSelector('.error-summary');
    await checkPage(page);
    await page.getByLabel('Yes', { exact: true }).check();
    await page.getByLabel('No, it answered my letter').check();
    await page.getByLabel(/about how many days/).fill('9');
    await page.getByRole('button', { name: 'Save my answers' }).click();
    await page.waitForURL(/notice=saved/);
    expect(await page.textContent('main')).toContain('your answers are saved');
    await checkPage(page);
    const row = await t.ctx.db.selectFrom('letters').select(['got_reply', 'form_letter', 'reply_days']).where('writer_email', '=', 'wren@example.org').executeTakeFirstOrThrow();
    expect(row).toEqual({ got_reply: true, form_letter: 'no', reply_days: 9 });
    expect(errors).toEqual([]);
  });
});
