import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { loadDemoOnce } from '../demo.ts';
import { actionOpportunities } from './index.ts';
import { listUpcomingEvents } from './store.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the events demo', () => {
  it('loads upcoming published events of several types over several regions, one a conference with £10 and £5 tickets, each with a page, and one full with a waiting list', async () => {
    expect((await loadDemoOnce(t.ctx.db)).loaded).toBe(true);
    const events = await listUpcomingEvents(t.ctx.db);
    expect(events.length).toBeGreaterThanOrEqual(5);
    // Upcoming: each starts later, or repeats and has dates still to come (the weekly stall began last week).
    expect(events.every((e) => e.state === 'published' && (e.startsAt > new Date() || (e.repeatRule !== null && (e.runsUntil === null || e.runsUntil > new Date()))))).toBe(true);
    const weekly = events.find((e) => e.repeatRule?.startsWith('FREQ=WEEKLY'))!;
    expect(weekly.startsAt.getTime()).toBeLessThan(Date.now());
    expect((await t.app.inject({ method: 'GET', url: weekly.path })).body).toContain('Next dates');
    expect(new Set(events.map((e) => e.type)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(events.flatMap((e) => (e.region ? [e.region.code] : []))).size).toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e.postcode).every((e) => e.constituency !== null)).toBe(true);
    const conference = events.find((e) => e.type === 'conference')!;
    expect(conference.tiers.map((x) => x.pricePence)).toEqual(expect.arrayContaining([1000, 500]));
    // One is full, with people on its waiting list, and its page offers the waiting list.
    const full = events.find((e) => e.capacity !== null && e.placesBooked === e.capacity)!;
    expect(full).toBeDefined();
    const waiting = await t.ctx.db.selectFrom('waiting_list_entries').select('status').where('event_id', '=', full.id).execute();
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    expect(waiting.every((w) => w.status === 'waiting')).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: full.path })).body).toContain('Join the waiting list');
    const list = await t.app.inject({ method: 'GET', url: '/events' });
    expect(list.body).toContain('Social care conference');
    for (const e of events) expect((await t.app.inject({ method: 'GET', url: e.path })).statusCode, e.path).toBe(200);
  });

  it('has a conference whose venue changed twice, the latest change at the top of its page and both in its history', async () => {
    await loadDemoOnce(t.ctx.db);
    const conference = (await listUpcomingEvents(t.ctx.db)).find((e) => e.type === 'conference')!;
    expect(conference.venueName).toBe('Carrs Lane Conference Centre');
    const page = (await t.app.inject({ method: 'GET', url: conference.path })).body;
    expect(page).toMatch(/Venue changed on \d{1,2} \w+: now at Carrs Lane Conference Centre, 11 Carrs Lane, Birmingham/);
    expect(page).toContain('PLEASE NOTE second change of venue, for access');
    expect(page).toContain('Changes to this event');
    expect(page).toContain('Digbeth Community Hall');
    expect(page).toContain('Birmingham Council House');
    expect(await t.ctx.db.selectFrom('event_changes').select('kind').where('event_id', '=', conference.id).execute()).toEqual([{ kind: 'venue' }, { kind: 'venue' }]);
  });

  it('has a hustings flagged with its MP, shown on its page and as an opportunity for action, and bookings ticked off on the door', async () => {
    const events = await listUpcomingEvents(t.ctx.db);
    const hustings = events.find((e) => e.type === 'hustings')!;
    expect(hustings.politician).toMatchObject({ kind: 'mp' });
    expect(hustings.politician!.name).not.toBe('');
    expect((await t.app.inject({ method: 'GET', url: hustings.path })).body).toContain(`Your MP ${hustings.politician!.name}`);
    expect((await actionOpportunities(t.ctx.db, { constituencyCode: hustings.politician!.constituency.code })).map((o) => o.eventId)).toContain(hustings.id);
    const checkedIn = await t.ctx.db.selectFrom('bookings').select(['event_id', 'person_id']).where('checked_in_at', 'is not', null).execute();
    expect(checkedIn.length).toBeGreaterThanOrEqual(2);
    const attended = await t.ctx.db.selectFrom('person_actions').select('kind').where('kind', '=', 'event.attended').execute();
    expect(attended.length).toBe(checkedIn.length);
    expect(await t.ctx.db.selectFrom('bookings').select('id').where('event_id', '=', hustings.id).where('status', '=', 'booked').execute()).toHaveLength(3);
  });
});
