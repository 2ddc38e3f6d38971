import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { createPetition, freshIp, seedPlaces } from '../../test/support/public-petitions.ts';

let t: TestApp;
let petitionId: number;
let underAttackId: number;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  petitionId = (await createPetition(t.ctx.db)).id;
  underAttackId = (await createPetition(t.ctx.db, { underAttack: true })).id;
});
afterAll(() => t.close());

const RUNS = 200;

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(
    'x'.repeat(200_000),
    '\u0000',
    'a\u0000b@example.org',
    '\uD800',
    '<script>alert(1)</script>',
    "'; drop table signatures; --",
    'NE1 1AA',
    'GB',
    '𝕏𝕐 ℤ',
    '%00',
    'e@e.e',
  ),
);
const fieldValue = fc.oneof(hostileString, fc.array(hostileString, { maxLength: 3 }));
const formBody = fc.dictionary(fc.oneof(fc.constantFrom('name', 'email', 'postcode', 'country', 'hear_more', 'altcha', '_csrf'), fc.string()), fieldValue, {
  maxKeys: 8,
});

function urlencoded(body: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  return params.toString();
}

describe('hostile input never causes a server error', () => {
  it('random form bodies to the sign endpoint', async () => {
    await fc.assert(
      fc.asyncProperty(formBody, fc.constantFrom(petitionId, underAttackId), fc.boolean(), async (body, id, json) => {
        const res = await t.app.inject({
          method: 'POST',
          url: `/petitions/${id}/signatures`,
          payload: urlencoded(body),
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test', ...(json ? { accept: 'application/json' } : {}) },
          remoteAddress: freshIp(),
        });
        expect(res.statusCode).toBeLessThan(500);
        if (res.statusCode >= 400 && json) expect(res.json()).toHaveProperty('error');
      }),
      { numRuns: RUNS },
    );
  });

  it('random JSON bodies and content types', async () => {
    const contentType = fc.oneof(
      fc.constantFrom('application/json', 'text/plain', 'application/xml', 'multipart/form-data', 'application/x-www-form-urlencoded; charset=utf-16', ''),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), contentType, fc.boolean(), async (value, type, raw) => {
        const payload = raw ? JSON.stringify(value).slice(0, -1) : JSON.stringify(value);
        const headers: Record<string, string> = { origin: 'http://chorus.test' };
        if (type) headers['content-type'] = type;
        const res = await t.app.inject({ method: 'POST', url: `/petitions/${petitionId}/signatures.json`, payload, headers, remoteAddress: freshIp() });
        expect(res.statusCode).toBeLessThan(500);
        expect(res.json()).toHaveProperty('error');
      }),
      { numRuns: RUNS },
    );
  });

  it('random petition references, paths and query strings on the JSON and page routes', async () => {
    const thrown: string[] = [];
    const segment = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer().map(String),
      fc.bigInt().map(String),
      fc.constantFrom('0', '-1', '1e9', '99999999999999999999', '2147483648', '1-', '1-x.json', '.json', '%', '%ZZ', '..', 'NaN'),
    );
    const suffix = fc.constantFrom('', '.json', '/count.json', '/embed', '/counter.svg', '/sign', '/thank-you', '/confirmed', '/challenge.json', '/share/mastodon');
    const query = fc.dictionary(fc.constantFrom('state', 'page', 'sort', 'q', 'in', 'outcome', 'instance', 'token'), fc.oneof(fc.string(), hostileString), { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(segment, suffix, query, async (ref, tail, q) => {
        const qs = new URLSearchParams(q as Record<string, string>).toString();
        for (const base of [`/petitions/${encodeURIComponent(ref)}${tail}`, `/petitions/${ref}${tail}`]) {
          let res;
          try {
            res = await t.app.inject({ method: 'GET', url: `${base}${qs ? `?${qs}` : ''}` });
          } catch (error) {
            thrown.push(`${base}: ${String(error)}`);
            continue;
          }
          expect(res.statusCode, base).toBeLessThan(500);
        }
        const list = await t.app.inject({ method: 'GET', url: `/petitions.json?${qs}` });
        expect(list.statusCode).toBeLessThan(500);
        const page = await t.app.inject({ method: 'GET', url: `/petitions?${qs}` });
        expect(page.statusCode).toBeLessThan(500);
        const confirm = await t.app.inject({ method: 'GET', url: `/signatures/${encodeURIComponent(ref)}/confirm?${qs}` });
        expect(confirm.statusCode).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
    // A request that could not even be made is a request not tried: none may be skipped.
    expect(thrown).toEqual([]);
  });
});
