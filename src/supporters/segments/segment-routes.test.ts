import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { connectToGroups, recordAction, upsertPerson } from '../people.ts';
import { addRecipientBatch, countAudience } from '../mailings/audience.ts';
import { addPetition, addPostcode } from '../test-support.ts';
import { purposeFor } from '../consent.ts';
import { spreadsheetSafe as safeCell } from '../../platform/csv.ts';
import { exportSegmentCsv } from './export-segment.ts';
import { getSegment } from './segment-store.ts';

let t: TestApp;
let admin: Agent;
let organiser: Agent;
let adminId = 0;
const group: Record<string, number> = {};
let volunteer = 0;

beforeAll(async () => {
  t = await createTestApp();
  for (const g of ['A', 'B']) group[g] = (await t.ctx.db.insertInto('groups').values({ slug: `group-${g.toLowerCase()}`, name: `Group ${g}` }).returning('id').executeTakeFirstOrThrow()).id;
  volunteer = (await t.ctx.db.insertInto('tags').values({ name: 'volunteer' }).returning('id').executeTakeFirstOrThrow()).id;
  // 60 people in group A (every third a volunteer, in London), 3 in group B (all volunteers).
  for (let i = 1; i <= 63; i++) {
    const inA = i <= 60;
    const person = await upsertPerson(t.ctx.db, {
      email: `person${i}@example.org`,
      givenName: i === 1 ? '=HYPERLINK("http://evil")' : `Person${i}`,
      familyName: 'Test',
      postcode: 'SW1A 1AA',
      constituencyCode: 'E14001172',
      regionCode: inA && i % 3 === 0 ? 'E12000007' : 'E12000008',
    });
    await connectToGroups(t.ctx.db, person.id, [inA ? group.A! : group.B!]);
    if (!inA || i % 3 === 0) await t.ctx.db.insertInto('taggings').values({ tag_id: volunteer, person_id: person.id }).execute();
  }
  const a = await signedInAgent(t.app, t.ctx, { role: 'admin' });
  admin = a.agent;
  adminId = a.id;
  organiser = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group.A!] })).agent;
});
afterAll(() => t.close());

const volunteers = () => `match=all&c0.kind=tags&c0.tagMatch=any&c0.tags=${volunteer}`;

async function saveSegment(agent: Agent, fields: Record<string, string>) {
  await agent.get('/admin/segments/new');
  return agent.post('/admin/segments', fields);
}

describe('segment builder and live count', () => {
  it('cannot count, build or save on another group’s tag, list or consent purpose (422 naming the condition), while an admin can', async () => {
    const db = t.ctx.db;
    const bTag = (await db.insertInto('tags').values({ name: 'b-only tag', group_id: group.B! }).returning('id').executeTakeFirstOrThrow()).id;
    const bList = (await db.insertInto('lists').values({ name: 'b-only list', group_id: group.B! }).returning('id').executeTakeFirstOrThrow()).id;
    const bPurpose = (await db.insertInto('consent_purposes').values({ key: `group.${group.B!}.secret`, name: 'B secret updates', group_id: group.B! }).returning('id').executeTakeFirstOrThrow()).id;
    const tries: Array<[string, string]> = [
      [`c0.kind=tags&c0.tagMatch=any&c0.tags=${bTag}`, 'c0.tags'],
      [`c0.kind=lists&c0.lists=${bList}`, 'c0.lists'],
      [`c0.kind=consent&c0.purpose=${bPurpose}`, 'c0.purpose'],
      [`match=any&c0.kind=tags&c0.tagMatch=any&c0.tags=${volunteer}&c1.kind=tags&c1.tagMatch=all&c1.tags=${volunteer}&c1.tags=${bTag}`, 'c1.tags'],
    ];
    const before = await db.selectFrom('segments').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    for (const [query, field] of tries) {
      const count = await organiser.get(`/admin/segments/count?${query}`);
      expect(count.statusCode, query).toBe(422);
      expect(count.json().errors.map((e: { field: string }) => e.field), query).toContain(field);
      expect(count.json()).not.toHaveProperty('count');
      const built = await organiser.get(`/admin/segments/new?${query}`);
      expect(built.statusCode, query).toBe(422);
      expect(built.body).not.toMatch(/\d+ (people|person) match/);
      const saved = await saveSegment(organiser, { name: 'Peek at B', group: String(group.A!), query });
      expect(saved.statusCode, query).toBe(422);
      // The admin sees every group's, so the same conditions are fine for them.
      expect((await admin.get(`/admin/segments/count?${query}`)).statusCode, query).toBe(200);
    }
    const after = await db.selectFrom('segments').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('shows everyone you can see before any condition is added, without JavaScript', async () => {
    const page = await admin.get('/admin/segments/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('63 people match');
    expect(page.body).toContain('src="/assets/segments.js');
    expect((await organiser.get('/admin/segments/new')).body).toContain('60 people match');
  });

  it('adds a condition with a button, then counts it with "Update count"', async () => {
    const added = await admin.get('/admin/segments/new?match=all&add=tags');
    expect(added.statusCode).toBe(200);
    expect(added.body).toContain('Condition 1: Tags');
    expect(added.body).not.toContain('There is a problem');
    const counted = await admin.get(`/admin/segments/new?${volunteers()}`);
    expect(counted.body).toContain('23 people match');
    const removed = await admin.get(`/admin/segments/new?${volunteers()}&remove=0`);
    expect(removed.body).not.toContain('Condition 1');
    expect(removed.body).toContain('63 people match');
  });

  it('adding a second condition does not flag the first before it is filled: only "Update count" and saving do', async () => {
    const second = await admin.get('/admin/segments/new?match=all&c0.kind=tags&c0.tagMatch=any&add=lists');
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('Condition 2: Lists');
    expect(second.body).not.toContain('There is a problem');
    expect(second.body).not.toContain('Choose at least one tag');
    expect(second.body).toContain('Fill in the conditions, then choose “Update count”');
    const removed = await admin.get('/admin/segments/new?match=all&c0.kind=tags&c0.tagMatch=any&c1.kind=lists&remove=1');
    expect(removed.statusCode).toBe(200);
    expect(removed.body).not.toContain('There is a problem');
    const counted = await admin.get('/admin/segments/new?match=all&c0.kind=tags&c0.tagMatch=any&c1.kind=lists');
    expect(counted.statusCode).toBe(422);
    expect(counted.body).toContain('There is a problem');
    expect(counted.body).toContain('Choose at least one tag');
  });

  it('lists consent purposes by name, including a group made after start-up', async () => {
    await t.ctx.db.insertInto('groups').values({ slug: 'aardvark-nhs', name: 'Aardvark NHS Friends' }).execute();
    const page = await admin.get('/admin/segments/new?add=consent');
    expect(page.statusCode).toBe(200);
    const select = /<select[^>]*name="c0\.purpose"[\s\S]*?<\/select>/.exec(page.body)![0];
    const names = [...select.matchAll(/<option value="\d+"[^>]*>([^<]*)<\/option>/g)].map((m) => m[1]!);
    expect(names).toContain('Aardvark NHS Friends updates');
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en-GB', { sensitivity: 'base' })));
    expect(names.length).toBeGreaterThanOrEqual(4);
    // An organiser of group A gets the coalition's and group A's, not the new group's.
    const theirs = await organiser.get('/admin/segments/new?add=consent');
    expect(theirs.body).toContain('Group A updates');
    expect(theirs.body).not.toContain('Aardvark NHS Friends updates');
  });

  it('answers the live count as JSON, scoped to the viewer', async () => {
    const all = await admin.get(`/admin/segments/count?${volunteers()}&c1.kind=region&c1.regions=E12000007`);
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual({ count: 20, text: '20 people match' });
    expect((await organiser.get(`/admin/segments/count?${volunteers()}`)).json().count).toBe(20);
    expect((await admin.get(`/admin/segments/count?${volunteers()}&c1.kind=region&c1.regions=E12000007&c1.not=yes`)).json().count).toBe(3);
    expect((await admin.get(`/admin/segments/count?match=any&${volunteers().slice(10)}&c1.kind=region&c1.regions=E12000007`)).json().count).toBe(23);
  });

  it('refuses bad conditions with 422, naming the field', async () => {
    const noTags = await admin.get('/admin/segments/count?c0.kind=tags&c0.tagMatch=any');
    expect(noTags.statusCode).toBe(422);
    expect(noTags.json().errors).toEqual([{ field: 'c0.tags', message: 'Choose at least one tag' }]);
    const badDate = await admin.get('/admin/segments/count?c0.kind=created&c0.since=2025-02-30');
    expect(badDate.statusCode).toBe(422);
    expect(badDate.json().errors[0]).toEqual({ field: 'c0.since', message: 'Enter a real date' });
    const badKind = await admin.get('/admin/segments/count?c0.kind=shoe-size');
    expect(badKind.json().errors[0].field).toBe('c0.kind');
    const badCode = await admin.get('/admin/segments/count?c0.kind=constituency&c0.codes=Westminster');
    expect(badCode.json().errors[0]).toEqual({ field: 'c0.codes', message: 'Enter codes like E14001234' });
    const wrongOrder = await admin.get('/admin/segments/count?c0.kind=action&c0.action=petition.signed&c0.since=2025-05-01&c0.before=2025-04-01');
    expect(wrongOrder.json().errors[0].field).toBe('c0.before');
    const page = await admin.get('/admin/segments/new?c0.kind=tags&c0.tagMatch=any');
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('There is a problem');
    expect(page.body).toContain('href="#field-c0-tags"');
  });
});

describe('the constituency picker (no JavaScript needed)', () => {
  beforeAll(async () => {
    await addPostcode(t.ctx.db, 'SW1A 1AA', { code: 'E14001172', name: 'Cities of London and Westminster', regionCode: 'E12000007' });
    await addPostcode(t.ctx.db, 'NW4 4BT', { code: 'E14001273', name: 'Hendon', regionCode: 'E12000007' });
    await addPostcode(t.ctx.db, 'GU11 1AA', { code: 'E14001063', name: 'Aldershot', regionCode: 'E12000008' });
  });

  const seatBox = (body: string, code: string) => new RegExp(`name="c0.codes" type="checkbox" value="${code}"( checked)?`).exec(body);

  it('finds constituencies by name and by postcode as choices on the same form, keeping what was typed', async () => {
    const byName = await admin.get('/admin/segments/new?match=all&c0.kind=constituency&c0.find=hend&find=0');
    expect(byName.statusCode).toBe(200);
    expect(byName.body).not.toContain('There is a problem');
    expect(seatBox(byName.body, 'E14001273')).not.toBeNull();
    expect(seatBox(byName.body, 'E14001273')![1]).toBeUndefined();
    expect(byName.body).toMatch(/<label class="choice__label" for="[^"]+">Hendon<\/label>/);
    expect(byName.body).toContain('value="hend"');
    expect(seatBox(byName.body, 'E14001063')).toBeNull();
    // Enter in the search box presses the form's first (hidden) button: a search too.
    const entered = await admin.get('/admin/segments/new?find=enter&match=all&c0.kind=constituency&c0.find=NW4+4BT');
    expect(seatBox(entered.body, 'E14001273')).not.toBeNull();
    const byPostcode = await admin.get('/admin/segments/new?match=all&c0.kind=constituency&c0.find=sw1a1aa&find=0');
    expect(byPostcode.body).toMatch(/for="[^"]+">Cities of London and Westminster<\/label>/);
    const unknown = await admin.get('/admin/segments/new?match=all&c0.kind=constituency&c0.find=Atlantis&find=0');
    expect(unknown.body).toContain('No constituency’s name contains “Atlantis”');
    // Ticking a result and counting: it counts, shown by name.
    const ticked = await admin.get('/admin/segments/new?match=all&c0.kind=constituency&c0.codes=E14001172&c0.find=');
    expect(ticked.statusCode).toBe(200);
    expect(seatBox(ticked.body, 'E14001172')![1]).toBe(' checked');
    expect(ticked.body).toMatch(/for="[^"]+">Cities of London and Westminster<\/label>/);
    expect(ticked.body).toContain('63 people match');
    expect(ticked.body).toContain('<datalist id="segment-seat-names"><option value="Aldershot" data-code="E14001063">');
  });

  it('adds every constituency of a region at once, and describes the saved segment by constituency names', async () => {
    const region = await admin.get('/admin/segments/new?match=all&c0.kind=constituency&c0.fromRegion=E12000007&find=0');
    expect(region.statusCode).toBe(200);
    expect(seatBox(region.body, 'E14001172')![1]).toBe(' checked');
    expect(seatBox(region.body, 'E14001273')![1]).toBe(' checked');
    expect(seatBox(region.body, 'E14001063')).toBeNull();
    expect(region.body).toContain('63 people match');
    expect((await admin.get('/admin/segments/count?c0.kind=constituency&c0.fromRegion=E12000008')).json().count).toBe(0);
    const saved = await saveSegment(admin, { name: 'London seats', group: 'coalition', query: 'match=all&c0.kind=constituency&c0.fromRegion=E12000007' });
    expect(saved.statusCode).toBe(303);
    const id = Number(/\d+/.exec(saved.headers.location as string)![0]);
    expect((await getSegment(t.ctx.db, id, 'all')).definition.conditions).toEqual([{ kind: 'constituency', codes: ['E14001172', 'E14001273'], not: false }]);
    const page = await admin.get(`/admin/segments/${id}`);
    expect(page.body).toContain('<li>Lives in Cities of London and Westminster or Hendon</li>');
    expect(page.body).toContain('<td>Cities of London and Westminster</td>');
    expect(page.body).not.toContain('<td>E14001172</td>');
    expect((await admin.get('/admin/segments')).body).toContain('Lives in Cities of London and Westminster or Hendon');
    const edit = await admin.get(`/admin/segments/${id}/edit`);
    expect(seatBox(edit.body, 'E14001273')![1]).toBe(' checked');
    await t.ctx.db.deleteFrom('segments').where('id', '=', id).execute();
  });
});

describe('conditions on another group’s petitions, and segments saved before the checks', () => {
  let aPetition = 0;
  let bPetition = 0;
  let bTag = 0;
  let bList = 0;
  let bPurpose = 0;

  beforeAll(async () => {
    const db = t.ctx.db;
    aPetition = await addPetition(db, 'Group A petition', [group.A!]);
    bPetition = await addPetition(db, 'Group B petition', [group.B!]);
    bTag = (await db.insertInto('tags').values({ name: 'b-secret tag', group_id: group.B! }).returning('id').executeTakeFirstOrThrow()).id;
    bList = (await db.insertInto('lists').values({ name: 'b-secret list', group_id: group.B! }).returning('id').executeTakeFirstOrThrow()).id;
    bPurpose = (await db.insertInto('consent_purposes').values({ key: `group.${group.B!}.hidden`, name: 'B hidden', group_id: group.B! }).returning('id').executeTakeFirstOrThrow()).id;
    // Five of group A's people signed group B's petition, are tagged, listed and consented by group B.
    const people = await db.selectFrom('people').select('id').where('email', 'in', ['person1@example.org', 'person2@example.org', 'person4@example.org', 'person5@example.org', 'person7@example.org']).execute();
    for (const { id } of people) {
      await recordAction(db, id, { kind: 'petition.signed', subjectType: 'petition', subjectId: bPetition });
      await db.insertInto('taggings').values({ tag_id: bTag, person_id: id }).execute();
      await db.insertInto('list_members').values({ list_id: bList, person_id: id }).execute();
      await db.insertInto('consents').values({ person_id: id, purpose_id: bPurpose, status: 'given', method: 'test' }).execute();
    }
    await recordAction(db, people[0]!.id, { kind: 'petition.signed', subjectType: 'petition', subjectId: aPetition });
  });

  const signed = (petition: number) => `match=all&c0.kind=action&c0.action=petition.signed&c0.subject=${petition}`;

  it('cannot count, build or save on a petition of another group (signed petition X), while its own group’s petition and the admin are fine', async () => {
    const before = await t.ctx.db.selectFrom('segments').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    for (const query of [signed(bPetition), `match=any&${volunteers().slice(10)}&c1.kind=action&c1.action=petition.signed&c1.subject=${bPetition}`, signed(999_999)]) {
      const field = query.includes('c1.') ? 'c1.subject' : 'c0.subject';
      const count = await organiser.get(`/admin/segments/count?${query}`);
      expect(count.statusCode, query).toBe(422);
      expect(count.json().errors.map((e: { field: string }) => e.field), query).toContain(field);
      expect(count.json()).not.toHaveProperty('count');
      const built = await organiser.get(`/admin/segments/new?${query}`);
      expect(built.statusCode, query).toBe(422);
      expect(built.body).not.toMatch(/\d+ (people|person) match/);
      expect((await saveSegment(organiser, { name: 'Signed B', group: String(group.A!), query })).statusCode, query).toBe(422);
    }
    const after = await t.ctx.db.selectFrom('segments').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect((await organiser.get(`/admin/segments/count?${signed(aPetition)}`)).json().count).toBe(1);
    expect((await admin.get(`/admin/segments/count?${signed(bPetition)}`)).json().count).toBe(5);
    // An admin cannot give group A a segment built on group B's petition either: it would count A's people by it.
    const adminSave = await saveSegment(admin, { name: 'A by B', group: String(group.A!), query: signed(bPetition) });
    expect(adminSave.statusCode).toBe(422);
    expect(adminSave.body).toContain('cannot use other groups’ data');
  });

  it('names actions in words and petitions by title, in the builder and in the saved segment’s description', async () => {
    const builder = await organiser.get('/admin/segments/new?add=action');
    expect(builder.statusCode).toBe(200);
    const action = /<select[^>]*name="c0\.action"[\s\S]*?<\/select>/.exec(builder.body)![0];
    expect(action).toContain('<option value="petition.signed">Signed a petition</option>');
    expect(action).not.toContain('>petition.signed<');
    const which = /<select[^>]*name="c0\.subject"[\s\S]*?<\/select>/.exec(builder.body)![0];
    expect(which).toContain(`<option value="${aPetition}">Group A petition</option>`);
    expect(which).not.toContain('Group B petition');
    const saved = await saveSegment(organiser, { name: 'A signers', group: String(group.A!), query: `${signed(aPetition)}&c1.kind=tags&c1.tagMatch=any&c1.tags=${volunteer}&c1.not=yes` });
    expect(saved.statusCode).toBe(303);
    const page = await organiser.get(saved.headers.location as string);
    expect(page.body).toContain('People who match all of:');
    expect(page.body).toContain('<li>Signed the petition “Group A petition”</li>');
    expect(page.body).toContain('<li>Not: has the tag “volunteer”</li>');
    const list = await organiser.get('/admin/segments');
    expect(list.body).toContain('Signed the petition “Group A petition”');
  });

  /** A segment as stored before the builder checked whose data its conditions name. */
  async function storedSegment(name: string, groupId: number | null, conditions: unknown[]): Promise<number> {
    const row = await t.ctx.db
      .insertInto('segments')
      .values({ name, group_id: groupId, definition: JSON.stringify({ version: 1, match: 'all', conditions }), created_by: adminId })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('cannot count, show, edit, export, mail or add to a tag a segment saved earlier on another group’s tag, list, purpose or petition', async () => {
    const foreign: Array<[string, unknown]> = [
      ['tag', { kind: 'tags', match: 'any', tagIds: [bTag], not: false }],
      ['not tag', { kind: 'tags', match: 'any', tagIds: [bTag], not: true }],
      ['list', { kind: 'lists', listIds: [bList], not: false }],
      ['purpose', { kind: 'consent', purposeId: bPurpose, not: false }],
      ['petition', { kind: 'action', action: 'petition.signed', subjectId: String(bPetition), not: false }],
    ];
    const aPurpose = (await purposeFor(t.ctx.db, { groupId: group.A! })).id;
    const aTag = (await t.ctx.db.insertInto('tags').values({ name: 'a tag', group_id: group.A! }).returning('id').executeTakeFirstOrThrow()).id;
    for (const [what, condition] of foreign) {
      for (const owner of [group.A!, null]) {
        const id = await storedSegment(`Old ${what}`, owner, [condition]);
        const label = `${what}, ${owner === null ? 'coalition' : 'group A'} segment`;
        // A coalition segment is not a group organiser's at all (not found); their group's is refused.
        const page = await organiser.get(`/admin/segments/${id}`);
        expect(page.statusCode, label).toBe(owner === null ? 404 : 403);
        expect(page.body, label).not.toContain('key-figure');
        expect(page.body, label).not.toContain('@example.org');
        const edit = await organiser.get(`/admin/segments/${id}/edit`);
        expect(edit.statusCode, label).toBe(owner === null ? 404 : 422);
        expect(edit.body, label).not.toMatch(/\d+ (people|person) match/);
        const csv = await organiser.get(`/admin/segments/${id}/export.csv`);
        expect(csv.statusCode, label).toBe(owner === null ? 404 : 403);
        expect(csv.body, label).not.toContain('@example.org');
        const tagged = await organiser.post(`/admin/tags/${aTag}/segment`, { segment: String(id) });
        expect(tagged.statusCode, label).toBeGreaterThanOrEqual(403);
        expect(tagged.statusCode, label).toBeLessThan(500);
        expect(await t.ctx.db.selectFrom('taggings').select('person_id').where('tag_id', '=', aTag).execute(), label).toEqual([]);
        // A group A mailing to it: neither counted nor prepared.
        const segment = await getSegment(t.ctx.db, id, 'all');
        const audience = { purposeId: aPurpose, groupId: group.A!, segment: { name: segment.name, groupId: segment.groupId, definition: segment.definition } };
        await expect(countAudience(t.ctx.db, audience), label).rejects.toMatchObject({ code: 'forbidden' });
        await expect(addRecipientBatch(t.ctx.db, 0, audience, 0, 100), label).rejects.toMatchObject({ code: 'forbidden' });
        // The admin sees the coalition segment counted over everyone: it is theirs to see.
        if (owner === null) expect((await admin.get(`/admin/segments/${id}`)).statusCode, label).toBe(200);
        await t.ctx.db.deleteFrom('segments').where('id', '=', id).execute();
      }
    }
  });
});

describe('saving, editing and deleting segments', () => {
  let segmentId = 0;

  it('saves a segment and shows its count and first 50 people', async () => {
    const saved = await saveSegment(admin, { name: 'Volunteers', group: 'coalition', query: volunteers() });
    expect(saved.statusCode).toBe(303);
    segmentId = Number(/\/admin\/segments\/(\d+)/.exec(saved.headers.location as string)![1]);
    const stored = await getSegment(t.ctx.db, segmentId, 'all');
    expect(stored).toMatchObject({ name: 'Volunteers', groupId: null, definition: { match: 'all', conditions: [{ kind: 'tags', match: 'any', tagIds: [volunteer], not: false }] } });
    const page = await admin.get(`/admin/segments/${segmentId}`);
    expect(page.body).toContain('<span class="key-figure">23</span> people');
    // Seeing the first people is audited, naming the viewer and the segment.
    const audited = await t.ctx.db.selectFrom('audit_log').select(['actor_id', 'subject_id']).where('action', '=', 'segment.people.view').execute();
    expect(audited).toContainEqual({ actor_id: adminId, subject_id: String(segmentId) });

    const everyone = await saveSegment(admin, { name: 'Everyone', group: 'coalition', query: 'match=all' });
    const everyonePage = await admin.get(everyone.headers.location as string);
    expect(everyonePage.body).toContain('The first 50 people');
    expect(everyonePage.body.match(/<tr>/g)!.length).toBe(51);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'segment.create').execute();
    expect(audit).toContainEqual({ action: 'segment.create', actor_id: adminId });
  });

  it('keeps what was typed and names the field when saving fails', async () => {
    const noName = await saveSegment(admin, { name: '', group: 'coalition', query: volunteers() });
    expect(noName.statusCode).toBe(422);
    expect(noName.body).toContain('Enter a name for the segment');
    expect(noName.body).toContain('href="#field-name"');
    const organiserCoalition = await saveSegment(organiser, { name: 'Mine', group: 'coalition', query: volunteers() });
    expect(organiserCoalition.statusCode).toBe(422);
    expect(organiserCoalition.body).toContain('Choose one of your groups');
    expect(organiserCoalition.body).toContain('value="Mine"');
    const badConditions = await saveSegment(admin, { name: 'Broken', group: 'coalition', query: 'c0.kind=lists' });
    expect(badConditions.statusCode).toBe(422);
    expect(badConditions.body).toContain('Choose at least one list');
  });

  it('edits a segment: the builder opens with its conditions, saving replaces them', async () => {
    const edit = await admin.get(`/admin/segments/${segmentId}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toMatch(new RegExp(`name="c0.tags" type="checkbox" value="${volunteer}" checked`));
    expect(edit.body).toContain('value="Volunteers"');
    const saved = await admin.post(`/admin/segments/${segmentId}`, { name: 'London volunteers', group: 'coalition', query: `${volunteers()}&c1.kind=region&c1.regions=E12000007` });
    expect(saved.statusCode).toBe(303);
    const stored = await getSegment(t.ctx.db, segmentId, 'all');
    expect(stored.name).toBe('London volunteers');
    expect(stored.definition.conditions).toHaveLength(2);
    expect((await admin.get(`/admin/segments/${segmentId}`)).body).toContain('<span class="key-figure">20</span> people');
  });

  it('cannot show a group organiser the coalition’s segments (not in their list, not found), nor let them change them', async () => {
    const page = await organiser.get(`/admin/segments/${segmentId}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('key-figure');
    const list = await organiser.get('/admin/segments');
    expect(list.body).not.toContain('London volunteers');
    expect((await admin.get('/admin/segments')).body).toContain('London volunteers');
    await organiser.get('/admin/segments/new');
    expect((await organiser.post(`/admin/segments/${segmentId}`, { name: 'Mine now', group: String(group.A), query: 'match=all' })).statusCode).toBe(404);
    expect((await organiser.post(`/admin/segments/${segmentId}/delete`, {})).statusCode).toBe(404);
    expect((await getSegment(t.ctx.db, segmentId, 'all')).name).toBe('London volunteers');
  });

  it("scopes a group's segment to that group's people, and hides it from other groups", async () => {
    const saved = await saveSegment(organiser, { name: 'Group A volunteers', group: String(group.A), query: volunteers() });
    expect(saved.statusCode).toBe(303);
    const adminView = await admin.get(saved.headers.location as string);
    expect(adminView.body).toContain('<span class="key-figure">20</span> people');
    const other = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [group.B!] })).agent;
    expect((await other.get(saved.headers.location as string)).statusCode).toBe(404);
    expect((await admin.get('/admin/segments/abc')).statusCode).toBe(404);
  });

  it('deletes a segment', async () => {
    const saved = await saveSegment(admin, { name: 'Short-lived', group: 'coalition', query: 'match=all' });
    const id = /\d+/.exec(saved.headers.location as string)![0];
    await admin.get(`/admin/segments/${id}`);
    expect((await admin.post(`/admin/segments/${id}/delete`, {})).headers.location).toBe('/admin/segments');
    expect((await admin.get(`/admin/segments/${id}`)).statusCode).toBe(404);
  });
});

describe('CSV export', () => {
  it('streams the segment with its columns, guards against spreadsheet formulas, and audits who exported what', async () => {
    const saved = await saveSegment(admin, { name: 'All volunteers', group: 'coalition', query: volunteers() });
    const id = Number(/\d+/.exec(saved.headers.location as string)![0]);
    const response = await admin.get(`/admin/segments/${id}/export.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(new RegExp(`attachment; filename="segment-${id}-\\d{4}-\\d{2}-\\d{2}.csv"`));
    const rows = parse(response.body, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!)).toEqual(['person_id', 'email', 'email_status', 'first_name', 'last_name', 'phone', 'postcode', 'constituency_code', 'region_code', 'country', 'created_at', 'tags']);
    expect(rows).toHaveLength(23);
    expect(rows.map((r) => r.email)).toContain('person63@example.org');
    expect(rows.find((r) => r.email === 'person3@example.org')).toMatchObject({ first_name: 'Person3', postcode: 'SW1A 1AA', region_code: 'E12000007', tags: 'volunteer' });
    const audit = await t.ctx.db.selectFrom('audit_log').select(['actor_id', 'after']).where('action', '=', 'segment.export').where('subject_id', '=', String(id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: adminId, after: { rows: 23, complete: true } });

    // The same conditions as group A's segment: group A's people only.
    const groupSaved = await saveSegment(admin, { name: 'Group A volunteers to export', group: String(group.A!), query: volunteers() });
    const groupId = Number(/\d+/.exec(groupSaved.headers.location as string)![0]);
    const organiserRows = parse((await organiser.get(`/admin/segments/${groupId}/export.csv`)).body, { columns: true }) as Array<Record<string, string>>;
    expect(organiserRows).toHaveLength(20);
    expect(organiserRows.map((r) => r.email)).not.toContain('person63@example.org');
  });

  it('reads the segment in batches and writes formulas as text', async () => {
    const segment = await getSegment(t.ctx.db, (await t.ctx.db.selectFrom('segments').select('id').where('name', '=', 'Everyone').executeTakeFirstOrThrow()).id, 'all');
    const viewer = { id: adminId, name: 'Admin', email: 'admin@example.org', role: 'admin' as const };
    let text = '';
    for await (const chunk of exportSegmentCsv(t.ctx.db, segment, 'all', viewer, { batchSize: 7 })) text += String(chunk);
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(63);
    expect(new Set(rows.map((r) => r.person_id)).size).toBe(63);
    expect(rows[0]!.first_name).toBe(`'=HYPERLINK("http://evil")`);
    expect(safeCell('+44 20')).toBe("'+44 20");
    expect(safeCell('Ada')).toBe('Ada');
  });
});
