import fc from 'fast-check';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { toLondonInput } from '../supporters/index.ts';
import { readCalendar } from './feeds/test-support.ts';
import { occurrencesOf } from './occurrences.ts';
import { checkRule, readRepeat } from './repeat-rule.ts';
import { findEvent } from './store.ts';
import { eventFields, makeEvent } from './test-support.ts';

const london = (d: Date) => toLondonInput(d);

describe('repeat rules', () => {
  it('turns the simple choices into an RRULE on the start’s weekday, until a date (end of that UK day, in UTC) or a number of times', () => {
    // Saturday 23 October 2027, 10:00 UK time.
    const start = new Date('2027-10-23T09:00:00Z');
    const read = (fields: Record<string, string>) => readRepeat(fields, start);
    expect(read({ repeat: 'weekly', repeat_end: 'count', repeat_count: '8' })).toEqual({ rule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=8', problems: [] });
    expect(read({ repeat: 'fortnightly', repeat_end: 'until', repeat_until: '2027-12-31' }).rule).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;UNTIL=20271231T235959Z');
    // 23 October is the fourth Saturday of the month; 30 October the last.
    expect(read({ repeat: 'monthly', repeat_end: 'count', repeat_count: '6' }).rule).toBe('FREQ=MONTHLY;BYDAY=4SA;COUNT=6');
    expect(readRepeat({ repeat: 'monthly', repeat_count: '3' }, new Date('2027-10-30T09:00:00Z')).rule).toBe('FREQ=MONTHLY;BYDAY=-1SA;COUNT=3');
    // A summer date's end of day is 22:59:59 UTC.
    expect(read({ repeat: 'weekly', repeat_until: '2028-06-30' }).rule).toBe('FREQ=WEEKLY;BYDAY=SA;UNTIL=20280630T225959Z');
    expect(read({ repeat: 'none' })).toEqual({ rule: null, problems: [] });
    expect(read({})).toEqual({ rule: null, problems: [] });
  });

  it('cannot save a malformed repeat: each problem names its field', () => {
    const start = new Date('2027-10-23T09:00:00Z');
    const field = (fields: Record<string, string>) => readRepeat(fields, start).problems.map((p) => p.field);
    expect(field({ repeat: 'hourly' })).toEqual(['repeat']);
    expect(field({ repeat: 'weekly' })).toEqual(['repeat_end']);
    expect(field({ repeat: 'weekly', repeat_end: 'count', repeat_count: '1' })).toEqual(['repeat_count']);
    expect(field({ repeat: 'weekly', repeat_end: 'count', repeat_count: 'lots' })).toEqual(['repeat_count']);
    expect(field({ repeat: 'weekly', repeat_end: 'until', repeat_until: '2027-02-30' })).toEqual(['repeat_until']);
    expect(field({ repeat: 'weekly', repeat_end: 'until', repeat_until: '2027-01-01' })).toEqual(['repeat_until']);
    expect(field({ repeat: 'weekly', repeat_end: 'until', repeat_until: '2040-01-01' })).toEqual(['repeat_until']);
    for (const bad of ['FREQ=BOGUS', 'FOO=1', 'FREQ=WEEKLY;BYDAY=XX', 'FREQ=WEEKLY;INTERVAL=abc', 'FREQ=WEEKLY;COUNT=-1', 'FREQ=WEEKLY;;', 'FREQ=WEEKLY;UNTIL=notadate', 'BYDAY=SA', 'FREQ=HOURLY', 'FREQ=WEEKLY;COUNT=3;UNTIL=20280101', 'FREQ=WEEKLY;FREQ=DAILY', 'FREQ=MONTHLY;BYMONTHDAY=40', `FREQ=WEEKLY;BYDAY=${'SA,'.repeat(200)}SU`]) {
      expect(field({ rrule: bad }), bad).toEqual(['rrule']);
    }
  });

  it('never throws on any repeat fields: a rule, or problems naming repeat fields; a kept rule always expands', () => {
    const part = fc.oneof(fc.constantFrom('FREQ=WEEKLY', 'FREQ=MONTHLY', 'BYDAY=SA', 'BYDAY=-1FR', 'COUNT=3', 'UNTIL=20280101', 'INTERVAL=2', 'BYMONTHDAY=31', 'BYSETPOS=-1', 'WKST=MO'), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(
        fc.record({ repeat: fc.oneof(fc.constantFrom('none', 'weekly', 'fortnightly', 'monthly'), fc.string({ maxLength: 8 })), repeat_end: fc.constantFrom('until', 'count', '', 'x'), repeat_until: fc.oneof(fc.constantFrom('2027-12-31', '2027-02-29', ''), fc.string({ maxLength: 12 })), repeat_count: fc.oneof(fc.constantFrom('2', '520', '521', '0'), fc.string({ maxLength: 5 })), rrule: fc.array(part, { maxLength: 5 }).map((p) => p.join(';')) }, { requiredKeys: [] }),
        (fields) => {
          const start = new Date('2027-10-23T09:00:00Z');
          const read = readRepeat(fields, start);
          for (const p of read.problems) expect(['repeat', 'repeat_end', 'repeat_until', 'repeat_count', 'rrule']).toContain(p.field);
          if (read.rule) {
            expect(read.problems).toEqual([]);
            expect(checkRule(read.rule)).toEqual({ rule: read.rule });
            expect(() => occurrencesOf({ startsAt: start, endsAt: new Date(start.getTime() + 3_600_000), repeatRule: read.rule }, { from: start, to: new Date('2029-01-01T00:00:00Z'), limit: 20 })).not.toThrow();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes an RRULE typed in, in a canonical form (UNTIL as a date read as the end of that UK day)', () => {
    expect(checkRule('rrule:freq=monthly;byday=-1fr;count=6')).toEqual({ rule: 'FREQ=MONTHLY;BYDAY=-1FR;COUNT=6' });
    expect(checkRule('FREQ=WEEKLY;UNTIL=20280131;BYDAY=TU,TH')).toEqual({ rule: 'FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20280131T235959Z' });
  });

  it('keeps each occurrence at its UK clock time across the clock changes', () => {
    // 10:00 on Saturdays from 23 October 2027; the clocks go back on Sunday 31 October.
    const event = { startsAt: new Date('2027-10-23T09:00:00Z'), endsAt: new Date('2027-10-23T12:00:00Z'), repeatRule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=4' };
    const dates = occurrencesOf(event, { from: new Date('2027-01-01T00:00:00Z'), to: new Date('2028-12-31T00:00:00Z') });
    expect(dates.map((o) => [london(o.startsAt), london(o.endsAt)])).toEqual([
      ['2027-10-23T10:00', '2027-10-23T13:00'],
      ['2027-10-30T10:00', '2027-10-30T13:00'],
      ['2027-11-06T10:00', '2027-11-06T13:00'],
      ['2027-11-13T10:00', '2027-11-13T13:00'],
    ]);
    expect(dates[2]!.startsAt.toISOString()).toBe('2027-11-06T10:00:00.000Z');
    // And forward in spring (clocks go forward on 26 March 2028).
    const spring = occurrencesOf({ startsAt: new Date('2028-03-18T19:30:00Z'), endsAt: new Date('2028-03-18T21:00:00Z'), repeatRule: 'FREQ=WEEKLY;BYDAY=SA;UNTIL=20280408T225959Z' }, { from: new Date('2028-01-01T00:00:00Z'), to: new Date('2028-12-31T00:00:00Z') });
    expect(spring.map((o) => london(o.startsAt))).toEqual(['2028-03-18T19:30', '2028-03-25T19:30', '2028-04-01T19:30', '2028-04-08T19:30']);
    // Only the window's dates, however long the rule runs.
    const open = occurrencesOf({ ...event, repeatRule: 'FREQ=DAILY' }, { from: new Date('2030-01-01T00:00:00Z'), to: new Date('2030-01-04T00:00:00Z') });
    expect(open.map((o) => london(o.startsAt))).toEqual(['2030-01-01T10:00', '2030-01-02T10:00', '2030-01-03T10:00']);
  });
});

describe('repeating events in the app', () => {
  let t: TestApp;
  let group: number;
  beforeAll(async () => {
    t = await createTestApp();
    await seedPlaces(t.ctx.db);
    group = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
  });
  afterAll(() => t.close());
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('an organiser saves a weekly stall from the simple choices; a malformed RRULE is refused naming the field, the values kept', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group] });
    await agent.get('/admin/events/new');
    const form = eventFields([group], { title: 'Saturday stall', type: 'street_stall', starts_at: '2027-10-23T10:00', ends_at: '2027-10-23T13:00' });
    const bad = await agent.post('/admin/events/new', { ...form, rrule: 'FREQ=WEEKLY;BYDAY=XX' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('href="#field-rrule"');
    expect(bad.body).toContain('BYDAY must list weekdays');
    expect(bad.body).toContain('value="FREQ=WEEKLY;BYDAY=XX"');
    expect(bad.body).toContain('value="Saturday stall"');
    expect(await t.ctx.db.selectFrom('events').select('id').where('title', '=', 'Saturday stall').execute()).toHaveLength(0);

    const good = await agent.post('/admin/events/new', { ...form, repeat: 'weekly', repeat_end: 'count', repeat_count: '4' });
    expect(good.statusCode).toBe(303);
    const id = Number(/\/admin\/events\/(\d+)/.exec(String(good.headers.location))![1]);
    expect((await findEvent(t.ctx.db, id))!.repeatRule).toBe('FREQ=WEEKLY;BYDAY=SA;COUNT=4');
    const edit = await agent.get(`/admin/events/${id}/edit`);
    expect(edit.body).toMatch(/<option value="weekly" selected(="")?>/);
    expect(edit.body).toContain('value="4"');
  });

  it('lists each occurrence in its month on /events, the next dates on the event page, and the RRULE in the feed, which a calendar expands at 10:00 UK time after the October change', async () => {
    const id = await makeEvent(t, [group], { title: 'Weekly stall on the high street', type: 'street_stall', starts_at: '2027-10-23T10:00', ends_at: '2027-10-23T13:00', repeat: 'weekly', repeat_end: 'count', repeat_count: '4' });
    const event = (await findEvent(t.ctx.db, id))!;

    const list = (await get('/events')).body;
    const october = list.slice(list.indexOf('>October 2027</h2>'), list.indexOf('>November 2027</h2>'));
    const november = list.slice(list.indexOf('>November 2027</h2>'));
    expect(october.split('Weekly stall on the high street').length - 1).toBe(2);
    expect(november.split('Weekly stall on the high street').length - 1).toBe(2);
    expect(list).toContain('Sat 6 Nov, 10:00 to 13:00');

    const page = (await get(event.path)).body;
    expect(page).toContain('Every week on Saturday.');
    expect(page).toContain('Saturday 6 November 2027, 10:00 to 13:00');
    expect(page).toContain('Saturday 13 November 2027, 10:00 to 13:00');

    for (const url of ['/events.ics', `/events/${id}.ics`]) {
      const text = (await get(url)).body;
      const cal = readCalendar(text);
      expect(cal.timezones).toContain('Europe/London');
      const entry = cal.events.find((e) => e.uid === `event-${id}@chorus.test`)!;
      expect(text).toContain('\r\nRRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=4\r\n');
      expect(entry.rrule!.split(';').sort()).toEqual(['BYDAY=SA', 'COUNT=4', 'FREQ=WEEKLY']);
      expect(text).toContain('DTSTART;TZID=Europe/London:20271023T100000');
      const expand = entry.event.iterator();
      const starts: string[] = [];
      for (let next = expand.next(); next; next = expand.next()) starts.push(next.convertToZone(ICAL.Timezone.utcTimezone).toJSDate().toISOString());
      expect(starts).toEqual(['2027-10-23T09:00:00.000Z', '2027-10-30T09:00:00.000Z', '2027-11-06T10:00:00.000Z', '2027-11-13T10:00:00.000Z']);
      expect(starts.map((s) => london(new Date(s)).slice(11))).toEqual(['10:00', '10:00', '10:00', '10:00']);
    }
    const json = (await get(`/events/${id}.json`)).json();
    expect(json.data.attributes.repeat_rule).toBe('FREQ=WEEKLY;BYDAY=SA;COUNT=4');
    expect(json.data.attributes.next_dates.map((d: { starts_at: string }) => d.starts_at)).toEqual(['2027-10-23T09:00:00.000Z', '2027-10-30T09:00:00.000Z', '2027-11-06T10:00:00.000Z', '2027-11-13T10:00:00.000Z']);
  });

  it('stays in the calendar after its first date, until its last date has ended, then moves to the past; a rule with no end runs on', async () => {
    const daysAgo = (n: number, hour: number) => {
      const d = new Date(Date.now() - n * 86_400_000);
      return london(d).slice(0, 10) + `T${String(hour).padStart(2, '0')}:00`;
    };
    const running = await makeEvent(t, [group], { title: 'Stall that runs on', type: 'street_stall', starts_at: daysAgo(10, 10), ends_at: daysAgo(10, 12), repeat: 'weekly', repeat_end: 'count', repeat_count: '4' });
    const ended = await makeEvent(t, [group], { title: 'Stall that has ended', type: 'street_stall', starts_at: daysAgo(10, 10), ends_at: daysAgo(10, 12), repeat: 'weekly', repeat_end: 'count', repeat_count: '2' });
    const endless = await makeEvent(t, [group], { title: 'Stall with no last date', type: 'street_stall', starts_at: daysAgo(40, 10), ends_at: daysAgo(40, 12), rrule: 'FREQ=WEEKLY' });

    const first = (await findEvent(t.ctx.db, running))!;
    // Its fourth date, three weeks after the first, ends at 12:00 UK time.
    expect(london(first.runsUntil!)).toBe(london(new Date(first.endsAt.getTime() + 21 * 86_400_000)));
    expect((await findEvent(t.ctx.db, endless))!.runsUntil).toBeNull();

    // The calendar is drawn once a second for everyone: wait for a drawing after these were made.
    await expect.poll(async () => (await get('/events')).body, { timeout: 5_000, interval: 250 }).toContain('Stall with no last date');
    const upcoming = (await get('/events')).body;
    const past = (await get('/events/past')).body;
    expect(upcoming).toContain('Stall that runs on');
    expect(upcoming).toContain('Stall with no last date');
    expect(upcoming).not.toContain('Stall that has ended');
    expect(past).toContain('Stall that has ended');
    expect(past).not.toContain('Stall that runs on');
    expect(past).not.toContain('Stall with no last date');

    // Its page is not marked as ended, lists the dates to come, and says no booking is needed for them.
    const page = (await get(first.path)).body;
    expect(page).not.toContain('This event has taken place');
    expect(page).toContain('No booking is needed for the dates to come');
    expect(page).toContain('Next dates');
    const endedPage = (await get((await findEvent(t.ctx.db, ended))!.path)).body;
    expect(endedPage).toContain('This event has taken place');
    // The feed still carries the running series with its rule.
    const feed = (await get('/events.ics')).body;
    expect(readCalendar(feed).events.map((e) => e.uid)).toContain(`event-${running}@chorus.test`);
  });

  it('runs a one-off event until it ends, however its end is written', async () => {
    const id = await makeEvent(t, [group], { title: 'One-off meeting' });
    await t.ctx.db.updateTable('events').set({ ends_at: new Date('2031-01-01T12:00:00Z') }).where('id', '=', id).execute();
    expect((await findEvent(t.ctx.db, id))!.runsUntil).toEqual(new Date('2031-01-01T12:00:00Z'));
  });
});
