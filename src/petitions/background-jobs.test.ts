import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { cachesExpire, confirmByLink, createPetition, postSignature, seedPlaces, signer } from '../../test/support/public-petitions.ts';
import { linkIn, SmtpSink } from '../../test/support/smtp.ts';
import { allCron } from '../jobs.ts';
import { londonToday } from './closing-date.ts';
import { countSignatures } from './jobs.ts';

/**
 * The petition jobs the worker runs on a schedule, each queued exactly as its cron entry queues it
 * (by its job id, with its payload) and run by the worker's own task list.
 */
let t: TestApp;
let sink: SmtpSink;
const DAYS = 3;
beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: sink.url, UNCONFIRMED_SIGNATURE_DAYS: String(DAYS) } });
  await seedPlaces(t.ctx.db);
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

/** What graphile-worker does when a cron entry fires: adds that job, with the entry's payload. */
async function cronFires(jobId: string): Promise<void> {
  const entry = allCron.find((c) => c.job.id === jobId);
  expect(entry, `a cron entry runs ${jobId}`).toBeDefined();
  await sql`select graphile_worker.add_job(${jobId}, ${JSON.stringify(entry!.payload ?? {})}::json)`.execute(t.ctx.db);
  await t.runJobs();
}

async function attributes(id: number) {
  const res = await t.app.inject({ method: 'GET', url: `/petitions/${id}.json` });
  expect(res.statusCode).toBe(200);
  return res.json().data.attributes;
}

async function constituencyTally(petitionId: number) {
  const { rows } = await sql<{ kind: string; key: string; n: number }>`select * from petition_counts where petition_id = ${petitionId} order by 1, 2`.execute(t.ctx.db);
  return rows;
}

describe('unconfirmed signatures', () => {
  it('are deleted by the hourly job after UNCONFIRMED_SIGNATURE_DAYS; confirmed and younger ones stay, and counts do not move', async () => {
    const entry = allCron.find((c) => c.job.id === 'petitions.signatures.delete-unconfirmed');
    expect(entry?.match).toMatch(/^\d+ \* \* \* \*$/); // hourly

    const petition = await createPetition(t.ctx.db);
    const confirmed = signer({ email: 'confirmed.long.ago@example.org' });
    const stale = signer({ email: 'never.confirmed@example.org', name: 'Stale Signer' });
    const young = signer({ email: 'not.yet.confirmed@example.org', name: 'Young Signer', postcode: 'SO1 1AA' });
    for (const s of [confirmed, { ...stale, hear_more: 'yes' }, young]) expect((await postSignature(t.app, petition.id, s)).statusCode).toBe(303);
    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes(confirmed.email!));
    expect((await confirmByLink(t.app, linkIn(mail, 'http://chorus.test/signatures/'))).confirm.statusCode).toBe(303);
    await countSignatures(t.ctx);

    // The confirmed and the stale one were made well over DAYS days ago; the young one just under.
    await sql`update signatures set created_at = now() - make_interval(days => ${DAYS + 5})
      where petition_id = ${petition.id} and email in (${confirmed.email}, ${stale.email})`.execute(t.ctx.db);
    await sql`update signatures set created_at = now() - make_interval(days => ${DAYS}) + interval '1 hour'
      where petition_id = ${petition.id} and email = ${young.email}`.execute(t.ctx.db);

    await cachesExpire();
    const before = { count: (await attributes(petition.id)).signature_count, tally: await constituencyTally(petition.id) };
    expect(before.count).toBe(1);

    await cronFires('petitions.signatures.delete-unconfirmed');

    const left = await t.ctx.db.selectFrom('signatures').select(['email', 'state']).where('petition_id', '=', petition.id).orderBy('email').execute();
    expect(left).toEqual([
      { email: confirmed.email, state: 'validated' },
      { email: young.email, state: 'pending' },
    ]);
    await countSignatures(t.ctx);
    await cachesExpire();
    expect((await attributes(petition.id)).signature_count).toBe(before.count);
    expect(await constituencyTally(petition.id)).toEqual(before.tally);
  });
});

describe('closing at the closing date', () => {
  it('the minute job closes an open petition whose closing date has passed (UK date), and leaves one closing today open', async () => {
    const entry = allCron.find((c) => c.job.id === 'petitions.close-expired');
    expect(entry?.match).toBe('* * * * *');

    const today = londonToday();
    const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 24 * 3600 * 1000).toISOString().slice(0, 10);
    const ended = await createPetition(t.ctx.db, { closingDate: yesterday });
    const lastDay = await createPetition(t.ctx.db, { closingDate: today });

    await cronFires('petitions.close-expired');

    const states = await t.ctx.db.selectFrom('petitions').select(['id', 'state', 'closed_at']).where('id', 'in', [ended.id, lastDay.id]).orderBy('id').execute();
    expect(states.map((s) => s.state)).toEqual(['closed', 'open']);
    expect(states[0]!.closed_at).toBeInstanceOf(Date);

    await cachesExpire();
    expect((await attributes(ended.id)).state).toBe('closed');
    const page = await t.app.inject({ method: 'GET', url: ended.path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('This petition is closed');
    expect(page.body).not.toContain('name="postcode"');

    // Signing afterwards is refused with a clear answer, by the form and by JSON, and nothing is stored.
    const form = await postSignature(t.app, ended.id, signer());
    expect(form.statusCode).toBe(409);
    expect(form.body).toContain('This petition is closed, so it can no longer be signed.');
    const json = await postSignature(t.app, ended.id, signer(), { json: true });
    expect(json.statusCode).toBe(409);
    expect(json.json()).toMatchObject({ message: 'This petition is closed, so it can no longer be signed.' });
    const stored = await t.ctx.db.selectFrom('signatures').select('id').where('petition_id', '=', ended.id).execute();
    expect(stored).toEqual([]);

    // The one closing today can still be signed until the end of the UK day.
    expect((await postSignature(t.app, lastDay.id, signer())).statusCode).toBe(303);
  });
});
