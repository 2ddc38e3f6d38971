import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { confirmationToken } from '../petitions/confirmation-emails.ts';
import { confirmSignature } from '../petitions/confirm-signature.ts';
import type { Viewer } from '../platform/web/context.ts';
import { addPostcode, makeAdminViewer, makeGroup, makeKey, makePetition, osdiClient, type OsdiClient, type OsdiResponse } from './test-support.ts';

let t: TestApp;
let admin: Viewer;
let writeA: OsdiClient;
let readA: OsdiClient;
let keyB: OsdiClient;
let coalition: OsdiClient;
let petitionA: number;
let petitionB: number;
let closedA: number;
let shared: number;

const API = 'http://chorus.test/api/v1';

beforeAll(async () => {
  t = await createTestApp();
  admin = await makeAdminViewer(t);
  const groupA = await makeGroup(t, 'Save Our Maternity Unit');
  const groupB = await makeGroup(t, 'Defend Our GPs');
  writeA = osdiClient(t, await makeKey(t, admin, { groupId: groupA, scope: 'write', perSecond: 1000 }));
  readA = osdiClient(t, await makeKey(t, admin, { groupId: groupA, scope: 'read', perSecond: 1000 }));
  keyB = osdiClient(t, await makeKey(t, admin, { groupId: groupB, scope: 'write', perSecond: 1000 }));
  coalition = osdiClient(t, await makeKey(t, admin, { groupId: null, scope: 'read', perSecond: 1000 }));
  petitionA = await makePetition(t, { action: 'Keep the maternity unit open', groupIds: [groupA] });
  petitionB = await makePetition(t, { action: 'Fund more GPs', groupIds: [groupB] });
  closedA = await makePetition(t, { action: 'An old campaign', groupIds: [groupA], state: 'closed' });
  shared = await makePetition(t, { action: 'A joint petition', groupIds: [groupA, groupB] });
  await addPostcode(t, 'SW1A 1AA', { code: 'E14001172', name: 'Cities of London and Westminster' });
});
afterAll(() => t.close());

const embedded = (r: OsdiResponse, rel: string) => (r.body._embedded as Record<string, Array<Record<string, unknown>>>)[rel]!;
const href = (r: Record<string, unknown>, rel: string) => (r._links as Record<string, { href: string }>)[rel]?.href;
const idOf = (resource: Record<string, unknown>) => (resource.identifiers as string[])[0]!;

const signer = (email: string, extra: Record<string, unknown> = {}) => ({
  person: { given_name: 'Ada', family_name: 'Lovelace', email_addresses: [{ address: email }], postal_addresses: [{ postal_code: 'SW1A 1AA', country: 'GB' }], ...extra },
});

async function signaturesOf(petitionId: number, canonicalEmail: string) {
  return t.ctx.db.selectFrom('signatures').select(['public_id', 'state']).where('petition_id', '=', petitionId).where('canonical_email', '=', canonicalEmail).execute();
}

describe('petitions', () => {
  it('lists the petitions each key’s group runs, as OSDI petitions', async () => {
    const titles = async (client: OsdiClient) => embedded(await client.get(`${API}/petitions`), 'osdi:petitions').map((p) => p.title);
    expect(await titles(readA)).toEqual(['Keep the maternity unit open', 'An old campaign', 'A joint petition']);
    expect(await titles(keyB)).toEqual(['Fund more GPs', 'A joint petition']);
    expect(await titles(coalition)).toHaveLength(4);

    const one = await readA.get(`${API}/petitions/${petitionA}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      identifiers: [`chorus:${petitionA}`],
      title: 'Keep the maternity unit open',
      target: [{ name: 'The Secretary of State for Health' }],
      total_signatures: 0,
      'chorus:state': 'open',
    });
    expect(one.body.browser_url).toMatch(new RegExp(`^http://chorus.test/petitions/${petitionA}-`));
    expect(href(one.body, 'osdi:signatures')).toBe(`${API}/petitions/${petitionA}/signatures`);
    expect(href(one.body, 'osdi:record_signature_helper')).toBe(`${API}/petitions/${petitionA}/signatures`);
    expect((await readA.get(`${API}/petitions/${petitionB}`)).status).toBe(404);
    expect((await keyB.get(`${API}/petitions/${shared}`)).status).toBe(200);
    const recent = await readA.get(`${API}/petitions?filter=${encodeURIComponent("title eq 'An old campaign'")}`);
    expect(recent.body.total_records).toBe(1);
  });
});

describe('the record signature helper', () => {
  it('signs through the petition’s own rules: one signature per person, counted once confirmed by email', async () => {
    const created = await writeA.post(`${API}/petitions/${petitionA}/signatures`, signer('Ada@Example.org'));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body['chorus:status']).toBe('awaiting_confirmation');
    expect(created.body.person).toMatchObject({
      given_name: 'Ada',
      family_name: 'Lovelace',
      email_addresses: [{ address: 'Ada@Example.org', primary: true }],
      custom_fields: { constituency: 'Cities of London and Westminster' },
    });
    expect(href(created.body, 'osdi:petition')).toBe(`${API}/petitions/${petitionA}`);
    const stored = await signaturesOf(petitionA, 'ada@example.org');
    expect(stored).toEqual([{ public_id: idOf(created.body).replace('chorus:', ''), state: 'pending' }]);

    // The petition's confirmation email goes out, as for the public form.
    await t.runJobs();
    const mail = await t.ctx.db.selectFrom('outbound_emails').select(['to_address', 'subject']).where('to_address', '=', 'Ada@Example.org').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain('Keep the maternity unit open');

    // Unconfirmed signatures are not listed.
    expect((await readA.get(`${API}/petitions/${petitionA}/signatures`)).body.total_records).toBe(0);

    // Signing again (another spelling of the address) gives the same signature, not a second one.
    const again = await writeA.post(`${API}/petitions/${petitionA}/signatures`, signer('ada@example.org'));
    expect(again.status).toBe(200);
    expect(idOf(again.body)).toBe(idOf(created.body));
    expect(await signaturesOf(petitionA, 'ada@example.org')).toHaveLength(1);

    const publicId = stored[0]!.public_id;
    await confirmSignature(t.ctx.db, t.ctx.secret, publicId, confirmationToken(t.ctx.secret, publicId));
    const list = await readA.get(`${API}/petitions/${petitionA}/signatures`);
    expect(list.body.total_records).toBe(1);
    const listed = embedded(list, 'osdi:signatures')[0]!;
    expect(idOf(listed)).toBe(idOf(created.body));
    expect(listed['chorus:status']).toBe('confirmed');
    expect((await readA.get(href(listed, 'self')!)).status).toBe(200);

    const afterConfirming = await writeA.post(`${API}/petitions/${petitionA}/signatures`, signer('ada@example.org'));
    expect(afterConfirming.status).toBe(200);
    expect(idOf(afterConfirming.body)).toBe(idOf(created.body));
    expect(await signaturesOf(petitionA, 'ada@example.org')).toHaveLength(1);

    const filtered = await readA.get(`${API}/petitions/${petitionA}/signatures?filter=${encodeURIComponent("email_address eq 'ADA@example.org'")}`);
    expect(filtered.body.total_records).toBe(1);
  });

  it('takes signers from abroad without a postcode', async () => {
    const res = await writeA.post(`${API}/petitions/${shared}/signatures`, {
      person: { given_name: 'Marie', family_name: 'Curie', email_addresses: [{ address: 'marie@example.fr' }], postal_addresses: [{ country: 'FR' }] },
    });
    expect(res.status).toBe(201);
    expect((res.body.person as { postal_addresses: unknown }).postal_addresses).toEqual([{ country: 'FR', primary: true }]);
  });

  it('refuses what the petition form would refuse, naming the field', async () => {
    const url = `${API}/petitions/${petitionA}/signatures`;
    const noName = await writeA.post(url, { person: { email_addresses: [{ address: 'noname@example.org' }], postal_addresses: [{ postal_code: 'SW1A 1AA' }] } });
    expect(noName.status).toBe(422);
    expect(noName.body.errors).toEqual([{ field: 'person.given_name', message: 'Enter your name' }]);
    const badPostcode = await writeA.post(url, { person: { given_name: 'Nob', email_addresses: [{ address: 'nob@example.org' }], postal_addresses: [{ postal_code: 'NOPE' }] } });
    expect(badPostcode.status).toBe(422);
    expect(badPostcode.body.errors![0]!.field).toBe('person.postal_addresses.0.postal_code');
    const unknown = await writeA.post(url, signer('unknown@example.org', { postal_addresses: [{ postal_code: 'ZZ99 9ZZ' }] }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors![0]).toMatchObject({ field: 'person.postal_addresses.0.postal_code' });
    expect(unknown.body.errors![0]!.message).toContain('ZZ99 9ZZ');
    expect(await signaturesOf(petitionA, 'unknown@example.org')).toHaveLength(0);

    const closed = await writeA.post(`${API}/petitions/${closedA}/signatures`, signer('late@example.org'));
    expect(closed.status).toBe(409);
    expect(closed.body.error).toContain('not open');
    const readOnly = await readA.post(url, signer('reader@example.org'));
    expect(readOnly.status).toBe(403);
    const otherGroup = await keyB.post(url, signer('other@example.org'));
    expect(otherGroup.status).toBe(404);
    expect(await t.ctx.db.selectFrom('signatures').select('id').where('canonical_email', 'in', ['late@example.org', 'reader@example.org', 'other@example.org']).execute()).toHaveLength(0);
  });
});
