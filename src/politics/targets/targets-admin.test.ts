import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { createPetition, places, seedPlaces } from '../../../test/support/public-petitions.ts';
import { makeEvent } from '../../events/test-support.ts';
import { insertGroup } from '../../petitions/admin/test-support.ts';
import { upsertCandidates } from './import-candidates.ts';

let t: TestApp;
let ours: number;
let theirs: number;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  // 2024 results for the three test seats: Northtown 1%, Southvale 3%, Westbury 20%.
  for (const [p, majority, first, second] of [[places.north, 400, 'Lab', 'Con'], [places.south, 1200, 'Con', 'LD'], [places.west, 8000, 'Lab', 'RUK']] as const) {
    await t.ctx.db.updateTable('constituencies').set({ majority, valid_votes: 40000, first_party: first, second_party: second, result: `${first} hold` }).where('code', '=', p.code).execute();
  }
  ours = await insertGroup(t.ctx.db, 'Northtown Save Our NHS');
  theirs = await insertGroup(t.ctx.db, 'Southvale Keep Our NHS Public');
});
afterAll(() => t.close());

const listForm = (overrides: Record<string, string | string[]> = {}) => ({ name: 'Election 2029: marginals', description: 'Seats won by under 5%', group: '', max_majority: '5', ...overrides });
const idFrom = (location: unknown) => Number(/\/admin\/targets\/(\d+)/.exec(String(location))![1]);
const seatNames = async (id: number) =>
  (await t.ctx.db.selectFrom('target_list_seats').select(['constituency_code', 'chosen']).where('list_id', '=', id).orderBy('constituency_code').execute()).map((r) => `${r.constituency_code} ${r.chosen}`);

describe('target lists for organisers', () => {
  it('an admin makes a coalition-wide list by rule: the seats under 5% are chosen and shown most marginal first, with the campaign’s figures', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    await agent.get('/admin/targets/new');
    const res = await agent.post('/admin/targets/new', listForm({ name: 'Coalition marginals' }));
    expect(res.statusCode).toBe(303);
    const id = idFrom(res.headers.location);
    expect(await seatNames(id)).toEqual([`${places.north.code} rule`, `${places.south.code} rule`]);
    const petition = await createPetition(t.ctx.db, { action: 'Save Southvale maternity unit' });
    await t.ctx.db.insertInto('petition_counts').values({ petition_id: petition.id, dimension: 'constituency', key: places.south.code, count: 42 }).execute();

    const page = await agent.get(`/admin/targets/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2024 majority under 5% of the vote.');
    expect(page.body.indexOf(places.north.name)).toBeLessThan(page.body.indexOf(places.south.name));
    expect(page.body).toContain('400 (1.0%)');
    const bySignatures = await agent.get(`/admin/targets/${id}?order=signatures`);
    expect(bySignatures.body.indexOf(places.south.name)).toBeLessThan(bySignatures.body.indexOf(places.north.name));
    expect(bySignatures.body).toContain('<td class="numeric">42</td>');

    // Added by hand, then a rule-chosen seat taken off: the next evaluation keeps both choices.
    await agent.post(`/admin/targets/${id}/seats`, { seat: 'westbury' });
    await agent.get(`/admin/targets/${id}`);
    await agent.post(`/admin/targets/${id}/seats/${places.north.code}/remove`, {});
    await agent.get(`/admin/targets/${id}/edit`);
    expect((await agent.post(`/admin/targets/${id}/edit`, listForm({ name: 'Coalition marginals', max_majority: '4' }))).statusCode).toBe(303);
    expect(await seatNames(id)).toEqual([`${places.north.code} excluded`, `${places.south.code} rule`, `${places.west.code} hand`]);

    await agent.get('/admin/targets/new');
    const again = await agent.post('/admin/targets/new', listForm({ name: 'coalition MARGINALS' }));
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('There is already a list with this name: choose another name');

    const audit = await agent.get('/admin/audit');
    expect(audit.body).toContain(`Added Westbury to the target list “Coalition marginals”`);
    expect(audit.body).toContain('Target list made');
  });

  it('an organiser cannot make a coalition-wide list: the form says so beside the field and keeps what they typed', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
    await agent.get('/admin/targets/new');
    const res = await agent.post('/admin/targets/new', listForm({ name: 'Our own idea', group: '', max_majority: 'lots', winning: ['Lab', 'Nonsense'] }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('class="error-summary');
    expect(res.body).toContain('Enter the majority as a percentage, like 5 or 2.5');
    expect(res.body).toContain('Choose winning parties from the list');
    expect(res.body).toContain('value="Our own idea"');
    expect(res.body).toContain('value="lots"');
    const coalition = await agent.post('/admin/targets/new', listForm({ name: 'Our own idea', group: '' }));
    expect(coalition.statusCode).toBe(422);
    expect(coalition.body).toContain('Only coalition admins make coalition-wide lists: choose one of your groups');
    const noGroup = await agent.post('/admin/targets/new', listForm({ name: 'Our own idea', group: '987654' }));
    expect(noGroup.statusCode).toBe(422);
    expect(noGroup.body).toContain('Choose groups from the list');
    expect(await t.ctx.db.selectFrom('target_lists').select('id').where('name', '=', 'Our own idea').execute()).toEqual([]);
  });

  it('another group’s organiser cannot see or change a group’s list: every POST is refused and nothing changes', async () => {
    const { agent: owner } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
    await owner.get('/admin/targets/new');
    const made = await owner.post('/admin/targets/new', listForm({ name: 'Northtown targets', group: String(ours), max_majority: '', regions: places.north.region }));
    expect(made.statusCode).toBe(303);
    const id = idFrom(made.headers.location);
    await owner.get(`/admin/targets/${id}`);
    expect((await owner.post(`/admin/targets/${id}/politicians`, { politician_name: 'Ada North', politician_role: 'minister', politician_role_title: 'Minister for Care', politician_seat: places.north.name })).statusCode).toBe(303);
    const snapshot = async () => ({
      list: await t.ctx.db.selectFrom('target_lists').selectAll().where('id', '=', id).execute(),
      seats: await seatNames(id),
      politicians: await t.ctx.db.selectFrom('target_politicians').selectAll().where('list_id', '=', id).execute(),
    });
    const before = await snapshot();
    const politicianId = before.politicians[0]!.id;

    const { agent: other } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [theirs] });
    await other.get('/admin/targets');
    const list = await other.get('/admin/targets');
    expect(list.body).not.toContain('Northtown targets');
    expect((await other.get(`/admin/targets/${id}`)).statusCode).toBe(404);
    const tries = [
      [`/admin/targets/${id}/edit`, listForm({ name: 'Taken over', group: String(theirs) })],
      [`/admin/targets/${id}/seats`, { seat: places.south.name }],
      [`/admin/targets/${id}/seats/${places.north.code}/remove`, {}],
      [`/admin/targets/${id}/politicians`, { politician_name: 'Someone', politician_role: 'other' }],
      [`/admin/targets/${id}/politicians/${politicianId}/remove`, {}],
      [`/admin/targets/${id}/delete`, {}],
    ] as const;
    for (const [url, fields] of tries) {
      const res = await other.post(url, fields);
      expect([403, 404], url).toContain(res.statusCode);
    }
    // A moderator may look but not change.
    const { agent: moderator } = await signedInAgent(t.app, t.ctx, { role: 'moderator' });
    expect((await moderator.get(`/admin/targets/${id}`)).statusCode).toBe(200);
    expect((await moderator.post(`/admin/targets/${id}/delete`, {})).statusCode).toBe(403);
    // Without the CSRF token even the owner is refused.
    expect((await owner.post(`/admin/targets/${id}/delete`, {}, { csrf: false })).statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the per-seat page', () => {
  it('shows the MP and party, the 2024 majority and share, the lists it is on, the candidates beside the sitting MP, and the campaign’s figures there', async () => {
    const group = await insertGroup(t.ctx.db, 'Southvale Health Campaign');
    await makeEvent(t, [group], { title: 'Hustings: Southvale', postcode: places.south.postcode, type: 'hustings' });
    await t.ctx.db.insertInto('people').values([{ email: 'one@example.org', constituency_code: places.south.code }, { email: 'two@example.org', constituency_code: places.south.code }]).execute();
    await upsertCandidates(t.ctx.db, [
      { ballotPaperId: 'parl.southvale.2029-05-03', personId: '1', electionId: 'parl.2029-05-03', electionDate: '2029-05-03', personName: places.south.mp, partyName: 'Independent', partyId: null, postLabel: 'Southvale', constituencyCode: places.south.code, elected: null, cancelledPoll: false },
      { ballotPaperId: 'parl.southvale.2029-05-03', personId: '2', electionId: 'parl.2029-05-03', electionDate: '2029-05-03', personName: 'Dee Challenger', partyName: 'Green Party', partyId: null, postLabel: 'Southvale', constituencyCode: places.south.code, elected: null, cancelledPoll: false },
    ]);
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [theirs] });
    const page = await agent.get(`/admin/seats/${places.south.code}`);
    expect(page.statusCode).toBe(200);
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain(`MP ${places.south.mp} (Independent)`);
    expect(text).toContain('1,200 votes (3.0% of the valid votes): the 2nd most marginal seat of 3');
    expect(text).toContain('Coalition marginals (coalition-wide)');
    expect(text).not.toContain('Northtown targets');
    expect(text).toContain(`${places.south.mp}, Independent (the sitting MP)`);
    expect(text).toContain('Dee Challenger, Green Party');
    expect(text).toContain('Signatures 42');
    expect(text).toMatch(/Save Southvale maternity unit ?: 42/);
    expect(text).toContain('Supporters 2, of whom 0 agreed to hear from us');
    expect(text).toMatch(/Events 1, 1 still to come, 0 bookings/);
    expect((await agent.get('/admin/seats/E99999999')).statusCode).toBe(404);
    expect((await agent.get('/admin/seats/not-a-code')).statusCode).toBe(404);
  });
});

describe('the target forms under any input', () => {
  const anyValue = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constantFrom('', ' ', '0', '-1', '5', '2.5', '100', '101', '5%', '1e3', '\u0000', '<script>', 'Lab', 'Con', 'E12000007', places.north.code, 'Westbury', 'minister', 'other', String(ours)));
  const fields = ['name', 'description', 'group', 'max_majority', 'winning', 'second', 'regions', 'seat', 'politician_name', 'politician_role', 'politician_role_title', 'politician_party', 'politician_seat'] as const;
  const formArb = fc.dictionary(fc.constantFrom(...fields), fc.oneof(anyValue, fc.array(anyValue, { maxLength: 3 })), { maxKeys: 7 });

  it('answers every form POST with a redirect or a 4xx, never a 5xx', { timeout: 120_000 }, async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ours] });
    await agent.get('/admin/targets/new');
    const made = await agent.post('/admin/targets/new', listForm({ name: 'Fuzzed list', group: String(ours) }));
    const id = idFrom(made.headers.location);
    const urls = ['/admin/targets/new', `/admin/targets/${id}/edit`, `/admin/targets/${id}/seats`, `/admin/targets/${id}/politicians`];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...urls), formArb, async (url, form) => {
        await agent.get(`/admin/targets/${id}`);
        const res = await agent.post(url, form as Record<string, string | string[]>);
        expect(res.statusCode, `${url} ${JSON.stringify(form)}`).toBeLessThan(500);
        expect([303, 400, 403, 404, 422], `${url} ${JSON.stringify(form)}`).toContain(res.statusCode);
      }),
      { numRuns: 150 },
    );
  });

  it('answers the list and seat pages under any query string or seat code with a page or a 4xx, never a 5xx', { timeout: 60_000 }, async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const [list] = await t.ctx.db.selectFrom('target_lists').select('id').limit(1).execute();
    const queryValue = fc.oneof(anyValue, fc.constantFrom('marginality', 'signatures', 'supporters', 'events', '99999999999999999999', '-1', 'NaN', '__proto__'));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('order', 'page', 'notice', '__proto__', 'constructor'), fc.oneof(queryValue, fc.array(queryValue, { maxLength: 2 })), { maxKeys: 4 }), fc.string({ maxLength: 20 }), async (query, code) => {
        const search = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString();
        const page = await agent.get(`/admin/targets/${list!.id}?${search}`);
        // A page, or a 4xx for input no one could mean (the platform answers 422 to a NUL anywhere).
        expect([200, 400, 422], search).toContain(page.statusCode);
        const seat = await agent.get(`/admin/seats/${encodeURIComponent(code)}`);
        expect([200, 400, 404, 422], code).toContain(seat.statusCode);
      }),
      { numRuns: 80 },
    );
  });
});
