import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { addPostcode, makeAdminViewer, makeGroup, makeKey, osdiClient, type OsdiClient, type OsdiResponse } from './test-support.ts';

/** What Action Network clients send to the person signup helper: each is kept, or refused naming the field — never a 201 that dropped it. */

let t: TestApp;
let writeA: OsdiClient;

const API = 'http://chorus.test/api/v1';

beforeAll(async () => {
  t = await createTestApp();
  const admin = await makeAdminViewer(t);
  const groupA = await makeGroup(t, 'Input Group');
  writeA = osdiClient(t, await makeKey(t, admin, { groupId: groupA, scope: 'write', perSecond: 1000 }));
  await addPostcode(t, 'SW1A 1AA', { code: 'E14001172', name: 'Cities of London and Westminster' });
});
afterAll(() => t.close());

const embedded = (r: OsdiResponse, rel: string) => (r.body._embedded as Record<string, Array<Record<string, unknown>>>)[rel]!;
const selfOf = (r: Record<string, unknown>) => (r._links as Record<string, { href: string }>).self!.href;
const fields = (r: OsdiResponse) => (r.body.errors ?? []).map((e) => e.field);

async function namesOf(url: string, rel: string, nameRel: string): Promise<string[]> {
  const members = embedded(await writeA.get(url), rel);
  const names: string[] = [];
  for (const m of members) names.push((await writeA.get((m._links as Record<string, { href: string }>)[nameRel]!.href)).body.name as string);
  return names.sort();
}

describe('the person signup helper takes what Action Network clients send', () => {
  it('takes null names, a phone number sent as a JSON number and a bouncing status', async () => {
    const res = await writeA.post(`${API}/people`, {
      person: { given_name: null, family_name: null, email_addresses: [{ address: 'nulls@example.org', status: 'bouncing' }], phone_numbers: [{ number: 447700900123 }] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ given_name: null, family_name: null, phone_numbers: [{ number: '447700900123', primary: true }] });
    // Null leaves a known name as it is.
    await writeA.post(`${API}/people`, { person: { given_name: 'Nora', email_addresses: [{ address: 'nulls@example.org' }] } });
    const again = await writeA.post(`${API}/people`, { person: { given_name: null, email_addresses: [{ address: 'nulls@example.org' }] } });
    expect(again.body.given_name).toBe('Nora');
  });

  it('cannot store a person with a phone number but no email address, and says why', async () => {
    for (const person of [{ phone_numbers: [{ number: '07700 900123' }] }, { email_addresses: [], phone_numbers: [{ number: '07700 900123' }] }]) {
      const res = await writeA.post(`${API}/people`, { person });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ field: 'person.email_addresses', message: expect.stringContaining('Chorus keeps people by email address') }]);
    }
  });

  it('adds the tags and lists named, and those given by their API URLs', async () => {
    const first = await writeA.post(`${API}/people`, { person: { email_addresses: [{ address: 'lists@example.org' }] }, add_tags: ['Steward'], add_lists: ['Phone bank'] });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const lists = embedded(await writeA.get(`${API}/lists`), 'osdi:lists');
    const phoneBank = lists.find((l) => l.name === 'Phone bank')!;
    expect(phoneBank.total_items).toBe(1);
    const tags = embedded(await writeA.get(`${API}/tags`), 'osdi:tags');
    const steward = tags.find((l) => l.name === 'Steward')!;

    const second = await writeA.post(`${API}/people`, {
      person: { email_addresses: [{ address: 'uris@example.org' }] },
      add_tags_uri: [selfOf(steward)],
      add_lists_uri: [selfOf(phoneBank)],
    });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const taggings = (second.body._links as Record<string, { href: string }>)['osdi:taggings']!.href;
    expect(await namesOf(taggings, 'osdi:taggings', 'osdi:tag')).toEqual(['Steward']);
    expect(embedded(await writeA.get(`${API}/lists`), 'osdi:lists').find((l) => l.name === 'Phone bank')!.total_items).toBe(2);

    const unknown = await writeA.post(`${API}/people`, {
      person: { email_addresses: [{ address: 'uris2@example.org' }] },
      add_tags_uri: [`${API}/tags/999999`, 'https://actionnetwork.org/api/v2/tags/abc'],
    });
    expect(unknown.status).toBe(422);
    expect(fields(unknown)).toEqual(['add_tags_uri.0', 'add_tags_uri.1']);
    expect((await writeA.get(`${API}/people?filter=${encodeURIComponent("email_address eq 'uris2@example.org'")}`)).body.total_records).toBe(0);
  });

  it('refuses what it has nowhere to keep, naming the field, and keeps nothing of that person', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ person: { email_addresses: [{ address: 'x1@example.org' }], postal_addresses: [{ postal_code: 'SW1A 1AA', locality: 'London' }] } }, 'person.postal_addresses.0.locality'],
      [{ person: { email_addresses: [{ address: 'x2@example.org' }], postal_addresses: [{ region: 'Greater London' }] } }, 'person.postal_addresses.0.region'],
      [{ person: { email_addresses: [{ address: 'x3@example.org' }], postal_addresses: [{ address_lines: ['1 Main St'] }] } }, 'person.postal_addresses.0.address_lines'],
      [{ person: { email_addresses: [{ address: 'x4@example.org' }], custom_fields: { shoe_size: '9' } } }, 'person.custom_fields.shoe_size'],
      [{ person: { email_addresses: [{ address: 'x5@example.org' }] }, triggers: { autoresponse: { enabled: true } } }, 'triggers.autoresponse'],
      [{ person: { email_addresses: [{ address: 'x6@example.org' }] }, triggers: { sms: {} } }, 'triggers'],
    ];
    for (const [body, field] of cases) {
      const res = await writeA.post(`${API}/people`, body);
      expect(res.status, field).toBe(422);
      expect(fields(res), field).toEqual([field]);
    }
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const found = await writeA.get(`${API}/people?filter=${encodeURIComponent(`email_address eq 'x${n}@example.org'`)}`);
      expect(found.body.total_records).toBe(0);
    }
  });

  it('takes back what it serves: empty address lines, the constituency custom fields and autoresponse off', async () => {
    const res = await writeA.post(`${API}/people`, {
      person: {
        email_addresses: [{ address: 'roundtrip@example.org' }],
        postal_addresses: [{ postal_code: 'SW1A 1AA', country: 'GB', locality: null, address_lines: [] }],
        custom_fields: { constituency: 'Cities of London and Westminster', constituency_code: 'E14001172' },
      },
      triggers: { autoresponse: { enabled: false } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.custom_fields).toEqual({ constituency: 'Cities of London and Westminster', constituency_code: 'E14001172' });
  });
});
