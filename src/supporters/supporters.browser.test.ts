import http from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../test/support/browser.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { SmtpSink, linkIn } from '../../test/support/smtp.ts';
import { freePort } from '../platform/db/embedded-postgres.ts';
import { purposeFor } from './consent.ts';
import { unsubscribeUrl } from './subscriber-tokens.ts';
import { addGroup } from './test-support.ts';

let t: TestApp;
let smtp: SmtpSink;
let browser: Browser;
// One context for the file: with the single-process Chromium, closing the last context ends the browser.
let context: BrowserContext;
let base: string;
let host: http.Server;
let hostOrigin: string;

beforeAll(async () => {
  smtp = await new SmtpSink().start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  t = await createTestApp({ env: { BASE_URL: base, SMTP_URL: smtp.url } });
  await t.app.listen({ port, host: '127.0.0.1' });
  await addGroup(t.ctx.db, 'defend-our-nhs', 'Defend Our NHS');
  // A group's own website, on another origin, that embeds our form.
  host = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>Group site</title></head><body><h1>Our campaign</h1>
      <iframe src="${base}/embed/subscribe/defend-our-nhs" title="Get updates" width="600" height="900"></iframe></body></html>`);
  });
  await new Promise<void>((resolve) => host.listen(0, 'localhost', () => resolve()));
  hostOrigin = `http://localhost:${(host.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  context = await browser.newContext();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => host?.close(() => resolve()));
  await t?.close();
  await smtp?.stop();
});

/** Waits for the page (or frame) to show this main heading. */
async function heading(scope: Page | FrameLocator, text: string) {
  await scope.locator('h1', { hasText: text }).waitFor({ timeout: 10_000 });
}

async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const problems = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(problems, `on ${page.url()}`).toEqual([]);
}

describe('a supporter in a real browser', () => {
  it('signs up, confirms from the email, changes preferences and unsubscribes in one click', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/join?utm_source=browser-test`);
    await expectAccessible(page);

    await page.goto(`${base}/groups/defend-our-nhs/subscribe?utm_campaign=spring`);
    await expectAccessible(page);
    await page.getByLabel('Full name').fill('Aneurin Bevan');
    await page.getByLabel('Email address').fill('nye@example.org');
    await page.getByLabel('Postcode (optional)').fill('');
    await page.getByLabel(/from Defend Our NHS, a member group of Chorus/).check();
    await page.getByLabel(/campaign updates from Chorus\. I can/).check();
    await page.getByRole('button', { name: 'Sign up' }).click();
    await heading(page, 'Check your email');
    await expectAccessible(page);

    await t.runJobs();
    const mail = await smtp.waitFor((m) => m.to.includes('nye@example.org'));
    const link = linkIn(mail, `${base}/subscribe/confirm/`);
    await page.goto(link);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Yes, subscribe me' }).click();
    await heading(page, 'You are subscribed');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'change your email preferences' }).click();
    await heading(page, 'Your email preferences');
    await expectAccessible(page);
    await page.getByLabel(/Defend Our NHS updates/).uncheck();
    await page.getByRole('button', { name: 'Save my preferences' }).click();
    await page.getByRole('status').filter({ hasText: 'Your preferences have been saved' }).waitFor();
    expect(await page.getByLabel(/Defend Our NHS updates/).isChecked()).toBe(false);
    expect(await page.getByLabel(/Coalition updates/).isChecked()).toBe(true);
    await expectAccessible(page);

    const person = await t.ctx.db.selectFrom('people').select(['id', 'public_id', 'source_utm_campaign']).where('email', '=', 'nye@example.org').executeTakeFirstOrThrow();
    expect(person.source_utm_campaign).toBe('spring');
    const coalition = await purposeFor(t.ctx.db, { groupId: null });
    await page.goto(unsubscribeUrl(base, t.ctx.secret, { personPublicId: person.public_id, purposeId: coalition.id, mailingId: 3 }));
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await heading(page, 'You are unsubscribed');
    await expectAccessible(page);
    const statuses = await t.ctx.db.selectFrom('consents').select('status').where('person_id', '=', person.id).execute();
    expect(statuses.map((s) => s.status)).toEqual(['withdrawn', 'withdrawn']);
    await page.close();
  });

  it('signs up through the form embedded on a group’s own website', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/embed/subscribe/defend-our-nhs`);
    await expectAccessible(page);

    await page.goto(hostOrigin);
    const frame = page.frameLocator('iframe');
    await frame.getByLabel('Full name').fill('Jennie Lee');
    await frame.getByLabel('Email address').fill('jennie@example.org');
    await frame.getByLabel(/from Defend Our NHS, a member group of Chorus/).check();
    await frame.getByRole('button', { name: 'Sign up' }).click();
    await heading(frame, 'Check your email');
    const person = await t.ctx.db.selectFrom('people').selectAll().where('email', '=', 'jennie@example.org').executeTakeFirstOrThrow();
    expect(person.source_method).toBe('form:embed');
    expect(person.source_referrer).toBe(`${hostOrigin}/`);
    await page.close();
  });
});
