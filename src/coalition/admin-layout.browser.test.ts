import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serveTestApp, signInInBrowser, type ServedTestApp } from '../../test/support/browser.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { makeAdminViewer, makeKey, makePerson } from '../api/test-support.ts';
import { createWebhook } from '../api/webhooks/webhooks.ts';
import { queueEmail } from '../platform/mail/outbox.ts';
import { insertPetition, insertSignatures } from '../petitions/admin/test-support.ts';
import { addSegmentOfList } from '../supporters/mailings/test-support.ts';
import { addGroup } from '../supporters/test-support.ts';

let t: ServedTestApp;
let browser: Browser;
let desktop: BrowserContext;
let phone: BrowserContext;
let personId: string;
let petitionId: number;
let segmentId: number;
const email = 'layout-admin@example.org';
let password: string;

beforeAll(async () => {
  t = await serveTestApp();
  const group = await addGroup(t.ctx.db, 'a-group-with-a-long-name', 'The Hendon, Golders Green and Finchley Save Our NHS Campaign');
  ({ password } = await signedInAgent(t.app, t.ctx, { role: 'admin', email, name: 'Layout Admin' }));
  const actor = await makeAdminViewer(t);
  for (let i = 0; i < 3; i++) await makeKey(t, actor, { groupId: i === 0 ? null : group, scope: i === 1 ? 'write' : 'read' });
  await createWebhook(t.ctx.db, { actor, url: 'https://crm.example.org/a/rather/long/path/that/goes/on/chorus-webhooks/receive', groupId: group, events: ['signature', 'signup'] });
  personId = await makePerson(t, 'someone.with.a.long.address@example.org', [group]);
  petitionId = await insertPetition(t.ctx.db, { groupIds: [group], action: 'Keep the Hendon, Golders Green and Finchley walk-in centre open seven days a week' });
  await insertSignatures(t.ctx.db, petitionId, [
    { name: 'Someone With A Rather Long Name Indeed', email: 'someone.signing.with.a.long.address@hendon-golders-green.example.org', ip: '203.0.113.7' },
    { email: 'another.signer.with.a.long.address@hendon-golders-green.example.org', ip: '203.0.113.7', held: true, state: 'pending' },
  ]);
  const person = await t.ctx.db.selectFrom('people').select('id').where('public_id', '=', personId).executeTakeFirstOrThrow();
  segmentId = await addSegmentOfList(t.ctx.db, 'People on the Hendon, Golders Green and Finchley phone tree', [person.id]);
  await queueEmail(t.ctx.db, {
    brand: t.ctx.brand.current(),
    baseUrl: t.baseUrl,
    kind: 'organiser.invitation',
    to: 'an.organiser.with.a.very.long.address@hendon-golders-green.example.org',
    content: { subject: 'You are invited to organise for The Hendon, Golders Green and Finchley Save Our NHS Campaign', blocks: [{ type: 'paragraph', text: 'Hello' }] },
  });
  browser = await launchBrowser();
  desktop = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
  phone = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  for (const context of [desktop, phone]) {
    const page = await context.newPage();
    await signInInBrowser(page, email, password);
    await page.locator('h1', { hasText: 'Organiser dashboard' }).waitFor();
    await page.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const adminPages = () => [
  '/admin',
  '/admin/groups',
  '/admin/organisers',
  '/admin/audit',
  '/admin/mail',
  '/admin/api',
  '/admin/people',
  `/admin/people/${personId}`,
  `/admin/people/${personId}/data`,
  '/admin/petitions',
  `/admin/petitions/${petitionId}`,
  `/admin/petitions/${petitionId}/signers`,
  `/admin/petitions/${petitionId}/trending`,
  `/admin/petitions/${petitionId}/held`,
  '/admin/segments',
  `/admin/segments/${segmentId}`,
  '/admin/mailings',
];

/** How the page lays out: its width against the viewport's, and its main column against the header's. */
async function layoutOf(page: Page) {
  return page.evaluate(() => {
    const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
    const header = box('.site-header__inner');
    const main = box('main');
    const regions = [...document.querySelectorAll('.table-scroll')].map((r) => ({
      role: r.getAttribute('role'),
      label: r.getAttribute('aria-label'),
      tabindex: r.getAttribute('tabindex'),
    }));
    return { pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth, header: { left: header.left, right: header.right }, main: { left: main.left, right: main.right }, regions };
  });
}

describe('admin pages in a real browser', () => {
  for (const [name, context] of [
    ['a desktop', () => desktop],
    ['a 390 px phone', () => phone],
  ] as const) {
    it(`keep every admin page within the viewport and the header’s width on ${name}, with each table in a labelled, focusable region`, async () => {
      const page = await context().newPage();
      for (const path of adminPages()) {
        const response = await page.goto(`${t.baseUrl}${path}`);
        expect(response?.status(), path).toBe(200);
        const layout = await layoutOf(page);
        expect(layout.pageWidth, `${path} is wider than the viewport`).toBeLessThanOrEqual(layout.viewport);
        expect(layout.main.left, `${path} starts left of the header`).toBeGreaterThanOrEqual(layout.header.left - 1);
        expect(layout.main.right, `${path} is wider than the header`).toBeLessThanOrEqual(layout.header.right + 1);
        for (const region of layout.regions) expect(region, path).toEqual({ role: 'region', label: expect.stringMatching(/\w/), tabindex: '0' });
      }
      await page.close();
    });
  }

  it('scrolls a wide table inside its region on a phone, says so, and lets the keyboard scroll it', async () => {
    const page = await phone.newPage();
    await page.goto(`${t.baseUrl}/admin/api`);
    const region = page.getByRole('region', { name: 'API keys' });
    const sizes = await region.evaluate((r) => ({ scrollWidth: r.scrollWidth, clientWidth: r.clientWidth }));
    expect(sizes.scrollWidth).toBeGreaterThan(sizes.clientWidth);
    await expect.poll(() => page.getByText('Scroll sideways to see the whole table').first().isVisible()).toBe(true);
    await region.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('End');
    await expect.poll(() => region.evaluate((r) => r.scrollLeft)).toBeGreaterThan(0);
    await page.close();

    // On a desktop the same table fits: no hint.
    const wide = await desktop.newPage();
    await wide.goto(`${t.baseUrl}/admin/api`);
    const fits = wide.getByRole('region', { name: 'API keys' });
    expect(await fits.evaluate((r) => r.scrollWidth <= r.clientWidth + 1)).toBe(true);
    expect(await wide.getByText('Scroll sideways to see the whole table').first().isVisible()).toBe(false);
    await wide.close();
  });
});
