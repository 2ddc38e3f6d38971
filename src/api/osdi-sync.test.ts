import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { addMember, ensureTagNamed, getCollection } from '../supporters/index.ts';
import { ensureListNamed, removeMember } from '../supporters/collections/collections.ts';
import { purposeFor } from '../supporters/consent.ts';
import { recordOutcomes } from '../supporters/mailings/recipient-rows.ts';
import { mergePeople } from '../supporters/merge-people.ts';
import { erasePerson } from '../supporters/personal-data.ts';
import { preferencesToken, unsubscribeToken } from '../supporters/subscriber-tokens.ts';
import { makeAdminViewer, makeGroup, makeKey, makePerson, osdiClient, type OsdiClient } from './test-support.ts';

/**
 * Incremental sync, as Action Network clients do it: remember when you last synced, then ask for
 * `filter=modified_date gt '<then>'`. Every change to what the API shows of a person must bring
 * them back in that answer, whichever part of Chorus made the change.
 */

let t: TestApp;
let groupA: number;
let groupB: number;
let writeA: OsdiClient;

const API = 'http://chorus.test/api/v1';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  t = await createTestApp();
  const admin = await makeAdminViewer(t);
  groupA = await makeGroup(t, 'Sync Group A');
  groupB = await makeGroup(t, 'Sync Group B');
  writeA = osdiClient(t, await makeKey(t, admin, { groupId: groupA, scope: 'write', perSecond: 1000 }));
});
afterAll(() => t.close());

/** Every person a collection URL lists (every page). */
async function listAll(client: OsdiClient, first: string): Promise<Array<Record<string, unknown> & { identifiers: string[] }>> {
  const people: Array<Record<string, unknown> & { identifiers: string[] }> = [];
  let url: string | undefined = first;
  while (url) {
    const page = await client.get(url);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    people.push(...(page.body._embedded as Record<string, Array<Record<string, unknown> & { identifiers: string[] }>>)['osdi:people']!);
    url = (page.body._links as Record<string, { href: string } | undefined>).next?.href;
  }
  return people;
}

const syncUrl = (when: string) => `${API}/people?filter=${encodeURIComponent(`modified_date gt '${when}'`)}`;

/** The ids of the people an incremental sync since `since` brings back (every page). */
async function changedSince(client: OsdiClient, when: string): Promise<string[]> {
  return (await listAll(client, syncUrl(when))).map((p) => p.identifiers[0]!.replace(/^chorus:/, ''));
}

/** A sync now (nothing pending), then the change, then the next sync: it must bring the person back. */
async function expectSyncedAfter(what: string, publicIds: string[], change: () => Promise<unknown>) {
  await pause(5);
  const since = new Date().toISOString();
  expect(await changedSince(writeA, since), `${what}: nothing changed yet`).toEqual([]);
  await pause(5);
  await change();
  const found = await changedSince(writeA, since);
  for (const id of publicIds) expect(found, `${what}: ${id}`).toContain(id);
}

async function subscribeThroughApi(email: string) {
  const res = await writeA.post(`${API}/people`, { person: { given_name: 'Told', email_addresses: [{ address: email, status: 'subscribed' }] } });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

async function personId(publicId: string): Promise<number> {
  return (await t.ctx.db.selectFrom('people').select('id').where('public_id', '=', publicId).executeTakeFirstOrThrow()).id;
}

describe('incremental sync by modified_date', () => {
  // "own": group A's own person (it sees their record); "told": another group's person that group
  // A's key told Chorus about, so group A sees only what it was told.
  const people: Record<'own' | 'told', { email: string; publicId: string }> = {
    own: { email: 'sync-own@example.org', publicId: '' },
    told: { email: 'sync-told@example.org', publicId: '' },
  };

  beforeAll(async () => {
    people.own.publicId = await makePerson(t, people.own.email, [groupA]);
    people.told.publicId = await makePerson(t, people.told.email, [groupB]);
    for (const p of Object.values(people)) await subscribeThroughApi(p.email);
    const told = await t.ctx.db
      .selectFrom('person_groups')
      .select('facts')
      .where('group_id', '=', groupA)
      .where('person_id', '=', await personId(people.told.publicId))
      .executeTakeFirstOrThrow();
    expect(told.facts, 'group A sees only what it was told').not.toBeNull();
  });

  for (const which of ['own', 'told'] as const) {
    it(`finds ${which === 'own' ? 'the group’s own person' : 'a person the group was told about'} after each kind of change`, async () => {
      const { email, publicId } = people[which];
      const id = await personId(publicId);
      const purpose = await purposeFor(t.ctx.db, { groupId: groupA });

      await expectSyncedAfter('one-click unsubscribe', [publicId], async () => {
        const token = unsubscribeToken(t.ctx.secret, { personPublicId: publicId, purposeId: purpose.id, mailingId: 0 });
        const res = await t.app.inject({
          method: 'POST',
          url: `/unsubscribe/${token}`,
          payload: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example' },
        });
        expect(res.statusCode).toBe(200);
      });

      await expectSyncedAfter('consent given on the preferences page', [publicId], async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: `/preferences/${preferencesToken(t.ctx.secret, publicId)}`,
          payload: `action=save&purposes=${purpose.id}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
        });
        expect(res.statusCode, res.body).toBe(303);
        const shown = await writeA.get(`${API}/people/${publicId}`);
        expect((shown.body.email_addresses as Array<{ status: string }>)[0]!.status).toBe('subscribed');
      });

      await expectSyncedAfter('unsubscribed from everything on the preferences page', [publicId], async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: `/preferences/${preferencesToken(t.ctx.secret, publicId)}`,
          payload: 'action=withdraw-all',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
        });
        expect(res.statusCode, res.body).toBe(303);
      });

      const tag = await getCollection(t.ctx.db, 'tag', await ensureTagNamed(t.ctx.db, `Sync ${which}`, groupA), [groupA]);
      await expectSyncedAfter('tag added', [publicId], () => addMember(t.ctx.db, 'tag', tag, publicId, [groupA]));
      await expectSyncedAfter('tag removed', [publicId], () => removeMember(t.ctx.db, 'tag', tag, publicId, [groupA]));

      const list = await getCollection(t.ctx.db, 'list', await ensureListNamed(t.ctx.db, `Sync list ${which}`, groupA), [groupA]);
      await expectSyncedAfter('added to a list', [publicId], () => addMember(t.ctx.db, 'list', list, publicId, [groupA]));
      await expectSyncedAfter('removed from a list', [publicId], () => removeMember(t.ctx.db, 'list', list, publicId, [groupA]));

      await expectSyncedAfter('a bounce marks the address undeliverable', [publicId], async () => {
        await recordOutcomes(t.ctx.db, 0, [{ personId: id, outcome: { status: 'failed', reason: '550 no such mailbox', bounce: true } }]);
        const shown = await writeA.get(`${API}/people/${publicId}`);
        expect((shown.body.email_addresses as Array<{ address: string; status: string }>)[0]).toMatchObject({ address: email, status: 'bouncing' });
      });
    });
  }

  it('finds the surviving person after a merge', async () => {
    const survivor = await makePerson(t, 'sync-survivor@example.org', [groupA]);
    const merged = await makePerson(t, 'sync-merged@example.org', [groupA]);
    await expectSyncedAfter('merge', [survivor], async () => {
      await mergePeople(t.ctx.db, { survivorId: await personId(survivor), mergedId: await personId(merged), actor: 'test' });
    });
  });

  for (const which of ['own', 'told'] as const) {
    it(`tells an incremental sync that ${which === 'own' ? 'the group’s own person' : 'a person the group was told about'} was erased, with nothing personal`, async () => {
      const email = `sync-erased-${which}@example.org`;
      const publicId = which === 'own' ? await makePerson(t, email, [groupA], { given: 'Era', family: 'Sure' }) : await makePerson(t, email, [groupB], { given: 'Era', family: 'Sure' });
      await subscribeThroughApi(email);
      expect(await changedSince(writeA, '2000-01-01')).toContain(publicId);

      await expectSyncedAfter('erasure', [publicId], () => t.ctx.db.transaction().execute(async (tx) => erasePerson(tx, await personId(publicId), 'test')));

      const erased = (await listAll(writeA, syncUrl('2000-01-01'))).find((p) => p.identifiers[0] === `chorus:${publicId}`);
      expect(erased).toMatchObject({
        'chorus:erased': true,
        given_name: null,
        family_name: null,
        email_addresses: [{ primary: true, status: 'unsubscribed' }],
        postal_addresses: [],
        custom_fields: {},
      });
      const shown = JSON.stringify(erased);
      for (const personal of [email, 'Era', 'Sure']) expect(shown).not.toContain(personal);

      // A plain list (a full sync) and the person's own address show them no more.
      const plain = (await listAll(writeA, `${API}/people`)).map((p) => p.identifiers[0]);
      expect(plain).not.toContain(`chorus:${publicId}`);
      expect((await writeA.get(`${API}/people/${publicId}`)).status).toBe(404);
    });
  }
});
