import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, expectNoAxeViolations, launchBrowser, serveTestApp, type ServedTestApp } from '../../test/support/browser.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { linkIn, SmtpSink, type ReceivedMail } from '../../test/support/smtp.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { toLondonInput } from '../supporters/index.ts';
import { findEvent } from './store.ts';
import { makeEvent, positioned, seedPositionedPostcodes } from './test-support.ts';

let t: ServedTestApp;
let sink: SmtpSink;
let browser: Browser;
beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await serveTestApp({ env: { SMTP_URL: sink.url } });
  await seedPlaces(t.ctx.db);
  await seedPositionedPostcodes(t.ctx.db);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await sink?.stop();
});

const phone = { width: 390, height: 844 };

async function mailTo(email: string, subject: string): Promise<ReceivedMail> {
  await t.runJobs();
  return sink.waitFor((m) => m.to.includes(email) && m.subject.startsWith(subject));
}

describe('booking an event in a real browser, on a phone', () => {
  it('finds an event near a postcode, books the last (concession) place, gets the email with an .ics a calendar reads, cancels, and the place is offered to the waiting list and booked from the offer; axe finds nothing on any page', { timeout: 150_000 }, async () => {
    const group = await insertGroup(t.ctx.db, 'Bristol Save Our NHS');
    const start = new Date(Math.floor((Date.now() + 10 * 86_400_000) / 3_600_000) * 3_600_000);
    const id = await makeEvent(t, [group], {
      title: 'Clifton social care conference',
      type: 'conference',
      postcode: positioned.clifton.postcode,
      starts_at: toLondonInput(start),
      ends_at: toLondonInput(new Date(start.getTime() + 6 * 3_600_000)),
      tier_1_name: 'Waged',
      tier_1_price: '10',
      tier_2_name: 'Unwaged',
      tier_2_price: '5',
      capacity: '1',
    });
    const event = (await findEvent(t.ctx.db, id))!;

    // Robin finds it near their postcode and books the one place left, as a concession.
    const robin = await (await browser.newContext({ viewport: phone })).newPage();
    const robinErrors = collectPageErrors(robin);
    await robin.goto(`${t.baseUrl}/events`);
    await expectNoAxeViolations(robin);
    await robin.getByLabel('Near a postcode').fill('BS1 4DJ');
    await robin.getByRole('button', { name: 'Find events' }).click();
    await robin.waitForURL(/postcode=BS1/);
    await expectNoAxeViolations(robin);
    await robin.locator('.event-results').getByRole('link', { name: 'Clifton social care conference' }).click();
    await robin.waitForURL(/from=BS1/);
    expect(await robin.getByText('1.2 miles from BS1 4DJ').count()).toBe(1);
    await expectNoAxeViolations(robin);
    await robin.getByLabel('Full name').fill('Robin Flow');
    await robin.getByLabel('Email address').fill('robin.flow@example.org');
    await robin.getByLabel('Unwaged: £5').check();
    await robin.getByLabel('How many places?').fill('1');
    await robin.getByRole('button', { name: 'Book', exact: true }).click();
    await robin.waitForURL(`${t.baseUrl}${event.path}/booked`);
    await expectNoAxeViolations(robin);

    // The confirmation carries the event as an .ics file that an independent parser reads.
    const confirmation = await mailTo('robin.flow@example.org', 'You’re booked');
    const attachment = (await simpleParser(confirmation.raw)).attachments.find((a) => a.filename?.endsWith('.ics'));
    expect(attachment).toBeDefined();
    const vevent = new ICAL.Component(ICAL.parse(attachment!.content.toString('utf8'))).getFirstSubcomponent('vevent')!;
    const entry = new ICAL.Event(vevent);
    expect(entry.summary).toBe('Clifton social care conference');
    expect(entry.startDate.toJSDate().getTime()).toBe(start.getTime());
    expect(entry.uid).toContain(`event-${id}@`);

    // The event is now full: Sam joins the waiting list from the event page.
    const sam = await (await browser.newContext({ viewport: phone })).newPage();
    const samErrors = collectPageErrors(sam);
    await sam.goto(`${t.baseUrl}${event.path}`);
    await sam.getByLabel('Full name').fill('Sam Waiting');
    await sam.getByLabel('Email address').fill('sam.waiting@example.org');
    await sam.getByLabel('Unwaged: £5').check();
    await sam.getByRole('button', { name: 'Join the waiting list' }).click();
    await sam.waitForURL((url) => url.pathname !== event.path);
    await expectNoAxeViolations(sam);
    await mailTo('sam.waiting@example.org', 'You’re on the waiting list');

    // Robin cancels from the link in the email, without signing in.
    await robin.goto(linkIn(confirmation, `${t.baseUrl}/bookings/`));
    await expectNoAxeViolations(robin);
    await robin.getByRole('button', { name: 'Cancel my booking' }).click();
    await robin.waitForURL(/notice=cancelled/);
    await expectNoAxeViolations(robin);

    // The freed place is offered to Sam, held for them, and Sam books it from the offer.
    const offer = await mailTo('sam.waiting@example.org', 'A place is free for you');
    await sam.goto(linkIn(offer, `${t.baseUrl}/waiting-list/offers/`));
    await expectNoAxeViolations(sam);
    await sam.getByRole('button', { name: 'Book my places' }).click();
    await sam.waitForURL(`${t.baseUrl}${event.path}/booked`);
    const after = (await findEvent(t.ctx.db, id))!;
    expect({ booked: after.placesBooked, held: after.placesHeld }).toEqual({ booked: 1, held: 0 });
    const booked = await t.ctx.db.selectFrom('bookings').select(['email', 'status']).where('event_id', '=', id).orderBy('id').execute();
    expect(booked).toEqual([
      { email: 'robin.flow@example.org', status: 'cancelled' },
      { email: 'sam.waiting@example.org', status: 'booked' },
    ]);
    expect(robinErrors).toEqual([]);
    expect(samErrors).toEqual([]);
  });
});
