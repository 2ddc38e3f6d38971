import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { consentEventsOf, consentsOf, giveConsent, purposeFor, requestConsent, wordingFor, withdrawConsent } from './consent.ts';
import { linkConfirmedSignatures } from './link-signatures.ts';
import { mergePeople } from './merge-people.ts';
import { queueSignatureLinking } from './people-jobs.ts';
import { recordAction, upsertPerson } from './people.ts';
import { timelineOf } from './person-record.ts';
import { addGroup, addPetition, addSignature } from './test-support.ts';

let t: TestApp;
let groupA: number;
let groupB: number;
const wording = 'Email me about this and other campaigns from Chorus and Group A. I can unsubscribe at any time.';

beforeAll(async () => {
  t = await createTestApp();
  groupA = await addGroup(t.ctx.db, 'group-a', 'Group A');
  groupB = await addGroup(t.ctx.db, 'group-b', 'Group B');
});
afterAll(() => t.close());

describe('linking confirmed signatures to people', () => {
  it('makes one person per canonical email across petitions, with timeline, groups and consent in the petition’s words', async () => {
    const first = await addPetition(t.ctx.db, 'Save the maternity unit', [groupA]);
    const second = await addPetition(t.ctx.db, 'Fund community nursing', [groupB]);
    await addSignature(t.ctx.db, first, { name: 'Florence Nightingale', email: 'Flo.Nightingale@gmail.com', postcode: 'SW1A 1AA', constituencyCode: 'E14000639', hearMore: true, wording });
    await addSignature(t.ctx.db, second, { name: 'Florence Nightingale', email: 'flonightingale+nhs@googlemail.com', hearMore: false });
    await addSignature(t.ctx.db, second, { name: 'Not Confirmed', email: 'pending@example.org', state: 'pending' });

    expect(await linkConfirmedSignatures(t.ctx.db)).toBe(2);
    expect(await linkConfirmedSignatures(t.ctx.db)).toBe(0);

    const people = await t.ctx.db.selectFrom('people').selectAll().execute();
    expect(people).toHaveLength(1);
    const person = people[0]!;
    expect(person).toMatchObject({
      canonical_email: 'flonightingale@gmail.com',
      given_name: 'Florence',
      family_name: 'Nightingale',
      postcode: 'SW1A 1AA',
      constituency_code: 'E14000639',
      country_code: 'GB',
      email_status: 'verified',
      source_method: `petition:${first}`,
    });
    const linked = await sql<{ n: number }>`select count(*)::int as n from signatures where person_id = ${person.id}`.execute(t.ctx.db);
    expect(linked.rows[0]!.n).toBe(2);

    const timeline = await timelineOf(t.ctx.db, person.id);
    expect(timeline.map((e) => [e.kind, e.subjectId])).toEqual(
      expect.arrayContaining([
        ['petition.signed', String(first)],
        ['petition.signed', String(second)],
      ]),
    );
    const groups = await t.ctx.db.selectFrom('person_groups').select('group_id').where('person_id', '=', person.id).orderBy('group_id').execute();
    expect(groups.map((g) => g.group_id)).toEqual([groupA, groupB]);

    // Only the first signature ticked "hear more": coalition and Group A, in the petition's words.
    const consents = await consentsOf(t.ctx.db, person.id);
    expect(consents.map((c) => [c.purpose.key, c.status, c.method, c.wording?.text])).toEqual([
      ['coalition.updates', 'given', `petition:${first}`, wording],
      [`group.${groupA}.updates`, 'given', `petition:${first}`, wording],
    ]);
    const events = await consentEventsOf(t.ctx.db, person.id);
    expect(events.map((e) => e.event)).toEqual(['given', 'given']);
    expect(events[0]!.source).toMatch(/^signature:/);
    expect(events[0]!.ip).toBe('192.0.2.10');
  });

  it('never overrides a later withdrawal with an earlier signature’s consent', async () => {
    const petition = await addPetition(t.ctx.db, 'Keep the walk-in centre', []);
    const person = await upsertPerson(t.ctx.db, { email: 'withdrawn@example.org' });
    const coalition = await purposeFor(t.ctx.db, { groupId: null });
    await addSignature(t.ctx.db, petition, { name: 'Late Linker', email: 'withdrawn@example.org', hearMore: true, wording });
    await sql`update signatures set validated_at = now() - interval '1 day' where email = 'withdrawn@example.org'`.execute(t.ctx.db);
    const w = await wordingFor(t.ctx.db, coalition.id, 'Older words');
    await giveConsent(t.ctx.db, { personId: person.id, purposeId: coalition.id, wordingId: w.id, method: 'test', at: new Date(Date.now() - 2 * 86_400_000) });
    await withdrawConsent(t.ctx.db, { personId: person.id, purposeId: coalition.id, method: 'test' });
    await linkConfirmedSignatures(t.ctx.db);
    const consents = await consentsOf(t.ctx.db, person.id);
    expect(consents.map((c) => c.status)).toEqual(['withdrawn']);
  });
});

describe('the linking job', () => {
  it('links on demand through the durable job queue', async () => {
    const petition = await addPetition(t.ctx.db, 'Save the night buses to the hospital', []);
    await addSignature(t.ctx.db, petition, { name: 'Queued Signer', email: 'queued@example.org' });
    await queueSignatureLinking(t.ctx.db);
    await t.runJobs();
    const person = await t.ctx.db.selectFrom('people').select('id').where('email', '=', 'queued@example.org').executeTakeFirstOrThrow();
    const linked = await sql<{ person_id: number }>`select person_id from signatures where petition_id = ${petition}`.execute(t.ctx.db);
    expect(linked.rows).toEqual([{ person_id: person.id }]);
  });
});

describe('merging two records', () => {
  it('keeps the history of both: actions, consents and their events, groups, tags, lists and signatures', async () => {
    const petition = await addPetition(t.ctx.db, 'Stop the closure', [groupB]);
    const keep = await upsertPerson(t.ctx.db, { email: 'mary@work.example', givenName: 'Mary', emailVerified: true });
    const fold = await upsertPerson(t.ctx.db, { email: 'mary@home.example', givenName: 'Mary', familyName: 'Seacole', phone: '020 7946 0000' });
    await addSignature(t.ctx.db, petition, { name: 'Mary Seacole', email: 'mary@home.example' });
    await linkConfirmedSignatures(t.ctx.db);
    await recordAction(t.ctx.db, keep.id, { kind: 'signup.confirmed', groupId: groupA });

    const coalition = await purposeFor(t.ctx.db, { groupId: null });
    const groupPurpose = await purposeFor(t.ctx.db, { groupId: groupB });
    const words = await wordingFor(t.ctx.db, coalition.id, 'Coalition words');
    const groupWords = await wordingFor(t.ctx.db, groupPurpose.id, 'Group words');
    // The kept record only asked; the folded one gave consent: the decision wins.
    await requestConsent(t.ctx.db, { personId: keep.id, purposeId: coalition.id, wordingId: words.id, method: 'form:join' });
    await giveConsent(t.ctx.db, { personId: fold.id, purposeId: coalition.id, wordingId: words.id, method: 'import:old.csv' });
    await giveConsent(t.ctx.db, { personId: fold.id, purposeId: groupPurpose.id, wordingId: groupWords.id, method: 'form:group-subscribe' });

    const tag = await t.ctx.db.insertInto('tags').values({ name: 'Volunteer', group_id: null }).returning('id').executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('taggings').values({ tag_id: tag.id, person_id: fold.id }).execute();
    const list = await t.ctx.db.insertInto('lists').values({ name: 'Stewards', group_id: null }).returning('id').executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('list_members').values([{ list_id: list.id, person_id: fold.id }, { list_id: list.id, person_id: keep.id }]).execute();

    await mergePeople(t.ctx.db, { survivorId: keep.id, mergedId: fold.id, actor: 'test' });

    const survivor = await t.ctx.db.selectFrom('people').selectAll().where('id', '=', keep.id).executeTakeFirstOrThrow();
    expect(survivor).toMatchObject({ email: 'mary@work.example', given_name: 'Mary', phone: '020 7946 0000', merged_into_id: null });
    const merged = await t.ctx.db.selectFrom('people').selectAll().where('id', '=', fold.id).executeTakeFirstOrThrow();
    expect(merged.merged_into_id).toBe(keep.id);

    const timeline = await timelineOf(t.ctx.db, keep.id);
    expect(timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['petition.signed', 'signup.confirmed', 'person.merged']));
    const consents = await consentsOf(t.ctx.db, keep.id);
    expect(consents.map((c) => [c.purpose.key, c.status, c.method])).toEqual([
      ['coalition.updates', 'given', 'import:old.csv'],
      [`group.${groupB}.updates`, 'given', 'form:group-subscribe'],
    ]);
    const events = await consentEventsOf(t.ctx.db, keep.id);
    expect(events.map((e) => `${e.purposeKey}:${e.event}`).sort()).toEqual(
      [`coalition.updates:given`, `coalition.updates:requested`, `group.${groupB}.updates:given`].sort(),
    );
    const groups = await t.ctx.db.selectFrom('person_groups').select('group_id').where('person_id', '=', keep.id).orderBy('group_id').execute();
    expect(groups.map((g) => g.group_id)).toEqual([groupA, groupB]);
    expect(await t.ctx.db.selectFrom('taggings').select('person_id').where('tag_id', '=', tag.id).execute()).toEqual([{ person_id: keep.id }]);
    expect(await t.ctx.db.selectFrom('list_members').select('person_id').where('list_id', '=', list.id).execute()).toEqual([{ person_id: keep.id }]);
    const signatures = await sql<{ person_id: number }>`select person_id from signatures where petition_id = ${petition}`.execute(t.ctx.db);
    expect(signatures.rows).toEqual([{ person_id: keep.id }]);
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'person.merge').executeTakeFirstOrThrow();
    expect(audit.subject_id).toBe(survivor.public_id);
    expect(JSON.stringify(audit.after)).not.toContain('mary@');

    // The folded record's address still finds the survivor.
    const again = await upsertPerson(t.ctx.db, { email: 'mary@home.example' });
    expect(again.id).toBe(keep.id);
  });
});
