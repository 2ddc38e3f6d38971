import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, type ServedTestApp } from '../../test/support/browser.ts';
import { places, seedPlaces } from '../../test/support/public-petitions.ts';
import { linkIn, SmtpSink } from '../../test/support/smtp.ts';
import { encodeJpegImage } from '../platform/images/codecs.ts';

let t: ServedTestApp;
let sink: SmtpSink;
let browser: Browser;
beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await serveTestApp({ env: { SMTP_URL: sink.url } });
  await seedPlaces(t.ctx.db);
  await t.ctx.db.insertInto('groups').values({ slug: 'northtown-save-our-nhs', name: 'Northtown Save Our NHS', website: null, contact_email: null, logo_media_id: null }).execute();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await sink?.stop();
});

const phone = { width: 390, height: 844 };

/** Axe finds nothing, and nothing makes the page wider than the phone. */
async function checkPage(page: Page) {
  await expectNoAxeViolations(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${page.url()} is wider than the phone`).toBeLessThanOrEqual(phone.width);
}

async function photo(): Promise<Buffer> {
  const [width, height] = [800, 600];
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([40, (i % width) % 255, 160, 255], i * 4);
  return encodeJpegImage({ data, width, height }, 80);
}

describe('telling a story in a real browser, on a phone', () => {
  it('chooses a group, tells the story with a photo (a bad file first is named and asked for again), confirms from the email; axe finds nothing on the form (also with its errors), the check-your-email page, the confirmation and the privacy notice, and none is wider than 390 px', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: phone, baseURL: t.baseUrl });
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    await page.goto('/stories/tell');
    await checkPage(page);
    await page.getByLabel('Northtown Save Our NHS').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/to=chosen/);
    await checkPage(page);

    // The privacy notice is linked from the form, and reads well on a phone.
    await page.getByRole('link', { name: 'How we look after your story' }).click();
    await page.waitForURL(`${t.baseUrl}/stories/privacy`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your story and your privacy');
    await checkPage(page);
    await page.goBack();

    await page.getByLabel('Your story').fill('After my mother’s stroke the ward was so short of nurses that she waited hours for help to eat.');
    await page.getByLabel('The service or place it is about').fill('Stroke ward, Northtown General');
    await page.getByLabel('Roughly when did it happen?').selectOption('last_year');
    await page.getByLabel('Name', { exact: true }).fill('Rowan Teller');
    await page.getByLabel('Email address', { exact: true }).fill('rowan.teller@example.org');
    await page.getByLabel('Postcode', { exact: true }).fill(places.north.postcode);
    await page.getByRole('checkbox', { name: /publish my story on this website/ }).check();
    // A file that is not a photo: the form comes back naming it, the answers kept, asking for the photo again.
    await page.getByLabel('Photo 1').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
    await page.getByRole('button', { name: 'Send my story' }).click();
    await page.locator('.error-summary').getByRole('link', { name: /Photo 1 must be a JPEG, PNG or WebP image/ }).waitFor();
    expect(await page.getByLabel('The service or place it is about').inputValue()).toBe('Stroke ward, Northtown General');
    expect(await page.getByText('Choose the photo again.').count()).toBe(1);
    await checkPage(page);
    await page.getByLabel('Photo 1').setInputFiles({ name: 'mum.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await checkPage(page);
    await page.getByRole('button', { name: 'Send my story' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await checkPage(page);

    const story = await t.ctx.db.selectFrom('stories').select(['id', 'state']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(story.state).toBe('awaiting_confirmation');
    const photos = await t.ctx.db.selectFrom('story_photos').select(['position', 'width', 'height']).where('story_id', '=', story.id).execute();
    expect(photos).toEqual([{ position: 1, width: 800, height: 600 }]);

    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes('rowan.teller@example.org') && m.subject === 'Please confirm your story');
    await page.goto(linkIn(mail, `${t.baseUrl}/stories/confirm/`));
    await checkPage(page);
    await page.getByRole('button', { name: 'Confirm my story' }).click();
    await page.getByRole('heading', { name: 'Thank you: your story is confirmed' }).waitFor();
    await checkPage(page);
    const confirmed = await t.ctx.db.selectFrom('stories').select('state').where('id', '=', story.id).executeTakeFirstOrThrow();
    expect(confirmed.state).toBe('consented');
    expect(errors).toEqual([]);
    await context.close();
  });
});
