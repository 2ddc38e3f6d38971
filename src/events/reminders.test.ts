import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCron, allJobs } from '../jobs.ts';
import { connectDatabase } from '../platform/db/database.ts';
import type { Database } from '../schema.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { SmtpSink } from '../../test/support/smtp.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { sendEventReminders } from './reminders.ts';
import { findEvent } from './store.ts';
import { eventFormSchema, eventFormValues } from './event-form.ts';
import { updateEvent } from './save-event.ts';
import { fixtureAdmin, makeEvent } from './test-support.ts';

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

let n = 0;
const uniqueEmail = (who: string) => `${who}.${++n}.${Date.now()}@example.org`;
const hour = 3_600_000;

async function book(eventId: number, email: string): Promise<string> {
  const event = (await findEvent(t.ctx.db, eventId))!;
  const res = await t.app.inject({
    method: 'POST',
    url: `/events/${eventId}/bookings`,
    payload: new URLSearchParams({ name: 'Pat Booker', email, tier: String(event.tiers[0]!.id), places: '2' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
  });
  expect(res.statusCode).toBe(303);
  return (await t.ctx.db.selectFrom('bookings').select('reference').where('email', '=', email).executeTakeFirstOrThrow()).reference;
}

const reminders = (to: string) => t.ctx.db.selectFrom('outbound_emails').select('id').where('kind', '=', 'events.booking.reminder').where('to_address', '=', to).execute();

describe('the reminder the day before', () => {
  it('is a job the worker runs on a schedule', () => {
    expect(allJobs.map((j) => j.id)).toContain('events.reminders.send');
    expect(allCron.map((c) => c.job.id)).toContain('events.reminders.send');
  });

  it('goes to everyone booked once the event is within a day, exactly once however often it runs; not to a cancelled booking', async () => {
    const id = await makeEvent(t, [group], { title: 'Save our maternity unit', starts_at: '2027-06-10T18:30', ends_at: '2027-06-10T20:30' });
    const event = (await findEvent(t.ctx.db, id))!;
    const [ann, ben, gone] = [uniqueEmail('ann'), uniqueEmail('ben'), uniqueEmail('gone')];
    const reference = await book(id, ann);
    await book(id, ben);
    await book(id, gone);
    await t.ctx.db.updateTable('bookings').set({ status: 'cancelled', cancelled_at: new Date() }).where('email', '=', gone).execute();

    // Two days before: not yet.
    expect(await sendEventReminders(t.ctx, new Date(event.startsAt.getTime() - 48 * hour))).toBe(0);
    // The evening before.
    const eveningBefore = new Date(event.startsAt.getTime() - 22 * hour);
    expect(await sendEventReminders(t.ctx, eveningBefore)).toBe(2);
    // Again, and later the same evening: nothing more.
    expect(await sendEventReminders(t.ctx, eveningBefore)).toBe(0);
    expect(await sendEventReminders(t.ctx, new Date(event.startsAt.getTime() - 1 * hour))).toBe(0);

    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes(ann) && m.subject === 'Reminder: Save our maternity unit is tomorrow');
    expect(mail.text).toContain(reference);
    expect(mail.text).toContain('You have booked 2 places');
    expect(mail.text).toContain('When: Thursday, 10 June 2027 at 18:30 to 20:30 (UK time)');
    const file = (await simpleParser(mail.raw)).attachments.find((a) => a.filename === 'event.ics')!;
    const vevent = new ICAL.Event(new ICAL.Component(ICAL.parse(file.content.toString('utf8'))).getFirstSubcomponent('vevent')!);
    expect(vevent.startDate.toJSDate().toISOString()).toBe('2027-06-10T17:30:00.000Z');
    expect(await reminders(ann)).toHaveLength(1);
    expect(await reminders(ben)).toHaveLength(1);
    expect(await reminders(gone)).toHaveLength(0);
  });

  it('is sent once per booking when two instances run it at the same moment', async () => {
    const id = await makeEvent(t, [group], { title: 'Street stall', starts_at: '2027-07-03T10:00', ends_at: '2027-07-03T13:00' });
    const event = (await findEvent(t.ctx.db, id))!;
    const emails = Array.from({ length: 12 }, (_, i) => uniqueEmail(`p${i}`));
    for (const email of emails) await book(id, email);
    // A second instance: its own connection pool on the same database.
    const other = connectDatabase<Database>(t.database.url, 4, 'chorus-test-second');
    try {
      const now = new Date(event.startsAt.getTime() - 20 * hour);
      const counts = await Promise.all([
        sendEventReminders(t.ctx, now),
        sendEventReminders({ ...t.ctx, db: other.db, pool: other.pool }, now),
        sendEventReminders(t.ctx, now),
        sendEventReminders({ ...t.ctx, db: other.db, pool: other.pool }, now),
      ]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(12);
    } finally {
      await other.close();
    }
    for (const email of emails) expect(await reminders(email)).toHaveLength(1);
  });

  it('is sent again for the new day when the event moves after its reminder went', async () => {
    const id = await makeEvent(t, [group], { title: 'Moved meeting', starts_at: '2027-09-01T19:00', ends_at: '2027-09-01T21:00' });
    const who = uniqueEmail('mo');
    await book(id, who);
    expect(await sendEventReminders(t.ctx, new Date(Date.UTC(2027, 7, 31, 20)))).toBe(1);
    const actor = await fixtureAdmin(t);
    const event = (await findEvent(t.ctx.db, id))!;
    const input = eventFormSchema.parse({ ...eventFormValues(event), groups: [String(group)], starts_at: '2027-09-08T19:00', ends_at: '2027-09-08T21:00' });
    await t.ctx.db.transaction().execute((tx) => updateEvent(tx, actor, id, input));
    expect(await sendEventReminders(t.ctx, new Date(Date.UTC(2027, 8, 7, 20)))).toBe(1);
    expect(await sendEventReminders(t.ctx, new Date(Date.UTC(2027, 8, 7, 21)))).toBe(0);
    expect(await reminders(who)).toHaveLength(2);
  });

  it('is not sent for a cancelled event', async () => {
    const id = await makeEvent(t, [group], { title: 'Called off', starts_at: '2027-08-01T12:00', ends_at: '2027-08-01T14:00' });
    const who = uniqueEmail('cal');
    await book(id, who);
    await t.ctx.db.updateTable('events').set({ state: 'cancelled', cancelled_at: new Date() }).where('id', '=', id).execute();
    expect(await sendEventReminders(t.ctx, new Date(Date.UTC(2027, 6, 31, 20)))).toBe(0);
    expect(await reminders(who)).toHaveLength(0);
  });
});
