import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { places, seedPlaces } from '../../test/support/public-petitions.ts';
import { SmtpSink, type ReceivedMail } from '../../test/support/smtp.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { eventFormValues } from './event-form.ts';
import { findEvent } from './store.ts';
import { makeEvent } from './test-support.ts';
import { toLondonInput } from '../supporters/index.ts';

let t: TestApp;
let sink: SmtpSink;
let group: number;
beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: sink.url } });
  await seedPlaces(t.ctx.db);
  group = await insertGroup(t.ctx.db, 'Birmingham Keep Our NHS Public');
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

let n = 0;
const uniqueEmail = (who: string) => `${who}.${++n}.${Date.now()}@example.org`;

async function book(eventId: number, email: string) {
  const event = (await findEvent(t.ctx.db, eventId))!;
  const res = await t.app.inject({
    method: 'POST',
    url: `/events/${eventId}/bookings`,
    payload: new URLSearchParams({ name: 'Pat Booker', email, tier: String(event.tiers[0]!.id), places: '1' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
  });
  expect(res.statusCode).toBe(303);
}

/** The calendar attached to a real email from the loopback SMTP server, read by ical.js. */
async function attachedCalendar(mail: ReceivedMail) {
  const parsed = await simpleParser(mail.raw);
  const file = parsed.attachments.find((a) => a.filename === 'event.ics');
  expect(file).toBeDefined();
  const calendar = new ICAL.Component(ICAL.parse(file!.content.toString('utf8')));
  const vevent = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: vevent.uid,
    sequence: vevent.sequence,
    status: vevent.component.getFirstPropertyValue('status'),
    start: vevent.startDate.toJSDate(),
    end: vevent.endDate.toJSDate(),
    location: vevent.location,
  };
}

const mailsOfKind = (kind: string, to: string) => t.ctx.db.selectFrom('outbound_emails').select(['subject', 'text_body']).where('kind', '=', kind).where('to_address', '=', to).execute();

const dayMonth = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long' }).format(d);

async function organiserAgent(name = 'Ruth Organiser') {
  const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group], name });
  return agent;
}

/** The edit form as it stands, with some fields changed, as an organiser would send it. */
async function editFields(eventId: number, changes: Record<string, string>) {
  const event = (await findEvent(t.ctx.db, eventId))!;
  return { ...eventFormValues(event), groups: event.groups.map((g) => String(g.id)), ...changes } as Record<string, string | string[]>;
}

describe('a change of venue, date or time', () => {
  it('is shown prominently on the event page, kept in its history, and emailed to everyone booked with the same UID and a higher SEQUENCE', async () => {
    const id = await makeEvent(t, [group], { title: 'Social care conference', venue_name: 'Old Hall', address: '2 Low Street, Northtown' });
    const [alice, bob, gone] = [uniqueEmail('alice'), uniqueEmail('bob'), uniqueEmail('gone')];
    await book(id, alice);
    await book(id, bob);
    await book(id, gone);
    await t.runJobs();
    const confirmation = await sink.waitFor((m) => m.to.includes(alice) && m.subject.startsWith('You’re booked'));
    const first = await attachedCalendar(confirmation);
    // Someone who cancelled hears nothing more.
    const token = /\/bookings\/([A-Za-z0-9_-]+)/.exec((await sink.waitFor((m) => m.to.includes(gone) && m.subject.startsWith('You’re booked'))).text)![1]!;
    expect((await t.app.inject({ method: 'POST', url: `/bookings/${token}/cancel`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' }, payload: '' })).statusCode).toBe(303);

    const agent = await organiserAgent('Ruth Organiser');
    await agent.get(`/admin/events/${id}/edit`);
    const res = await agent.post(
      `/admin/events/${id}/edit`,
      await editFields(id, { venue_name: 'Carrs Lane Conference Centre', address: '11 Carrs Lane, Birmingham', postcode: places.south.postcode, change_note: 'for access' }),
    );
    expect(res.statusCode).toBe(303);

    const page = await t.app.inject({ method: 'GET', url: (await findEvent(t.ctx.db, id))!.path });
    expect(page.body).toContain(`Venue changed on ${dayMonth(new Date())}: now at Carrs Lane Conference Centre, 11 Carrs Lane, Birmingham, ${places.south.postcode}`);
    expect(page.body).toContain('(for access)');
    expect(page.body).toContain('Changes to this event');
    expect(page.body).toContain('Old Hall, 2 Low Street, Northtown');
    // The public page does not name the organiser; theirs does.
    expect(page.body).not.toContain('Ruth Organiser');
    const overview = await agent.get(`/admin/events/${id}`);
    expect(overview.body).toContain('Changes to this event');
    expect(overview.body).toContain('Ruth Organiser');
    expect(overview.body).toContain('for access');

    await t.runJobs();
    for (const who of [alice, bob]) {
      const mail = await sink.waitFor((m) => m.to.includes(who) && m.subject === 'Venue changed: Social care conference');
      expect(mail.text).toContain('Now: Carrs Lane Conference Centre');
      expect(mail.text).toContain('It was: Old Hall');
      expect(mail.text).toContain('From the organisers: for access');
      const ics = await attachedCalendar(mail);
      expect(ics.method).toBe('PUBLISH');
      expect(ics.uid).toBe(first.uid);
      expect(ics.sequence).toBeGreaterThan(first.sequence);
      expect(ics.status).toBe('CONFIRMED');
      expect(ics.location).toContain('Carrs Lane Conference Centre');
    }
    // Running the jobs again sends nothing more, and the cancelled booking got nothing.
    await t.runJobs();
    expect(await mailsOfKind('events.change.notice', alice)).toHaveLength(1);
    expect(await mailsOfKind('events.change.notice', gone)).toHaveLength(0);
  });

  it('says "Time changed" for a new time on the same day and "Date changed" for a new day, with the new times in the page, the email and the .ics', async () => {
    const id = await makeEvent(t, [group], { title: 'Public meeting', starts_at: '2027-06-10T18:30', ends_at: '2027-06-10T20:30' });
    const who = uniqueEmail('carol');
    await book(id, who);
    await t.runJobs();
    const first = await attachedCalendar(await sink.waitFor((m) => m.to.includes(who) && m.subject.startsWith('You’re booked')));
    const agent = await organiserAgent();
    await agent.get(`/admin/events/${id}/edit`);
    expect((await agent.post(`/admin/events/${id}/edit`, await editFields(id, { starts_at: '2027-06-10T19:00', ends_at: '2027-06-10T21:00' }))).statusCode).toBe(303);
    await t.runJobs();
    const timeMail = await sink.waitFor((m) => m.to.includes(who) && m.subject === 'Time changed: Public meeting');
    expect(timeMail.text).toContain('at 19:00 to 21:00 (UK time)');
    const second = await attachedCalendar(timeMail);
    expect([second.uid, second.sequence > first.sequence, second.start.toISOString(), second.end.toISOString()]).toEqual([first.uid, true, '2027-06-10T18:00:00.000Z', '2027-06-10T20:00:00.000Z']);

    expect((await agent.post(`/admin/events/${id}/edit`, await editFields(id, { starts_at: '2027-06-17T19:00', ends_at: '2027-06-17T21:00' }))).statusCode).toBe(303);
    await t.runJobs();
    const dateMail = await sink.waitFor((m) => m.to.includes(who) && m.subject === 'Date changed: Public meeting');
    const third = await attachedCalendar(dateMail);
    expect([third.uid, third.sequence > second.sequence, third.start.toISOString()]).toEqual([first.uid, true, '2027-06-17T18:00:00.000Z']);
    const page = await t.app.inject({ method: 'GET', url: (await findEvent(t.ctx.db, id))!.path });
    expect(page.body).toContain(`Date changed on ${dayMonth(new Date())}: now Thursday, 17 June 2027 at 19:00 to 21:00 (UK time)`);
    // Only the latest change of each kind is at the top; both are in the history.
    expect(page.body.match(/changed on /g)).toHaveLength(1);
    expect(page.body).toContain('Thursday, 10 June 2027 at 18:30 to 20:30 (UK time)');
  });

  it('is not announced for a draft, nor for a change that leaves the venue and times alone', async () => {
    const draft = await makeEvent(t, [group], { title: 'Draft meeting' }, false);
    const published = await makeEvent(t, [group], { title: 'Quiet change' });
    const who = uniqueEmail('dan');
    await book(published, who);
    const agent = await organiserAgent();
    await agent.get(`/admin/events/${draft}/edit`);
    expect((await agent.post(`/admin/events/${draft}/edit`, await editFields(draft, { venue_name: 'Elsewhere' }))).statusCode).toBe(303);
    expect((await agent.post(`/admin/events/${published}/edit`, await editFields(published, { title: 'Quiet change, new title' }))).statusCode).toBe(303);
    await t.runJobs();
    expect(await t.ctx.db.selectFrom('event_changes').select('id').where('event_id', 'in', [draft, published]).execute()).toEqual([]);
    expect(await mailsOfKind('events.change.notice', who)).toHaveLength(0);
  });
});

describe('cancelling an event', () => {
  it('shows "Cancelled on ..." with the reason, and emails everyone booked a METHOD:CANCEL calendar entry with the same UID and a higher SEQUENCE', async () => {
    const id = await makeEvent(t, [group], { title: 'Rally in the square' });
    const who = uniqueEmail('erin');
    await book(id, who);
    await t.runJobs();
    const first = await attachedCalendar(await sink.waitFor((m) => m.to.includes(who) && m.subject.startsWith('You’re booked')));
    const agent = await organiserAgent();
    await agent.get(`/admin/events/${id}`);
    expect((await agent.post(`/admin/events/${id}/cancel`, { note: 'the square is closed for repairs' })).statusCode).toBe(303);
    const page = await t.app.inject({ method: 'GET', url: (await findEvent(t.ctx.db, id))!.path });
    expect(page.body).toContain(`Cancelled on ${dayMonth(new Date())}`);
    expect(page.body).toContain('the square is closed for repairs');
    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes(who) && m.subject === 'Cancelled: Rally in the square');
    expect(mail.text).toContain('has been cancelled');
    expect(mail.text).toContain('From the organisers: the square is closed for repairs');
    const ics = await attachedCalendar(mail);
    expect(ics.method).toBe('CANCEL');
    expect(ics.status).toBe('CANCELLED');
    expect(ics.uid).toBe(first.uid);
    expect(ics.sequence).toBeGreaterThan(first.sequence);
  });

  it('cannot take a cancellation note longer than 500 characters (400 naming the field)', async () => {
    const id = await makeEvent(t, [group], { title: 'Long note' });
    const agent = await organiserAgent();
    await agent.get(`/admin/events/${id}`);
    const res = await agent.post(`/admin/events/${id}/cancel`, { note: 'x'.repeat(501) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('note');
    expect((await findEvent(t.ctx.db, id))!.state).toBe('published');
  });

  it('tells search engines in its JSON-LD: EventRescheduled with the previous start after a change of date, EventMovedOnline once it moved online', async () => {
    const id = await makeEvent(t, [group], { title: 'Rescheduled meeting' });
    const ldOf = async () => {
      const page = await t.app.inject({ method: 'GET', url: (await findEvent(t.ctx.db, id))!.path });
      return JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.body)![1]!) as { eventStatus: string; previousStartDate?: string[]; startDate: string };
    };
    expect((await ldOf()).eventStatus).toBe('https://schema.org/EventScheduled');
    const before = (await findEvent(t.ctx.db, id))!;
    const agent = await organiserAgent();
    await agent.get(`/admin/events/${id}/edit`);
    const later = new Date(before.startsAt.getTime() + 86_400_000);
    const moved = await agent.post(`/admin/events/${id}/edit`, await editFields(id, { starts_at: toLondonInput(later), ends_at: toLondonInput(new Date(later.getTime() + 7_200_000)) }));
    expect(moved.statusCode).toBe(303);
    const rescheduled = await ldOf();
    expect(rescheduled).toMatchObject({ eventStatus: 'https://schema.org/EventRescheduled', previousStartDate: [before.startsAt.toISOString()], startDate: later.toISOString() });

    const other = await makeEvent(t, [group], { title: 'Meeting moving online' });
    await agent.get(`/admin/events/${other}/edit`);
    const online = await agent.post(`/admin/events/${other}/edit`, await editFields(other, { venue_name: '', address: '', postcode: '', online_url: 'https://meet.example.org/moved', type: 'online_meeting' }));
    expect(online.statusCode).toBe(303);
    const page = await t.app.inject({ method: 'GET', url: (await findEvent(t.ctx.db, other))!.path });
    expect(JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.body)![1]!)).toMatchObject({
      eventStatus: 'https://schema.org/EventMovedOnline',
      eventAttendanceMode: 'https://schema.org/OnlineEventAttendanceMode',
    });
  });
});
