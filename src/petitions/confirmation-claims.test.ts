import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { startChorus } from '../../test/support/chorus-process.ts';
import { createPetition } from '../../test/support/public-petitions.ts';
import { SmtpSink } from '../../test/support/smtp.ts';
import { queueConfirmationSender, sendConfirmationEmails } from './confirmation-emails.ts';

const SIGNERS = 20;

describe('confirmation emails claimed by a process that dies', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let stuck: SmtpSink;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    // The dying worker's SMTP server takes a minute to accept anything: it dies mid-send.
    stuck = await new SmtpSink({ acceptDelayMs: 60_000 }).start();
    t = await createTestApp({ env: { SMTP_URL: sink.url } });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
    await stuck.stop();
  });

  const claimed = async () =>
    Number((await sql<{ n: number }>`select count(*)::int as n from signatures where confirmation_claimed_by is not null`.execute(t.ctx.db)).rows[0]!.n);

  it('cannot keep them waiting: another worker sends each within seconds of the kill, exactly once', async () => {
    const petition = await createPetition(t.ctx.db);
    const emails = Array.from({ length: SIGNERS }, (_, i) => `claimed-${i}@example.org`);
    await sql`insert into signatures (petition_id, state, name, email, canonical_email, country_code, confirmation_due_at)
      select ${petition.id}, 'pending', 'Signer', e, e, 'GB', now() from unnest(${emails}::text[]) e`.execute(t.ctx.db);

    // A real `chorus worker` process claims them and starts sending.
    const worker = startChorus(['worker'], {
      DATABASE_URL: t.database.url,
      SMTP_URL: stuck.url,
      CHORUS_SECRET: 'test-secret-that-is-long-enough-0123456789',
      BASE_URL: 'http://chorus.test',
      LOG_LEVEL: 'silent',
    });
    try {
      await queueConfirmationSender(t.ctx.db);
      const deadline = Date.now() + 30_000;
      while ((await claimed()) < SIGNERS) {
        if (Date.now() > deadline || worker.child.exitCode !== null) throw new Error(`the worker did not claim the emails: ${worker.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Still claimed a moment later: it is sending (to a server that will not answer in time).
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await claimed()).toBe(SIGNERS);
    } finally {
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    const killedAt = Date.now();

    // Another worker (this process) runs the sender: the dead session's claims are released.
    await sendConfirmationEmails.run({}, t.ctx, undefined as never);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(sink.messages.map((m) => m.to[0]).toSorted()).toEqual(emails.toSorted());
    expect(stuck.messages).toHaveLength(0);
    const rows = await t.ctx.db.selectFrom('signatures').select(['emails_sent', 'confirmation_due_at', 'confirmation_claimed_by']).where('petition_id', '=', petition.id).execute();
    expect(rows.every((r) => r.emails_sent === 1 && r.confirmation_due_at === null && r.confirmation_claimed_by === null)).toBe(true);

    // Exactly once: running again sends nothing more.
    await sendConfirmationEmails.run({}, t.ctx, undefined as never);
    expect(sink.messages).toHaveLength(SIGNERS);
  });

  it('leaves alone the claims of a sender that is alive', async () => {
    const petition = await createPetition(t.ctx.db);
    await sql`insert into signatures (petition_id, state, name, email, canonical_email, country_code, confirmation_due_at)
      values (${petition.id}, 'pending', 'Signer', 'alive@example.org', 'alive@example.org', 'GB', now())`.execute(t.ctx.db);
    // A live session claims it (holding the claim lock, as a sender does), and keeps it.
    const holder = await t.database.pool.connect();
    try {
      const pid = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await holder.query('select pg_advisory_lock(7415, pg_backend_pid())');
      await holder.query(`update signatures set confirmation_due_at = now() + interval '5 minutes', confirmation_claimed_by = $1 where canonical_email = 'alive@example.org'`, [pid]);
      const before = sink.messages.length;
      await sendConfirmationEmails.run({}, t.ctx, undefined as never);
      expect(sink.messages.length).toBe(before);
      await holder.query('select pg_advisory_unlock(7415, pg_backend_pid())');
    } finally {
      holder.release();
    }
  });
});
