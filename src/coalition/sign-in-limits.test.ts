import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { linkIn, SmtpSink } from '../../test/support/smtp.ts';
import { createOrganiser } from './organisers.ts';
import { MAX_RESETS_PER_ADDRESS, MAX_RESETS_PER_IP } from './reset-password.ts';
import { ATTACK_ADDRESSES, MAX_ATTEMPTS_PER_ADDRESS } from './sign-in-with-password.ts';
import { tokenId } from './tokens.ts';

const MAX_FAILURES = 5;
const password = 'the organiser’s real password';

let sink: SmtpSink;
let t: TestApp;
beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: sink.url, SIGN_IN_MAX_FAILURES: String(MAX_FAILURES) } });
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

let n = 0;
async function organiser(): Promise<string> {
  const email = `organiser${++n}@example.org`;
  await createOrganiser(t.ctx.db, { email, name: `Organiser ${n}`, role: 'organiser', password, actor: 'test' });
  return email;
}

/** A browser at one client address with the sign-in form open. */
async function browserAt(ip: string): Promise<Agent> {
  const agent = new Agent(t.app, 'http://chorus.test', ip);
  await agent.get('/sign-in');
  return agent;
}

async function signInFrom(ip: string, email: string, pass: string) {
  const agent = await browserAt(ip);
  return { agent, response: await agent.post('/sign-in', { email, password: pass }) };
}

function statuses(responses: { statusCode: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.statusCode] = (counts[r.statusCode] ?? 0) + 1;
  return counts;
}

describe('sign-in limits hold under parallel bursts', () => {
  it('cannot pass the failure limit for one account with 50 parallel guesses from one address', async () => {
    const email = await organiser();
    const agents = await Promise.all(Array.from({ length: 50 }, () => browserAt('198.51.100.1')));
    const answers = await Promise.all(agents.map((agent, i) => agent.post('/sign-in', { email, password: `guess number ${i}` })));
    expect(statuses(answers)).toEqual({ 422: MAX_FAILURES, 429: 50 - MAX_FAILURES });
    const refused = answers.find((a) => a.statusCode === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(refused.body).toContain('Too many failed attempts to sign in from here');
    // Even the right password is paused from there.
    expect((await signInFrom('198.51.100.1', email, password)).response.statusCode).toBe(429);
  });

  it('cannot pass the limit for one address across many accounts with parallel guesses', async () => {
    const over = 10;
    const agents = await Promise.all(Array.from({ length: MAX_ATTEMPTS_PER_ADDRESS + over }, () => browserAt('198.51.100.2')));
    const answers = await Promise.all(agents.map((agent, i) => agent.post('/sign-in', { email: `nobody${i}@example.org`, password: 'a wrong password' })));
    expect(statuses(answers)).toEqual({ 422: MAX_ATTEMPTS_PER_ADDRESS, 429: over });
  });

  it('cannot ask for more reset links for one address than the limit with 50 parallel requests', async () => {
    const email = await organiser();
    const agents = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const agent = new Agent(t.app, 'http://chorus.test', `198.51.100.${100 + i}`);
        await agent.get('/forgot-password');
        return agent;
      }),
    );
    const answers = await Promise.all(agents.map((agent) => agent.post('/forgot-password', { email })));
    expect(statuses(answers)).toEqual({ 200: MAX_RESETS_PER_ADDRESS, 429: 50 - MAX_RESETS_PER_ADDRESS });
    await t.runJobs();
    expect(sink.to(email)).toHaveLength(MAX_RESETS_PER_ADDRESS);
  });

  it('cannot ask for more reset links from one client address than the limit with 50 parallel requests', async () => {
    const agents = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const agent = new Agent(t.app, 'http://chorus.test', '198.51.100.3');
        await agent.get('/forgot-password');
        return agent;
      }),
    );
    const answers = await Promise.all(agents.map((agent, i) => agent.post('/forgot-password', { email: `someone${i}@example.org` })));
    expect(statuses(answers)).toEqual({ 200: MAX_RESETS_PER_IP, 429: 50 - MAX_RESETS_PER_IP });
    expect(answers.find((a) => a.statusCode === 429)!.headers['retry-after']).toMatch(/^\d+$/);
  });
});

describe('an attacker cannot lock an organiser out', () => {
  it('signs the organiser in from their address after an attacker fails 20 times from another', async () => {
    const email = await organiser();
    for (let i = 0; i < 20; i++) {
      const { response } = await signInFrom('203.0.113.66', email, `attacker guess ${i}`);
      expect(response.statusCode).toBe(i < MAX_FAILURES ? 422 : 429);
    }
    const { agent, response } = await signInFrom('192.0.2.10', email, password);
    expect(response.statusCode).toBe(303);
    expect((await agent.get('/admin')).statusCode).toBe(200);
    // The attacker's address stays paused, right password or not.
    expect((await signInFrom('203.0.113.66', email, password)).response.statusCode).toBe(429);
  });

  it('under attack from many addresses, lets the right password in from a new address only through a one-time link', async () => {
    const email = await organiser();
    // The organiser has signed in from home before the attack.
    expect((await signInFrom('192.0.2.20', email, password)).response.statusCode).toBe(303);
    for (let a = 0; a < ATTACK_ADDRESSES; a++) await signInFrom(`203.0.113.${a + 1}`, email, 'a wrong password');

    // From home: straight in.
    expect((await signInFrom('192.0.2.20', email, password)).response.statusCode).toBe(303);

    // From a new address: a wrong password and the right one get the same answer; only the right one sends a link.
    await t.runJobs();
    const before = sink.to(email).filter((m) => m.subject.startsWith('Finish signing in')).length;
    const wrong = await signInFrom('192.0.2.30', email, 'not the password at all');
    expect(wrong.response.statusCode).toBe(200);
    expect(wrong.response.body).toContain('Check your email');
    await t.runJobs();
    expect(sink.to(email).filter((m) => m.subject.startsWith('Finish signing in'))).toHaveLength(before);

    const { agent, response } = await signInFrom('192.0.2.30', email, password);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(wrong.response.body);
    expect((await agent.get('/admin')).statusCode).toBe(303);
    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes(email) && m.subject.startsWith('Finish signing in'));
    const link = linkIn(mail, 'http://chorus.test/sign-in/link/');
    const token = new URL(link).pathname.split('/').pop()!;
    // Stored hashed, short-lived.
    const stored = await t.ctx.db.selectFrom('organiser_tokens').selectAll().where('id', 'in', [token, tokenId(token)]).execute();
    expect(stored.map((row) => row.id)).toEqual([tokenId(token)]);
    expect(stored[0]!.expires_at.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);

    const page = await agent.get(new URL(link).pathname);
    expect(page.statusCode).toBe(200);
    const used = await agent.post(new URL(link).pathname, {});
    expect(used.statusCode).toBe(303);
    expect((await agent.get('/admin')).statusCode).toBe(200);

    // Single use.
    const again = await browserAt('192.0.2.30');
    expect((await again.get(new URL(link).pathname)).statusCode).toBe(410);

    // The new address is now one the organiser signs in from.
    expect((await signInFrom('192.0.2.30', email, password)).response.statusCode).toBe(303);
  });

  it('emails the organiser once when their account is attacked, not once per attempt', async () => {
    const email = await organiser();
    await t.runJobs();
    for (let a = 0; a < ATTACK_ADDRESSES * 3; a++) {
      for (let i = 0; i < 2; i++) await signInFrom(`203.0.113.${100 + a}`, email, `wrong ${a} ${i}`);
    }
    await t.runJobs();
    const warnings = () => sink.to(email).filter((m) => m.subject.startsWith('Someone is trying to sign in'));
    await sink.waitFor((m) => m.to.includes(email) && m.subject.startsWith('Someone is trying to sign in'));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.text).toContain('different places');
    // A few more attempts later in the same hour: still one.
    await signInFrom('203.0.113.200', email, 'still wrong');
    await t.runJobs();
    expect(warnings()).toHaveLength(1);
  });

  it('does not warn about, or reveal, an address with no account', async () => {
    for (let a = 0; a < ATTACK_ADDRESSES; a++) await signInFrom(`203.0.113.${210 + a}`, 'no-account@example.org', 'a wrong password');
    const { response } = await signInFrom('192.0.2.40', 'no-account@example.org', 'a wrong password');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Check your email');
    await t.runJobs();
    expect(sink.to('no-account@example.org')).toEqual([]);
  });
});
