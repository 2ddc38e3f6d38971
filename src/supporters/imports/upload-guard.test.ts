import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { withImportTables } from './tables.ts';

let t: TestApp;
let admin: Agent;
const boundary = '----chorusguard';
// Not a multipart body at all: reading it fails (400), so an answer other than 400 means it was not read.
const broken = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nemail\r\nx@example.org`;
const valid = (token: string) =>
  [
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="group"\r\n\r\ncoalition\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="wording"\r\n\r\nYes please.\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nemail\nx@example.org\n\r\n`,
    `--${boundary}--\r\n`,
  ].join('');
const imports = async () => (await withImportTables(t.ctx.db).selectFrom('people_imports').select('id').execute()).length;

beforeAll(async () => {
  t = await createTestApp();
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
});
afterAll(() => t.close());

describe('an upload is read only after the session and CSRF token are checked', () => {
  it('cannot upload without signing in: refused before the body is read', async () => {
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: 'http://chorus.test' };
    const res = await t.app.inject({ method: 'POST', url: '/admin/people-imports', payload: broken, headers });
    expect(res.statusCode).toBe(401);
    const whole = await t.app.inject({ method: 'POST', url: '/admin/people-imports', payload: valid('x'), headers });
    expect(whole.statusCode).toBe(401);
    expect(await imports()).toBe(0);
  });

  it('cannot upload with a bad CSRF token, in the address, a header or the body: refused before the body is read', async () => {
    const page = await admin.get('/admin/people-imports');
    const action = /<form action="([^"]+)"[^>]*enctype="multipart\/form-data"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    expect(action).toMatch(/^\/admin\/people-imports\?_csrf=/);
    for (const url of ['/admin/people-imports?_csrf=forged', '/admin/people-imports']) {
      const res = await admin.postMultipartRaw(url, broken, boundary, url.includes('forged') ? {} : { 'x-csrf-token': 'forged' });
      expect(res.statusCode, url).toBe(403);
    }
    const inBody = await admin.postMultipartRaw('/admin/people-imports', valid('forged'), boundary);
    expect(inBody.statusCode).toBe(403);
    expect(await imports()).toBe(0);

    // The form as the browser sends it (the token in its action, no header) is read and saved.
    const sent = await admin.postMultipartRaw(action, valid(admin.csrfToken()), boundary);
    expect(sent.statusCode, sent.body).toBe(303);
    expect(await imports()).toBe(1);
  });
});
