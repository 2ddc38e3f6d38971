import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, signInInBrowser, type ServedTestApp } from '../../../test/support/browser.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { seedPlaces } from '../../../test/support/public-petitions.ts';
import { consentedStory, linkIn, mailsTo } from './test-support.ts';

let t: ServedTestApp;
let browser: Browser;
beforeAll(async () => {
  t = await serveTestApp({ env: { STORIES_SAFEGUARDING_LEAD_EMAIL: 'lead@example.org' } });
  await seedPlaces(t.ctx.db);
  await t.ctx.db.insertInto('groups').values({ slug: 'keep-our-ae', name: 'Keep Our A&E', website: null, contact_email: null, logo_media_id: null }).execute();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const phone = { viewport: { width: 375, height: 720 } };

describe('moderating and publishing a story in a real browser', () => {
  it('a moderator writes and sends the published version, the teller approves it, it is read on /stories, then withdrawn; axe finds nothing on the queue, the moderation page (with errors too), the approval page, /stories or the story page', { timeout: 120_000 }, async () => {
    const { id, email, withdrawPath } = await consentedStory(t);
    const mod = await signedInAgent(t.app, t.ctx, { role: 'moderator' });
    const staff = await (await browser.newContext({ ...phone, baseURL: t.baseUrl })).newPage();
    const staffErrors = collectPageErrors(staff);
    await signInInBrowser(staff, mod.email, mod.password);

    await staff.goto('/admin/stories/moderation');
    await expectNoAxeViolations(staff);
    await staff.getByRole('link', { name: `Story ${id}` }).click();
    await staff.waitForURL(`**/admin/stories/${id}/moderate`);
    await expectNoAxeViolations(staff);

    await staff.getByLabel('Title').fill('Left on a trolley');
    await staff.getByRole('button', { name: 'Save the published version' }).click();
    await staff.waitForSelector('.error-summary');
    await expectNoAxeViolations(staff);

    await staff.getByLabel('Published text').fill('Nurse Bernadette Quill left me on a trolley last spring.');
    await staff.getByLabel('Words to take out').fill('Bernadette Quill');
    await staff.getByLabel('Service').selectOption('hospital');
    await staff.getByLabel('Topic').selectOption('staffing');
    await staff.getByRole('button', { name: 'Save the published version' }).click();
    await staff.waitForURL(`**/admin/stories/${id}/moderate`);
    expect(await staff.getByLabel('Published text').inputValue()).toBe('Nurse [removed] left me on a trolley last spring.');
    await staff.getByRole('button', { name: 'Send it to the storyteller to approve' }).click();
    await staff.waitForSelector('text=With the storyteller');
    expect(await staff.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const teller = await (await browser.newContext({ ...phone, baseURL: t.baseUrl })).newPage();
    const tellerErrors = collectPageErrors(teller);
    await teller.goto(linkIn((await mailsTo(t, email, 'stories.published.approval'))[0]!, '/stories/approve'));
    await expectNoAxeViolations(teller);
    await teller.getByRole('button', { name: 'Approve and publish' }).click();
    await teller.waitForSelector('text=You approved this version');

    await teller.goto('/stories');
    await expectNoAxeViolations(teller);
    await teller.getByRole('link', { name: 'Left on a trolley' }).click();
    await teller.waitForURL(`**/stories/${id}-left-on-a-trolley`);
    await expectNoAxeViolations(teller);
    expect(await teller.textContent('main')).not.toContain('Bernadette');
    expect(await teller.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await teller.goto(withdrawPath);
    const gone = await teller.goto(`/stories/${id}-left-on-a-trolley`);
    expect(gone?.status()).toBe(410);
    await teller.goto('/stories');
    expect(await teller.getByRole('link', { name: 'Left on a trolley' }).count()).toBe(0);
    expect([...staffErrors, ...tellerErrors]).toEqual([]);
  });
});
