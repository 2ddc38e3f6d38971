import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBrand, defaultBrand } from '../coalition/brand.ts';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { SmtpSink } from '../../test/support/smtp.ts';
import { purposeFor, wordingFor } from './consent.ts';
import { SIGN_UPS_PER_ADDRESS } from './public-routes.tsx';
import { addGroup, addPostcode, pathIn } from './test-support.ts';

let t: TestApp;
let smtp: SmtpSink;
let groupId: number;

beforeAll(async () => {
  smtp = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: smtp.url } });
  groupId = await addGroup(t.ctx.db, 'keep-our-nhs-public', 'Keep Our NHS Public');
  await addPostcode(t.ctx.db, 'SW1A 1AA', { code: 'E14000639', name: 'Cities of London and Westminster', regionCode: 'E12000007' });
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

async function consentRow(email: string, key: string) {
  return t.ctx.db
    .selectFrom('consents')
    .innerJoin('people', 'people.id', 'consents.person_id')
    .innerJoin('consent_purposes', 'consent_purposes.id', 'consents.purpose_id')
    .leftJoin('consent_wordings', 'consent_wordings.id', 'consents.wording_id')
    .select(['consents.status', 'consents.method', 'consents.given_at', 'consent_wordings.version', 'consent_wordings.wording', 'people.id as person_id'])
    .where('people.email', '=', email)
    .where('consent_purposes.key', '=', key)
    .executeTakeFirst();
}

async function events(personId: number) {
  return t.ctx.db.selectFrom('consent_events').selectAll().where('person_id', '=', personId).orderBy('id').execute();
}

describe('joining the coalition with double opt-in', () => {
  it('asks, emails a confirmation over SMTP, and records consent given with the exact words once confirmed', async () => {
    const agent = new Agent(t.app);
    const page = await agent.get('/join?utm_source=leaflet&utm_campaign=winter', { referer: 'https://example.org/news' });
    expect(page.statusCode).toBe(200);
    const wording = 'Email me news and campaign updates from Chorus. I can unsubscribe at any time.';
    expect(page.body).toContain(wording);
    expect(page.body).toContain('name="utm_source" value="leaflet"');
    expect(page.body).toContain('name="referrer" value="https://example.org/news"');
    const wordingId = /name="wording_coalition" value="(\d+)"/.exec(page.body)![1]!;

    const res = await agent.post('/join', {
      name: 'Ada Lovelace King',
      email: 'ada@example.org',
      postcode: 'sw1a1aa',
      consent_coalition: 'yes',
      wording_coalition: wordingId,
      utm_source: 'leaflet',
      utm_campaign: 'winter',
      referrer: 'https://example.org/news',
    }, { csrf: false });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Check your email');

    const pending = await consentRow('ada@example.org', 'coalition.updates');
    expect(pending?.status).toBe('pending');
    const person = await t.ctx.db.selectFrom('people').selectAll().where('email', '=', 'ada@example.org').executeTakeFirstOrThrow();
    expect(person).toMatchObject({
      given_name: 'Ada',
      family_name: 'Lovelace King',
      postcode: 'SW1A 1AA',
      constituency_code: 'E14000639',
      source_utm_source: 'leaflet',
      source_utm_campaign: 'winter',
      source_referrer: 'https://example.org/news',
      source_method: 'form:join',
      email_status: 'unverified',
    });

    await t.runJobs();
    const mail = await smtp.waitFor((m) => m.to.includes('ada@example.org'));
    expect(mail.subject).toBe('Please confirm you want emails from Chorus');
    expect(mail.text).toContain(`“${wording}”`);
    const link = pathIn(mail, '/subscribe/confirm/');

    const confirmPage = await new Agent(t.app).get(link);
    expect(confirmPage.statusCode).toBe(200);
    // Named as people know the sender, not by the consent purpose ("Coalition updates").
    expect(confirmPage.body).toContain('Confirm that you want to get emails from Chorus.');
    expect(confirmPage.body).not.toContain('Coalition updates');
    expect((await consentRow('ada@example.org', 'coalition.updates'))?.status).toBe('pending');
    const confirmed = await new Agent(t.app).post(link, {}, { csrf: false });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('You are subscribed');
    expect(confirmed.body).toContain('You will get emails from Chorus.');

    const given = await consentRow('ada@example.org', 'coalition.updates');
    expect(given).toMatchObject({ status: 'given', method: 'form:join', version: 1, wording });
    expect(given?.given_at).toBeInstanceOf(Date);
    const history = await events(given!.person_id);
    expect(history.map((e) => [e.event, e.method])).toEqual([
      ['requested', 'form:join'],
      ['given', 'form:join'],
    ]);
    expect(history[0]!.ip).toBeTruthy();
    expect(history.every((e) => e.wording_id === Number(wordingId))).toBe(true);
    const verified = await t.ctx.db.selectFrom('people').select('email_status').where('id', '=', given!.person_id).executeTakeFirstOrThrow();
    expect(verified.email_status).toBe('verified');

    const again = await new Agent(t.app).post(link, {}, { csrf: false });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('You had already confirmed');
  });

  it('does not duplicate a person who signs up again, and tells an already-subscribed person so by email', async () => {
    const agent = new Agent(t.app);
    const page = await agent.get('/join');
    const wordingId = /name="wording_coalition" value="(\d+)"/.exec(page.body)![1]!;
    const res = await agent.post('/join', { name: 'Someone Else', email: 'ADA@example.org', consent_coalition: 'yes', wording_coalition: wordingId }, { csrf: false });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Check your email');
    const people = await t.ctx.db.selectFrom('people').select(['given_name']).where('canonical_email', '=', 'ada@example.org').execute();
    expect(people).toEqual([{ given_name: 'Ada' }]);
    await t.runJobs();
    const mail = await smtp.waitFor((m) => m.to.includes('ADA@example.org') || (m.to.includes('ada@example.org') && m.subject.includes('already subscribed')));
    expect(mail.subject).toContain('already subscribed');
    expect(mail.text).toContain('/preferences/');
  });

  it('records a changed wording as version 2, and the words shown on the page are the ones recorded', async () => {
    await writeBrand(t.ctx.db, { ...defaultBrand, name: 'NHS Together' });
    t.ctx.brand.set({ ...defaultBrand, name: 'NHS Together', version: 'v2' });
    const agent = new Agent(t.app);
    const page = await agent.get('/join');
    const newWording = 'Email me news and campaign updates from NHS Together. I can unsubscribe at any time.';
    expect(page.body).toContain(newWording);
    const wordingId = /name="wording_coalition" value="(\d+)"/.exec(page.body)![1]!;
    await agent.post('/join', { name: 'Grace Hopper', email: 'grace@example.org', consent_coalition: 'yes', wording_coalition: wordingId }, { csrf: false });
    const row = await consentRow('grace@example.org', 'coalition.updates');
    expect(row).toMatchObject({ status: 'pending', version: 2, wording: newWording });

    const purpose = await purposeFor(t.ctx.db, { groupId: null });
    expect((await wordingFor(t.ctx.db, purpose.id, newWording)).version).toBe(2);
    expect((await wordingFor(t.ctx.db, purpose.id, 'Email me news and campaign updates from Chorus. I can unsubscribe at any time.')).version).toBe(1);
    await writeBrand(t.ctx.db, defaultBrand);
    t.ctx.brand.set({ ...defaultBrand, version: 'v1' });
  });

  it('refuses bad input with the field named and the values kept', async () => {
    const agent = new Agent(t.app);
    const noBox = await agent.post('/join', { name: 'Alan Turing', email: 'alan@example.org' }, { csrf: false });
    expect(noBox.statusCode).toBe(422);
    expect(noBox.body).toContain('There is a problem');
    expect(noBox.body).toContain('href="#field-consent_coalition"');
    expect(noBox.body).toContain('value="alan@example.org"');

    const badEmail = await agent.post('/join', { name: 'Alan Turing', email: 'not-an-email', consent_coalition: 'yes' }, { csrf: false });
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.body).toContain('Enter an email address in the correct format');
    expect(badEmail.body).toContain('value="Alan Turing"');

    const badPostcode = await agent.post('/join', { name: 'Alan Turing', email: 'alan@example.org', postcode: 'ZZ99 9ZZ', consent_coalition: 'yes' }, { csrf: false });
    expect(badPostcode.statusCode).toBe(422);
    expect(badPostcode.body).toContain('href="#field-postcode"');
    expect(badPostcode.body).toContain('value="ZZ99 9ZZ"');

    const noName = await agent.post('/join', { name: '<b>', email: 'alan@example.org', consent_coalition: 'yes' }, { csrf: false });
    expect(noName.statusCode).toBe(422);
    expect(noName.body).toContain('href="#field-name"');
    expect(await t.ctx.db.selectFrom('people').select('id').where('email', '=', 'alan@example.org').execute()).toEqual([]);
  });

  it('shows every problem at once: bad name, bad email, unknown postcode and no box, in one submit, in the page’s order', async () => {
    const agent = new Agent(t.app);
    const all = await agent.post('/join', { name: '<b>', email: 'not-an-email', postcode: 'ZZ99 9ZZ' }, { csrf: false });
    expect(all.statusCode).toBe(422);
    const summary = [...all.body.matchAll(/href="#field-([a-z_]+)"/g)].map((m) => m[1]);
    expect(summary).toEqual(['name', 'email', 'postcode', 'consent_coalition']);
    expect(all.body).toContain('value="ZZ99 9ZZ"');
    // A good form with only the postcode and box wrong names both too.
    const two = await agent.post('/join', { name: 'Ada', email: 'ada@example.org', postcode: 'ZZ99 9ZZ' }, { csrf: false });
    expect([...two.body.matchAll(/href="#field-([a-z_]+)"/g)].map((m) => m[1])).toEqual(['postcode', 'consent_coalition']);
  });

  it('refuses a sign-up posted from another site', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/join',
      payload: 'name=X&email=x%40example.org&consent_coalition=yes',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a tampered confirmation link', async () => {
    const res = await new Agent(t.app).get('/subscribe/confirm/00000000-0000-0000-0000-000000000000.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.statusCode).toBe(404);
  });
});

describe('subscribing to a group and the embeddable form', () => {
  it('asks for the group’s purpose (and optionally the coalition’s) and connects the person to the group on confirmation', async () => {
    const agent = new Agent(t.app);
    const page = await agent.get('/groups/keep-our-nhs-public/subscribe');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Email me news and campaign updates from Keep Our NHS Public, a member group of Chorus.');
    const groupWording = /name="wording_group" value="(\d+)"/.exec(page.body)![1]!;
    await agent.post('/groups/keep-our-nhs-public/subscribe', { name: 'Mary Seacole', email: 'mary@example.org', consent_group: 'yes', wording_group: groupWording }, { csrf: false });
    expect((await consentRow('mary@example.org', `group.${groupId}.updates`))?.status).toBe('pending');
    expect(await consentRow('mary@example.org', 'coalition.updates')).toBeUndefined();
    await t.runJobs();
    const mail = await smtp.waitFor((m) => m.to.includes('mary@example.org'));
    // Named as Mary knows the group, not by the consent purpose's internal name.
    expect(mail.subject).toBe('Please confirm you want emails from Keep Our NHS Public');
    await new Agent(t.app).post(pathIn(mail, '/subscribe/confirm/'), {}, { csrf: false });
    expect((await consentRow('mary@example.org', `group.${groupId}.updates`))?.status).toBe('given');
    const person = await t.ctx.db.selectFrom('people').select('id').where('email', '=', 'mary@example.org').executeTakeFirstOrThrow();
    const groups = await t.ctx.db.selectFrom('person_groups').select('group_id').where('person_id', '=', person.id).execute();
    expect(groups).toEqual([{ group_id: groupId }]);
  });

  it('shows problems inside the embedded form, still frameable, with the values kept', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/embed/subscribe/keep-our-nhs-public',
      payload: 'name=Nye+Bevan&email=nye%40example&consent_group=yes',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.body).toContain('href="#field-email"');
    expect(res.body).toContain('value="nye@example"');
    expect(res.body).toContain('value="Nye Bevan"');
  });

  it('answers 404 for an unknown group', async () => {
    expect((await new Agent(t.app).get('/groups/no-such-group/subscribe')).statusCode).toBe(404);
  });

  it('lets any site frame the embed page (and only that page), and accepts posts from the frame’s own origin', async () => {
    const embed = await new Agent(t.app).get('/embed/subscribe/keep-our-nhs-public', { referer: 'https://knhsp.example/join-us' });
    expect(embed.statusCode).toBe(200);
    expect(embed.headers['x-frame-options']).toBeUndefined();
    expect(String(embed.headers['content-security-policy'])).toContain('frame-ancestors *');
    expect(embed.body).toContain('name="referrer" value="https://knhsp.example/join-us"');
    expect(embed.body).not.toContain('name="_csrf"');

    const join = await new Agent(t.app).get('/join');
    expect(join.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(String(join.headers['content-security-policy'])).toContain("frame-ancestors 'none'");

    const page = /name="wording_group" value="(\d+)"/.exec(embed.body)![1]!;
    const fields = `name=Nye+Bevan&email=nye%40example.org&consent_group=yes&wording_group=${page}&referrer=${encodeURIComponent('https://knhsp.example/join-us')}`;
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/embed/subscribe/keep-our-nhs-public',
      payload: fields,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://knhsp.example' },
    });
    expect(foreign.statusCode).toBe(403);
    const own = await t.app.inject({
      method: 'POST',
      url: '/embed/subscribe/keep-our-nhs-public',
      payload: fields,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
    });
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Check your email');
    expect(own.headers['x-frame-options']).toBeUndefined();
    const person = await t.ctx.db.selectFrom('people').selectAll().where('email', '=', 'nye@example.org').executeTakeFirstOrThrow();
    expect(person.source_method).toBe('form:embed');
    expect(person.source_referrer).toBe('https://knhsp.example/join-us');
  });
});

describe('sign-ups are limited per client address', () => {
  it(`cannot sign up more than ${SIGN_UPS_PER_ADDRESS} people an hour from one address, even in parallel, across the forms`, async () => {
    const agent = new Agent(t.app, 'http://chorus.test', '198.51.100.40');
    const page = await agent.get('/join');
    const wording = /name="wording_coalition" value="(\d+)"/.exec(page.body)![1]!;
    const attempts = SIGN_UPS_PER_ADDRESS + 10;
    const answers = await Promise.all(
      Array.from({ length: attempts }, (_, i) =>
        agent.post('/join', { name: `Limit Person ${i}`, email: `limit-${i}@example.org`, consent_coalition: 'yes', wording_coalition: wording }, { csrf: false }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(SIGN_UPS_PER_ADDRESS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const refused = answers.find((a) => a.statusCode === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toContain('Too many sign-ups have come from your internet connection');
    expect(refused.body).toContain('href="#field-email"');
    // The group form shares the limit; another address does not.
    const group = await agent.post('/groups/keep-our-nhs-public/subscribe', { name: 'One More', email: 'limit-more@example.org', consent_group: 'yes' }, { csrf: false });
    expect(group.statusCode).toBe(429);
    const other = new Agent(t.app, 'http://chorus.test', '198.51.100.41');
    await other.get('/join');
    const fine = await other.post('/join', { name: 'Other Place', email: 'limit-other@example.org', consent_coalition: 'yes', wording_coalition: wording }, { csrf: false });
    expect(fine.statusCode).toBe(200);
    expect(fine.body).toContain('Check your email');
  });
});
