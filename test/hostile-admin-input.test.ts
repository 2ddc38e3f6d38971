import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from './support/agent.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { signedInAgent } from './support/organisers.ts';

let t: TestApp;
let admin: Agent;
beforeAll(async () => {
  t = await createTestApp();
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
});
afterAll(() => t.close());

/** Every organisers' page that lists or searches (and so reads ?page= and other query keys). */
const adminPages = [
  '/admin', '/admin/account', '/admin/api', '/admin/audit', '/admin/brand', '/admin/groups', '/admin/mail', '/admin/mailings',
  '/admin/moderation', '/admin/organisers', '/admin/people', '/admin/people-imports', '/admin/people/consents', '/admin/people/forms',
  '/admin/people/merge', '/admin/petitions', '/admin/retention', '/admin/segments', '/admin/segments/count', '/admin/segments/new', '/admin/tags', '/admin/lists',
];
/** Names an object inherits: a plain `{}` used as a map breaks on them. */
const prototypeNames = ['constructor', '__proto__', 'hasOwnProperty', 'toString', 'valueOf', 'prototype', '__defineGetter__'];
const hugePages = ['99999999999999999999', '9223372036854775808', '2147483648', '1e400', '-1', '0', '1.5', 'NaN', 'Infinity', '0x10', ''];

describe('organisers’ pages under hostile input never answer with a server error', () => {
  it('a page number past any real page (or not a number) on every listing', async () => {
    const failures: string[] = [];
    for (const path of adminPages) {
      for (const page of hugePages) {
        const res = await admin.get(`${path}?page=${encodeURIComponent(page)}`);
        if (res.statusCode >= 500) failures.push(`${path}?page=${page} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
    // The case reported: a mailing list page far past the end is the first page, not a database error.
    const mailings = await admin.get('/admin/mailings?page=99999999999999999999');
    expect(mailings.statusCode).toBe(200);
  });

  it('query keys named like an object’s own properties on every listing', async () => {
    const failures: string[] = [];
    for (const path of adminPages) {
      for (const name of prototypeNames) {
        const res = await admin.get(`${path}?${encodeURIComponent(name)}=x&${encodeURIComponent(name)}=y&page=${encodeURIComponent(name)}&q=${encodeURIComponent(name)}`);
        if (res.statusCode >= 500) failures.push(`${path}?${name} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('saving a segment whose builder query is `constructor`, `__proto__` or `hasOwnProperty`', async () => {
    await admin.get('/admin/segments/new');
    for (const name of prototypeNames) {
      for (const query of [name, `${name}=1`, `${name}=1&${name}=2`, `c0.kind=${name}&c0.${name}=x`]) {
        await admin.get('/admin/segments/new');
        const res = await admin.post('/admin/segments', { name: `Hostile ${name}`, query });
        expect(res.statusCode, query).toBeLessThan(500);
      }
    }
  });

  it('form posts with random keys, prototype names among them, to organisers’ forms (property)', async () => {
    const forms = ['/admin/segments', '/admin/groups', '/admin/petitions', '/admin/mailings', '/admin/organisers', '/admin/tags', '/admin/lists', '/admin/people/merge'];
    const key = fc.oneof(fc.constantFrom(...prototypeNames, 'name', 'query', 'group', 'page', 'title', 'email'), fc.string({ maxLength: 12 }));
    const body = fc.dictionary(key, fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...prototypeNames), fc.array(fc.constantFrom(...prototypeNames), { maxLength: 3 })), { maxKeys: 6 });
    await admin.get('/admin');
    const token = admin.csrfToken();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...forms), body, async (form, fields) => {
        const res = await admin.post(form, { ...fields, _csrf: token });
        expect(res.statusCode, `${form} ${JSON.stringify(fields)}`).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});
