import fc from 'fast-check';
import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { SmtpSink } from '../../test/support/smtp.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { toLondonInput } from '../supporters/index.ts';
import { eventFormValues } from './event-form.ts';
import { readUkTime, ukWhen, zoneChoiceFor } from './london-clock.ts';
import { findEvent } from './store.ts';
import { eventFields } from './test-support.ts';

const at = (text: string, zone?: string) => {
  const read = readUkTime(text, zone, 'bad format');
  return 'at' in read ? read.at.toISOString() : read.problem;
};

describe('UK times typed into the event form', () => {
  it('reads the March change: 00:30 is GMT, 01:00 to 01:59 does not exist, 02:00 is BST', () => {
    expect(at('2027-03-28T00:30')).toBe('2027-03-28T00:30:00.000Z');
    expect(at('2027-03-28T01:30')).toBe('There is no 01:30 on 28 March 2027 in the UK: the clocks go forward an hour at 01:00. Enter a time from 02:00');
    expect(at('2027-03-28T01:00')).toContain('There is no 01:00');
    expect(at('2027-03-28T02:00')).toBe('2027-03-28T01:00:00.000Z');
  });

  it('reads the October change: 01:00 to 01:59 happens twice, so BST or GMT must be said; either side is plain', () => {
    expect(at('2027-10-31T00:59')).toBe('2027-10-30T23:59:00.000Z');
    expect(at('2027-10-31T01:30')).toBe('01:30 happens twice on 31 October 2027, as the clocks go back at 02:00: choose BST (the first 01:30) or GMT (an hour later)');
    expect(at('2027-10-31T01:30', 'BST')).toBe('2027-10-31T00:30:00.000Z');
    expect(at('2027-10-31T01:30', 'GMT')).toBe('2027-10-31T01:30:00.000Z');
    expect(at('2027-10-31T02:00')).toBe('2027-10-31T02:00:00.000Z');
    // Outside the repeated hour the choice changes nothing.
    expect(at('2027-06-10T18:30', 'GMT')).toBe('2027-06-10T17:30:00.000Z');
    expect(at('2027-02-30T18:30')).toBe('bad format');
  });

  it('gives back every instant from what the edit form shows for it (the time and, in the repeated hour, BST or GMT)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2026, 0, 1) / 60_000, max: Date.UTC(2031, 0, 1) / 60_000 }), (minutes) => {
        const instant = new Date(minutes * 60_000);
        expect(at(toLondonInput(instant), zoneChoiceFor(instant))).toBe(instant.toISOString());
      }),
      { numRuns: 2000, examples: [[Date.UTC(2027, 9, 31, 0, 30) / 60_000], [Date.UTC(2027, 9, 31, 1, 30) / 60_000], [Date.UTC(2027, 2, 28, 0, 59) / 60_000]] },
    );
  });

  it('shows BST or GMT beside times in the repeated hour or when the clocks change during the event, "(UK time)" otherwise', () => {
    expect(ukWhen(new Date('2027-10-31T00:30Z'), new Date('2027-10-31T02:00Z'))).toBe('Sunday, 31 October 2027 at 01:30 BST to 02:00 GMT');
    expect(ukWhen(new Date('2027-06-12T22:30Z'), new Date('2027-06-13T00:00Z'))).toBe('Saturday, 12 June 2027 at 23:30 to Sunday, 13 June 2027 at 01:00 (UK time)');
    expect(ukWhen(new Date('2027-03-27T23:30Z'), new Date('2027-03-28T02:00Z'))).toBe('Saturday, 27 March 2027 at 23:30 GMT to Sunday, 28 March 2027 at 03:00 BST');
  });
});

let t: TestApp;
let sink: SmtpSink;
let group: number;
beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: sink.url } });
  await seedPlaces(t.ctx.db);
  group = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

const idFrom = (location: unknown) => Number(/\/admin\/events\/(\d+)/.exec(String(location))![1]);

/** Adds and publishes an event through the organiser's form, books a place, and returns the page, the booking email and its .ics as ical.js reads it. */
async function throughEverything(fields: Record<string, string>) {
  const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group] });
  await agent.get('/admin/events/new');
  const res = await agent.post('/admin/events/new', eventFields([group], fields));
  expect(res.statusCode).toBe(303);
  const id = idFrom(res.headers.location);
  expect((await agent.post(`/admin/events/${id}/publish`, {})).statusCode).toBe(303);
  const event = (await findEvent(t.ctx.db, id))!;
  const email = `clock.${id}.${Date.now()}@example.org`;
  const booked = await t.app.inject({
    method: 'POST',
    url: `/events/${id}/bookings`,
    payload: new URLSearchParams({ name: 'Pat Booker', email, tier: String(event.tiers[0]!.id), places: '1' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
  });
  expect(booked.statusCode).toBe(303);
  await t.runJobs();
  const mail = await sink.waitFor((m) => m.to.includes(email) && m.subject.startsWith('You’re booked'));
  const file = (await simpleParser(mail.raw)).attachments.find((a) => a.filename === 'event.ics')!;
  const vevent = new ICAL.Event(new ICAL.Component(ICAL.parse(file.content.toString('utf8'))).getFirstSubcomponent('vevent')!);
  const page = (await t.app.inject({ method: 'GET', url: event.path })).body;
  // The public calendar is rendered once a second for everyone: the new event is on it within that.
  const calendar = async () => (await t.app.inject({ method: 'GET', url: '/events' })).body;
  await expect.poll(calendar, { timeout: 5_000, interval: 250 }).toContain(`>${event.title}</a>`);
  const list = await calendar();
  return { agent, event, page, list, mail, start: vevent.startDate.toJSDate().toISOString(), end: vevent.endDate.toJSDate().toISOString() };
}

describe('events across the clock changes, from the form to the page, the email and the .ics', () => {
  it('asks BST or GMT for 01:30 on the last Sunday of October, naming the field and keeping what was typed', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group] });
    await agent.get('/admin/events/new');
    const res = await agent.post('/admin/events/new', eventFields([group], { title: 'Night vigil', starts_at: '2027-10-31T01:30', ends_at: '2027-10-31T03:00' }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#field-starts_at"');
    expect(res.body).toContain('01:30 happens twice on 31 October 2027');
    expect(res.body).toContain('name="starts_at_zone"');
    expect(res.body).toContain('value="2027-10-31T01:30"');
    expect(await t.ctx.db.selectFrom('events').select('id').where('title', '=', 'Night vigil').execute()).toEqual([]);
  });

  it('an event at 01:30 GMT on the last Sunday of October: stored 01:30 UTC, shown with GMT, kept when the form is saved again', async () => {
    const r = await throughEverything({ title: 'Vigil after the clocks go back', starts_at: '2027-10-31T01:30', starts_at_zone: 'GMT', ends_at: '2027-10-31T03:00' });
    expect([r.event.startsAt.toISOString(), r.event.endsAt.toISOString()]).toEqual(['2027-10-31T01:30:00.000Z', '2027-10-31T03:00:00.000Z']);
    expect(r.page).toContain('Sunday, 31 October 2027 at 01:30 GMT to 03:00 GMT');
    expect(r.list).toContain('Sun 31 Oct, 01:30 GMT to 03:00 GMT');
    expect(r.mail.text).toContain('When: Sunday, 31 October 2027 at 01:30 GMT to 03:00 GMT');
    expect([r.start, r.end]).toEqual(['2027-10-31T01:30:00.000Z', '2027-10-31T03:00:00.000Z']);

    // The edit form shows the GMT choice, so saving it again does not move the event an hour.
    const edit = await r.agent.get(`/admin/events/${r.event.id}/edit`);
    expect(edit.body).toMatch(/name="starts_at_zone"[^>]*value="GMT"[^>]*checked|checked[^>]*name="starts_at_zone"[^>]*value="GMT"/);
    expect(edit.body).toContain('value="2027-10-31T01:30"');
    const values = eventFormValues(r.event);
    expect([values.starts_at, values.starts_at_zone]).toEqual(['2027-10-31T01:30', 'GMT']);
    const resaved = await r.agent.post(`/admin/events/${r.event.id}/edit`, { ...values, groups: [String(group)] });
    expect(resaved.statusCode).toBe(303);
    expect((await findEvent(t.ctx.db, r.event.id))!.startsAt.toISOString()).toBe('2027-10-31T01:30:00.000Z');
  });

  it('an event at 01:30 BST on the last Sunday of October, ending after the clocks go back', async () => {
    const r = await throughEverything({ title: 'Vigil before the clocks go back', starts_at: '2027-10-31T01:30', starts_at_zone: 'BST', ends_at: '2027-10-31T02:30' });
    expect([r.event.startsAt.toISOString(), r.event.endsAt.toISOString()]).toEqual(['2027-10-31T00:30:00.000Z', '2027-10-31T02:30:00.000Z']);
    expect(r.page).toContain('Sunday, 31 October 2027 at 01:30 BST to 02:30 GMT');
    expect(r.mail.text).toContain('When: Sunday, 31 October 2027 at 01:30 BST to 02:30 GMT');
    expect([r.start, r.end]).toEqual(['2027-10-31T00:30:00.000Z', '2027-10-31T02:30:00.000Z']);
  });

  it('an event from 23:30 to 01:00 the next day', async () => {
    const r = await throughEverything({ title: 'Midsummer night shift solidarity', starts_at: '2027-06-12T23:30', ends_at: '2027-06-13T01:00' });
    expect([r.event.startsAt.toISOString(), r.event.endsAt.toISOString()]).toEqual(['2027-06-12T22:30:00.000Z', '2027-06-13T00:00:00.000Z']);
    expect(r.page).toContain('Saturday, 12 June 2027 at 23:30 to Sunday, 13 June 2027 at 01:00 (UK time)');
    expect(r.list).toContain('Sat 12 Jun, 23:30 to Sun 13 Jun, 01:00');
    expect(r.mail.text).toContain('When: Saturday, 12 June 2027 at 23:30 to Sunday, 13 June 2027 at 01:00 (UK time)');
    expect([r.start, r.end]).toEqual(['2027-06-12T22:30:00.000Z', '2027-06-13T00:00:00.000Z']);
  });

  it('an event from 23:30 GMT through the March change to 03:00 BST', async () => {
    const r = await throughEverything({ title: 'Overnight through the spring change', starts_at: '2027-03-27T23:30', ends_at: '2027-03-28T03:00' });
    expect([r.event.startsAt.toISOString(), r.event.endsAt.toISOString()]).toEqual(['2027-03-27T23:30:00.000Z', '2027-03-28T02:00:00.000Z']);
    expect(r.page).toContain('Saturday, 27 March 2027 at 23:30 GMT to Sunday, 28 March 2027 at 03:00 BST');
    expect(r.mail.text).toContain('When: Saturday, 27 March 2027 at 23:30 GMT to Sunday, 28 March 2027 at 03:00 BST');
    expect([r.start, r.end]).toEqual(['2027-03-27T23:30:00.000Z', '2027-03-28T02:00:00.000Z']);
  });
});
