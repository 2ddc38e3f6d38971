import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { buildApp } from '../app.ts';
import type { Viewer } from '../platform/web/context.ts';
import { BAD_KEYS_PER_ADDRESS } from './osdi-routes.ts';
import { makeAdminViewer, makeGroup, makeKey, osdiClient } from './test-support.ts';
import { findApiToken, hashToken, revokeApiToken } from './tokens.ts';

let t: TestApp;
let admin: Viewer;
let groupId: number;

const API = '/api/v1';
const ada = { person: { given_name: 'Ada', email_addresses: [{ address: 'ada@example.org' }] } };

beforeAll(async () => {
  t = await createTestApp();
  admin = await makeAdminViewer(t);
  groupId = await makeGroup(t, 'Error Group');
});
afterAll(() => t.close());

describe('API errors, OSDI style', () => {
  it('answers a missing, wrong or revoked key with 401 and Action Network’s error body', async () => {
    const token = await makeKey(t, admin, { groupId, scope: 'write' });
    expect((await osdiClient(t, token).get(`${API}/people`)).status).toBe(200);
    for (const client of [osdiClient(t, undefined), osdiClient(t, 'chorus_not-a-real-key'), osdiClient(t, 'nonsense')]) {
      for (const res of [await client.get(`${API}/`), await client.get(`${API}/people`), await client.post(`${API}/people`, ada)]) {
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toContain('json');
        expect(res.body).toEqual({ error: 'API Key invalid or not present' });
      }
    }
    const row = await t.ctx.db.selectFrom('api_tokens').select('public_id').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
    await revokeApiToken(t.ctx.db, admin, await findApiToken(t.ctx.db, row.public_id, 'all'));
    const revoked = await osdiClient(t, token).get(`${API}/people`);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toBe('API Key invalid or not present');
  });

  it('cannot try more than the limit of missing or wrong keys from one address, even 50 at once', async () => {
    const guesser = (i: number) => osdiClient(t, i % 2 ? `chorus_guess-${i}` : undefined, '198.51.100.7');
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => guesser(i).get(`${API}/people`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(BAD_KEYS_PER_ADDRESS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - BAD_KEYS_PER_ADDRESS);
    const limited = answers.find((a) => a.status === 429)!;
    expect(limited.headers['content-type']).toContain('json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body.error).toMatch(/^Too many requests with a missing or wrong API key from this address\. Wait \d+ seconds/);
    // A real key from the same address still works; other addresses are not affected.
    const token = await makeKey(t, admin, { groupId, scope: 'read' });
    expect((await osdiClient(t, token, '198.51.100.7').get(`${API}/people`)).status).toBe(200);
    expect((await osdiClient(t, 'chorus_wrong', '198.51.100.8').get(`${API}/people`)).status).toBe(401);
  });

  it('refuses writes with a read-only key (403), writing nothing', async () => {
    const reader = osdiClient(t, await makeKey(t, admin, { groupId, scope: 'read' }));
    const res = await reader.post(`${API}/people`, ada);
    expect(res.status).toBe(403);
    expect(res.body.error).toContain('may only read');
    expect(await t.ctx.db.selectFrom('people').select('id').where('canonical_email', '=', 'ada@example.org').execute()).toHaveLength(0);
  });

  it('says what is wrong with a body: 400 when unreadable, 422 naming the field', async () => {
    const writer = osdiClient(t, await makeKey(t, admin, { groupId, scope: 'write', perSecond: 100 }));
    const badJson = await writer.post(`${API}/people`, '{"person": {', 'application/json');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error).toBe('The request body is not valid JSON.');
    const halJson = await writer.post(`${API}/people`, '{"person": ', 'application/hal+json');
    expect(halJson.status).toBe(400);
    const notJson = await writer.post(`${API}/people`, 'person=ada', 'application/x-www-form-urlencoded');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toContain('Content-Type: application/json');
    const notObject = await writer.post(`${API}/people`, '[1, 2]');
    expect(notObject.status).toBe(400);

    const badEmail = await writer.post(`${API}/people`, { person: { email_addresses: [{ address: 'not-an-email' }] } });
    expect(badEmail.status).toBe(422);
    expect(badEmail.body.errors).toEqual([{ field: 'person.email_addresses.0.address', message: 'Enter an email address in the correct format, like name@example.com' }]);
    expect(badEmail.body.error).toContain('person.email_addresses.0.address');

    const several = await writer.post(`${API}/people`, {
      person: { given_name: '<script>', email_addresses: [], postal_addresses: [{ country: 'XX' }] },
      add_tags: [''],
    });
    expect(several.status).toBe(422);
    expect(several.body.errors!.map((e) => e.field).sort()).toEqual(['add_tags.0', 'person.email_addresses', 'person.given_name', 'person.postal_addresses.0.country']);
    const noPerson = await writer.post(`${API}/people`, { add_tags: ['x'] });
    expect(noPerson.status).toBe(422);
    expect(noPerson.body.errors![0]!.field).toBe('person');
    const badPostcode = await writer.post(`${API}/people`, { person: { email_addresses: [{ address: 'pc@example.org' }], postal_addresses: [{ postal_code: 'NOT A POSTCODE' }] } });
    expect(badPostcode.status).toBe(422);
    expect(badPostcode.body.errors![0]!.field).toBe('person.postal_addresses.0.postal_code');
    expect(await t.ctx.db.selectFrom('people').select('id').execute()).toHaveLength(0);
  });

  it('answers 404 for something that does not exist, or that the key may not see', async () => {
    const reader = osdiClient(t, await makeKey(t, admin, { groupId, scope: 'read', perSecond: 100 }));
    for (const url of [`${API}/people/${randomUUID()}`, `${API}/people/12`, `${API}/tags/999`, `${API}/lists/abc`, `${API}/petitions/999/signatures`, `${API}/nothing-here`]) {
      const res = await reader.get(url);
      expect(res.status, url).toBe(404);
      expect(res.body.error, url).toMatch(/^(We could not find that|Not found)/);
    }
  });

  it('holds each key to 4 requests a second across app instances (the count is in PostgreSQL), and records its last use', async () => {
    const token = await makeKey(t, admin, { groupId, scope: 'read' });
    const client = osdiClient(t, token);
    // A second app over the same database, as a second serve process would be.
    const other = await buildApp(t.ctx);
    const otherClient = osdiClient({ app: other }, token);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? client : otherClient).get(`${API}/`)));
    await other.close();
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(4);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(8);
    const limited = answers.find((a) => a.status === 429)!;
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.body.error).toContain('at most 4 a second');
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    const row = await t.ctx.db.selectFrom('api_tokens').select('last_used_at').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
    expect(row.last_used_at).toBeInstanceOf(Date);
    // Another key is not affected.
    expect((await osdiClient(t, await makeKey(t, admin, { groupId, scope: 'read' })).get(`${API}/`)).status).toBe(200);
    // A second later the key works again.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await client.get(`${API}/`)).status).toBe(200);
  });
});

describe('writes to what can only be read', () => {
  it('cannot write to a read-only resource: 405 with Allow, or 404 where there is nothing, never a CSRF 403', async () => {
    const token = await makeKey(t, admin, { groupId, scope: 'write' });
    const client = osdiClient(t, token);
    const tags = await client.post(`${API}/tags`, { name: 'New tag' });
    expect(tags.status, JSON.stringify(tags.body)).toBe(405);
    expect(tags.headers.allow).toBe('GET');
    expect(tags.body.error).toContain('POST is not allowed here');
    const person = await t.app.inject({ method: 'PUT', url: `${API}/people/${randomUUID()}`, headers: { 'osdi-api-token': token, 'content-type': 'application/json' }, payload: '{}' });
    expect(person.statusCode).toBe(405);
    expect(person.headers.allow).toBe('GET');
    const people = await t.app.inject({ method: 'DELETE', url: `${API}/people`, headers: { 'osdi-api-token': token } });
    expect(people.statusCode).toBe(405);
    expect(people.headers.allow).toBe('GET, POST');
    const nothing = await client.post(`${API}/no-such-thing`, {});
    expect(nothing.status).toBe(404);
  });
});
