import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { isSealed } from '../../platform/index.ts';
import { erasePerson, exportPersonalData } from '../../supporters/personal-data.ts';
import { makeEvent } from '../../events/test-support.ts';
import { SEALED_COLUMNS } from './storytellers.ts';
import { TEST_STORIES_KEY } from '../../../test/support/app.ts';
import { KeyRing, generateKeyText, parseKeyText } from '../../platform/sealed.ts';
import { rotateStoriesKey } from '../rotate-key.ts';
import { addOpportunityVia, addStorytellerVia, addTopic, askTokenFor, makeReady } from './test-support.ts';

let t: TestApp;
let ours: number;
let theirs: number;
let topic: number;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  ours = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
  theirs = await insertGroup(t.ctx.db, 'Southvale Keep Our NHS Public');
  topic = await addTopic(t, 'Mental health waiting times');
});
afterAll(() => t.close());

let n = 0;
const unique = () => `${++n}${Date.now().toString(36)}`;
const organiser = (groupIds = [ours]) => signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds });
const stamps = (publicId: string) => t.ctx.db.selectFrom('storytellers').select(['stage', 'recruited_at', 'consented_at', 'trained_at', 'ready_at', 'spoke_at']).where('public_id', '=', publicId).executeTakeFirstOrThrow();

describe('the storyteller pipeline', () => {
  it('stamps each stage once as a storyteller goes from recruited to spoke: consent, training attendance, ready, a yes and what happened', async () => {
    const { agent } = await organiser();
    const email = `pipeline.${unique()}@example.org`;
    const id = await addStorytellerVia(agent, { name: 'Pat Pipeline', email, postcode: places.north.postcode, groups: [ours], topics: [topic] });
    // Their topics can be changed on the record (and only to topics on the list).
    const other = await addTopic(t, `Ambulance waits ${unique()}`);
    await agent.get(`/admin/storytellers/${id}`);
    expect((await agent.post(`/admin/storytellers/${id}/topics`, { topics: [String(topic), String(other)] })).statusCode).toBe(303);
    expect((await agent.post(`/admin/storytellers/${id}/topics`, { topics: '99999999' })).statusCode).toBe(422);
    const topicRows = await t.ctx.db.selectFrom('storyteller_topics').innerJoin('storytellers', 'storytellers.id', 'storyteller_topics.storyteller_id').select('topic_id').where('public_id', '=', id).execute();
    expect(topicRows.map((r) => r.topic_id).sort((a, b) => a - b)).toEqual([topic, other].sort((a, b) => a - b));

    let row = await stamps(id);
    expect(row).toMatchObject({ stage: 'recruited', consented_at: null, trained_at: null, ready_at: null, spoke_at: null });
    expect(row.recruited_at).toBeInstanceOf(Date);

    // Not trained yet: cannot be marked ready.
    await agent.get(`/admin/storytellers/${id}`);
    expect((await agent.post(`/admin/storytellers/${id}/stage`, { to: 'ready' })).statusCode).toBe(409);

    await makeReady(agent, id);
    row = await stamps(id);
    expect(row.stage).toBe('ready');
    expect(row.consented_at!.getTime()).toBeLessThanOrEqual(row.trained_at!.getTime());
    expect(row.trained_at!.getTime()).toBeLessThanOrEqual(row.ready_at!.getTime());

    // Attending more training later leaves the trained stamp where it was.
    const trainedAt = row.trained_at!.getTime();
    await agent.get('/admin/storytellers/training');
    const again = await agent.post('/admin/storytellers/training', { title: 'Refresher', date: '2027-04-01' });
    const sessionPath = (again.headers.location as string).split('?')[0]!;
    await agent.get(sessionPath);
    expect((await agent.post(`${sessionPath}/attendance`, { attended: id })).statusCode).toBe(303);
    expect((await stamps(id)).trained_at!.getTime()).toBe(trainedAt);
    expect((await stamps(id)).stage).toBe('ready');

    const opportunity = await addOpportunityVia(agent, { topic: String(topic), postcode: places.north.postcode });
    await agent.get(`/admin/opportunities/${opportunity}`);
    expect((await agent.post(`/admin/opportunities/${opportunity}/asks`, { storytellers: id })).statusCode).toBe(303);
    const token = await askTokenFor(t, email);
    expect((await t.app.inject({ method: 'POST', url: `/storytellers/asks/${token}/yes`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' }, payload: '' })).statusCode).toBe(303);

    const record = await agent.get(`/admin/storytellers/${id}`);
    const askId = /\/asks\/(\d+)\/outcome/.exec(record.body)![1]!;
    const outcome = await agent.post(`/admin/storytellers/${id}/asks/${askId}/outcome`, { with_whom: 'Jo Newsdesk', where: 'Bristol studio', links: 'https://www.bbc.co.uk/news/example\nhttps://example.org/clip' });
    expect(outcome.statusCode, outcome.body).toBe(303);
    row = await stamps(id);
    expect(row.stage).toBe('spoke');
    expect(row.spoke_at!.getTime()).toBeGreaterThanOrEqual(row.ready_at!.getTime());
    const after = await agent.get(`/admin/storytellers/${id}`);
    expect(after.body).toContain('Spoke with Jo Newsdesk at Bristol studio');
    expect(after.body).toContain('href="https://www.bbc.co.uk/news/example"');
  });

  it('takes a training session from a training event on the calendar (its title and time), refusing other events and unknown numbers by field', async () => {
    const { agent } = await organiser();
    const training = await makeEvent(t, [ours], { title: 'Speaking to the media: a workshop', type: 'training' });
    const rally = await makeEvent(t, [ours], { title: 'Rally for the NHS', type: 'rally' });
    await agent.get('/admin/storytellers/training');
    const made = await agent.post('/admin/storytellers/training', { event: String(training), title: '', date: '' });
    expect(made.statusCode, made.body).toBe(303);
    const session = await t.ctx.db.selectFrom('training_sessions').selectAll().where('event_id', '=', training).executeTakeFirstOrThrow();
    const event = await t.ctx.db.selectFrom('events').select(['title', 'starts_at']).where('id', '=', training).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ title: 'Speaking to the media: a workshop', starts_at: event.starts_at });
    const page = await agent.get((made.headers.location as string).split('?')[0]!);
    expect(page.body).toContain(`href="/admin/events/${training}"`);

    for (const [number, message] of [[String(rally), 'That event is not a training event'], ['99999999', 'No event has that number'], ['abc', 'Enter the event’s number']] as const) {
      const refused = await agent.post('/admin/storytellers/training', { event: number, title: '', date: '' });
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain(message);
      expect(refused.body).toContain(`value="${number}"`);
    }
    const empty = await agent.post('/admin/storytellers/training', { event: '', title: '', date: '2027-02-30' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('href="#field-title"');
    expect(empty.body).toContain('Enter a real date');
  });

  it('a form with mistakes names each field and keeps what was typed', async () => {
    const { agent } = await organiser();
    await agent.get('/admin/storytellers/new');
    const res = await agent.post('/admin/storytellers/new', { name: 'Kept Name', email: 'not-an-email', postcode: 'ZZ99 9ZZ', groups: String(ours) });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#field-email"');
    expect(res.body).toContain('value="Kept Name"');
    const bad = await agent.post('/admin/storytellers/new', { name: 'Kept Name', email: 'kept@example.org', postcode: 'ZZ99 9ZZ', groups: String(ours) });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter a real UK postcode');
    expect(bad.body).toContain('value="kept@example.org"');
  });

  it('refuses forms without a CSRF token', async () => {
    const { agent } = await organiser();
    const count = async () => (await t.ctx.db.selectFrom('storytellers').select('id').execute()).length;
    const before = await count();
    await agent.get('/admin/storytellers/new');
    const res = await agent.post('/admin/storytellers/new', { name: 'No Token', email: 'nt@example.org', groups: String(ours) }, { csrf: false });
    expect(res.statusCode).toBe(403);
    const forged = await agent.post('/admin/storytellers/new', { name: 'No Token', email: 'nt@example.org', groups: String(ours), _csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect(await count()).toBe(before);
  });
});

describe('contact details and requests to speak', () => {
  it('shows nobody’s name, email or phone on any request page or export until they said yes to that request; a no shares nothing', async () => {
    const { agent } = await organiser();
    const people = [
      { name: `Yasmin Yes${unique()}`, email: `yasmin.${unique()}@example.org`, phone: '07700 900111', postcode: places.north.postcode },
      { name: `Noah No${unique()}`, email: `noah.${unique()}@example.org`, phone: '07700 900222', postcode: places.west.postcode },
      { name: `Wendy Wait${unique()}`, email: `wendy.${unique()}@example.org`, phone: '07700 900333', postcode: places.south.postcode },
    ];
    const ids: string[] = [];
    for (const p of people) {
      const id = await addStorytellerVia(agent, { ...p, groups: [ours], topics: [topic] });
      await makeReady(agent, id);
      ids.push(id);
    }
    const opportunity = await addOpportunityVia(agent, { topic: String(topic), postcode: places.south.postcode });
    const secretsOf = (p: (typeof people)[number]) => [p.name, p.email, p.phone, p.name.split(' ')[0]!];
    const pages = async () => [
      await agent.get(`/admin/opportunities/${opportunity}`),
      await agent.get('/admin/opportunities'),
      await agent.get(`/admin/opportunities/${opportunity}/contacts.csv`),
    ];
    const expectHidden = async (hidden: typeof people) => {
      for (const page of await pages()) {
        expect(page.statusCode).toBe(200);
        for (const p of hidden) for (const secret of secretsOf(p)) expect(page.body, `${page.headers['content-type']} shows ${secret}`).not.toContain(secret);
      }
    };
    await expectHidden(people);

    // Ranked: same constituency (south), then same region (west is in the south east too), then anywhere (north).
    const page = (await agent.get(`/admin/opportunities/${opportunity}`)).body;
    const order = ids.map((id) => page.indexOf(`value="${id}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order[2]).toBeLessThan(order[1]!);
    expect(order[1]).toBeLessThan(order[0]!);
    expect(page).toContain('Same constituency');

    expect((await agent.post(`/admin/opportunities/${opportunity}/asks`, { storytellers: ids })).statusCode).toBe(303);
    // Asked, not yet answered: still nothing.
    await expectHidden(people);
    // Each email names only its own recipient.
    const mails = await t.ctx.db.selectFrom('outbound_emails').select(['to_address', 'text_body']).where('kind', '=', 'stories.storyteller.ask').where('to_address', 'in', people.map((p) => p.email)).execute();
    expect(mails).toHaveLength(3);
    for (const mail of mails) {
      for (const p of people.filter((x) => x.email !== mail.to_address)) for (const secret of secretsOf(p)) expect(mail.text_body).not.toContain(secret);
    }

    const post = (token: string, answer: string) => t.app.inject({ method: 'POST', url: `/storytellers/asks/${token}/${answer}`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' }, payload: '' });
    // Opening the link answers nothing (a mail scanner may follow it).
    const yesToken = await askTokenFor(t, people[0]!.email);
    const opened = await t.app.inject({ method: 'GET', url: `/storytellers/asks/${yesToken}?answer=yes` });
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('Nothing about you has been shared');
    await expectHidden(people);

    const noToken = await askTokenFor(t, people[1]!.email);
    expect((await post(noToken, 'no')).statusCode).toBe(303);
    const noPage = await t.app.inject({ method: 'GET', url: `/storytellers/asks/${noToken}` });
    expect(noPage.body).toContain('You said no. Nothing about you has been shared');
    await expectHidden(people);

    expect((await post(yesToken, 'yes')).statusCode).toBe(303);
    await expectHidden([people[1]!, people[2]!]);
    const shown = (await agent.get(`/admin/opportunities/${opportunity}`)).body;
    expect(shown).toContain(people[0]!.email);
    expect(shown).toContain(people[0]!.phone);
    const csv = await agent.get(`/admin/opportunities/${opportunity}/contacts.csv`);
    expect(csv.body.trim().split('\n')).toHaveLength(2);
    expect(csv.body).toContain(people[0]!.email);

    // The answer is final: changing it by the other link is refused, the same answer again is fine.
    expect((await post(noToken, 'yes')).statusCode).toBe(409);
    expect((await post(yesToken, 'yes')).statusCode).toBe(303);
    await expectHidden([people[1]!, people[2]!]);

    // Every look and the export are in the audit log.
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'opportunity').where('subject_id', '=', String(opportunity)).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['opportunity.create', 'opportunity.view', 'opportunity.ask', 'opportunity.export']));
  });

  it('refuses a forged or unknown token on the yes and no links, answering nothing', async () => {
    for (const answer of ['yes', 'no']) {
      const forged = await t.app.inject({ method: 'POST', url: `/storytellers/asks/${'A'.repeat(32)}/${answer}`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' }, payload: '' });
      expect(forged.statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: `/storytellers/asks/${'A'.repeat(32)}` })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'POST', url: `/storytellers/asks/x/${answer}`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' }, payload: '' })).statusCode).toBe(404);
    }
    // From another site: refused before anything is read.
    const { agent } = await organiser();
    const id = await addStorytellerVia(agent, { name: 'Cross Site', email: `cross.${unique()}@example.org`, groups: [ours], topics: [topic] });
    await makeReady(agent, id);
    const opportunity = await addOpportunityVia(agent, { topic: String(topic) });
    await agent.get(`/admin/opportunities/${opportunity}`);
    await agent.post(`/admin/opportunities/${opportunity}/asks`, { storytellers: id });
    const row = await t.ctx.db.selectFrom('storytellers').select('id').where('public_id', '=', id).executeTakeFirstOrThrow();
    const email = (await t.ctx.db.selectFrom('outbound_emails').select('to_address').where('kind', '=', 'stories.storyteller.ask').orderBy('id', 'desc').executeTakeFirstOrThrow()).to_address;
    const token = await askTokenFor(t, email);
    const cross = await t.app.inject({ method: 'POST', url: `/storytellers/asks/${token}/yes`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, payload: '' });
    expect(cross.statusCode).toBe(403);
    const ask = await t.ctx.db.selectFrom('opportunity_asks').select('answer').where('storyteller_id', '=', row.id).executeTakeFirstOrThrow();
    expect(ask.answer).toBeNull();
  });
});

describe('who may see a storyteller', () => {
  it('gives an organiser of another group 403 on the record and every change, each refusal audited; their request pages do not list them', async () => {
    const { agent } = await organiser([ours]);
    const id = await addStorytellerVia(agent, { name: `Private Person${unique()}`, email: `private.${unique()}@example.org`, groups: [ours], topics: [topic] });
    await makeReady(agent, id);
    const { agent: other, id: otherId } = await organiser([theirs]);
    await other.get('/admin/storytellers');
    for (const attempt of [
      () => other.get(`/admin/storytellers/${id}`),
      () => other.post(`/admin/storytellers/${id}/notes`, { note: 'Sneaky note' }),
      () => other.post(`/admin/storytellers/${id}/stage`, { to: 'consented' }),
      () => other.post(`/admin/storytellers/${id}/topics`, { topics: String(topic) }),
      () => other.post(`/admin/storytellers/${id}/asks/1/outcome`, { with_whom: 'x', where: 'y' }),
    ]) {
      const res = await attempt();
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('Private Person');
    }
    const refusals = await t.ctx.db.selectFrom('audit_log').select(['actor_id']).where('action', '=', 'storyteller.access.refused').where('subject_id', '=', id).execute();
    expect(refusals).toHaveLength(5);
    expect(refusals.every((r) => r.actor_id === otherId)).toBe(true);
    expect(await t.ctx.db.selectFrom('storyteller_notes').select('id').where('author_id', '=', otherId).execute()).toHaveLength(0);
    // The audit log says it in words, without naming the storyteller.
    const { agent: admin } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const log = await admin.get('/admin/audit');
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain('Storyteller record refused (not their group)');
    expect(log.body).not.toContain('Private Person');

    const list = await other.get('/admin/storytellers');
    expect(list.body).not.toContain('Private Person');
    const opportunity = await addOpportunityVia(other, { topic: String(topic) });
    const page = await other.get(`/admin/opportunities/${opportunity}`);
    expect(page.body).not.toContain(`value="${id}"`);
    // Asking them anyway is refused, naming the field.
    const ask = await other.post(`/admin/opportunities/${opportunity}/asks`, { storytellers: id });
    expect(ask.statusCode).toBe(422);
    expect(ask.body).toContain('Choose storytellers from the list');

    // Admins and moderators see the record; each look is audited.
    for (const role of ['admin', 'moderator'] as const) {
      const { agent: staff, id: staffId } = await signedInAgent(t.app, t.ctx, { role });
      const res = await staff.get(`/admin/storytellers/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Private Person');
      const seen = await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'storyteller.view').where('actor_id', '=', staffId).execute();
      expect(seen).toHaveLength(1);
    }
  });
});

describe('at rest and on erasure', () => {
  it('keeps names, contact details, notes and outcomes sealed in the tables, and shows them opened on the record', async () => {
    const { agent } = await organiser();
    const name = `Sealed Person${unique()}`;
    const email = `sealed.${unique()}@example.org`;
    const id = await addStorytellerVia(agent, { name, email, phone: '07700 900999', postcode: places.north.postcode, groups: [ours], topics: [topic] });
    const note = `Worried about being recognised at work ${unique()}`;
    await agent.get(`/admin/storytellers/${id}`);
    expect((await agent.post(`/admin/storytellers/${id}/notes`, { note })).statusCode).toBe(303);

    const tables = await sql<{ row: string }>`
      select row_to_json(s)::text as row from storytellers s where public_id = ${id}
      union all select row_to_json(n)::text from storyteller_notes n join storytellers s on s.id = n.storyteller_id where s.public_id = ${id}`.execute(t.ctx.db);
    expect(tables.rows).toHaveLength(2);
    const all = tables.rows.map((r) => r.row).join('\n');
    for (const plain of [name, email, '07700 900999', 'NE1 1AA', note, 'Worried']) expect(all).not.toContain(plain);
    const raw = await t.ctx.db.selectFrom('storytellers').select(['name_sealed', 'email_sealed', 'phone_sealed', 'postcode_sealed']).where('public_id', '=', id).executeTakeFirstOrThrow();
    expect(Object.values(raw).every((v) => typeof v === 'string' && isSealed(v))).toBe(true);
    // Every sealed column of every storyteller table holds only sealed values (or nothing), whoever wrote it.
    for (const { table, column } of SEALED_COLUMNS) {
      const values = await sql<{ v: string | null }>`select ${sql.ref(column)} as v from ${sql.table(table)}`.execute(t.ctx.db);
      expect(values.rows.every((r) => r.v === null || isSealed(r.v)), `${table}.${column}`).toBe(true);
    }
    const page = await agent.get(`/admin/storytellers/${id}`);
    expect(page.body).toContain(note);
    expect(page.body).toContain(email);
    // The note's words are not in the audit log either.
    const audit = await sql<{ row: string }>`select row_to_json(a)::text as row from audit_log a where subject_id = ${id}`.execute(t.ctx.db);
    expect(audit.rows.map((r) => r.row).join('\n')).not.toContain('Worried');
  });

  it('is re-sealed by chorus stories rotate-key: after it, the new key alone opens every storyteller value', async () => {
    const { agent } = await organiser();
    const id = await addStorytellerVia(agent, { name: `Rotated Person${unique()}`, email: `rotated.${unique()}@example.org`, phone: '07700 900111', postcode: places.north.postcode, groups: [ours], topics: [topic] });
    await agent.get(`/admin/storytellers/${id}`);
    expect((await agent.post(`/admin/storytellers/${id}/notes`, { note: 'A note to rotate' })).statusCode).toBe(303);
    const newKey = generateKeyText();
    await rotateStoriesKey({ ...t.ctx, config: { ...t.ctx.config, STORIES_KEY: newKey, STORIES_OLD_KEYS: TEST_STORIES_KEY } } as never, () => {});
    try {
      const onlyNew = new KeyRing(parseKeyText(newKey, 'new'));
      let opened = 0;
      for (const { table, column, purpose } of SEALED_COLUMNS) {
        const values = await sql<{ v: string | null }>`select ${sql.ref(column)} as v from ${sql.table(table)} where ${sql.ref(column)} is not null`.execute(t.ctx.db);
        for (const { v } of values.rows) {
          expect(() => onlyNew.openText(v!, purpose), `${table}.${column}`).not.toThrow();
          opened++;
        }
      }
      expect(opened).toBeGreaterThanOrEqual(5);
    } finally {
      // Back to the test key, which the rest of this file's app reads with.
      await rotateStoriesKey({ ...t.ctx, config: { ...t.ctx.config, STORIES_OLD_KEYS: newKey } } as never, () => {});
    }
  });

  it('includes the storyteller record, notes and answers in subject access, and erasure removes them all', async () => {
    const { agent } = await organiser();
    const email = `erase.${unique()}@example.org`;
    const id = await addStorytellerVia(agent, { name: 'Erin Erase', email, groups: [ours], topics: [topic] });
    await agent.get(`/admin/storytellers/${id}`);
    await agent.post(`/admin/storytellers/${id}/notes`, { note: 'Prefers phone calls' });
    await makeReady(agent, id);
    const opportunity = await addOpportunityVia(agent, { topic: String(topic) });
    await agent.get(`/admin/opportunities/${opportunity}`);
    await agent.post(`/admin/opportunities/${opportunity}/asks`, { storytellers: id });
    const token = await askTokenFor(t, email);
    await t.app.inject({ method: 'POST', url: `/storytellers/asks/${token}/yes`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' }, payload: '' });

    const row = await t.ctx.db.selectFrom('storytellers').select(['id', 'person_id']).where('public_id', '=', id).executeTakeFirstOrThrow();
    const personId = Number(row.person_id);
    const copy = JSON.stringify(await exportPersonalData(t.ctx.db, personId));
    for (const expected of ['Erin Erase', email, 'Prefers phone calls', 'BBC Points West', '"answer":"yes"', 'Mental health waiting times']) expect(copy).toContain(expected);

    await t.ctx.db.transaction().execute((tx) => erasePerson(tx, personId, 'test'));
    expect(await t.ctx.db.selectFrom('storytellers').select('id').where('id', '=', row.id).execute()).toHaveLength(0);
    for (const table of ['storyteller_notes', 'training_attendance', 'opportunity_asks', 'storyteller_groups', 'storyteller_topics'] as const) {
      const left = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where storyteller_id = ${row.id}`.execute(t.ctx.db);
      expect(left.rows[0]!.n, table).toBe(0);
    }
    expect((await agent.get(`/admin/storytellers/${id}`)).statusCode).toBe(404);
  });
});
