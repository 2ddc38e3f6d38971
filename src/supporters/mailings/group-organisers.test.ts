import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { SmtpSink } from '../../../test/support/smtp.ts';
import { purposeFor } from '../consent.ts';
import { addGroup, addPerson, addPurpose, addSegmentOfList } from './test-support.ts';

/** A group's organisers write only as their group, and only to their group's supporters. */
let t: TestApp;
let sink: SmtpSink;
let leeds: Agent;
let york: Agent;
const ids = { leedsGroup: 0, yorkGroup: 0, leedsPurpose: 0, yorkPurpose: 0, coalitionPurpose: 0, everyoneSegment: 0, yorkSegment: 0, leedsSegment: 0 };

beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: sink.url } });
  const db = t.ctx.db;
  ids.leedsGroup = await addGroup(db, 'Keep Leeds NHS');
  ids.yorkGroup = await addGroup(db, 'York Health Watch');
  ids.leedsPurpose = (await purposeFor(db, { groupId: ids.leedsGroup })).id;
  ids.yorkPurpose = (await purposeFor(db, { groupId: ids.yorkGroup })).id;
  ids.coalitionPurpose = await addPurpose(db, { key: 'coalition.updates', name: 'Coalition updates' });
  const people = [
    await addPerson(db, { email: 'lee@example.org', givenName: 'Lee', groups: [ids.leedsGroup], consents: [ids.leedsPurpose] }),
    await addPerson(db, { email: 'lena@example.org', givenName: 'Lena', groups: [ids.leedsGroup], consents: [ids.leedsPurpose, ids.coalitionPurpose] }),
    await addPerson(db, { email: 'both@example.org', givenName: 'Bo', groups: [ids.leedsGroup, ids.yorkGroup], consents: [ids.leedsPurpose, ids.yorkPurpose] }),
    await addPerson(db, { email: 'yan@example.org', givenName: 'Yan', groups: [ids.yorkGroup], consents: [ids.yorkPurpose] }),
    // A record that says "yes" to Leeds' updates but belongs only to York: not Leeds' to reach.
    await addPerson(db, { email: 'stray@example.org', givenName: 'Stray', groups: [ids.yorkGroup], consents: [ids.leedsPurpose] }),
    await addPerson(db, { email: 'cora@example.org', givenName: 'Cora', consents: [ids.coalitionPurpose] }),
  ];
  ids.everyoneSegment = await addSegmentOfList(db, 'Everyone on the big list', people.map((p) => p.id));
  ids.yorkSegment = await addSegmentOfList(db, 'York core', people.map((p) => p.id), ids.yorkGroup);
  ids.leedsSegment = await addSegmentOfList(db, 'Leeds core', people.map((p) => p.id), ids.leedsGroup);
  leeds = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ids.leedsGroup] })).agent;
  york = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ids.yorkGroup] })).agent;
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

const errorBeside = (body: string, field: string) =>
  new RegExp(`<p class="error-message" id="field-${field}-error"><span class="visually-hidden">Error:</span> ([^<]*)</p>`).exec(body)?.[1];

async function sendAs(agent: Agent, fields: Record<string, string>): Promise<number> {
  await agent.get('/admin/mailings/new');
  const created = await agent.post('/admin/mailings', { segment_id: '', body: 'Hello {{first_name}}', ...fields });
  expect(created.statusCode).toBe(303);
  const id = Number(/\/admin\/mailings\/(\d+)/.exec(created.headers.location as string)![1]);
  await agent.get(`/admin/mailings/${id}/send`);
  const confirm = await agent.post(`/admin/mailings/${id}/send`, { when: 'now' });
  const count = /data-recipient-count="(\d+)"/.exec(confirm.body)![1]!;
  expect((await agent.post(`/admin/mailings/${id}/send`, { when: 'now', confirmed: count })).statusCode).toBe(303);
  await t.runJobs();
  return id;
}

const recipientsOf = (subject: string) =>
  sink.messages
    .filter((m) => m.subject === subject)
    .map((m) => m.to[0])
    .sort();

describe('a group organiser', () => {
  it('can write only as their own group, to their group’s segments (not the coalition’s or another group’s)', async () => {
    const form = await leeds.get('/admin/mailings/new');
    expect(form.statusCode).toBe(200);
    const from = /<select[^>]*name="purpose_id"[\s\S]*?<\/select>/.exec(form.body)![0];
    expect(from).toContain(`<option value="${ids.leedsPurpose}"`);
    expect(from).not.toContain(`<option value="${ids.yorkPurpose}"`);
    expect(from).not.toContain(`<option value="${ids.coalitionPurpose}"`);
    const to = /<select[^>]*name="segment_id"[\s\S]*?<\/select>/.exec(form.body)![0];
    expect(to).toContain(`<option value="${ids.leedsSegment}"`);
    expect(to).not.toContain(`<option value="${ids.everyoneSegment}"`);
    expect(to).not.toContain(`<option value="${ids.yorkSegment}"`);
    expect(to).not.toContain('Everyone on the big list');
    // Nor does their segment list offer the coalition's.
    const list = await leeds.get('/admin/segments');
    expect(list.body).toContain('Leeds core');
    expect(list.body).not.toContain('Everyone on the big list');
    expect((await leeds.get(`/admin/segments/${ids.everyoneSegment}`)).statusCode).toBe(404);
  });

  it('is refused, naming the field, when posting another group’s or the coalition’s sender, or another group’s segment', async () => {
    for (const purpose of [ids.yorkPurpose, ids.coalitionPurpose]) {
      await leeds.get('/admin/mailings/new');
      const res = await leeds.post('/admin/mailings', { purpose_id: String(purpose), segment_id: '', subject: 'Sneaky', body: 'Hi' });
      expect(res.statusCode).toBe(422);
      expect(errorBeside(res.body, 'purpose_id')).toBe('Choose who the mailing is from');
    }
    await leeds.get('/admin/mailings/new');
    for (const segmentId of [ids.yorkSegment, ids.everyoneSegment]) {
      await leeds.get('/admin/mailings/new');
      const segment = await leeds.post('/admin/mailings', { purpose_id: String(ids.leedsPurpose), segment_id: String(segmentId), subject: 'Sneaky', body: 'Hi' });
      expect(segment.statusCode).toBe(422);
      expect(errorBeside(segment.body, 'segment_id')).toBe('Choose a saved segment from the list, or everyone');
      expect(segment.body).toContain('value="Sneaky"');
    }
  });

  it('is not asked for, and cannot set, the sending speed (the coalition’s to set); titles show placeholders as words', async () => {
    const form = await leeds.get('/admin/mailings/new');
    expect(form.body).not.toContain('name="rate_per_second"');
    const made = await leeds.post('/admin/mailings', { purpose_id: String(ids.leedsPurpose), segment_id: '', subject: 'Hi {{first_name|friend}}', body: 'Hello', rate_per_second: '1' });
    expect(made.statusCode).toBe(303);
    const id = Number(/\/admin\/mailings\/(\d+)/.exec(made.headers.location as string)![1]);
    const rate = async () => (await t.ctx.db.selectFrom('mailings').select('rate_per_second').where('id', '=', id).executeTakeFirstOrThrow()).rate_per_second;
    const highest = await rate();
    expect(highest).toBeGreaterThan(1);
    const page = await leeds.get(`/admin/mailings/${id}`);
    expect(page.body).toContain('<title>Hi [first name, or friend]');
    expect(page.body).not.toContain('{{first_name');
    // An admin slows it down; the organiser's later edit keeps the admin's speed.
    const admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
    await admin.get(`/admin/mailings/${id}/edit`);
    expect((await admin.post(`/admin/mailings/${id}`, { purpose_id: String(ids.leedsPurpose), segment_id: '', subject: 'Hi {{first_name|friend}}', body: 'Hello', rate_per_second: '3' })).statusCode).toBe(303);
    expect(await rate()).toBe(3);
    await leeds.get(`/admin/mailings/${id}/edit`);
    expect((await leeds.post(`/admin/mailings/${id}`, { purpose_id: String(ids.leedsPurpose), segment_id: '', subject: 'Hi again', body: 'Hello', rate_per_second: String(highest) })).statusCode).toBe(303);
    expect(await rate()).toBe(3);
  });

  it('reaches only their group’s supporters with a live consent for the group’s updates', async () => {
    await sendAs(leeds, { purpose_id: String(ids.leedsPurpose), subject: 'Leeds news' });
    expect(recipientsOf('Leeds news')).toEqual(['both@example.org', 'lee@example.org', 'lena@example.org']);
    // Headed and signed as the group supporters know, not the coalition or a consent purpose's name.
    const message = sink.messages.find((m) => m.subject === 'Leeds news')!;
    expect(message.html).toMatch(/<td[^>]*>\s*(<img[^>]*>)?\s*Keep Leeds NHS\s*<\/td>/);
    expect(message.text).toContain('You are getting this because you agreed to hear from Keep Leeds NHS.');
    expect(message.text).not.toContain('Keep Leeds NHS updates');
    expect(message.text.trim().endsWith('Keep Leeds NHS')).toBe(true);
  });

  it('reaches only their group’s supporters through their group’s segment, and so does an admin sending as the group to a coalition-wide one', async () => {
    await sendAs(leeds, { purpose_id: String(ids.leedsPurpose), segment_id: String(ids.leedsSegment), subject: 'Leeds segment news' });
    expect(recipientsOf('Leeds segment news')).toEqual(['both@example.org', 'lee@example.org', 'lena@example.org']);
    const admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
    await sendAs(admin, { purpose_id: String(ids.leedsPurpose), segment_id: String(ids.everyoneSegment), subject: 'Leeds wide news' });
    expect(recipientsOf('Leeds wide news')).toEqual(['both@example.org', 'lee@example.org', 'lena@example.org']);
  });

  it('cannot see, preview, change or send another group’s mailing', async () => {
    const id = await sendAs(york, { purpose_id: String(ids.yorkPurpose), subject: 'York news' });
    expect(recipientsOf('York news')).toEqual(['both@example.org', 'yan@example.org']);
    for (const path of ['', '/preview', '/preview.html', '/progress.json', '/edit', '/send']) {
      expect((await leeds.get(`/admin/mailings/${id}${path}`)).statusCode, path).toBe(404);
    }
    const list = await leeds.get('/admin/mailings');
    expect(list.body).toContain('Leeds news');
    expect(list.body).not.toContain('York news');
    const yorkList = await york.get('/admin/mailings');
    expect(yorkList.body).toContain('York news');
    expect(yorkList.body).not.toContain('Leeds news');
  });

  it('cannot change, test, schedule, send, unschedule or stop another group’s mailing: every POST is refused and nothing changes', async () => {
    await york.get('/admin/mailings/new');
    const created = await york.post('/admin/mailings', { segment_id: '', purpose_id: String(ids.yorkPurpose), subject: 'York draft', body: 'Draft for {{first_name}}' });
    expect(created.statusCode).toBe(303);
    const id = Number(/\/admin\/mailings\/(\d+)/.exec(created.headers.location as string)![1]);
    const before = await t.ctx.db.selectFrom('mailings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const mailsBefore = sink.messages.length;

    await leeds.get('/admin/mailings/new');
    const attempts: Array<[string, Record<string, string>]> = [
      ['', { segment_id: '', purpose_id: String(ids.leedsPurpose), subject: 'Taken over', body: 'Hijacked' }],
      ['/test', { to: 'attacker@example.org' }],
      ['/send', { when: 'now' }],
      ['/send', { when: 'now', confirmed: '2' }],
      ['/send', { when: 'later', send_at: '2030-01-01T09:00', confirmed: '2' }],
      ['/unschedule', {}],
      ['/stop', {}],
    ];
    for (const [path, fields] of attempts) {
      const res = await leeds.post(`/admin/mailings/${id}${path}`, fields);
      expect(res.statusCode, `${path} ${JSON.stringify(fields)}`).toBe(404);
    }
    await t.runJobs();
    const after = await t.ctx.db.selectFrom('mailings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    expect(sink.messages.length).toBe(mailsBefore);
    expect(sink.messages.some((m) => m.subject === 'Taken over' || m.to.includes('attacker@example.org'))).toBe(false);

    // The same POSTs from York itself do work (the refusals above are about the group, not the form).
    await york.get(`/admin/mailings/${id}/edit`);
    expect((await york.post(`/admin/mailings/${id}`, { segment_id: '', purpose_id: String(ids.yorkPurpose), subject: 'York draft, edited', body: 'Draft for {{first_name}}' })).statusCode).toBe(303);
  });
});
