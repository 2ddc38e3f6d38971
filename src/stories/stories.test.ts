import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { places, seedPlaces } from '../../test/support/public-petitions.ts';
import { withSecrets } from '../platform/mail/outbox.ts';
import { erasePerson, exportPersonalData } from '../supporters/personal-data.ts';
import { deleteEndedStories, lapseExpiredConsents, sendRenewalReminders } from './jobs.ts';
import { rotateStoriesKey } from './rotate-key.ts';
import { generateKeyText } from '../platform/sealed.ts';
import { TEST_STORIES_KEY } from '../../test/support/app.ts';
import { findNhsOrganisations } from '../politics/index.ts';

let t: TestApp;
let groupA: number;
let groupB: number;
let ip = 0;

beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.database.db);
  const made = await t.ctx.db.insertInto('groups').values([
    { slug: 'keep-our-ae', name: 'Keep Our A&E', website: null, contact_email: null, logo_media_id: null },
    { slug: 'other-group', name: 'Other Group', website: null, contact_email: null, logo_media_id: null },
  ]).returning('id').execute();
  [groupA, groupB] = made.map((g) => g.id) as [number, number];
});
afterAll(() => t.close());

const STORY = 'My grandmother waited fourteen hours for an ambulance after her fall on the ice outside Ward Nine.';
const fields = (overrides: Record<string, string | string[]> = {}) => ({
  story: STORY,
  service: 'Ambulance service, Northtown General',
  happened_when: 'last_year',
  postcode: places.north.postcode,
  name: 'Priya Quietname',
  email: `priya${Math.random().toString(36).slice(2, 8)}@example.org`,
  phone: '07700 900123',
  consent_publish_hub: 'yes',
  consent_politicians: 'yes',
  ...overrides,
});

function post(url: string, body: Record<string, string | string[]>) {
  ip++;
  return t.app.inject({ method: 'POST', url, payload: new URLSearchParams(Object.entries(body).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' }, remoteAddress: `10.9.${Math.floor(ip / 250)}.${ip % 250}` });
}

async function mailTo(to: string, kind: string) {
  const rows = await t.database.db.selectFrom('outbound_emails').select(['text_body', 'secrets']).where('to_address', '=', to).where('kind', '=', kind).orderBy('id', 'desc').execute();
  return rows.map((r) => withSecrets(r.text_body, r.secrets as string[] | null));
}
const link = (text: string, path: string) => text.match(new RegExp(`http://chorus\\.test(${path}/[A-Za-z0-9_-]{32})`))![1]!;

async function tell(overrides: Record<string, string | string[]> = {}, url = '/groups/keep-our-ae/stories') {
  const body = fields(overrides);
  const response = await post(url, body);
  expect(response.statusCode).toBe(200);
  const story = await t.database.db.selectFrom('stories').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  return { body, story, email: String(body.email) };
}
async function confirm(email: string) {
  const [mail] = await mailTo(email, 'stories.story.confirm');
  const path = link(mail!, '/stories/confirm');
  expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(200);
  return post(path, {});
}
const stateOf = async (id: number) => (await t.database.db.selectFrom('stories').select(['state', 'consent_expires_at']).where('id', '=', id).executeTakeFirstOrThrow());

describe('telling a story', () => {
  it('offers the shipped NHS trusts and ICBs to choose from, keeping the chosen one’s ODS code; other text is kept as typed', async () => {
    const form = await t.app.inject({ method: 'GET', url: '/groups/keep-our-ae/stories/tell' });
    expect(form.body).toContain('list="nhs-bodies"');
    expect(form.body).toContain('<datalist id="nhs-bodies">');
    const [trust] = await findNhsOrganisations(t.ctx.db, { query: 'Newcastle upon Tyne Hospitals', limit: 1 });
    expect(trust).toBeDefined();
    expect(form.body).toContain(`<option value="${trust!.name}"`);
    const chosen = await tell({ nhs_body: trust!.name.toUpperCase() });
    expect(chosen.story.nhs_body_code).toBe(trust!.code);
    const typed = await tell({ nhs_body: 'The walk-in centre on the high street' });
    expect(typed.story.nhs_body_code).toBeNull();
  });

  it('keeps no story text or contact detail in plain text in the database', async () => {
    const { story, email } = await tell();
    const row = await sql<Record<string, unknown>>`select * from stories where id = ${story.id}`.execute(t.database.db);
    const notes = await sql`select * from story_consents where story_id = ${story.id}`.execute(t.database.db);
    const dump = JSON.stringify([row.rows, notes.rows]);
    for (const secret of ['grandmother', 'fourteen hours', 'Ward Nine', 'Priya', 'Quietname', email, '07700', 'NE1 1AA', 'Northtown General']) expect(dump).not.toContain(secret);
    const mails = JSON.stringify(await mailTo(email, 'stories.story.confirm'));
    expect(mails).not.toContain('grandmother');
    expect(story.constituency_code).toBe(places.north.code);
  });

  it('names every problem at once, keeping the values, with no consent box ticked in advance', async () => {
    const form = await t.app.inject({ method: 'GET', url: '/groups/keep-our-ae/stories/tell' });
    expect(form.statusCode).toBe(200);
    expect(form.body).not.toMatch(/name="consent_[a-z_]+"[^>]*checked/);
    expect(form.body).toContain('Keep Our A&amp;E');
    const response = await post('/groups/keep-our-ae/stories', { story: '', service: 'My GP', postcode: 'ZZ1 1ZZ', name: '', email: 'not-an-email', happened_when: 'soon', under_18: 'yes' });
    expect(response.statusCode).toBe(422);
    for (const field of ['story', 'postcode', 'name', 'email', 'happened_when', 'guardian_name', 'guardian_email']) expect(response.body).toContain(`href="#field-${field}"`);
    expect(response.body).toContain('value="My GP"');
  });

  it('hostile input on the public forms never brings a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('story', 'service', 'postcode', 'name', 'email', 'phone', 'happened_when', 'identify_as', 'under_18', 'guardian_email', 'guardian_name', 'media_links', 'groups', 'consent_video', 'town'), fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(places.north.postcode), fc.constant('x@example.org'))),
        fc.constantFrom('/stories', '/groups/keep-our-ae/stories', '/embed/stories/keep-our-ae'),
        async (body, url) => {
          const response = await post(url, body);
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
    for (const path of ['/stories/confirm/%00', '/stories/mine/' + 'a'.repeat(300), '/stories/withdraw/..%2F', '/stories/guardian/x', '/stories/renew/' + 'A'.repeat(32), '/stories/tell?to=chosen&groups=1e99&groups=-1']) {
      expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBeLessThan(500);
    }
  });

  it('is used only after the email is confirmed (double opt-in), for 12 months', async () => {
    const { story, email } = await tell();
    expect((await stateOf(story.id)).state).toBe('awaiting_confirmation');
    expect((await confirm(email)).statusCode).toBe(200);
    const after = await stateOf(story.id);
    expect(after.state).toBe('consented');
    expect(after.consent_expires_at!.getTime() - Date.now()).toBeGreaterThan(364 * 86_400_000);
    const consents = await t.database.db.selectFrom('story_consents').selectAll().where('story_id', '=', story.id).execute();
    expect(consents).toHaveLength(5);
    expect(consents.find((c) => c.use === 'publish_hub')).toMatchObject({ given: true, method: 'web', wording_version: 'stories-consent-2027-01' });
    expect(consents.find((c) => c.use === 'video')!.given).toBe(false);
    expect(consents[0]!.wording).toContain('Keep Our A&E');
    expect(consents[0]!.controllers).toEqual([expect.any(String), 'Keep Our A&E']);
  });

  it('under 18: nothing is used until both the young person and a parent or guardian agree', async () => {
    const guardianEmail = `parent${Math.random().toString(36).slice(2, 8)}@example.org`;
    const { story, email } = await tell({ under_18: 'yes', guardian_name: 'Pat Parent', guardian_email: guardianEmail });
    await confirm(email);
    expect((await stateOf(story.id)).state).toBe('awaiting_guardian');
    const [mail] = await mailTo(guardianEmail, 'stories.guardian.consent');
    const path = link(mail!, '/stories/guardian');
    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.body).toContain('I am the parent or guardian of Priya');
    expect((await post(path, {})).statusCode).toBe(200);
    expect((await stateOf(story.id)).state).toBe('consented');
    const guardian = await t.database.db.selectFrom('story_consents').selectAll().where('story_id', '=', story.id).where('kind', '=', 'guardian').executeTakeFirstOrThrow();
    expect(guardian.wording).toContain('I am the parent or guardian of Priya');
  });

  it('a guardian agreeing first still waits for the young person', async () => {
    const guardianEmail = `parent${Math.random().toString(36).slice(2, 8)}@example.org`;
    const { story, email } = await tell({ under_18: 'yes', guardian_name: 'Pat Parent', guardian_email: guardianEmail });
    const [mail] = await mailTo(guardianEmail, 'stories.guardian.consent');
    await post(link(mail!, '/stories/guardian'), {});
    expect((await stateOf(story.id)).state).toBe('awaiting_confirmation');
    await confirm(email);
    expect((await stateOf(story.id)).state).toBe('consented');
  });

  it('a month before consent lapses the teller is reminded; unrenewed it lapses; renewed it lasts another year', async () => {
    const { story, email } = await tell();
    await confirm(email);
    const soon = new Date(Date.now() + 20 * 86_400_000);
    await t.database.db.updateTable('stories').set({ consent_expires_at: soon }).where('id', '=', story.id).execute();
    expect(await sendRenewalReminders(t.ctx)).toBeGreaterThanOrEqual(1);
    expect(await sendRenewalReminders(t.ctx)).toBe(0);
    const [reminder] = await mailTo(email, 'stories.consent.reminder');
    const renew = link(reminder!, '/stories/renew');
    expect(await lapseExpiredConsents(t.ctx, new Date(soon.getTime() + 1000))).toBeGreaterThanOrEqual(1);
    expect((await stateOf(story.id)).state).toBe('lapsed');
    expect((await post(renew, {})).statusCode).toBe(200);
    const renewed = await stateOf(story.id);
    expect(renewed.state).toBe('consented');
    expect(renewed.consent_expires_at!.getTime()).toBeGreaterThan(Date.now() + 364 * 86_400_000);
  });

  it('withdrawal is one click from the email, at once, and says printed copies cannot be recalled', async () => {
    const { story, email } = await tell();
    await confirm(email);
    const [mail] = await mailTo(email, 'stories.story.confirm');
    const response = await t.app.inject({ method: 'GET', url: link(mail!, '/stories/withdraw') });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('cannot be recalled');
    expect((await stateOf(story.id)).state).toBe('withdrawn');
    // Renewal cannot bring a withdrawn story back.
    expect((await post(link(mail!, '/stories/withdraw').replace('/withdraw/', '/renew/'), {})).statusCode).toBe(404);
    expect((await stateOf(story.id)).state).toBe('withdrawn');
  });

  it('retention deletes stories whose consent ended, keeping the anonymous counts', async () => {
    const { story, email } = await tell();
    await confirm(email);
    const tally = async () => Number((await sql<{ n: number }>`select coalesce(sum(told), 0)::int as n from story_tallies`.execute(t.database.db)).rows[0]!.n);
    const before = await tally();
    await t.database.db.updateTable('stories').set({ state: 'withdrawn', withdrawn_at: new Date(Date.now() - 400 * 86_400_000) }).where('id', '=', story.id).execute();
    expect(await deleteEndedStories(t.ctx)).toBeGreaterThanOrEqual(1);
    expect(await t.database.db.selectFrom('stories').select('id').where('id', '=', story.id).executeTakeFirst()).toBeUndefined();
    expect(await tally()).toBe(before);
  });
});

describe('organisers and stories', () => {
  it('an organiser of another group gets 403, and the refusal is audited; the story’s group organiser reads it, audited', async () => {
    const { story } = await tell();
    const other = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupB] });
    const refused = await other.agent.get(`/admin/stories/${story.id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('grandmother');
    expect((await other.agent.get(`/admin/stories/${story.id}/export.json`)).statusCode).toBe(403);
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('actor_id', '=', other.id).where('action', '=', 'story.view.refused').execute();
    expect(audit.length).toBe(2);
    const list = await other.agent.get('/admin/stories');
    expect(list.body).not.toContain(`/admin/stories/${story.id}"`);

    const own = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupA] });
    const page = await own.agent.get(`/admin/stories/${story.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('grandmother');
    const seen = await t.database.db.selectFrom('audit_log').select('action').where('actor_id', '=', own.id).execute();
    expect(seen.map((a) => a.action)).toContain('story.view');
    const noted = await own.agent.post(`/admin/stories/${story.id}/notes`, { note: 'Called back: happy to talk to the local paper' });
    expect(noted.statusCode).toBe(303);
    const note = await t.database.db.selectFrom('story_notes').select('note_sealed').where('story_id', '=', story.id).executeTakeFirstOrThrow();
    expect(note.note_sealed).not.toContain('local paper');
  });

  it('an organiser records a story taken by phone: method and collector recorded, the teller still confirms', async () => {
    const own = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupA], name: 'Olu Organiser' });
    const body = fields({ method: 'phone', groups: String(groupA) });
    const response = await own.agent.post('/admin/stories/new', body);
    expect(response.statusCode).toBe(200);
    const story = await t.database.db.selectFrom('stories').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(story).toMatchObject({ method: 'phone', collected_by: own.id, collected_by_name: 'Olu Organiser', state: 'awaiting_confirmation' });
    const consent = await t.database.db.selectFrom('story_consents').selectAll().where('story_id', '=', story.id).executeTakeFirstOrThrow();
    expect(consent).toMatchObject({ method: 'phone', collected_by_name: 'Olu Organiser' });
  });
});

describe('personal data', () => {
  it('subject access includes the stories opened; erasure deletes them and keeps the counts', async () => {
    const { story, email } = await tell();
    await confirm(email);
    const personId = story.person_id!;
    const exported = (await exportPersonalData(t.ctx.db, personId)) as { stories: Array<{ story: string; email: string; consents: unknown[] }> };
    expect(exported.stories[0]!.story).toBe(STORY);
    expect(exported.stories[0]!.email).toBe(email);
    expect(exported.stories[0]!.consents).toHaveLength(5);
    const tally = async () => Number((await sql<{ n: number }>`select coalesce(sum(told), 0)::int as n from story_tallies where constituency_code = ${places.north.code}`.execute(t.database.db)).rows[0]!.n);
    const before = await tally();
    await t.ctx.db.transaction().execute((tx) => erasePerson(tx, personId, 'test'));
    expect(await t.database.db.selectFrom('stories').select('id').where('id', '=', story.id).executeTakeFirst()).toBeUndefined();
    expect(await t.database.db.selectFrom('story_consents').select('id').where('story_id', '=', story.id).executeTakeFirst()).toBeUndefined();
    expect(await tally()).toBe(before);
  });
});

describe('chorus stories rotate-key', () => {
  it('re-seals every value under the new key; the old values stay readable; running again is safe', async () => {
    const { story, email } = await tell();
    await confirm(email);
    const newKey = generateKeyText();
    const rotated = { ...t.ctx, config: { ...t.ctx.config, STORIES_KEY: newKey, STORIES_OLD_KEYS: TEST_STORIES_KEY } };
    const lines: string[] = [];
    const first = await rotateStoriesKey(rotated as never, (line) => lines.push(line));
    expect(first.resealed).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/of \d+ re-sealed/);
    const row = await t.database.db.selectFrom('stories').select('story_sealed').where('id', '=', story.id).executeTakeFirstOrThrow();
    const { parseKeyText, KeyRing } = await import('../platform/sealed.ts');
    expect(new KeyRing(parseKeyText(newKey, 'k')).openText(row.story_sealed, 'stories.story_sealed')).toBe(STORY);
    expect((await rotateStoriesKey(rotated as never, () => {})).resealed).toBe(0);
    // Rotate back so the rest of the app (on the test key) reads everything again.
    await rotateStoriesKey({ ...t.ctx, config: { ...t.ctx.config, STORIES_OLD_KEYS: newKey } } as never, () => {});
    const exported = (await exportPersonalData(t.ctx.db, story.person_id!)) as { stories: Array<{ story: string }> };
    expect(exported.stories.at(-1)!.story).toBe(STORY);
  });
});
