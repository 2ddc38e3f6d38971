import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Agent } from '../../../test/support/agent.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { erasePerson, exportPersonalData } from '../../supporters/personal-data.ts';
import { KeyRing, generateKeyText, parseKeyText } from '../../platform/sealed.ts';
import { rotateStoriesKey } from '../rotate-key.ts';
import { TEST_STORIES_KEY } from '../../../test/support/app.ts';
import { ORIGINAL, REDACTED_VERSION, consentedStory, linkIn, mailsTo, postForm } from './test-support.ts';

const LEAD = 'safeguarding.lead@example.org';
let t: TestApp;
let groupA: number;
let groupB: number;
let moderator: Agent;
let own: Agent;
let other: Agent;
let lead: Agent;
let admin: Agent;

beforeAll(async () => {
  t = await createTestApp({ env: { STORIES_SAFEGUARDING_LEAD_EMAIL: LEAD } });
  await seedPlaces(t.database.db);
  const made = await t.ctx.db.insertInto('groups').values([
    { slug: 'keep-our-ae', name: 'Keep Our A&E', website: null, contact_email: null, logo_media_id: null },
    { slug: 'other-group', name: 'Other Group', website: null, contact_email: null, logo_media_id: null },
  ]).returning('id').execute();
  [groupA, groupB] = made.map((g) => g.id) as [number, number];
  moderator = (await signedInAgent(t.app, t.ctx, { role: 'moderator' })).agent;
  own = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupA] })).agent;
  other = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupB] })).agent;
  // The lead organises another group: they still see every flagged story, and only while it is flagged.
  lead = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupB], email: LEAD, name: 'Sam Lead' })).agent;
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

/** Every public place a story shows: its page, the list, the feed, the JSON, its card, its constituency's page. */
async function everywhere(id: number) {
  const page = await get(`/stories/${id}`);
  const [list, feed, json, card, seat] = await Promise.all([get('/stories'), get('/stories.rss'), get('/stories.json'), get(`/stories/${id}/card.png`), get(`/constituencies/${places.north.code}`)]);
  const path = page.statusCode === 301 ? String(page.headers.location) : `/stories/${id}`;
  const final = page.statusCode === 301 ? await get(path) : page;
  return {
    page: final.statusCode,
    body: final.body,
    inList: list.body.includes(`href="/stories/${id}-`),
    inFeed: feed.body.includes(`/stories/${id}-`),
    inJson: (JSON.parse(json.body) as { stories: Array<{ id: number }> }).stories.some((s) => s.id === id),
    card: card.statusCode,
    cardType: String(card.headers['content-type']),
    onSeat: seat.body.includes(`href="/stories/${id}-`),
    all: [list.body, feed.body, json.body, seat.body, final.body].join('\n'),
  };
}

/** Moderator writes the redacted version and sends it; the teller approves from the email. */
async function publish(id: number, email: string, agent = moderator) {
  expect((await agent.post(`/admin/stories/${id}/moderate`, REDACTED_VERSION)).statusCode).toBe(303);
  expect((await agent.post(`/admin/stories/${id}/moderate/send`, {})).statusCode).toBe(303);
  const [mail] = await mailsTo(t, email, 'stories.published.approval');
  const approve = linkIn(mail!, '/stories/approve');
  expect((await postForm(t, approve, {})).statusCode).toBe(200);
  return approve;
}

describe('moderating and publishing a story', () => {
  it('the published version never contains the redacted original, and goes live only after the teller approves it', async () => {
    const { id, email } = await consentedStory(t);
    const form = await moderator.get(`/admin/stories/${id}/moderate`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('The original (never published)');

    // An exact date is refused, naming the field and keeping the values.
    const dated = await moderator.post(`/admin/stories/${id}/moderate`, { ...REDACTED_VERSION, text: ORIGINAL });
    expect(dated.statusCode).toBe(422);
    expect(dated.body).toContain('href="#field-text"');
    expect(dated.body).toContain('Take out the exact date');

    expect((await moderator.post(`/admin/stories/${id}/moderate`, REDACTED_VERSION)).statusCode).toBe(303);
    expect((await everywhere(id)).page).toBe(404);
    expect((await moderator.post(`/admin/stories/${id}/moderate/send`, {})).statusCode).toBe(303);
    // Sent but not approved: still nowhere.
    const waiting = await everywhere(id);
    expect([waiting.page, waiting.inList, waiting.inFeed, waiting.inJson, waiting.card, waiting.onSeat]).toEqual([404, false, false, false, 404, false]);

    const [mail] = await mailsTo(t, email, 'stories.published.approval');
    expect(mail).not.toContain('trolley');
    const approve = linkIn(mail!, '/stories/approve');
    const check = await get(approve);
    expect(check.body).toContain('Left on a trolley');
    expect(check.body).toContain('By Priya');
    expect(check.body).not.toContain('Quietname');
    expect((await postForm(t, approve, {})).statusCode).toBe(200);

    const live = await everywhere(id);
    expect([live.page, live.inList, live.inFeed, live.inJson, live.card, live.onSeat]).toEqual([200, true, true, true, 200, true]);
    expect(live.cardType).toBe('image/png');
    expect(live.body).toMatch(/<meta property="og:image" content="http:\/\/chorus\.test\/stories\/\d+\/card\.png\?v=/);
    expect(live.body).toContain('<meta property="og:title" content="Left on a trolley"');
    expect(live.body).toContain('By Priya');
    for (const original of ['Bernadette', 'Quill', 'Okonkwo', 'Ward Nine', '14 March', 'Quietname']) expect(live.all).not.toContain(original);
    expect(live.body).toContain('[removed] left me on a trolley');

    // At rest the published version is sealed too.
    const row = await sql<Record<string, unknown>>`select * from story_publications where story_id = ${id}`.execute(t.database.db);
    expect(JSON.stringify(row.rows)).not.toMatch(/trolley|Bernadette|removed/);

    // Rewriting it takes it down until the teller approves again.
    expect((await moderator.post(`/admin/stories/${id}/moderate`, { ...REDACTED_VERSION, title: 'A new title' })).statusCode).toBe(303);
    expect((await everywhere(id)).page).toBe(410);
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'story').where('subject_id', '=', String(id)).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['story.moderate.view', 'story.published.draft', 'story.published.send', 'story.published.approve']));
  });

  it('the teller may ask for changes instead: nothing goes live, and the moderators see what they asked', async () => {
    const { id, email } = await consentedStory(t);
    await moderator.post(`/admin/stories/${id}/moderate`, REDACTED_VERSION);
    await moderator.post(`/admin/stories/${id}/moderate/send`, {});
    const approve = linkIn((await mailsTo(t, email, 'stories.published.approval'))[0]!, '/stories/approve');
    expect((await postForm(t, `${approve}/changes`, { changes: '' })).statusCode).toBe(422);
    expect((await postForm(t, `${approve}/changes`, { changes: 'Please leave out the trolley' })).statusCode).toBe(200);
    // The approval link no longer publishes it.
    await postForm(t, approve, {});
    expect((await everywhere(id)).page).toBe(404);
    expect((await moderator.get(`/admin/stories/${id}/moderate`)).body).toContain('Please leave out the trolley');
  });

  it('publishes only for the use consented: no "publish on the hub" box, no sending', async () => {
    const { id } = await consentedStory(t, { consent_publish_hub: [], consent_journalists: 'yes' });
    await moderator.post(`/admin/stories/${id}/moderate`, REDACTED_VERSION);
    expect((await moderator.post(`/admin/stories/${id}/moderate/send`, {})).statusCode).toBe(409);
    expect((await everywhere(id)).page).toBe(404);
  });

  it('withdrawal unpublishes everywhere at once: page, list, feed, JSON, card and constituency page', async () => {
    const { id, email, withdrawPath } = await consentedStory(t);
    await publish(id, email);
    const card = await get(`/stories/${id}/card.png`);
    expect(card.statusCode).toBe(200);
    expect((await get(`/stories/${id}/card.png`, { 'if-none-match': String(card.headers.etag) })).statusCode).toBe(304);
    expect((await get(withdrawPath)).statusCode).toBe(200);
    const after = await everywhere(id);
    expect([after.page, after.inList, after.inFeed, after.inJson, after.card, after.onSeat]).toEqual([410, false, false, false, 410, false]);
    // A cache revalidating its copy of the card is told it has gone too.
    expect((await get(`/stories/${id}/card.png`, { 'if-none-match': String(card.headers.etag) })).statusCode).toBe(410);
    expect((await get(`/stories/${id}.json`)).statusCode).toBe(410);
  });

  it('a lapsed consent stops use the moment it ends, before the daily job marks it', async () => {
    const { id, email } = await consentedStory(t);
    await publish(id, email);
    expect((await everywhere(id)).page).toBe(200);
    await t.database.db.updateTable('stories').set({ consent_expires_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
    const after = await everywhere(id);
    expect([after.page, after.inList, after.inFeed, after.inJson, after.card, after.onSeat]).toEqual([410, false, false, false, 410, false]);
  });

  it('a complaint or legal hold takes it off until released', async () => {
    const { id, email } = await consentedStory(t);
    await publish(id, email);
    // A refused hold form names the field and keeps the published version's fields as they were.
    const refused = await moderator.post(`/admin/stories/${id}/hold`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('href="#field-hold_reason"');
    expect(refused.body).toContain('value="Left on a trolley"');
    expect((await moderator.post(`/admin/stories/${id}/hold`, { hold_reason: 'legal' })).statusCode).toBe(303);
    expect((await everywhere(id)).page).toBe(410);
    expect((await moderator.post(`/admin/stories/${id}/release`, {})).statusCode).toBe(303);
    expect((await everywhere(id)).page).toBe(200);
  });
});

describe('personal data', () => {
  it('subject access includes the published version; erasure takes it off the site and out of the database', async () => {
    const { id, email } = await consentedStory(t);
    await publish(id, email);
    const personId = (await t.database.db.selectFrom('stories').select('person_id').where('id', '=', id).executeTakeFirstOrThrow()).person_id!;
    const exported = (await exportPersonalData(t.ctx.db, personId)) as { stories: Array<{ publishedVersion: { title: string; namedAs: string; state: string } | null }> };
    expect(exported.stories.map((s) => s.publishedVersion)).toContainEqual(expect.objectContaining({ title: 'Left on a trolley', namedAs: 'Priya', state: 'approved' }));
    await t.ctx.db.transaction().execute((tx) => erasePerson(tx, personId, 'test'));
    expect(await t.database.db.selectFrom('story_publications').select('id').where('story_id', '=', id).executeTakeFirst()).toBeUndefined();
    expect((await everywhere(id)).page).toBe(404);
  });
});

describe('key rotation', () => {
  it('re-seals the published version with the rest, and the page still shows it', async () => {
    const { id, email } = await consentedStory(t);
    await publish(id, email);
    const newKey = generateKeyText();
    await rotateStoriesKey({ ...t.ctx, config: { ...t.ctx.config, STORIES_KEY: newKey, STORIES_OLD_KEYS: TEST_STORIES_KEY } } as never, () => {});
    const row = await t.database.db.selectFrom('story_publications').select(['title_sealed', 'text_sealed']).where('story_id', '=', id).executeTakeFirstOrThrow();
    expect(new KeyRing(parseKeyText(newKey, 'k')).openText(row.title_sealed!, 'story_publications.title_sealed')).toBe('Left on a trolley');
    // Rotate back so the rest of the app (on the test key) reads everything again.
    await rotateStoriesKey({ ...t.ctx, config: { ...t.ctx.config, STORIES_OLD_KEYS: newKey } } as never, () => {});
    expect((await everywhere(id)).page).toBe(200);
  });
});

describe('safeguarding', () => {
  it('a flag emails the named lead and hides the story from everyone else (queue, pages, export, public) until the lead acts', async () => {
    const { id, email } = await consentedStory(t);
    await publish(id, email);
    const flagged = await own.post(`/admin/stories/${id}/safeguarding`, { reason: 'child', note: 'Mentions a younger sibling left alone' });
    expect(flagged.statusCode).toBe(303);

    const [mail] = await mailsTo(t, LEAD, 'stories.safeguarding.flag');
    expect(mail).toContain(`story ${id}`);
    expect(mail).not.toContain('sibling');

    expect((await everywhere(id)).page).toBe(410);
    for (const agent of [own, moderator, admin]) {
      expect((await agent.get(`/admin/stories/${id}`)).statusCode).toBe(403);
      expect((await agent.get(`/admin/stories/${id}/moderate`)).statusCode).toBe(403);
      expect((await agent.get(`/admin/stories/${id}/export.json`)).statusCode).toBe(403);
      expect((await agent.get('/admin/stories/moderation')).body).not.toContain(`/admin/stories/${id}/moderate`);
      expect((await agent.get('/admin/stories')).body).not.toContain(`href="/admin/stories/${id}"`);
    }
    // Nobody else can clear it.
    expect((await moderator.post(`/admin/stories/${id}/safeguarding/clear`, { note: 'fine' })).statusCode).toBe(403);
    const refusals = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'story.view.safeguarding').where('subject_id', '=', String(id)).execute();
    expect(refusals.length).toBeGreaterThanOrEqual(9);

    const queue = await lead.get('/admin/stories/moderation');
    expect(queue.body).toContain('Flagged for safeguarding');
    expect(queue.body).toContain(`/admin/stories/${id}/moderate`);
    const page = await lead.get(`/admin/stories/${id}/moderate`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Mentions a younger sibling left alone');
    expect((await lead.post(`/admin/stories/${id}/safeguarding/clear`, { note: 'Spoke to the family; referred to the council' })).statusCode).toBe(303);
    expect((await moderator.get(`/admin/stories/${id}/moderate`)).statusCode).toBe(200);
    expect((await lead.get(`/admin/stories/${id}/moderate`)).statusCode).toBe(403);
    expect((await everywhere(id)).page).toBe(200);
  });
});

describe('who may moderate', () => {
  it('an organiser of another group gets 403 and an audit entry on the moderation page and every moderation POST; the story’s own organiser moderates it', async () => {
    const { id } = await consentedStory(t);
    const tries = [
      () => other.get(`/admin/stories/${id}/moderate`),
      () => other.post(`/admin/stories/${id}/moderate`, REDACTED_VERSION),
      () => other.post(`/admin/stories/${id}/moderate/send`, {}),
      () => other.post(`/admin/stories/${id}/safeguarding`, { reason: 'abuse', note: 'x' }),
      () => other.post(`/admin/stories/${id}/safeguarding/clear`, { note: 'x' }),
      () => other.post(`/admin/stories/${id}/hold`, { hold_reason: 'complaint' }),
      () => other.post(`/admin/stories/${id}/release`, {}),
    ];
    for (const attempt of tries) expect((await attempt()).statusCode).toBe(403);
    const refused = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'story.view.refused').where('subject_id', '=', String(id)).execute();
    expect(refused).toHaveLength(tries.length);
    expect((await other.get('/admin/stories/moderation')).body).not.toContain(`/admin/stories/${id}/moderate`);
    expect(await t.database.db.selectFrom('story_publications').select('id').where('story_id', '=', id).executeTakeFirst()).toBeUndefined();

    expect((await own.get('/admin/stories/moderation')).body).toContain(`/admin/stories/${id}/moderate`);
    expect((await own.post(`/admin/stories/${id}/moderate`, REDACTED_VERSION)).statusCode).toBe(303);
  });

  it('hostile input on the moderation forms and the approval link never brings a 5xx', async () => {
    const { id } = await consentedStory(t);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('title', 'text', 'redactions', 'service', 'topic', 'reason', 'note', 'hold_reason', 'changes'), fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constantFrom('gp', 'child', 'legal', '.*', '(', '\\'))),
        fc.constantFrom('moderate', 'moderate/send', 'safeguarding', 'hold', 'release', 'safeguarding/clear'),
        async (body, action) => {
          const response = await moderator.post(`/admin/stories/${id}/${action}`, body as Record<string, string | string[]>);
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
    for (const url of ['/stories/approve/x', `/stories/approve/${'A'.repeat(32)}`, '/stories/approve/%00/changes']) {
      expect((await get(url)).statusCode).toBeLessThan(500);
      expect((await postForm(t, url, { changes: 'x' })).statusCode).toBeLessThan(500);
    }
  });
});
