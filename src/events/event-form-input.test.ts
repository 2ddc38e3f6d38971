import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { freshIp, seedPlaces } from '../../test/support/public-petitions.ts';
import type { Agent } from '../../test/support/agent.ts';
import { insertGroup } from '../petitions/admin/test-support.ts';
import { saveHostRules } from './host-rules.ts';
import { findEvent } from './store.ts';
import { eventFields, fixtureAdmin, makeEvent } from './test-support.ts';

let t: TestApp;
let group: number;
let organiser: Agent;
let eventPath: string;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  group = await insertGroup(t.ctx.db, 'Property Group');
  organiser = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group] })).agent;
  eventPath = (await findEvent(t.ctx.db, await makeEvent(t, [group])))!.path;
  await saveHostRules(t.ctx.db, await fixtureAdmin(t), { supportersMayHost: true });
});
afterAll(() => t.close());

const anyValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom('', ' ', '0', '-1', '1', '10', '5.505', '£5', '1e3', '999999999999', '\u0000', '<script>', '%00', '2027-03-28T01:30', '2027-10-31T01:30', 'not a date', 'https://x.example', 'javascript:alert(1)', 'NE1 1AA', 'ZZ9 9ZZ', 'yes'),
);
const fieldNames = ['groups', 'title', 'type', 'description', 'starts_at', 'ends_at', 'venue_name', 'address', 'postcode', 'online_url', 'online_url_booked_only', 'access_step_free', 'access_notes', 'speakers', 'contact', 'capacity', 'tier_1_id', 'tier_1_name', 'tier_1_price', 'tier_1_capacity', 'tier_4_price', 'host_name', 'host_email'] as const;
/** A form: each field absent, one value or repeated, starting from a valid event so rules past the syntax are reached too. */
const formArb = fc
  .tuple(fc.dictionary(fc.constantFrom(...fieldNames), fc.oneof(anyValue, fc.array(anyValue, { maxLength: 3 })), { maxKeys: 6 }), fc.boolean())
  .map(([changes, fromValid]) => ({ ...(fromValid ? { ...eventFields([group]), host_name: 'Pat Host', host_email: 'pat@example.org' } : {}), ...changes }));

describe('the organisers’ event form and the host form under any input', () => {
  it('answers every organiser’s event form with a redirect or a 4xx, never a 5xx', async () => {
    await organiser.get('/admin/events/new');
    await fc.assert(
      fc.asyncProperty(formArb, async (fields) => {
        const res = await organiser.post('/admin/events/new', fields as Record<string, string | string[]>);
        expect(res.statusCode, JSON.stringify(fields)).toBeLessThan(500);
        expect([303, 400, 403, 422], JSON.stringify(fields)).toContain(res.statusCode);
        if (res.statusCode !== 303) await organiser.get('/admin/events/new');
      }),
      { numRuns: 120 },
    );
  });

  it('answers every host form, from an organiser or a supporter, with a redirect or a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(formArb, fc.boolean(), async (fields, asOrganiser) => {
        const res = asOrganiser
          ? await organiser.post('/events/host', fields as Record<string, string | string[]>, { csrf: false })
          : await t.app.inject({
              method: 'POST',
              url: '/events/host',
              remoteAddress: freshIp(),
              payload: new URLSearchParams(Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString(),
              headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
            });
        expect(res.statusCode, JSON.stringify(fields)).toBeLessThan(500);
        expect([303, 400, 403, 422, 429], JSON.stringify(fields)).toContain(res.statusCode);
      }),
      { numRuns: 120 },
    );
  });
});

describe('the calendar’s query string under any input', () => {
  const queryKeys = ['q', 'postcode', 'within', 'type', 'group', 'region', 'mode', 'free', 'page', 'from', 'x'] as const;
  const queryValue = fc.oneof(anyValue, fc.constantFrom('BS1 4DJ', 'NE1 1AA', 'ne11aa', '25', '5', '100', 'rally', 'online', 'in_person', 'E12000001', 'property-group-1'));

  it('answers /events with any filters, search and postcode with 200 or a 4xx naming the field, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...queryKeys), fc.oneof(queryValue, fc.array(queryValue, { maxLength: 3 })), { maxKeys: 8 }), async (query) => {
        const params = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])));
        const res = await t.app.inject({ method: 'GET', url: `/events?${params}` });
        expect(res.statusCode, params.toString()).toBeLessThan(500);
        expect([200, 400, 422], params.toString()).toContain(res.statusCode);
        // 422 names the field: on the page's error summary, or (a NUL character) on the platform's error page.
        if (res.statusCode === 422) expect(res.body).toMatch(/href="#field-(postcode|q)"|\w+ must not contain the invisible NUL character/);
      }),
      { numRuns: 150 },
    );
  });

  it('answers any raw query string on /events and on an event page, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), fc.boolean(), async (raw, onEvent) => {
        const url = `${onEvent ? eventPath : '/events'}?${encodeURI(raw).replace(/#/g, '%23')}`;
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});
