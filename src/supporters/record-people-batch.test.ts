import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { SmtpSink } from '../../test/support/smtp.ts';
import { giveConsent, purposeFor, wordingFor, type Purpose, type Wording } from './consent.ts';
import { connectToGroups, personForUnprovenAction, recordAction, splitName } from './people.ts';
import { recordPeopleBatch, type BatchedAction } from './record-people-batch.ts';
import { requestSignUp } from './sign-up.ts';
import { addGroup, pathIn } from './test-support.ts';

let t: TestApp;
let smtp: SmtpSink;
let groupId: number;
let consents: Array<{ purpose: Purpose; wording: Wording }>;
const mail = () => ({ brand: t.ctx.brand.current(), baseUrl: t.ctx.config.BASE_URL, secret: t.ctx.secret });

beforeAll(async () => {
  smtp = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: smtp.url } });
  groupId = await addGroup(t.ctx.db, 'batch-nhs', 'Batch Save Our NHS');
  const wording = 'Email me about this and other campaigns. I can unsubscribe at any time.';
  consents = await Promise.all(
    [null, groupId].map(async (g) => {
      const purpose = await purposeFor(t.ctx.db, { groupId: g });
      return { purpose, wording: await wordingFor(t.ctx.db, purpose.id, wording) };
    }),
  );
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

const source = { utmSource: null, utmCampaign: null, referrer: null };

function action(email: string, name: string, hearMore: boolean): BatchedAction {
  return {
    email,
    name,
    method: 'event:7',
    action: { kind: 'event.booked', subjectType: 'event', subjectId: 7, detail: { reference: `REF-${email}` } },
    groupIds: [groupId],
    ...(hearMore ? { signUp: { consents, source, ip: '192.0.2.7' } } : {}),
  };
}

/** The same action as the single functions do it, one after another (the way a lone booking did). */
async function oneByOne(a: BatchedAction) {
  const name = splitName(a.name);
  const person = await personForUnprovenAction(t.ctx.db, { email: a.email, givenName: name.givenName || null, familyName: name.familyName, source: { method: a.method } });
  await recordAction(t.ctx.db, person.id, { kind: a.action.kind, subjectType: a.action.subjectType, subjectId: a.action.subjectId, detail: a.action.detail });
  await connectToGroups(t.ctx.db, person.id, [...a.groupIds]);
  if (a.signUp) await requestSignUp(t.ctx.db, { email: a.email, name: a.name, place: null, consents: [...a.signUp.consents], method: a.method, source, ip: a.signUp.ip }, mail());
}

/** What is recorded about one address, without ids and times, to compare the two ways. */
async function recorded(email: string) {
  const person = await t.ctx.db
    .selectFrom('people')
    .select(['id', 'email', 'given_name', 'family_name', 'email_status', 'source_method'])
    .select(sql<boolean>`first_action_at is not null and latest_action_at is not null`.as('dated'))
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const actions = await t.ctx.db.selectFrom('person_actions').select(['kind', 'subject_type', 'subject_id', 'group_id', 'detail']).where('person_id', '=', person.id).orderBy('id').execute();
  const groups = await t.ctx.db.selectFrom('person_groups').select('group_id').where('person_id', '=', person.id).execute();
  const given = await t.ctx.db.selectFrom('consents').select(['purpose_id', 'status', 'wording_id', 'method', 'source']).where('person_id', '=', person.id).orderBy('purpose_id').execute();
  const proof = await t.ctx.db.selectFrom('consent_events').select(['purpose_id', 'event', 'wording_id', 'method', 'ip']).where('person_id', '=', person.id).orderBy('id').execute();
  const mails = await sql<{ kind: string }>`select kind from outbound_emails where to_address = ${email} order by id`.execute(t.ctx.db);
  const { id: _id, email: _email, ...facts } = person;
  return { facts, actions: actions.map((a) => ({ ...a, detail: stripReference(a.detail) })), groups, consents: given, proof, mails: mails.rows.map((m) => m.kind) };
}

function stripReference(detail: unknown) {
  const { reference: _reference, ...rest } = detail as Record<string, unknown>;
  return rest;
}

describe('recordPeopleBatch', () => {
  it('records a batch as the single functions record each action: people, timeline, groups, pending consents with proof, and the emails', async () => {
    const stamp = Date.now();
    const cases = [
      ['Ada Lovelace King', true],
      ['Grace Hopper', false],
      ['Mary', true],
    ] as const;
    for (const [i, [name, hearMore]] of cases.entries()) await oneByOne(action(`single${i}.${stamp}@example.org`, name, hearMore));
    const answers = await t.ctx.db.transaction().execute((tx) => recordPeopleBatch(tx, cases.map(([name, hearMore], i) => action(`batch${i}.${stamp}@example.org`, name, hearMore)), mail()));
    expect(answers.map((a) => a.signUp)).toEqual(['confirmation-sent', undefined, 'confirmation-sent']);
    for (const i of cases.keys()) {
      const single = await recorded(`single${i}.${stamp}@example.org`);
      const batched = await recorded(`batch${i}.${stamp}@example.org`);
      // The facts kept for the confirmation name the address's own person.
      expect(batched).toEqual(single);
    }
    const first = await recorded(`batch0.${stamp}@example.org`);
    expect(first.facts).toMatchObject({ given_name: 'Ada', family_name: 'Lovelace King', email_status: 'unverified', source_method: 'event:7', dated: true });
    expect(first.actions.map((a) => a.kind)).toEqual(['event.booked', 'signup.requested']);
    expect(first.consents.map((c) => c.status)).toEqual(['pending', 'pending']);
    expect(first.mails).toEqual(['supporters.signup.confirmation']);
  });

  it('sends a confirmation link that confirms the sign-up it was sent for', async () => {
    const email = `confirm.${Date.now()}@example.org`;
    await t.ctx.db.transaction().execute((tx) => recordPeopleBatch(tx, [action(email, 'Rosalind Franklin', true)], mail()));
    await t.runJobs();
    const message = await smtp.waitFor((m) => m.to.includes(email));
    expect(message.subject).toBe('Please confirm you want emails from Chorus and Batch Save Our NHS');
    const confirmed = await new Agent(t.app).post(pathIn(message, '/subscribe/confirm/'), {}, { csrf: false });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('You are subscribed');
    expect((await recorded(email)).consents.map((c) => c.status)).toEqual(['given', 'given']);
  });

  it('leaves a known person as they are, follows a merge, lands a double click on one person, and tells someone already subscribed so', async () => {
    const stamp = Date.now();
    const known = `known.${stamp}@example.org`;
    const kept = await personForUnprovenAction(t.ctx.db, { email: known, givenName: 'Katherine', familyName: 'Johnson' });
    for (const c of consents) await giveConsent(t.ctx.db, { personId: kept.id, purposeId: c.purpose.id, wordingId: c.wording.id, method: 'form:join' });
    const merged = `merged.${stamp}@example.org`;
    const into = await personForUnprovenAction(t.ctx.db, { email: `into.${stamp}@example.org`, givenName: 'Dorothy' });
    await sql`insert into people (email, canonical_email, merged_into_id) values (${merged}, ${merged}, ${into.id})`.execute(t.ctx.db);
    const twice = `twice.${stamp}@example.org`;

    const answers = await t.ctx.db
      .transaction()
      .execute((tx) => recordPeopleBatch(tx, [action(known, 'Someone Else', true), action(merged, 'Dot', false), action(twice, 'Double Click', true), action(twice.toUpperCase(), 'Double Click', true)], mail()));
    expect(answers[0]).toEqual({ personId: kept.id, signUp: 'already-subscribed' });
    expect(answers[1]).toEqual({ personId: into.id });
    expect(answers[2]!.personId).toBe(answers[3]!.personId);
    expect([answers[2]!.signUp, answers[3]!.signUp]).toEqual(['confirmation-sent', 'confirmation-sent']);

    const knownNow = await recorded(known);
    expect(knownNow.facts).toMatchObject({ given_name: 'Katherine', family_name: 'Johnson' });
    expect(knownNow.consents.map((c) => [c.status, c.method])).toEqual([
      ['given', 'form:join'],
      ['given', 'form:join'],
    ]);
    expect(knownNow.mails).toEqual(['supporters.signup.already-subscribed']);
    const intoActions = await t.ctx.db.selectFrom('person_actions').select('kind').where('person_id', '=', into.id).execute();
    expect(intoActions.map((a) => a.kind)).toEqual(['event.booked']);
    const doubled = await recorded(twice);
    expect(doubled.actions.map((a) => a.kind)).toEqual(['event.booked', 'event.booked', 'signup.requested', 'signup.requested']);
    expect(doubled.proof.map((p) => p.event)).toEqual(['requested', 'requested', 'requested', 'requested']);
    expect(doubled.consents.map((c) => c.status)).toEqual(['pending', 'pending']);
  });

  it('sends no more sign-up emails to an address that asked five times this hour, in one batch or over several', async () => {
    const email = `often.${Date.now()}@example.org`;
    const first = await t.ctx.db.transaction().execute((tx) => recordPeopleBatch(tx, Array.from({ length: 3 }, () => action(email, 'Often Asked', true)), mail()));
    const second = await t.ctx.db.transaction().execute((tx) => recordPeopleBatch(tx, Array.from({ length: 3 }, () => action(email, 'Often Asked', true)), mail()));
    expect([...first, ...second].map((a) => a.signUp)).toEqual(['confirmation-sent', 'confirmation-sent', 'confirmation-sent', 'confirmation-sent', 'confirmation-sent', 'too-many']);
    const after = await recorded(email);
    expect(after.mails).toHaveLength(5);
    expect(after.actions.filter((a) => a.kind === 'signup.requested')).toHaveLength(5);
    expect(after.actions.filter((a) => a.kind === 'event.booked')).toHaveLength(6);
  });
});
