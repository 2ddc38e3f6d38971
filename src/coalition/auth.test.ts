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
