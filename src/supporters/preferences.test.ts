import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { giveConsent, hasLiveConsent, purposeFor, wordingFor, type Purpose } from './consent.ts';
import { upsertPerson } from './people.ts';
import { preferencesUrl, unsubscribeHeaders, unsubscribeUrl } from './subscriber-tokens.ts';
import { addGroup } from './test-support.ts';

let t: TestApp;
let coalition: Purpose;
let group: Purpose;

beforeAll(async () => {
  t = await createTestApp();
  const groupId = await addGroup(t.ctx.db, 'save-our-hospital', 'Save Our Hospital');
  coalition = await purposeFor(t.ctx.db, { groupId: null });
  group = await purposeFor(t.ctx.db, { groupId });
});
afterAll(() => t.close());

let n = 0;
/** A person who has given consent to both purposes. */
async function subscriber() {
  n++;
  const person = await upsertPerson(t.ctx.db, { email: `reader${n}@example.org`, givenName: 'Reader', emailVerified: true });
  for (const purpose of [coalition, group]) {
    const wording = await wordingFor(t.ctx.db, purpose.id, `Words for ${purpose.key}`);
    await giveConsent(t.ctx.db, { personId: person.id, purposeId: purpose.id, wordingId: wording.id, method: 'test' });
  }
  return person;
}

function path(url: string): string {
  return new URL(url).pathname;
}

async function statusOf(personId: number, purposeId: number) {
  const row = await t.ctx.db.selectFrom('consents').select('status').where('person_id', '=', personId).where('purpose_id', '=', purposeId).executeTakeFirst();
  return row?.status;
}


describe('the preferences page', () => {
  it('shows every purpose with its state and saves changes without a cookie', async () => {
    const person = await subscriber();
    const url = path(preferencesUrl(t.ctx.config.BASE_URL, t.ctx.secret, person.publicId));
    const agent = new Agent(t.app);
    const page = await agent.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Coalition updates');
    expect(page.body).toContain('Save Our Hospital updates');
    expect(page.body).toContain(`reader${n}@example.org`);
    expect(agent.hasCookie('chorus_csrf')).toBe(false);

    // Keep the coalition's updates, drop the group's.
    const saved = await agent.post(url, { action: 'save', purposes: [String(coalition.id)] }, { csrf: false });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${url}?saved=saved`);
    expect(await statusOf(person.id, coalition.id)).toBe('given');
    expect(await statusOf(person.id, group.id)).toBe('withdrawn');
    const withdrawal = await t.ctx.db
      .selectFrom('consent_events')
      .selectAll()
      .where('person_id', '=', person.id)
      .where('purpose_id', '=', group.id)
      .where('event', '=', 'withdrawn')
      .executeTakeFirstOrThrow();
    expect(withdrawal.method).toBe('preferences');

    // Ticking it again gives consent again, recording the words shown on the page.
    const again = await agent.get(url);
    const shown = new RegExp(`name="wording_${group.id}" value="(\\d+)"`).exec(again.body)![1]!;
    await agent.post(url, { action: 'save', purposes: [String(coalition.id), String(group.id)], [`wording_${group.id}`]: shown }, { csrf: false });
    expect(await statusOf(person.id, group.id)).toBe('given');
    const consent = await t.ctx.db.selectFrom('consents').select('wording_id').where('person_id', '=', person.id).where('purpose_id', '=', group.id).executeTakeFirstOrThrow();
    expect(consent.wording_id).toBe(Number(shown));
  });

  it('withdraws everything at once', async () => {
    const person = await subscriber();
    const url = path(preferencesUrl(t.ctx.config.BASE_URL, t.ctx.secret, person.publicId));
    const agent = new Agent(t.app);
    await agent.get(url);
    const res = await agent.post(url, { action: 'withdraw-all' }, { csrf: false });
    expect(res.statusCode).toBe(303);
    expect(await hasLiveConsent(t.ctx.db, person.id, coalition.id)).toBe(false);
    expect(await hasLiveConsent(t.ctx.db, person.id, group.id)).toBe(false);
    const page = await agent.get(`${url}?saved=withdrawn-all`);
    expect(page.body).toContain('You have been unsubscribed from all our emails');
  });

  it('refuses a tampered token, a post from another site and an unknown action', async () => {
    const person = await subscriber();
    const url = path(preferencesUrl(t.ctx.config.BASE_URL, t.ctx.secret, person.publicId));
    expect((await new Agent(t.app).get(`${url.slice(0, -3)}xyz`)).statusCode).toBe(404);
    const other = await subscriber();
    const forged = `/preferences/${other.publicId}.${url.split('.').pop()}`;
    expect((await new Agent(t.app).get(forged)).statusCode).toBe(404);
    const crossSite = await t.app.inject({
      method: 'POST',
      url,
      payload: 'action=withdraw-all',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(await hasLiveConsent(t.ctx.db, person.id, coalition.id)).toBe(true);
    const unknown = await new Agent(t.app).post(url, { action: 'explode' }, { csrf: false });
    expect(unknown.statusCode).toBe(400);
  });
});

describe('one-click unsubscribe (RFC 8058)', () => {
  it('withdraws the purpose on a cookie-less cross-site POST of List-Unsubscribe=One-Click and records the mailing', async () => {
    const person = await subscriber();
    const grant = { personPublicId: person.publicId, purposeId: group.id, mailingId: 42 };
    const headers = unsubscribeHeaders(t.ctx.config.BASE_URL, t.ctx.secret, grant);
    const url = path(headers['List-Unsubscribe']!.slice(1, -1));
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    const res = await t.app.inject({
      method: 'POST',
      url,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example' },
    });
    expect(res.statusCode).toBe(200);
    expect(await statusOf(person.id, group.id)).toBe('withdrawn');
    expect(await statusOf(person.id, coalition.id)).toBe('given');
    const event = await t.ctx.db
      .selectFrom('consent_events')
      .selectAll()
      .where('person_id', '=', person.id)
      .where('event', '=', 'withdrawn')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ method: 'unsubscribe-link', source: 'mailing:42', purpose_id: group.id });

    const twice = await t.app.inject({ method: 'POST', url, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(twice.statusCode).toBe(200);
    expect(twice.body).toContain('You had already unsubscribed');
  });

  it('shows a page with a button for people who open the link', async () => {
    const person = await subscriber();
    const url = path(unsubscribeUrl(t.ctx.config.BASE_URL, t.ctx.secret, { personPublicId: person.publicId, purposeId: coalition.id, mailingId: 0 }));
    const agent = new Agent(t.app);
    const page = await agent.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(await statusOf(person.id, coalition.id)).toBe('given');
    const done = await agent.post(url, { 'List-Unsubscribe': 'One-Click' }, { csrf: false });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You are unsubscribed');
    expect(await statusOf(person.id, coalition.id)).toBe('withdrawn');
  });

  it('refuses a tampered token or a missing one-click body with a 4xx and changes nothing', async () => {
    const person = await subscriber();
    const url = path(unsubscribeUrl(t.ctx.config.BASE_URL, t.ctx.secret, { personPublicId: person.publicId, purposeId: group.id, mailingId: 7 }));
    const parts = url.split('.');
    const otherPurpose = [...parts.slice(0, -3), String(coalition.id), ...parts.slice(-2)].join('.');
    for (const bad of [`${url.slice(0, -4)}AAAA`, otherPurpose]) {
      const res = await t.app.inject({ method: 'POST', url: bad, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
    const noBody = await t.app.inject({ method: 'POST', url, payload: 'something=else', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(noBody.statusCode).toBe(400);
    expect(await statusOf(person.id, group.id)).toBe('given');
    expect(await statusOf(person.id, coalition.id)).toBe('given');
  });
});
