import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countNewSignatures } from '../petitions/count-signatures.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import type { Agent } from '../../test/support/agent.ts';
import { giveConsent, purposeFor, requestConsent, withdrawConsent, wordingFor } from './consent.ts';
import { linkConfirmedSignatures } from './link-signatures.ts';
import { recordAction, upsertPerson } from './people.ts';
import { runRetention } from './retention.ts';
import { capabilities } from '../capabilities.ts';
import { escapeHtml } from '../platform/index.ts';
import { addGroup, addPetition, addSignature } from './test-support.ts';

let t: TestApp;
let admin: Agent;
let groupId: number;
const wording = 'Email me about this and other campaigns. I can unsubscribe at any time.';

beforeAll(async () => {
  t = await createTestApp();
  groupId = await addGroup(t.ctx.db, 'rights-group', 'Rights Group');
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
});
afterAll(() => t.close());

async function publicIdOf(email: string): Promise<string> {
  const row = await t.ctx.db.selectFrom('people').select('public_id').where('email', '=', email).executeTakeFirstOrThrow();
  return row.public_id;
}

async function tallies(petitionId: number) {
  const total = await t.ctx.db.selectFrom('petitions').select('signature_count').where('id', '=', petitionId).executeTakeFirstOrThrow();
  const counts = await t.ctx.db.selectFrom('petition_counts').select(['dimension', 'key', 'count']).where('petition_id', '=', petitionId).orderBy('dimension').orderBy('key').execute();
  return { total: total.signature_count, counts };
}

describe('subject access', () => {
  it('exports everything held about a person, and nothing about anyone else', async () => {
    const petition = await addPetition(t.ctx.db, 'Protect the ambulance station', [groupId]);
    await addSignature(t.ctx.db, petition, { name: 'Subject Person', email: 'subject@example.org', postcode: 'SW1A 1AA', hearMore: true, wording });
    await addSignature(t.ctx.db, petition, { name: 'Other Person', email: 'other@example.org', postcode: 'EC1A 1BB', hearMore: true, wording });
    await linkConfirmedSignatures(t.ctx.db);
    const subject = await upsertPerson(t.ctx.db, { email: 'subject@example.org', phone: '07700 900123' });
    const tag = await t.ctx.db.insertInto('tags').values({ name: 'Doorknocker', group_id: groupId }).returning('id').executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('taggings').values({ tag_id: tag.id, person_id: subject.id }).execute();
    const list = await t.ctx.db.insertInto('lists').values({ name: 'Phone tree', group_id: null }).returning('id').executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('list_members').values({ list_id: list.id, person_id: subject.id }).execute();
    const other = await publicIdOf('other@example.org');
    const otherPerson = await t.ctx.db.selectFrom('people').select('id').where('public_id', '=', other).executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('taggings').values({ tag_id: tag.id, person_id: otherPerson.id }).execute();

    const res = await admin.get(`/admin/people/${subject.publicId}/data.json`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const data = JSON.parse(res.body);
    expect(data.supporter.person).toMatchObject({ email: 'subject@example.org', givenName: 'Subject', familyName: 'Person', phone: '07700 900123', postcode: 'SW1A 1AA' });
    expect(data.supporter.consents.map((c: { purpose: { key: string } }) => c.purpose.key).sort()).toEqual(['coalition.updates', `group.${groupId}.updates`].sort());
    expect(data.supporter.consentEvents[0].wording.text).toBe(wording);
    expect(data.supporter.timeline.map((e: { kind: string }) => e.kind)).toContain('petition.signed');
    expect(data.supporter.groups).toEqual([expect.objectContaining({ name: 'Rights Group' })]);
    expect(data.supporter.tags).toEqual([expect.objectContaining({ name: 'Doorknocker' })]);
    expect(data.supporter.lists).toEqual([expect.objectContaining({ name: 'Phone tree' })]);
    expect(data['petition-signatures']).toEqual([
      expect.objectContaining({ petition: 'Protect the ambulance station', name: 'Subject Person', email: 'subject@example.org', postcode: 'SW1A 1AA', consentWording: wording }),
    ]);
    expect(res.body).not.toContain('other@example.org');
    expect(res.body).not.toContain('Other Person');
    expect(res.body).not.toContain('EC1A 1BB');
    expect(res.body).not.toContain(other);

    const page = await admin.get(`/admin/people/${subject.publicId}/data`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Everything we hold about Subject Person');
    expect(page.body).toContain('Protect the ambulance station');
    expect(page.body).not.toContain('other@example.org');

    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'subject_id', 'after']).where('action', 'in', ['person.data.export', 'person.data.view']).execute();
    expect(audit.map((a) => [a.action, a.subject_id])).toEqual(
      expect.arrayContaining([
        ['person.data.export', subject.publicId],
        ['person.data.view', subject.publicId],
      ]),
    );
    expect(JSON.stringify(audit)).not.toContain('subject@example.org');
  });
});

describe('the subject access page', () => {
  it('shows each consent as a readable row (purpose, given when, how, withdrawn), never as raw JSON or internal names', async () => {
    const petition = await addPetition(t.ctx.db, 'Save the walk-in centre', [groupId]);
    await addSignature(t.ctx.db, petition, { name: 'Readable Person', email: 'readable@example.org', postcode: 'SW1A 1AA', hearMore: true, wording });
    await linkConfirmedSignatures(t.ctx.db);
    const publicId = await publicIdOf('readable@example.org');
    const person = await t.ctx.db.selectFrom('people').select('id').where('public_id', '=', publicId).executeTakeFirstOrThrow();
    const coalition = await purposeFor(t.ctx.db, { groupId: null });
    await withdrawConsent(t.ctx.db, { personId: person.id, purposeId: coalition.id, method: 'unsubscribe-link' });

    const body = (await admin.get(`/admin/people/${publicId}/data`)).body;
    const consents = body.slice(body.indexOf('<caption class="visually-hidden">Consent for each purpose</caption>'));
    expect(consents).toMatch(/<th scope="row">Coalition updates<\/th><td>Withdrawn<\/td><td>\d{1,2} \w{3} \d{4}, \d{2}:\d{2}<\/td><td>Signing the petition “Save the walk-in centre”<\/td><td>\d{1,2} \w{3} \d{4}, \d{2}:\d{2}<\/td><td>Version \d+: “Email me/);
    expect(consents).toMatch(/<th scope="row">Rights Group updates<\/th><td>Given<\/td><td>\d{1,2} \w{3} \d{4}, \d{2}:\d{2}<\/td><td>Signing the petition “Save the walk-in centre”<\/td><td>–<\/td>/);
    expect(body).toContain('The unsubscribe link in an email');
    expect(body).toContain('Signed the petition “Save the walk-in centre”');
    expect(body).toMatch(/<div class="table-scroll" role="region" aria-label="Consent for each purpose" tabindex="0">/);
    for (const raw of ['{&quot;', '{"', '&quot;:', `petition:${petition}`, 'coalition.updates', `group.${groupId}.updates`, 'petition.signed', 'unsubscribe-link']) expect(body, raw).not.toContain(raw);
  });
});

describe('the person page', () => {
  it('shows each consent’s method in words (the same consent rows as the subject access page), never as `petition:<id>` or `unsubscribe-link`', async () => {
    const petition = await addPetition(t.ctx.db, 'Keep the birth centre', [groupId]);
    await addSignature(t.ctx.db, petition, { name: 'Worded Person', email: 'worded@example.org', postcode: 'SW1A 1AA', hearMore: true, wording });
    await linkConfirmedSignatures(t.ctx.db);
    const publicId = await publicIdOf('worded@example.org');
    const person = await t.ctx.db.selectFrom('people').select('id').where('public_id', '=', publicId).executeTakeFirstOrThrow();
    const coalition = await purposeFor(t.ctx.db, { groupId: null });
    await withdrawConsent(t.ctx.db, { personId: person.id, purposeId: coalition.id, method: 'unsubscribe-link' });

    const rowsOf = (body: string) => {
      const from = body.indexOf('<caption class="visually-hidden">Consent for each purpose</caption>');
      return body.slice(from, body.indexOf('</table>', from));
    };
    const personPage = (await admin.get(`/admin/people/${publicId}`)).body;
    const rows = rowsOf(personPage);
    expect(rows).toMatch(/<th scope="row">Rights Group updates<\/th><td>Given<\/td><td>\d{1,2} \w{3} \d{4}, \d{2}:\d{2}<\/td><td>Signing the petition “Keep the birth centre”<\/td><td>–<\/td>/);
    expect(rows).toMatch(/<th scope="row">Coalition updates<\/th><td>Withdrawn<\/td>/);
    // The history says how each step happened, in words too.
    expect(personPage).toContain('The unsubscribe link in an email');
    for (const raw of [`petition:${petition}`, 'unsubscribe-link', 'coalition.updates', `group.${groupId}.updates`]) expect(personPage, raw).not.toContain(raw);
    // The subject access page shows the very same rows.
    expect(rowsOf((await admin.get(`/admin/people/${publicId}/data`)).body)).toBe(rows);
  });
});

describe('erasure', () => {
  it('removes personal data everywhere while petition totals and constituency tallies stay the same', async () => {
    const petition = await addPetition(t.ctx.db, 'Reopen the minor injuries unit', [groupId]);
    await addSignature(t.ctx.db, petition, { name: 'Erase Me', email: 'erase.me@example.org', postcode: 'SW1A 1AA', constituencyCode: 'E14000639', regionCode: 'E12000007', hearMore: true, wording });
    await addSignature(t.ctx.db, petition, { name: 'Keep Me', email: 'keep.me@example.org', postcode: 'SW1A 2AA', constituencyCode: 'E14000639', regionCode: 'E12000007' });
    await countNewSignatures(t.ctx.db);
    await linkConfirmedSignatures(t.ctx.db);
    const before = await tallies(petition);
    expect(before.total).toBe(2);

    const publicId = await publicIdOf('erase.me@example.org');
    await t.ctx.db
      .insertInto('outbound_emails')
      .values({ kind: 'supporters.signup.confirmation', to_address: 'erase.me@example.org', subject: 's', text_body: 't', html_body: 'h', headers: '{}', last_error: null, message_id: null, sent_at: null })
      .execute();

    const step1 = await admin.get(`/admin/people/${publicId}/erase`);
    expect(step1.statusCode).toBe(200);
    const unconfirmed = await admin.post(`/admin/people/${publicId}/erase`, {});
    expect(unconfirmed.statusCode).toBe(422);
    expect(unconfirmed.body).toContain('href="#field-confirm"');
    expect(await t.ctx.db.selectFrom('people').select('email').where('public_id', '=', publicId).executeTakeFirstOrThrow()).toEqual({ email: 'erase.me@example.org' });

    await admin.get(`/admin/people/${publicId}/erase`);
    const erased = await admin.post(`/admin/people/${publicId}/erase`, { confirm: 'yes' });
    expect(erased.statusCode).toBe(303);

    const person = await t.ctx.db.selectFrom('people').selectAll().where('public_id', '=', publicId).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ email: null, canonical_email: null, given_name: null, family_name: null, phone: null, postcode: null, source_method: null });
    expect(person.erased_at).toBeInstanceOf(Date);
    expect(await t.ctx.db.selectFrom('consents').select('status').where('person_id', '=', person.id).execute()).toEqual([]);
    expect(await t.ctx.db.selectFrom('consent_events').select('id').where('person_id', '=', person.id).execute()).toEqual([]);
    const details = await t.ctx.db.selectFrom('person_actions').select('detail').where('person_id', '=', person.id).execute();
    expect(details.length).toBeGreaterThan(0);
    expect(details.every((d) => JSON.stringify(d.detail) === '{}')).toBe(true);
    expect(await t.ctx.db.selectFrom('outbound_emails').select('id').where('to_address', '=', 'erase.me@example.org').execute()).toEqual([]);

    const signatures = await sql<Record<string, unknown>>`
      select name, email, canonical_email, postcode, ip, erased_at, constituency_code, state, counted from signatures where petition_id = ${petition} order by id`.execute(t.ctx.db);
    expect(signatures.rows[0]).toMatchObject({ name: null, email: null, canonical_email: null, postcode: null, ip: null, constituency_code: 'E14000639', state: 'validated', counted: true });
    expect(signatures.rows[0]!.erased_at).toBeInstanceOf(Date);
    expect(signatures.rows[1]).toMatchObject({ name: 'Keep Me', email: 'keep.me@example.org' });

    expect(await tallies(petition)).toEqual(before);
    // Recounting from the rows themselves gives the same figures.
    const recount = await sql<{ n: number; in_constituency: number }>`
      select count(*)::int as n, count(*) filter (where constituency_code = 'E14000639')::int as in_constituency
      from signatures where petition_id = ${petition} and counted`.execute(t.ctx.db);
    expect(recount.rows[0]).toEqual({ n: 2, in_constituency: 2 });
    expect(before.counts).toContainEqual({ dimension: 'constituency', key: 'E14000639', count: 2 });

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'person.erase').executeTakeFirstOrThrow();
    expect(audit.subject_id).toBe(publicId);
    expect(JSON.stringify(audit)).not.toContain('erase.me');
    const page = await admin.get(`/admin/people/${publicId}`);
    expect(page.body).toContain('personal data was erased');
    expect(page.body).not.toContain('erase.me@example.org');
  });
});

describe('retention rules', () => {
  it('removes what is due and nothing else, and shows what the last run removed', async () => {
    const db = t.ctx.db;
    const coalition = await purposeFor(db, { groupId: null });
    const words = await wordingFor(db, coalition.id, 'Retention words');
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000);

    // Sign-ups: one stale and alone, one recent, one stale but the person is otherwise active.
    const stale = await upsertPerson(db, { email: 'stale@example.org' }, ago(20));
    await recordAction(db, stale.id, { kind: 'signup.requested', occurredAt: ago(20) });
    await requestConsent(db, { personId: stale.id, purposeId: coalition.id, wordingId: words.id, method: 'form:join', at: ago(20) });
    const recent = await upsertPerson(db, { email: 'recent@example.org' }, ago(5));
    await recordAction(db, recent.id, { kind: 'signup.requested', occurredAt: ago(5) });
    await requestConsent(db, { personId: recent.id, purposeId: coalition.id, wordingId: words.id, method: 'form:join', at: ago(5) });
    const active = await upsertPerson(db, { email: 'active@example.org', emailVerified: true }, ago(20));
    await recordAction(db, active.id, { kind: 'signup.requested', occurredAt: ago(20) });
    await recordAction(db, active.id, { kind: 'petition.signed' });
    await requestConsent(db, { personId: active.id, purposeId: coalition.id, wordingId: words.id, method: 'form:join', at: ago(20) });
    // Asked again after withdrawing, and never confirmed: back to withdrawn.
    const again = await upsertPerson(db, { email: 'again@example.org', emailVerified: true }, ago(60));
    await giveConsent(db, { personId: again.id, purposeId: coalition.id, wordingId: words.id, method: 'form:join', at: ago(60) });
    await db.updateTable('consents').set({ status: 'withdrawn', withdrawn_at: ago(50) }).where('person_id', '=', again.id).execute();
    await db.insertInto('consent_events').values({ person_id: again.id, purpose_id: coalition.id, event: 'withdrawn', wording_id: words.id, method: 'preferences', occurred_at: ago(50) }).execute();
    await requestConsent(db, { personId: again.id, purposeId: coalition.id, wordingId: words.id, method: 'form:join', at: ago(20) });

    // Inactive people: erased only without a live consent.
    const dormant = await upsertPerson(db, { email: 'dormant@example.org', givenName: 'Dormant' }, ago(1000));
    const dormantButSubscribed = await upsertPerson(db, { email: 'subscribed@example.org' }, ago(1000));
    await giveConsent(db, { personId: dormantButSubscribed.id, purposeId: coalition.id, wordingId: words.id, method: 'form:join', at: ago(1000) });
    await db.updateTable('people').set({ latest_action_at: ago(1000) }).where('id', '=', dormantButSubscribed.id).execute();

    // Signatures: erased 12 months after their petition closed.
    const longClosed = await addPetition(db, 'Long closed petition', [], 'closed', ago(400));
    const recentlyClosed = await addPetition(db, 'Recently closed petition', [], 'closed', ago(60));
    await addSignature(db, longClosed, { name: 'Old Signer', email: 'old.signer@example.org' });
    await addSignature(db, recentlyClosed, { name: 'New Signer', email: 'new.signer@example.org' });

    // Confirmation emails: deleted after 30 days; other mail is not this rule's business.
    const mail = (kind: string, days: number) => ({
      kind,
      to_address: `${kind}-${days}@example.org`,
      subject: 's',
      text_body: 't',
      html_body: 'h',
      headers: '{}',
      status: 'sent' as const,
      last_error: null,
      message_id: null,
      sent_at: ago(days),
      created_at: ago(days),
    });
    await db.insertInto('outbound_emails').values([mail('supporters.signup.confirmation', 40), mail('supporters.signup.confirmation', 10), mail('organiser.password-reset', 40)]).execute();

    const run = await runRetention(db);
    expect(run.removed).toMatchObject({ unconfirmedPeople: 1, inactivePeople: 1, signatures: 1, confirmationEmails: 1 });
    expect(run.removed.unconfirmedSignUps).toBe(3);

    const emails = (await db.selectFrom('people').select('email').where('email', 'is not', null).execute()).map((p) => p.email);
    expect(emails).not.toContain('stale@example.org');
    expect(emails).not.toContain('dormant@example.org');
    expect(emails).toEqual(expect.arrayContaining(['recent@example.org', 'active@example.org', 'again@example.org', 'subscribed@example.org']));
    const status = async (personId: number) => (await db.selectFrom('consents').select('status').where('person_id', '=', personId).executeTakeFirst())?.status;
    expect(await status(recent.id)).toBe('pending');
    expect(await status(active.id)).toBeUndefined();
    expect(await status(again.id)).toBe('withdrawn');
    expect(await status(dormantButSubscribed.id)).toBe('given');
    const dormantRow = await db.selectFrom('people').selectAll().where('id', '=', dormant.id).executeTakeFirstOrThrow();
    expect(dormantRow.erased_at).toBeInstanceOf(Date);

    const sigs = await sql<{ action: string; name: string | null }>`
      select p.action, s.name from signatures s join petitions p on p.id = s.petition_id where p.id in (${longClosed}, ${recentlyClosed}) order by p.id`.execute(db);
    expect(sigs.rows).toEqual([
      { action: 'Long closed petition', name: null },
      { action: 'Recently closed petition', name: 'New Signer' },
    ]);
    const left = (await db.selectFrom('outbound_emails').select('to_address').where('to_address', 'like', '%-%@example.org').execute()).map((m) => m.to_address).sort();
    expect(left).toEqual(['organiser.password-reset-40@example.org', 'supporters.signup.confirmation-10@example.org']);

    // A second run finds nothing more to do.
    expect((await runRetention(db)).removed).toEqual({ unconfirmedSignUps: 0, unconfirmedPeople: 0, inactivePeople: 0, signatures: 0, confirmationEmails: 0 });

    const page = await admin.get('/admin/retention');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Last run');
    expect(page.body).toContain('removed 0');
  });

  it('says, for every kind of personal data each capability keeps, how long it is kept', async () => {
    const page = await admin.get('/admin/retention');
    expect(page.statusCode).toBe(200);
    const providers = capabilities.flatMap((c) => c.personalData ?? []);
    expect(providers.map((p) => p.label)).toEqual(expect.arrayContaining(['Supporters', 'Petition signatures', 'Webhook deliveries']));
    for (const provider of providers) {
      expect(page.body).toContain(escapeHtml(provider.label));
      expect(page.body).toContain(escapeHtml(provider.retention));
    }
  });

  it('saves rules from the settings page, refusing bad numbers with the field named', async () => {
    await admin.get('/admin/retention');
    const bad = await admin.post('/admin/retention', { unconfirmedSignUpDays: 'soon', inactivePersonMonths: '24', signatureMonthsAfterClose: '0', confirmationEmailDays: '30' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('href="#field-unconfirmedSignUpDays"');
    expect(bad.body).toContain('href="#field-signatureMonthsAfterClose"');
    expect(bad.body).toContain('value="soon"');
    const ok = await admin.post('/admin/retention', { unconfirmedSignUpDays: '7', inactivePersonMonths: '36', signatureMonthsAfterClose: '6', confirmationEmailDays: '14' });
    expect(ok.statusCode).toBe(303);
    const page = await admin.get('/admin/retention');
    expect(page.body).toContain('value="7"');
    expect(page.body).toContain('value="36"');
  });
});
