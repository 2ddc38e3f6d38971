import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { seedPlaces } from '../../test/support/public-petitions.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { findEvent } from './store.ts';
import { makeEvent } from './test-support.ts';

let t: TestApp;
let eventId: number;
let tierId: string;
beforeAll(async () => {
  // Many valid joins come from one address here; the rate limit has its own test.
  t = await createTestApp({ env: { EVENT_BOOKING_RATE: '100000' } });
  await seedPlaces(t.ctx.db);
  const group = await insertGroup(t.ctx.db, 'Property Group');
  // A full event, so a valid form joins its waiting list.
  eventId = await makeEvent(t, [group], { capacity: '1' });
  const event = (await findEvent(t.ctx.db, eventId))!;
  tierId = String(event.tiers[0]!.id);
  await t.ctx.db.updateTable('events').set({ places_booked: 1 }).where('id', '=', eventId).execute();
  await t.ctx.db.updateTable('ticket_tiers').set({ places_booked: 1 }).where('id', '=', event.tiers[0]!.id).execute();
});
afterAll(() => t.close());

const anyValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom('', ' ', '0', '-1', '1', '10', '11', '1.5', '1e3', '999999999999', '\u0000', '<script>', '%00'),
);

describe('the waiting-list form under any input', () => {
  it('answers every urlencoded body with a redirect or a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ name: anyValue, email: fc.oneof(anyValue, fc.emailAddress()), tier: fc.oneof(anyValue, fc.constant(tierId)), places: anyValue, access_needs: anyValue, hear_more: anyValue }, { requiredKeys: [] }),
          // Plausible forms, so the success path is tried on every run, not only when chance lines up.
          fc.record({ name: fc.constantFrom('Ann Example', 'Bo Li', 'Siân Jones'), email: fc.emailAddress(), tier: fc.constant(tierId), places: fc.integer({ min: 1, max: 10 }).map(String), access_needs: anyValue }),
        ),
        fc.boolean(),
        async (fields, json) => {
          const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
          const res = await t.app.inject({
            method: 'POST',
            url: `/events/${eventId}/waiting-list${json ? '.json' : ''}`,
            payload: body,
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test', ...(json ? { accept: 'application/json' } : {}) },
          });
          expect(res.statusCode, body).toBeLessThan(500);
          expect([201, 303, 400, 403, 409, 422], body).toContain(res.statusCode);
        },
      ),
      { numRuns: 150 },
    );
    // Some bodies were valid and joined (the property covered the success path too).
    const joined = await t.ctx.db.selectFrom('waiting_list_entries').select('id').where('event_id', '=', eventId).execute();
    expect(joined.length).toBeGreaterThan(0);
  }, 120_000);

  it('answers any JSON body, including the wrong shapes, with a 4xx or success, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 2 }), async (value) => {
        const res = await t.app.inject({ method: 'POST', url: `/events/${eventId}/waiting-list.json`, payload: JSON.stringify(value), headers: { 'content-type': 'application/json', origin: 'http://chorus.test', accept: 'application/json' } });
        expect(res.statusCode, JSON.stringify(value)).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  });

  it('answers any token on the waiting-list and offer links with a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), fc.constantFrom('/waiting-list/', '/waiting-list/offers/'), fc.constantFrom('', '/leave', '/claim', '/decline'), async (token, base, action) => {
        const url = `${base}${encodeURIComponent(token)}${action}`;
        const res = await t.app.inject({ method: action ? 'POST' : 'GET', url, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' }, payload: '' });
        expect(res.statusCode, url).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  });
});
