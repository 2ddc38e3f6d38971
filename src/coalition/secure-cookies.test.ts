import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { createOrganiser } from './organisers.ts';

/**
 * README: "Use https:// in production (BASE_URL): cookies are then marked Secure". The session
 * cookie is the one that matters: Secure and __Host- prefixed (so no subdomain or plain-http page
 * can set or overwrite it), and still HttpOnly and SameSite=Lax.
 */
let secure: TestApp;
let local: TestApp;
const password = 'correct horse battery staple';
beforeAll(async () => {
  secure = await createTestApp({ env: { BASE_URL: 'https://campaigns.example.org' } });
  local = await createTestApp();
  for (const t of [secure, local]) await createOrganiser(t.ctx.db, { email: 'cookie@example.org', name: 'Cookie Tester', role: 'admin', password, actor: 'test' });
});
afterAll(async () => {
  await secure.close();
  await local.close();
});

/** The Set-Cookie header for `name`, split into its attributes (lower-cased names). */
function setCookie(headers: Record<string, unknown>, name: string): { value: string; attributes: Map<string, string> } | undefined {
  const raw = headers['set-cookie'];
  const all = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as string[];
  const line = all.find((c) => c.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair, ...attrs] = line.split(';').map((s) => s.trim());
  const attributes = new Map(attrs.map((a) => [a.split('=')[0]!.toLowerCase(), a.includes('=') ? a.slice(a.indexOf('=') + 1) : '']));
  return { value: pair!.slice(name.length + 1), attributes };
}

describe('the session cookie', () => {
  it('over https is __Host-chorus_session: Secure, HttpOnly, SameSite=Lax, Path=/, no Domain; and it signs the organiser in', async () => {
    const agent = new Agent(secure.app, 'https://campaigns.example.org');
    await agent.get('/sign-in');
    const res = await agent.post('/sign-in', { email: 'cookie@example.org', password });
    expect(res.statusCode).toBe(303);
    expect(setCookie(res.headers, 'chorus_session')).toBeUndefined();
    const cookie = setCookie(res.headers, '__Host-chorus_session');
    expect(cookie, String(res.headers['set-cookie'])).toBeDefined();
    expect(cookie!.attributes.has('secure')).toBe(true);
    expect(cookie!.attributes.has('httponly')).toBe(true);
    expect(cookie!.attributes.get('samesite')?.toLowerCase()).toBe('lax');
    expect(cookie!.attributes.get('path')).toBe('/');
    expect(cookie!.attributes.has('domain')).toBe(false);

    const admin = await agent.get('/admin');
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain('Cookie Tester');

    // The same token under the unprefixed name (as a plain-http page or a subdomain could set it) is not a session.
    const unprefixed = await secure.app.inject({ url: '/admin', headers: { cookie: `chorus_session=${cookie!.value}` } });
    expect(unprefixed.statusCode).toBe(303);
    expect(String(unprefixed.headers.location)).toContain('/sign-in');

    // Signing out clears the same cookie (same name, path and flags, or a browser would keep it).
    await agent.get('/admin');
    const out = await agent.post('/sign-out', {});
    const cleared = setCookie(out.headers, '__Host-chorus_session');
    expect(cleared?.value).toBe('');
    expect(cleared?.attributes.has('secure')).toBe(true);
    expect(cleared?.attributes.get('path')).toBe('/');
    expect((await secure.app.inject({ url: '/admin', headers: { cookie: `__Host-chorus_session=${cookie!.value}` } })).statusCode).toBe(303);
  });

  it('over plain http (local use) is chorus_session without Secure, so signing in works on http://localhost', async () => {
    const agent = new Agent(local.app);
    await agent.get('/sign-in');
    const res = await agent.post('/sign-in', { email: 'cookie@example.org', password });
    expect(res.statusCode).toBe(303);
    const cookie = setCookie(res.headers, 'chorus_session');
    expect(cookie).toBeDefined();
    expect(cookie!.attributes.has('secure')).toBe(false);
    expect(cookie!.attributes.has('httponly')).toBe(true);
    expect((await agent.get('/admin')).statusCode).toBe(200);
  });
});
