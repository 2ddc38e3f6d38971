import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { SmtpSink } from '../../test/support/smtp.ts';
import { makeAdminViewer, makeGroup, makeKey, osdiClient, type OsdiClient } from '../api/test-support.ts';
import { purposeFor } from './consent.ts';
import { ensurePurpose } from './consent-purposes.ts';
import { getImport } from './imports/import-store.ts';
import { connectToGroups, upsertPerson } from './people.ts';
import { addPostcode, pathIn } from './test-support.ts';

// Group B holds a supporter; group A's organiser knows (or guesses) their email address.
let t: TestApp;
let smtp: SmtpSink;
let groupA = 0;
let groupB = 0;
let writeA: OsdiClient;
let readB: OsdiClient;
let organiserA: Agent;
const API = 'http://chorus.test/api/v1';
const WORDING = 'Yes, send me news of Group A.';

async function bSupporter(email: string) {
  const person = await upsertPerson(t.ctx.db, {
    email,
    givenName: 'Bea',
    familyName: 'Secret',
    phone: '020 7946 0001',
    postcode: 'SW1A 1AA',
    constituencyCode: 'E14001172',
    regionCode: 'E12000007',
    countryCode: 'GB',
  });
  await connectToGroups(t.ctx.db, person.id, [groupB]);
  const purpose = await ensurePurpose(t.ctx.db, { id: groupB, name: 'Group B' });
  await t.ctx.db.insertInto('consents').values({ person_id: person.id, purpose_id: purpose, status: 'given', method: 'form:group-subscribe', given_at: new Date() }).execute();
  return person;
}

/** What group B holds about the person: the record's facts and the consents. */
async function heldByB(personId: number) {
  const person = await t.ctx.db.selectFrom('people').select(['given_name', 'family_name', 'phone', 'postcode', 'constituency_code']).where('id', '=', personId).executeTakeFirstOrThrow();
  const consents = (await sql<{ key: string; status: string }>`
    select p.key, c.status from consents c join consent_purposes p on p.id = c.purpose_id where c.person_id = ${personId} order by p.key`.execute(t.ctx.db)).rows;
  return { person, consents };
}

const leaks = (body: unknown) => {
  const text = JSON.stringify(body);
  return ['Bea', 'Secret', '7946 0001', 'SW1A', 'E14001172', 'Cities of London'].filter((s) => text.includes(s));
};

beforeAll(async () => {
  smtp = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: smtp.url } });
  const admin = await makeAdminViewer(t);
  groupA = await makeGroup(t, 'Group A');
  groupB = await makeGroup(t, 'Group B');
  await addPostcode(t.ctx.db, 'SW1A 1AA', { code: 'E14001172', name: 'Cities of London and Westminster', regionCode: 'E12000007' });
  await addPostcode(t.ctx.db, 'EC1A 1BB', { code: 'E14000553', name: 'Islington South and Finsbury', regionCode: 'E12000007' });
  writeA = osdiClient(t, await makeKey(t, admin, { groupId: groupA, scope: 'write', perSecond: 1000 }));
  readB = osdiClient(t, await makeKey(t, admin, { groupId: groupB, scope: 'read', perSecond: 1000 }));
  organiserA = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupA] })).agent;
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

describe('group A cannot take over group B’s supporter', () => {
  it('cannot read or change them through the API’s person signup helper', async () => {
    const bea = await bSupporter('bea@example.org');
    const before = await heldByB(bea.id);
    const bView = await readB.get(`${API}/people/${bea.publicId}`);

    const res = await writeA.post(`${API}/people`, {
      person: { given_name: 'Mallory', email_addresses: [{ address: 'Bea@Example.org', status: 'subscribed' }], postal_addresses: [{ postal_code: 'EC1A 1BB' }], phone_numbers: [{ number: '020 7000 0000' }] },
    });
    // As if the address were new to the coalition: 201, and only what A sent.
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(leaks(res.body)).toEqual([]);
    expect(res.body).toMatchObject({ given_name: 'Mallory', family_name: null, postal_addresses: [{ postal_code: 'EC1A 1BB', primary: true }] });

    // A's listing and the person shown to A: still only what A sent.
    const listed = await writeA.get(`${API}/people`);
    expect(leaks(listed.body)).toEqual([]);
    expect(JSON.stringify(listed.body)).toContain('Mallory');
    const one = await writeA.get(`${API}/people/${bea.publicId}`);
    expect(one.status).toBe(200);
    expect(leaks(one.body)).toEqual([]);
    const filtered = await writeA.get(`${API}/people?filter=${encodeURIComponent("given_name eq 'Bea'")}`);
    expect(filtered.body.total_records).toBe(0);

    // Nothing B holds changed: the record, B's view, B's consent; A has its own connection and consent.
    const after = await heldByB(bea.id);
    expect(after.person).toEqual(before.person);
    expect(after.consents).toEqual([...before.consents, { key: `group.${groupA}.updates`, status: 'given' }].sort((x, y) => x.key.localeCompare(y.key)));
    const bViewAfter = await readB.get(`${API}/people/${bea.publicId}`);
    expect(bViewAfter.body.given_name).toBe('Bea');
    expect(bViewAfter.body.phone_numbers).toEqual(bView.body.phone_numbers);
    expect(bViewAfter.body.postal_addresses).toEqual(bView.body.postal_addresses);
    const groups = await t.ctx.db.selectFrom('person_groups').select('group_id').where('person_id', '=', bea.id).orderBy('group_id').execute();
    expect(groups.map((g) => g.group_id)).toEqual([groupA, groupB].sort((x, y) => x - y));

    // A second call by A is an update of A's own view (200), still without B's facts.
    const again = await writeA.post(`${API}/people`, { person: { email_addresses: [{ address: 'bea@example.org' }] } });
    expect(again.status).toBe(200);
    expect(leaks(again.body)).toEqual([]);
    expect(again.body.given_name).toBe('Mallory');
  });

  it('cannot read them on the people pages or change them by editing, once the key connected them', async () => {
    const eve = await bSupporter('eve.b@example.org');
    const before = await heldByB(eve.id);
    await writeA.post(`${API}/people`, { person: { given_name: 'Mallory', email_addresses: [{ address: 'eve.b@example.org' }] } });
    const page = await organiserA.get(`/admin/people/${eve.publicId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Mallory');
    expect(leaks(page.body)).toEqual([]);
    const search = await organiserA.get('/admin/people?q=eve.b');
    expect(search.body).toContain(eve.publicId);
    expect(leaks(search.body)).toEqual([]);
    expect((await organiserA.get('/admin/people?q=Bea')).body).not.toContain(eve.publicId);
    expect((await organiserA.get('/admin/people?q=SW1A1AA')).body).not.toContain(eve.publicId);

    await organiserA.get(`/admin/people/${eve.publicId}/edit`);
    const edit = await organiserA.post(`/admin/people/${eve.publicId}/edit`, { email: 'eve.b@example.org', given_name: 'Mallory', family_name: 'Took', phone: '020 7000 0009', postcode: 'EC1A 1BB' });
    // A's edit is A's own view of them; the record B sees is untouched.
    expect(edit.statusCode).toBe(303);
    expect((await heldByB(eve.id)).person).toEqual(before.person);
    const shown = await organiserA.get(`/admin/people/${eve.publicId}`);
    expect(shown.body).toContain('Took');
    expect(leaks(shown.body)).toEqual([]);
    expect((await readB.get(`${API}/people/${eve.publicId}`)).body).toMatchObject({ given_name: 'Bea', family_name: 'Secret' });
    const moved = await organiserA.post(`/admin/people/${eve.publicId}/edit`, { email: 'mallory@example.org', given_name: 'Mallory', family_name: 'Took', phone: '', postcode: '' });
    expect(moved.statusCode).toBe(422);
    expect(moved.body).toContain('href="#field-email"');
    expect((await t.ctx.db.selectFrom('people').select('email').where('id', '=', eve.id).executeTakeFirstOrThrow()).email).toBe('eve.b@example.org');
  });

  it('cannot change the record of a supporter both groups know by editing: A’s edit stays A’s view, an admin’s changes the record', async () => {
    const fay = await bSupporter('fay@example.org');
    await connectToGroups(t.ctx.db, fay.id, [groupA]); // Fay gave her details to A as well: A sees her record
    const before = await heldByB(fay.id);
    const page = await organiserA.get(`/admin/people/${fay.publicId}`);
    expect(page.body).toContain('Secret');
    await organiserA.get(`/admin/people/${fay.publicId}/edit`);
    const edit = await organiserA.post(`/admin/people/${fay.publicId}/edit`, { email: 'fay@example.org', given_name: 'Renamed', family_name: 'ByA', phone: '', postcode: 'EC1A 1BB' });
    expect(edit.statusCode).toBe(303);
    expect((await heldByB(fay.id)).person).toEqual(before.person);
    expect((await readB.get(`${API}/people/${fay.publicId}`)).body).toMatchObject({ given_name: 'Bea', family_name: 'Secret', postal_addresses: [{ postal_code: 'SW1A 1AA' }] });
    expect((await writeA.get(`${API}/people/${fay.publicId}`)).body).toMatchObject({ given_name: 'Renamed', family_name: 'ByA', postal_addresses: [{ postal_code: 'EC1A 1BB' }] });

    const admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
    await admin.get(`/admin/people/${fay.publicId}/edit`);
    const byAdmin = await admin.post(`/admin/people/${fay.publicId}/edit`, { email: 'fay@example.org', given_name: 'Fay', family_name: 'Fixed', phone: '', postcode: 'SW1A 1AA' });
    expect(byAdmin.statusCode).toBe(303);
    expect((await heldByB(fay.id)).person).toMatchObject({ given_name: 'Fay', family_name: 'Fixed' });
    expect((await readB.get(`${API}/people/${fay.publicId}`)).body).toMatchObject({ given_name: 'Fay', family_name: 'Fixed' });
  });

  it('cannot read or change them through a people import, dry run included', async () => {
    const cat = await bSupporter('cat.b@example.org');
    const before = await heldByB(cat.id);
    await organiserA.get('/admin/people-imports');
    const csv = 'email,first_name,last_name,zip_code,phone\ncat.b@example.org,Mallory,Imported,EC1A 1BB,020 7000 0000\nnew.person@example.org,New,Person,,\n';
    const uploaded = await organiserA.postMultipart('/admin/people-imports', { group: String(groupA), wording: WORDING }, { file: { filename: 'a.csv', type: 'text/csv', data: Buffer.from(csv) } });
    expect(uploaded.statusCode).toBe(303);
    const page = uploaded.headers.location as string;
    await organiserA.get(page);
    const checked = await organiserA.post(`${page}/mapping`, { email: '0', givenName: '1', familyName: '2', postcode: '3', phone: '4' });
    expect(checked.statusCode).toBe(303);
    const report = (await getImport(t.ctx.db, page.split('/').pop()!))!.report!;
    // B's supporter counts as new to A: the dry run does not say the address is known elsewhere.
    expect(report).toMatchObject({ wouldCreate: 2, wouldUpdate: 0 });
    const shown = await organiserA.get(page);
    expect(leaks(shown.body)).toEqual([]);

    await organiserA.get(page);
    expect((await organiserA.post(`${page}/run`, {})).statusCode).toBe(303);
    await t.runJobs();
    const done = (await getImport(t.ctx.db, page.split('/').pop()!))!;
    expect(done.counts).toMatchObject({ imported: 2, created: 2, updated: 0 });
    const finished = await organiserA.get(page);
    expect(leaks(finished.body)).toEqual([]);

    expect((await heldByB(cat.id)).person).toEqual(before.person);
    const asA = await writeA.get(`${API}/people/${cat.publicId}`);
    expect(leaks(asA.body)).toEqual([]);
    expect(asA.body).toMatchObject({ given_name: 'Mallory', family_name: 'Imported' });
    expect((await readB.get(`${API}/people/${cat.publicId}`)).body.given_name).toBe('Bea');
  });

  it('leaves the person’s own later sign-up to change their details for the group they give them to', async () => {
    const dee = await bSupporter('dee@example.org');
    await writeA.post(`${API}/people`, { person: { given_name: 'Mallory', email_addresses: [{ address: 'dee@example.org' }] } });
    const slug = (await t.ctx.db.selectFrom('groups').select('slug').where('id', '=', groupA).executeTakeFirstOrThrow()).slug;
    const agent = new Agent(t.app);
    const form = await agent.get(`/groups/${slug}/subscribe`);
    const wording = /name="wording_group" value="(\d+)"/.exec(form.body)![1]!;
    await agent.post(`/groups/${slug}/subscribe`, { name: 'Dee Own', email: 'dee@example.org', postcode: 'EC1A 1BB', consent_group: 'yes', wording_group: wording }, { csrf: false });
    await t.runJobs();
    const mail = await smtp.waitFor((m) => m.to.includes('dee@example.org'));
    const confirmed = await new Agent(t.app).post(pathIn(mail, '/subscribe/confirm/'), {}, { csrf: false });
    expect(confirmed.statusCode).toBe(200);
    // The person changed their own record: A now sees it (no longer only what its key sent), and so does B.
    const asA = await writeA.get(`${API}/people/${dee.publicId}`);
    expect(asA.body).toMatchObject({ given_name: 'Dee', family_name: 'Own', postal_addresses: [{ postal_code: 'EC1A 1BB', primary: true }] });
    expect((await readB.get(`${API}/people/${dee.publicId}`)).body).toMatchObject({ given_name: 'Dee', family_name: 'Own' });
    const consent = (await heldByB(dee.id)).consents.find((c) => c.key === `group.${groupA}.updates`);
    expect(consent?.status).toBe('given');
  });

  it('learns nothing of what B holds through A’s segment counts and exports, tag pages and mailings', async () => {
    const gil = await bSupporter('gil@example.org');
    await t.ctx.db.updateTable('people').set({ email_status: 'verified' }).where('id', '=', gil.id).execute();
    const told = await writeA.post(`${API}/people`, {
      person: { given_name: 'Mallory', family_name: 'Told', email_addresses: [{ address: 'gil@example.org', status: 'subscribed' }], postal_addresses: [{ postal_code: 'EC1A 1BB' }] },
    });
    expect(told.status).toBe(201);
    const admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;

    // Counting on B's seat finds nobody of A's: what A was told puts Gil in Islington.
    const onBSeat = 'match=all&c0.kind=constituency&c0.codes=E14001172';
    expect((await organiserA.get(`/admin/segments/count?${onBSeat}`)).json().count).toBe(0);
    expect((await admin.get(`/admin/segments/count?${onBSeat}`)).json().count).toBeGreaterThan(0);
    const onASeat = 'match=all&c0.kind=constituency&c0.codes=E14000553';
    await organiserA.get('/admin/segments/new');
    const saved = await organiserA.post('/admin/segments', { name: 'Islington', group: String(groupA), query: onASeat });
    expect(saved.statusCode).toBe(303);
    const segmentId = /\/admin\/segments\/(\d+)/.exec(saved.headers.location as string)![1]!;
    const segmentPage = await organiserA.get(`/admin/segments/${segmentId}`);
    expect(segmentPage.body).toContain('Mallory');
    expect(leaks(segmentPage.body)).toEqual([]);
    const csv = await organiserA.get(`/admin/segments/${segmentId}/export.csv`);
    expect(csv.statusCode).toBe(200);
    const gilRow = csv.body.split('\n').find((line) => line.startsWith(gil.publicId))!;
    expect(gilRow).toContain('gil@example.org,unverified,Mallory,Told,,EC1A 1BB,E14000553');
    // (Dee, in the file too, later gave A her details herself: A sees her record, phone included.)
    expect(leaks(gilRow)).toEqual([]);

    // A tag of A's: its member page and search show only what A was told.
    await organiserA.get('/admin/tags');
    const tag = await organiserA.post('/admin/tags', { name: 'Islington callers', description: '', group: String(groupA) });
    expect(tag.statusCode).toBe(303);
    const tagPage = (tag.headers.location as string).split('?')[0]!;
    await organiserA.get(tagPage);
    expect((await organiserA.post(`${tagPage}/members`, { person: gil.publicId })).statusCode).toBe(303);
    for (const page of [tagPage, `${tagPage}?q=gil@`]) {
      const body = (await organiserA.get(page)).body;
      expect(body, page).toContain('gil@example.org');
      expect(leaks(body), page).toEqual([]);
    }

    // A's mailing greets Gil by what A was told, in the preview and in the message itself.
    const purpose = (await purposeFor(t.ctx.db, { groupId: groupA })).id;
    await organiserA.get('/admin/mailings/new');
    const made = await organiserA.post('/admin/mailings', { purpose_id: String(purpose), segment_id: segmentId, subject: 'Islington news', body: 'Hello {{first_name}} in {{constituency|your area}}' });
    expect(made.statusCode).toBe(303);
    const mailing = /\/admin\/mailings\/(\d+)/.exec(made.headers.location as string)![1]!;
    const preview = await organiserA.get(`/admin/mailings/${mailing}/preview`);
    expect(preview.body).toContain('Hello Mallory in Islington South and Finsbury');
    expect(leaks(preview.body)).toEqual([]);
    await organiserA.get(`/admin/mailings/${mailing}/send`);
    const confirm = await organiserA.post(`/admin/mailings/${mailing}/send`, { when: 'now' });
    const count = /data-recipient-count="(\d+)"/.exec(confirm.body)![1]!;
    expect((await organiserA.post(`/admin/mailings/${mailing}/send`, { when: 'now', confirmed: count })).statusCode).toBe(303);
    await t.runJobs();
    const sent = await smtp.waitFor((m) => m.subject === 'Islington news' && m.to.includes('gil@example.org'));
    expect(sent.text).toContain('Hello Mallory in Islington South and Finsbury');
    expect(leaks(sent.text)).toEqual([]);

    // The person's own copy of everything held says what each group was told.
    const data = await admin.get(`/admin/people/${gil.publicId}/data.json`);
    const groups = JSON.parse(data.body).supporter.groups as Array<{ name: string; toldToThisGroup?: Record<string, string> }>;
    expect(groups.find((g) => g.name === 'Group A')?.toldToThisGroup).toMatchObject({ given_name: 'Mallory', family_name: 'Told', postcode: 'EC1A 1BB' });
    expect(groups.find((g) => g.name === 'Group B')?.toldToThisGroup).toBeUndefined();
  });
});
