import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import type { BookingForm } from './book-event.ts';
import { BookingWriter } from './booking-writer.ts';
import { findEvent, type ChorusEvent } from './store.ts';
import { eventsContext } from './tables.ts';
import { makeEvent } from './test-support.ts';

let t: TestApp;
let group: number;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  group = await insertGroup(t.ctx.db, 'Writer Save Our NHS');
});
afterAll(() => t.close());

const form = (email: string, places = 1, name = 'Batch Booker'): BookingForm => ({ name, email, tier: 0, places, access_needs: '', hear_more: true });
const request = (event: ChorusEvent, f: BookingForm) => ({ event, tier: event.tiers[0]!, form: { ...f, tier: event.tiers[0]!.id }, ip: null });

async function waitFor(check: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

async function recorded(eventId: number) {
  const bookings = await t.ctx.db.selectFrom('bookings').select(['email', 'places']).where('event_id', '=', eventId).orderBy('email').execute();
  const actions = await t.ctx.db.selectFrom('person_actions').select('id').where('kind', '=', 'event.booked').where('subject_id', '=', String(eventId)).execute();
  const event = (await findEvent(t.ctx.db, eventId))!;
  return { bookings, actions: actions.length, placesBooked: event.placesBooked, tierBooked: event.tiers[0]!.placesBooked };
}

const mailTo = async (to: string) => (await sql<{ n: number }>`select count(*)::int as n from outbound_emails where to_address = ${to}`.execute(t.ctx.db)).rows[0]!.n;

describe('the booking writer', () => {
  it('writes queued bookings in one batch, each checked in order against the places left: a refused booking does not undo the others', async () => {
    const id = await makeEvent(t, [group], { capacity: '3' });
    const event = (await findEvent(t.ctx.db, id))!;
    const writer = new BookingWriter(eventsContext(t.ctx), t.ctx.pool, { maxConcurrent: 1 });
    // The first goes alone; the three behind it queue and go together: 2 places are left for them.
    const outcomes = await Promise.all([
      writer.submit(request(event, form(`first.${id}@example.org`))),
      writer.submit(request(event, form(`second.${id}@example.org`))),
      writer.submit(request(event, form(`toomany.${id}@example.org`, 5))),
      writer.submit(request(event, form(`third.${id}@example.org`))),
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['booked', 'booked', 'invalid', 'booked']);
    expect(outcomes[2]).toMatchObject({ waitingList: true, problems: [{ field: 'places', message: expect.stringContaining('Only 1 place is left') }] });
    const after = await recorded(id);
    expect(after.bookings.map((b) => b.email)).toEqual([`first.${id}@example.org`, `second.${id}@example.org`, `third.${id}@example.org`]);
    expect([after.actions, after.placesBooked, after.tierBooked]).toEqual([3, 3, 3]);
    // The refused booker left nothing behind: no person, no email.
    expect(await t.ctx.db.selectFrom('people').select('id').where('email', '=', `toomany.${id}@example.org`).execute()).toEqual([]);
    expect(await mailTo(`toomany.${id}@example.org`)).toBe(0);
    expect(await mailTo(`third.${id}@example.org`)).toBeGreaterThan(0);
  });

  it('cannot lose the others when PostgreSQL refuses one booking of a batch: the batch rolls back, then each is written alone', async () => {
    const id = await makeEvent(t, [group], { capacity: '10' });
    const event = (await findEvent(t.ctx.db, id))!;
    const writer = new BookingWriter(eventsContext(t.ctx), t.ctx.pool, { maxConcurrent: 1 });
    // PostgreSQL text cannot hold NUL (the form refuses it; here it reaches the database).
    const settled = await Promise.allSettled([
      writer.submit(request(event, form(`alone.${id}@example.org`))),
      writer.submit(request(event, form(`good1.${id}@example.org`))),
      writer.submit(request(event, form(`poison.${id}@example.org`, 1, 'Nul\u0000Name'))),
      writer.submit(request(event, form(`good2.${id}@example.org`))),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const after = await recorded(id);
    expect(after.bookings.map((b) => b.email)).toEqual([`alone.${id}@example.org`, `good1.${id}@example.org`, `good2.${id}@example.org`]);
    expect([after.actions, after.placesBooked]).toEqual([3, 3]);
  });

  it('answers nobody "booked" who is not when a batch loses its connection mid-flight; booking again books once', async () => {
    const id = await makeEvent(t, [group], { capacity: '10' });
    const event = (await findEvent(t.ctx.db, id))!;
    const writer = new BookingWriter(eventsContext(t.ctx), t.ctx.pool, { maxConcurrent: 1 });
    const stuck = `stuck.${id}@example.org`;
    // Another session is adding the same person, not yet committed: the batch waits on it, halfway through its records.
    const blocker = await t.ctx.pool.connect();
    try {
      await blocker.query('begin');
      await blocker.query('insert into people (email, canonical_email) values ($1, $1)', [stuck]);
      // The first goes alone and is booked; the three behind it go together, and wait.
      const lead = writer.submit(request(event, form(`lead.${id}@example.org`)));
      const batch = [`with1.${id}@example.org`, stuck, `with2.${id}@example.org`].map((email) => writer.submit(request(event, form(email))));
      // Watched from the start: the batch may fail before the terminating query has answered.
      const batchSettled = Promise.allSettled(batch);
      expect((await lead).kind).toBe('booked');
      const waiting = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%insert into people%'`;
      await waitFor(async () => (await waiting.execute(t.ctx.db)).rows[0]!.n === 1);
      // The batch's server process dies (as in a crash of its PostgreSQL backend).
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where wait_event_type = 'Lock' and query like '%insert into people%'`.execute(t.ctx.db);
      const settled = await batchSettled;
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
      await blocker.query('rollback');
    } finally {
      blocker.release();
    }
    expect(await recorded(id)).toEqual({ bookings: [{ email: `lead.${id}@example.org`, places: 1 }], actions: 1, placesBooked: 1, tierBooked: 1 });
    expect(await mailTo(stuck)).toBe(0);
    expect(await mailTo(`with1.${id}@example.org`)).toBe(0);
    // They book again, and are booked once.
    const again = await writer.submit(request(event, form(stuck)));
    expect(again.kind).toBe('booked');
    const after = await recorded(id);
    expect([after.bookings.length, after.actions, after.placesBooked]).toEqual([2, 2, 2]);
  });

  it('writes two batches of one event side by side and still never books more than the capacity', async () => {
    const id = await makeEvent(t, [group], { capacity: '25' });
    const event = (await findEvent(t.ctx.db, id))!;
    const writer = new BookingWriter(eventsContext(t.ctx), t.ctx.pool, { maxConcurrent: 3, maxBatch: 7 });
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => writer.submit(request(event, form(`side${i}.${id}@example.org`)))));
    expect(outcomes.filter((o) => o.kind === 'booked')).toHaveLength(25);
    expect(outcomes.filter((o) => o.kind === 'invalid' && o.waitingList)).toHaveLength(35);
    const after = await recorded(id);
    expect([after.bookings.length, after.actions, after.placesBooked, after.tierBooked]).toEqual([25, 25, 25, 25]);
  });
});
