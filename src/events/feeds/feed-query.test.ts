import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { seedPlaces } from '../../../test/support/public-petitions.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { makeEvent } from '../test-support.ts';

let t: TestApp;
let slug: string;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  const group = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
  slug = (await t.ctx.db.selectFrom('groups').select('slug').where('id', '=', group).executeTakeFirstOrThrow()).slug;
  await makeEvent(t, [group], { title: 'Weekly stall', type: 'street_stall', repeat: 'weekly', repeat_end: 'count', repeat_count: '8' });
  await makeEvent(t, [group], { title: 'Rally', type: 'rally' });
});
afterAll(() => t.close());

const feeds = () => ['/events.ics', '/events.rss', '/events.json', `/groups/${slug}/events.ics`];
const knownValue = fc.constantFrom('rally', 'public_meeting', 'public-meeting', 'north-east', 'E12000001', 'south east', '1', '0', '-1', '50', '10001', '99999999999', '', ' ', '%', '%00', 'ZZ');
const value = fc.oneof(knownValue, fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 }));
const name = fc.oneof(fc.constantFrom('type', 'region', 'group', 'page', 'count', 'type[]', 'region[0]', '__proto__', 'constructor'), fc.string({ maxLength: 10 }));

describe('the feeds’ query strings', () => {
  it('never answer 5xx, whatever the parameters (repeated, encoded or not, unknown)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...feeds()), fc.array(fc.tuple(name, value), { maxLength: 5 }), async (path, pairs) => {
        const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const res = await t.app.inject({ method: 'GET', url: `${path}?${query}` });
        expect(res.statusCode, `${path}?${query}`).toBeLessThan(500);
        if (res.statusCode === 200 && path.endsWith('.json')) expect(() => JSON.parse(res.body)).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });

  it('never answer 5xx to raw query text (bad percent-encoding, brackets, control characters)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...feeds()), fc.string({ unit: 'binary-ascii', maxLength: 40 }), async (path, raw) => {
        const url = `${path}?${raw.replace(/[\s#]/g, '')}`;
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  });
});
