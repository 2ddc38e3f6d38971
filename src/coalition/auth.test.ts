import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeNext } from './auth-routes.tsx';
import { createOrganiser } from './organisers.ts';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { SIGN_IN_MAX_FAILURES: '3' } });
  await createOrganiser(t.ctx.db, { email: 'Alex@Example.org', name: 'Alex', role: 'admin', password: 'a long enough password', actor: 'test' });
});
afterAll(() => t.close());

describe('organiser sign-in', () => {
  it('signs in with the right password (any case of email) and reaches the dashboard', async () => {
    const agent = new Agent(t.app);
    await agent.get('/sign-in');
    const res = await agent.post('/sign-in?next=/admin', { email: 'alex@example.ORG', password: 'a long enough password' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
    const dashboard = await agent.get('/admin');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('Organiser dashboard');
  });

  it('rejects a wrong password with an error summary and keeps the email typed', async () => {
    const agent = new Agent(t.app);
    await agent.get('/sign-in');
    const res = await agent.post('/sign-in', { email: 'alex@example.org', password: 'wrong password here' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Enter a correct email address and password');
    expect(res.body).toContain('value="alex@example.org"');
  });

  it('pauses sign-in for an address after repeated failures, even with the right password', async () => {
    await createOrganiser(t.ctx.db, { email: 'target@example.org', name: 'T', role: 'moderator', password: 'the right password!', actor: 'test' });
    const agent = new Agent(t.app);
    await agent.get('/sign-in');
    for (let i = 0; i < 3; i++) {
      expect((await agent.post('/sign-in', { email: 'target@example.org', password: `guess ${i}` })).statusCode).toBe(422);
    }
    const blocked = await agent.post('/sign-in', { email: 'target@example.org', password: 'the right password!' });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('900');
    expect(blocked.body).toContain('Too many failed attempts');
  });

  it('lets exactly the allowed number of wrong passwords through a burst of 50 parallel attempts, then pauses', async () => {
    await createOrganiser(t.ctx.db, { email: 'burst@example.org', name: 'B', role: 'moderator', password: 'the right password!', actor: 'test' });
    const agent = new Agent(t.app);
    await agent.get('/sign-in');
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => agent.post('/sign-in', { email: 'burst@example.org', password: `guess ${i}` })));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 422).length).toBe(3); // SIGN_IN_MAX_FAILURES
    expect(statuses.filter((s) => s === 429).length).toBe(47);
    const failures = await t.ctx.db.selectFrom('sign_in_failures').select((e) => e.fn.countAll<string>().as('n')).where('email_key', '=', 'burst@example.org').executeTakeFirstOrThrow();
    expect(Number(failures.n)).toBe(3);
    expect((await agent.post('/sign-in', { email: 'burst@example.org', password: 'the right password!' })).statusCode).toBe(429);
  });

  it('refuses a form post without the CSRF token', async () => {
    const agent = new Agent(t.app);
    await agent.get('/sign-in');
    const res = await agent.post('/sign-in', { email: 'alex@example.org', password: 'a long enough password' }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This form has expired');
  });

  it('sends people who are not signed in to the sign-in page and back', async () => {
    const res = await new Agent(t.app).get('/admin/mail');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in?next=%2Fadmin%2Fmail');
  });

  it('after sign-in, never sends the organiser off the hub, whatever next= says (the known bypasses)', async () => {
    const bypasses = [
      '//evil.example', '/\\evil.example', '/%09/evil.example', '/%2F/evil.example', '/%2f%2fevil.example', '\\/evil.example',
      '/\t/evil.example', '/%0a/evil.example', '/%5C/evil.example', 'https://evil.example/', 'http:evil.example', '//%09evil.example',
      'javascript:alert(1)', '/%252F%252Fevil.example/..', ' /admin', '',
    ];
    for (const next of bypasses) {
      const agent = new Agent(t.app);
      await agent.get(`/sign-in?next=${encodeURIComponent(next)}`);
      const res = await agent.post(`/sign-in?next=${encodeURIComponent(next)}`, { email: 'alex@example.org', password: 'a long enough password' });
      expect(res.statusCode, next).toBe(303);
      expect(res.headers.location, next).toBe('/admin');
    }
    // The raw form a browser sends, tab and slash percent-encoded, as the issue reported it.
    const agent = new Agent(t.app);
    await agent.get('/sign-in');
    const raw = await agent.post('/sign-in?next=%2F%09%2Fevil.example', { email: 'alex@example.org', password: 'a long enough password' });
    expect(raw.headers.location).toBe('/admin');
  });

  it('after sign-in, goes back to the page asked for on this hub', async () => {
    const agent = new Agent(t.app);
    await agent.get('/sign-in');
    const res = await agent.post(`/sign-in?next=${encodeURIComponent('/admin/mail?page=2')}`, { email: 'alex@example.org', password: 'a long enough password' });
    expect(res.headers.location).toBe('/admin/mail?page=2');
  });

  it('whatever next= is, the place it sends to resolves to this hub (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.string().map((x) => `/${x}`), fc.string().map((x) => `/${encodeURIComponent(x)}`)), (next) => {
        const target = safeNext(next);
        const base = 'https://hub.example';
        expect(new URL(target, base).origin).toBe(base);
        // What a browser does: drop tabs and newlines, read backslashes as slashes.
        const asBrowser = target.replace(/[\t\n\r]/g, '').replace(/\\/g, '/');
        expect(new URL(asBrowser, base).origin).toBe(base);
        expect(new URL(decodeURIComponent(asBrowser).replace(/[\t\n\r]/g, '').replace(/\\/g, '/'), base).origin).toBe(base);
      }),
      { numRuns: 2000 },
    );
  });

  it('signs out', async () => {
    const agent = new Agent(t.app);
    await agent.get('/sign-in');
    await agent.post('/sign-in', { email: 'alex@example.org', password: 'a long enough password' });
    await agent.get('/admin');
    const out = await agent.post('/sign-out', {});
    expect(out.statusCode).toBe(303);
    expect((await agent.get('/admin')).statusCode).toBe(303);
  });
});
