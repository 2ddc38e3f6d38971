import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import type { Viewer } from '../platform/web/context.ts';
import { addPostcode, makeAdminViewer, makeGroup, makeKey, makePerson, osdiClient, type OsdiClient, type OsdiResponse } from './test-support.ts';

let t: TestApp;
let admin: Viewer;
let groupA: number;
let groupB: number;
let writeA: OsdiClient;
let readA: OsdiClient;
let writeB: OsdiClient;
let coalition: OsdiClient;

const API = 'http://chorus.test/api/v1';

beforeAll(async () => {
  t = await createTestApp();
  admin = await makeAdminViewer(t);
  groupA = await makeGroup(t, 'Save Our A&E');
  groupB = await makeGroup(t, 'Keep Our NHS Public');
  writeA = osdiClient(t, await makeKey(t, admin, { groupId: groupA, scope: 'write', perSecond: 1000 }));
  readA = osdiClient(t, await makeKey(t, admin, { groupId: groupA, scope: 'read', perSecond: 1000 }));
  writeB = osdiClient(t, await makeKey(t, admin, { groupId: groupB, scope: 'write', perSecond: 1000 }));
  coalition = osdiClient(t, await makeKey(t, admin, { groupId: null, scope: 'read', perSecond: 1000 }));
  await addPostcode(t, 'SW1A 1AA', { code: 'E14001172', name: 'Cities of London and Westminster' });
});
afterAll(() => t.close());

type Links = Record<string, { href: string } | Array<{ href: string }>>;
const links = (r: OsdiResponse | Record<string, unknown>) => ((('body' in r ? r.body : r) as { _links: Links })._links);
const href = (r: OsdiResponse | Record<string, unknown>, rel: string) => (links(r)[rel] as { href: string } | undefined)?.href;
const embedded = (r: OsdiResponse, rel: string) => (r.body._embedded as Record<string, Array<Record<string, unknown>>>)[rel]!;
const idOf = (resource: Record<string, unknown>) => (resource.identifiers as string[])[0]!;

describe('the API entry point', () => {
  it('describes the API and links to each resource with osdi: curies', async () => {
    const res = await readA.get(`${API}/`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/hal+json');
    expect(res.body).toMatchObject({ osdi_version: '1.2.0', max_pagesize: 25, vendor_name: 'Chorus', product_name: 'Chorus' });
    expect(typeof res.body.motd).toBe('string');
    expect(links(res).curies).toEqual([{ name: 'osdi', href: 'http://chorus.test/docs/v1/{rel}', templated: true }]);
    expect(href(res, 'self')).toBe(API);
    expect(href(res, 'osdi:people')).toBe(`${API}/people`);
    expect(href(res, 'osdi:tags')).toBe(`${API}/tags`);
    expect(href(res, 'osdi:lists')).toBe(`${API}/lists`);
    expect(href(res, 'osdi:petitions')).toBe(`${API}/petitions`);
    expect(href(res, 'osdi:person_signup_helper')).toBe(`${API}/people`);
    for (const rel of ['osdi:people', 'osdi:tags', 'osdi:lists', 'osdi:petitions']) {
      const followed = await readA.get(href(res, rel)!);
      expect(followed.status, rel).toBe(200);
      expect(followed.body.total_records, rel).toBeTypeOf('number');
    }
    // The curie resolves to human documentation.
    const docs = await t.app.inject({ method: 'GET', url: '/docs/v1/people' });
    expect(docs.statusCode).toBe(303);
    expect(docs.headers.location).toBe('/docs/v1#people');
    for (const [rel, section] of [['osdi:tag', 'tags'], ['osdi:list', 'lists'], ['osdi:person', 'people'], ['osdi:petition', 'petitions']]) {
      const one = await t.app.inject({ method: 'GET', url: `/docs/v1/${rel}` });
      expect(one.statusCode, rel).toBe(303);
      expect(one.headers.location).toBe(`/docs/v1#${section}`);
    }
    const page = await t.app.inject({ method: 'GET', url: '/docs/v1' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="person_signup_helper"');
  });
});

describe('the person signup helper', () => {
  it('creates a person, then the same email (in another form) updates that person and adds tags', async () => {
    const created = await writeA.post(`${API}/people`, {
      person: {
        given_name: 'Ada',
        family_name: 'Lovelace',
        email_addresses: [{ address: 'Ada.Lovelace@Example.org' }],
        postal_addresses: [{ postal_code: 'sw1a1aa', country: 'GB' }],
      },
      add_tags: ['Volunteer'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = idOf(created.body);
    expect(id).toMatch(/^chorus:[0-9a-f-]{36}$/);
    expect(created.body).toMatchObject({
      given_name: 'Ada',
      family_name: 'Lovelace',
      email_addresses: [{ address: 'Ada.Lovelace@Example.org', primary: true, status: 'unsubscribed' }],
      postal_addresses: [{ postal_code: 'SW1A 1AA', country: 'GB', primary: true }],
      custom_fields: { constituency: 'Cities of London and Westminster', constituency_code: 'E14001172' },
    });
    expect(created.body.created_date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(created.headers.location).toBe(href(created, 'self'));

    const again = await writeA.post(`${API}/people`, {
      person: { email_addresses: [{ address: 'ada.lovelace+campaigns@example.org' }], phone_numbers: [{ number: '020 7946 0000' }] },
      add_tags: ['Donor', 'volunteer'],
    });
    expect(again.status).toBe(200);
    expect(idOf(again.body)).toBe(id);
    // What the second call left out is kept.
    expect(again.body).toMatchObject({ given_name: 'Ada', family_name: 'Lovelace', phone_numbers: [{ number: '020 7946 0000', primary: true }] });
    const people = await t.ctx.db.selectFrom('people').select('id').where('canonical_email', '=', 'ada.lovelace@example.org').execute();
    expect(people).toHaveLength(1);

    // The tags exist once each (names match without case), and both tag the person.
    const taggings = await readA.get(href(again, 'osdi:taggings')!);
    expect(taggings.body.total_records).toBe(2);
    const tags = await readA.get(`${API}/tags`);
    const names = embedded(tags, 'osdi:tags').map((tag) => tag.name);
    expect(names.sort()).toEqual(['Donor', 'Volunteer']);
    const volunteer = embedded(tags, 'osdi:tags').find((tag) => tag.name === 'Volunteer')!;
    const tagged = await readA.get(href(volunteer, 'osdi:taggings')!);
    expect(tagged.body.total_records).toBe(1);
    const tagging = embedded(tagged, 'osdi:taggings')[0]!;
    expect(tagging.item_type).toBe('osdi:person');
    expect(href(tagging, 'osdi:person')).toBe(href(again, 'self'));
    expect(href(tagging, 'osdi:tag')).toBe(href(volunteer, 'self'));
    expect((await readA.get(href(tagging, 'self')!)).status).toBe(200);
    expect((await readA.get(href(volunteer, 'self')!)).body.name).toBe('Volunteer');
    // The person is now one of group A's, and not group B's.
    expect((await readA.get(href(again, 'self')!)).status).toBe(200);
    expect((await writeB.get(href(again, 'self')!)).status).toBe(404);
  });

  it('records a subscribed status as consent for the key’s group, and unsubscribed as its withdrawal', async () => {
    const subscribed = await writeA.post(`${API}/people`, { person: { given_name: 'Grace', email_addresses: [{ address: 'grace@example.org', status: 'subscribed' }] } });
    expect(subscribed.status).toBe(201);
    expect(subscribed.body.email_addresses).toEqual([{ address: 'grace@example.org', primary: true, status: 'subscribed' }]);
    const consent = await t.ctx.db
      .selectFrom('consents')
      .innerJoin('consent_purposes', 'consent_purposes.id', 'consents.purpose_id')
      .innerJoin('consent_wordings', 'consent_wordings.id', 'consents.wording_id')
      .select(['consents.status', 'consents.method', 'consent_purposes.key', 'consent_wordings.wording'])
      .executeTakeFirstOrThrow();
    expect(consent).toMatchObject({ status: 'given', key: `group.${groupA}.updates` });
    expect(consent.method).toMatch(/^api:/);
    expect(consent.wording).toContain('Given through the API');
    // Another group's key does not see it as subscribed to that group.
    await writeB.post(`${API}/people`, { person: { email_addresses: [{ address: 'grace@example.org' }] } });
    const asB = await writeB.get(href(subscribed, 'self')!);
    expect((asB.body.email_addresses as Array<{ status: string }>)[0]!.status).toBe('unsubscribed');

    const withdrawn = await writeA.post(`${API}/people`, { person: { email_addresses: [{ address: 'grace@example.org', status: 'unsubscribed' }] } });
    expect((withdrawn.body.email_addresses as Array<{ status: string }>)[0]!.status).toBe('unsubscribed');
    const events = await t.ctx.db.selectFrom('consent_events').select('event').orderBy('id').execute();
    expect(events.map((e) => e.event)).toEqual(['given', 'withdrawn']);
  });
});

describe('collections', () => {
  let groupC: number;
  let keyC: OsdiClient;
  const emails: string[] = [];

  beforeAll(async () => {
    groupC = await makeGroup(t, 'Paging Group');
    keyC = osdiClient(t, await makeKey(t, admin, { groupId: groupC, scope: 'read', perSecond: 1000 }));
    for (let i = 0; i < 60; i++) {
      const email = `pager${String(i).padStart(2, '0')}@example.org`;
      emails.push(email);
      await makePerson(t, email, [groupC], { given: `Pager${i}` });
    }
    // Ten of them last changed in 2025.
    await t.ctx.db.updateTable('people').set({ modified_at: new Date('2025-06-01T12:00:00Z') }).where('email', 'in', emails.slice(0, 10)).execute();
  });

  it('pages through every person by following _links.next, with the counts right', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${API}/people?per_page=25`;
    const pages: OsdiResponse[] = [];
    while (url) {
      const page = await keyC.get(url);
      expect(page.status).toBe(200);
      pages.push(page);
      seen.push(...embedded(page, 'osdi:people').map(idOf));
      url = href(page, 'next');
    }
    expect(pages).toHaveLength(3);
    expect(new Set(seen).size).toBe(60);
    expect(pages[0]!.body).toMatchObject({ total_records: 60, total_pages: 3, per_page: 25, page: 1 });
    expect(embedded(pages[2]!, 'osdi:people')).toHaveLength(10);
    expect(href(pages[0]!, 'prev')).toBeUndefined();
    expect(href(pages[2]!, 'prev')).toBe(`${API}/people?page=2&per_page=25`);
    // Action Network's clients follow `previous`; OSDI's spec names it `prev`: both are served.
    expect(href(pages[2]!, 'previous')).toBe(`${API}/people?page=2&per_page=25`);
    expect(href(pages[0]!, 'previous')).toBeUndefined();
    // The links list each embedded item.
    expect((links(pages[0]!)['osdi:people'] as Array<{ href: string }>).map((l) => l.href)).toEqual(embedded(pages[0]!, 'osdi:people').map((p) => href(p, 'self')));

    const capped = await keyC.get(`${API}/people?per_page=100`);
    expect(capped.body).toMatchObject({ per_page: 25, total_pages: 3 });
    expect(embedded(capped, 'osdi:people')).toHaveLength(25);
    const beyond = await keyC.get(`${API}/people?page=9`);
    expect(beyond.status).toBe(200);
    expect(embedded(beyond, 'osdi:people')).toEqual([]);
    const bad = await keyC.get(`${API}/people?per_page=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('per_page');
  });

  it('filters by modified date, by email address, and with and / or', async () => {
    const count = async (filter: string) => {
      const res = await keyC.get(`${API}/people?filter=${encodeURIComponent(filter)}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.total_records;
    };
    expect(await count("modified_date gt '2026-01-01'")).toBe(50);
    expect(await count("modified_date lt '2026-01-01'")).toBe(10);
    expect(await count("modified_date ge '2025-06-01T12:00:00Z' and modified_date le '2025-06-01T12:00:00Z'")).toBe(10);
    expect(await count("email_address eq 'PAGER07@example.org'")).toBe(1);
    expect(await count("email_address eq 'pager07@example.org' or email_address eq 'pager42@example.org'")).toBe(2);
    expect(await count("modified_date lt '2026-01-01' and (email_address eq 'pager03@example.org' or email_address eq 'pager42@example.org')")).toBe(1);
    // The filter is kept in the page links.
    const filtered = await keyC.get(`${API}/people?per_page=5&filter=${encodeURIComponent("modified_date gt '2026-01-01'")}`);
    const second = await keyC.get(href(filtered, 'next')!);
    expect(second.body).toMatchObject({ page: 2, per_page: 5, total_records: 50 });
  });

  it('refuses a filter it cannot read with a 400 saying why', async () => {
    const problems: Array<[string, string]> = [
      ['modified_date gt 2026-01-01', 'single quotes'],
      ["modified_date between '2026-01-01'", '“between” is not a supported operator'],
      ["shoe_size eq '9'", '“shoe_size” cannot be filtered on here'],
      ["modified_date gt '2026-02-31'", 'is not a date'],
      ["email_address gt 'a@example.org'", 'email_address can only be compared with eq or ne'],
      ["(modified_date gt '2026-01-01'", 'never closed'],
      ["modified_date gt '2026-01-01' email_address eq 'x@y.z'", 'join comparisons with and / or'],
      ["modified_date gt '2026", 'no closing quote'],
    ];
    for (const [filter, message] of problems) {
      const res = await keyC.get(`${API}/people?filter=${encodeURIComponent(filter)}`);
      expect(res.status, filter).toBe(400);
      expect(res.body.error, filter).toContain(message);
      expect(res.body.error, filter).toMatch(/^filter: /);
    }
  });
});

describe('lists and their items', () => {
  it('lists the key’s group lists with their people, and hides other groups’ lists', async () => {
    const member = await makePerson(t, 'listed@example.org', [groupA]);
    const outsider = await makePerson(t, 'outsider@example.org', [groupB]);
    const people = await t.ctx.db.selectFrom('people').select(['id', 'public_id']).where('public_id', 'in', [member, outsider]).execute();
    const list = await t.ctx.db.insertInto('lists').values({ name: 'Phone bank', description: 'Callers for Saturday', group_id: groupA }).returning('id').executeTakeFirstOrThrow();
    const other = await t.ctx.db.insertInto('lists').values({ name: 'B list', group_id: groupB }).returning('id').executeTakeFirstOrThrow();
    // The outsider is on group A's list too, but group A's key cannot see them.
    await t.ctx.db.insertInto('list_members').values(people.map((p) => ({ list_id: list.id, person_id: p.id }))).execute();

    const lists = await readA.get(`${API}/lists`);
    expect(embedded(lists, 'osdi:lists').map((l) => l.name)).toEqual(['Phone bank']);
    const phoneBank = embedded(lists, 'osdi:lists')[0]!;
    expect(phoneBank).toMatchObject({ description: 'Callers for Saturday', total_items: 1, identifiers: [`chorus:${list.id}`] });
    const items = await readA.get(href(phoneBank, 'osdi:items')!);
    expect(items.body.total_records).toBe(1);
    const item = embedded(items, 'osdi:items')[0]!;
    expect(href(item, 'osdi:person')).toBe(`${API}/people/${member}`);
    expect(href(item, 'osdi:list')).toBe(href(phoneBank, 'self'));
    expect((await readA.get(`${API}/lists/${list.id}/items/${outsider}`)).status).toBe(404);
    expect((await readA.get(`${API}/lists/${other.id}`)).status).toBe(404);
    expect((await coalition.get(`${API}/lists/${other.id}`)).status).toBe(200);
  });
});

describe('group scoping', () => {
  it('shows a group’s key only that group’s people; a coalition key sees everyone', async () => {
    const inA = await makePerson(t, 'only-a@example.org', [groupA]);
    const inB = await makePerson(t, 'only-b@example.org', [groupB]);
    const filter = `?filter=${encodeURIComponent("email_address eq 'only-a@example.org' or email_address eq 'only-b@example.org'")}`;
    const seenBy = async (client: OsdiClient) => embedded(await client.get(`${API}/people${filter}`), 'osdi:people').map(idOf);
    expect(await seenBy(readA)).toEqual([`chorus:${inA}`]);
    expect(await seenBy(writeB)).toEqual([`chorus:${inB}`]);
    expect((await seenBy(coalition)).sort()).toEqual([`chorus:${inA}`, `chorus:${inB}`].sort());
    expect((await writeB.get(`${API}/people/${inA}`)).status).toBe(404);
    expect((await readA.get(`${API}/people/${inA}`)).status).toBe(200);
  });
});
