import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { addOpportunityVia, addStorytellerVia, addTopic, askTokenFor, makeReady } from './test-support.ts';

let t: TestApp;
let agent: Agent;
let group: number;
let topic: number;
let storyteller: string;
let opportunity: number;
let token: string;
let askId: string;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  group = await insertGroup(t.ctx.db, 'Property Group');
  topic = await addTopic(t, 'GP appointments');
  ({ agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group] }));
  storyteller = await addStorytellerVia(agent, { name: 'Prop Erty', email: 'prop.erty@example.org', groups: [group], topics: [topic] });
  await makeReady(agent, storyteller);
  opportunity = await addOpportunityVia(agent, { topic: String(topic) });
  await agent.get(`/admin/opportunities/${opportunity}`);
  await agent.post(`/admin/opportunities/${opportunity}/asks`, { storytellers: storyteller });
  token = await askTokenFor(t, 'prop.erty@example.org');
  const ask = await t.ctx.db.selectFrom('opportunity_asks').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
  askId = String(ask.id);
});
afterAll(() => t.close());

const anyValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom('', ' ', '0', '-1', '1', '2027-02-30', '2027-03-14', 'https://example.org/a', 'javascript:alert(1)', '999999999999', '\u0000', '<script>', '%00', places.north.postcode, 'ZZ99 9ZZ', 'E12000008'),
);
const bodyOf = (fields: Record<string, unknown>) => new URLSearchParams(Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]]))).toString();

describe('the yes and no links under any input', () => {
  it('answer every token and body with a redirect or a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^[A-Za-z0-9_-]{20,64}$/), fc.constant(token)),
        fc.constantFrom('yes', 'no', 'maybe', ''),
        fc.dictionary(fc.string({ maxLength: 10 }), anyValue, { maxKeys: 4 }),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x'),
        async (tok, answer, fields, type) => {
          const url = `/storytellers/asks/${encodeURIComponent(tok)}/${answer}`;
          const res = await t.app.inject({ method: 'POST', url, payload: type.includes('json') ? JSON.stringify(fields) : bodyOf(fields), headers: { 'content-type': type, origin: 'http://chorus.test' } });
          expect(res.statusCode, `${url} ${type}`).toBeLessThan(500);
          const page = await t.app.inject({ method: 'GET', url: `/storytellers/asks/${encodeURIComponent(tok)}?answer=${encodeURIComponent(answer)}&done=${encodeURIComponent(String(fields.x ?? ''))}` });
          expect(page.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);
});

describe('the storyteller admin forms under any input', () => {
  it('answer every body with a redirect, a 409 or a 422 naming the fields, never a 5xx', async () => {
    const forms: Array<{ url: () => string; fields: fc.Arbitrary<Record<string, unknown>>; page: () => string }> = [
      {
        url: () => '/admin/storytellers/new',
        page: () => '/admin/storytellers/new',
        fields: fc.oneof(
          fc.record({ name: anyValue, email: fc.oneof(anyValue, fc.emailAddress()), phone: anyValue, postcode: anyValue, groups: fc.oneof(anyValue, fc.constant(String(group)), fc.array(anyValue, { maxLength: 3 })), topics: fc.oneof(anyValue, fc.constant(String(topic))) }, { requiredKeys: [] }),
          fc.record({ name: fc.constantFrom('Ann Example', 'Siân Jones'), email: fc.emailAddress(), postcode: fc.constantFrom('', places.north.postcode), groups: fc.constant(String(group)), topics: fc.constant(String(topic)) }),
        ),
      },
      { url: () => '/admin/opportunities/new', page: () => '/admin/opportunities/new', fields: fc.record({ kind: fc.oneof(anyValue, fc.constantFrom('press', 'politician')), requester: anyValue, outlet: anyValue, wanted: anyValue, topic: fc.oneof(anyValue, fc.constant(String(topic))), postcode: anyValue, region: anyValue, deadline: anyValue }, { requiredKeys: [] }) },
      { url: () => '/admin/storytellers/training', page: () => '/admin/storytellers/training', fields: fc.record({ event: anyValue, title: anyValue, date: anyValue }, { requiredKeys: [] }) },
      { url: () => `/admin/storytellers/${storyteller}/notes`, page: () => `/admin/storytellers/${storyteller}`, fields: fc.record({ note: anyValue }, { requiredKeys: [] }) },
      { url: () => `/admin/storytellers/${storyteller}/topics`, page: () => `/admin/storytellers/${storyteller}`, fields: fc.record({ topics: fc.oneof(anyValue, fc.constant(String(topic)), fc.array(anyValue, { maxLength: 3 })) }, { requiredKeys: [] }) },
      { url: () => `/admin/storytellers/${storyteller}/stage`, page: () => `/admin/storytellers/${storyteller}`, fields: fc.record({ to: fc.oneof(anyValue, fc.constantFrom('consented', 'ready', 'spoke')) }, { requiredKeys: [] }) },
      { url: () => `/admin/storytellers/${storyteller}/asks/${askId}/outcome`, page: () => `/admin/storytellers/${storyteller}`, fields: fc.record({ with_whom: anyValue, where: anyValue, links: anyValue }, { requiredKeys: [] }) },
      { url: () => `/admin/opportunities/${opportunity}/asks`, page: () => `/admin/opportunities/${opportunity}`, fields: fc.record({ storytellers: fc.oneof(anyValue, fc.constant(storyteller), fc.array(anyValue, { maxLength: 3 })) }, { requiredKeys: [] }) },
      { url: () => '/admin/storytellers/training/1/attendance', page: () => '/admin/storytellers/training/1', fields: fc.record({ attended: fc.oneof(anyValue, fc.constant(storyteller)) }, { requiredKeys: [] }) },
    ];
    let saved = 0;
    for (const form of forms) {
      await agent.get(form.page());
      await fc.assert(
        fc.asyncProperty(form.fields, async (fields) => {
          const res = await agent.post(form.url(), fields as Record<string, string | string[]>);
          expect(res.statusCode, `${form.url()} ${bodyOf(fields)}`).toBeLessThan(500);
          expect([303, 403, 404, 409, 422]).toContain(res.statusCode);
          if (res.statusCode === 303) saved++;
          if (res.statusCode === 422) expect(res.body).toContain('There is a problem');
          // The next post needs a fresh page's token, as a person's browser would have.
          if (res.statusCode !== 200) await agent.get(form.page());
        }),
        { numRuns: 40 },
      );
    }
    expect(saved).toBeGreaterThan(0);
  }, 240_000);
});

describe('the storyteller list pages under hostile query strings', () => {
  it('never answer with a server error', async () => {
    const pages = ['/admin/storytellers', '/admin/storytellers/training', '/admin/storytellers/topics', '/admin/opportunities', `/admin/opportunities/${opportunity}`, `/admin/storytellers/${storyteller}`];
    const values = ['99999999999999999999', '-1', '1e400', 'NaN', '', '__proto__', 'constructor', '<script>', 'ready', 'spoke'];
    for (const path of pages) {
      for (const value of values) {
        for (const key of ['page', 'stage', 'notice', 'done', '__proto__']) {
          const res = await agent.get(`${path}?${key}=${encodeURIComponent(value)}&${key}=${encodeURIComponent(value)}`);
          expect(res.statusCode, `${path}?${key}=${value}`).toBe(200);
        }
      }
    }
    for (const path of ['/admin/storytellers/not-a-uuid', '/admin/storytellers/00000000-0000-4000-8000-000000000000', '/admin/opportunities/99999999', '/admin/opportunities/abc', '/admin/storytellers/training/99999999', '/admin/opportunities/99999999999999/contacts.csv']) {
      expect((await agent.get(path)).statusCode, path).toBe(404);
    }
  }, 120_000);
});
