import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('pauses sign-in for an account from an address after repeated failures there, even with the right password', async () => {
    await createOrganiser(t.ctx.db, { email: 'target@example.org', name: 'T', role: 'moderator', password: 'the right password!', actor: 'test' });
    const agent = new Agent(t.app);
    await agent.get('/sign-in');
    for (let i = 0; i < 3; i++) {
      expect((await agent.post('/sign-in', { email: 'target@example.org', password: `guess ${i}` })).statusCode).toBe(422);
    }
    const blocked = await agent.post('/sign-in', { email: 'target@example.org', password: 'the right password!' });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(890);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(blocked.body).toContain('Too many failed attempts');
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

describe('where sign-in sends you next', () => {
  const hub = 'http://chorus.test';

  /** Signs in through the real form with `next` as given (raw, already percent-encoded). */
  async function postSignIn(rawNext: string) {
    const agent = new Agent(t.app);
    await agent.get('/sign-in');
    return agent.post(`/sign-in?next=${rawNext}`, { email: 'alex@example.org', password: 'a long enough password' });
  }

  async function signInWithNext(rawNext: string): Promise<string> {
    const res = await postSignIn(rawNext);
    expect(res.statusCode).toBe(303);
    return String(res.headers.location);
  }

  /** The Location as a browser reads it (WHATWG URL strips tabs and newlines, reads `\\` as `/`) stays on the hub. */
  function expectOnHub(location: string) {
    expect(location).toMatch(/^\/(?![/\\])/);
    expect(location).not.toMatch(/[\s\p{Cc}]/u);
    expect(new URL(location, hub).origin).toBe(hub);
  }

  it('goes back to the page that asked for sign-in', async () => {
    expect(await signInWithNext(encodeURIComponent('/admin/mail?page=2'))).toBe('/admin/mail?page=2');
  });

  it.each([
    ['//evil.example', '%2F%2Fevil.example'],
    ['/\\evil.example', '%2F%5Cevil.example'],
    ['\\/evil.example', '%5C%2Fevil.example'],
    ['/<tab>/evil.example', '%2F%09%2Fevil.example'],
    ['/<newline>/evil.example', '%2F%0A%2Fevil.example'],
    ['/%09/evil.example (encoded twice)', '%2F%2509%2Fevil.example'],
    ['/%2F/evil.example (encoded twice)', '%2F%252F%2Fevil.example'],
    ['/%5C/evil.example (encoded twice)', '%2F%255Cevil.example'],
    ['/a/..//evil.example (dot segments)', '%2Fa%2F..%2F%2Fevil.example'],
    ['https://evil.example/', 'https%3A%2F%2Fevil.example%2F'],
    ['//evil.example with a space first', '%20%2F%2Fevil.example'],
    ['javascript:alert(1)', 'javascript%3Aalert(1)'],
  ])('cannot be sent off the hub by next=%s', async (_label, raw) => {
    const location = await signInWithNext(raw);
    expectOnHub(location);
    expect(location).toBe('/admin');
  });

  it('cannot be sent off the hub by any next at all', async () => {
    const pieces = ['/', '%2F', '\\', '%5C', '%09', '%0A', '%0D', '%00', '%20', '.', '%2E', '..', 'evil.example', 'http:', 'javascript:', ':', '@', '%40', '?', '#', '%25', 'a', '%E2%80%8B', '%', '%C0%AF', '~', '%E4%B8%AD'];
    const rawNext = fc.oneof(
      fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((parts) => parts.join('')),
      fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
      fc.webUrl().map(encodeURIComponent),
    );
    await fc.assert(
      fc.asyncProperty(rawNext, async (raw) => {
        const res = await postSignIn(raw);
        if (res.statusCode === 422) {
          // A NUL in the address is refused before sign-in, naming the field, with nowhere to go.
          expect(res.body).toContain('next must not contain the invisible NUL character');
          expect(res.headers.location).toBeUndefined();
          return;
        }
        expect(res.statusCode).toBe(303);
        expectOnHub(String(res.headers.location));
      }),
      { numRuns: 60 },
    );
  });
});
