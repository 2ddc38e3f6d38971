import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { allCron } from '../jobs.ts';
import { addPetition, addPostcode, addSignature } from './test-support.ts';

/**
 * The retention rules as the worker applies them: its nightly cron entry queues the retention job,
 * and the worker's task list runs it with the rules an admin saved at /admin/retention.
 */
let t: TestApp;
let admin: Agent;
beforeAll(async () => {
  t = await createTestApp();
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
  await addPostcode(t.ctx.db, 'SW1A 1AA', { code: 'E14000639', name: 'Cities of London and Westminster', regionCode: 'E12000007' });
});
afterAll(async () => {
  await t.close();
});

const RETENTION_JOB = 'supporters.retention.run';

async function joinForm(email: string, name: string): Promise<void> {
  const agent = new Agent(t.app);
  const page = await agent.get('/join');
  const wordingId = /name="wording_coalition" value="(\d+)"/.exec(page.body)![1]!;
  const res = await agent.post('/join', { name, email, postcode: 'SW1A 1AA', consent_coalition: 'yes', wording_coalition: wordingId }, { csrf: false });
  expect(res.statusCode).toBe(200);
}

/** Moves a person's sign-up (and everything about it) `days` into the past. */
async function ageSignUp(email: string, days: number): Promise<void> {
  const at = sql`now() - make_interval(days => ${days})`;
  const person = await t.ctx.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  await sql`update people set created_at = ${at}, latest_action_at = ${at} where id = ${person.id}`.execute(t.ctx.db);
  await sql`update consents set requested_at = ${at} where person_id = ${person.id}`.execute(t.ctx.db);
  await sql`update consent_events set occurred_at = ${at} where person_id = ${person.id}`.execute(t.ctx.db);
  await sql`update person_actions set occurred_at = ${at} where person_id = ${person.id}`.execute(t.ctx.db);
}

describe('retention, on its schedule', () => {
  it('has a nightly cron entry in the worker', () => {
    const entries = allCron.filter((c) => c.job.id === RETENTION_JOB);
    expect(entries).toHaveLength(1);
    // Once a day: a fixed minute and hour, every day.
    expect(entries[0]!.match).toMatch(/^\d{1,2} \d{1,2} \* \* \*$/);
  });

  it('the job the cron entry queues deletes what the saved rules say is due, after the configured days, and nothing younger', async () => {
    await admin.get('/admin/retention');
    const saved = await admin.post('/admin/retention', { unconfirmedSignUpDays: '3', inactivePersonMonths: '24', signatureMonthsAfterClose: '2', confirmationEmailDays: '30' });
    expect(saved.statusCode).toBe(303);

    await joinForm('four.days@example.org', 'Four Days');
    await joinForm('two.days@example.org', 'Two Days');
    await ageSignUp('four.days@example.org', 4);
    await ageSignUp('two.days@example.org', 2);
    const closedLongAgo = await addPetition(t.ctx.db, 'Closed three months ago', [], 'closed', new Date(Date.now() - 92 * 86_400_000));
    const closedLately = await addPetition(t.ctx.db, 'Closed a month ago', [], 'closed', new Date(Date.now() - 31 * 86_400_000));
    await addSignature(t.ctx.db, closedLongAgo, { name: 'Early Signer', email: 'early.signer@example.org', postcode: 'SW1A 1AA' });
    await addSignature(t.ctx.db, closedLately, { name: 'Later Signer', email: 'later.signer@example.org', postcode: 'SW1A 1AA' });

    // As the cron entry does when it fires: add the job by its id, with the entry's payload.
    const entry = allCron.find((c) => c.job.id === RETENTION_JOB)!;
    await sql`select graphile_worker.add_job(${RETENTION_JOB}, ${JSON.stringify(entry.payload ?? {})}::json)`.execute(t.ctx.db);
    await t.runJobs();

    const people = (await t.ctx.db.selectFrom('people').select('email').execute()).map((p) => p.email);
    expect(people).not.toContain('four.days@example.org');
    expect(people).toContain('two.days@example.org');
    const pending = await t.ctx.db
      .selectFrom('consents')
      .innerJoin('people', 'people.id', 'consents.person_id')
      .select(['people.email', 'consents.status'])
      .execute();
    expect(pending).toEqual([{ email: 'two.days@example.org', status: 'pending' }]);

    const sigs = await sql<{ petition_id: number; name: string | null; email: string | null }>`
      select petition_id, name, email from signatures where petition_id in (${closedLongAgo}, ${closedLately}) order by petition_id`.execute(t.ctx.db);
    expect(sigs.rows).toEqual([
      { petition_id: closedLongAgo, name: null, email: null },
      { petition_id: closedLately, name: 'Later Signer', email: 'later.signer@example.org' },
    ]);

    const page = await admin.get('/admin/retention');
    expect(page.body).toContain('Last run');
  });
});
