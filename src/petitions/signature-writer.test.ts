import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { createPetition, places, seedPlaces } from '../../test/support/public-petitions.ts';
import { canonicalEmail } from './canonical-email.ts';
import { BEGIN, SignatureWriter, type SignatureInput } from './signature-writer.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
});
afterAll(() => t.close());

const input = (petitionId: number, email: string, overrides: Partial<SignatureInput> = {}): SignatureInput => ({
  petitionId,
  name: 'Writer Test',
  email,
  canonicalEmail: canonicalEmail(email),
  postcode: places.west.postcode,
  countryCode: 'GB',
  ip: null,
  hearMore: false,
  consentTextId: null,
  ...overrides,
});

describe('the batching signature writer', () => {
  it('writes queued signatures together and answers each only after its batch commits', async () => {
    const petition = await createPetition(t.ctx.db);
    const writer = new SignatureWriter(t.ctx.db, t.ctx.pool, { rateLimits: { burst: 1000, burstSeconds: 60, sustained: 1000, sustainedSeconds: 300 }, onConfirmationsDue: async () => {}, maxConcurrent: 1 });
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => writer.submit(input(petition.id, `batch${i}@example.org`))));
    expect(outcomes.every((o) => o.kind === 'signed')).toBe(true);
    const stored = await t.ctx.db.selectFrom('signatures').select(['public_id', 'constituency_code', 'region_code']).where('petition_id', '=', petition.id).execute();
    expect(stored).toHaveLength(50);
    expect(new Set(stored.map((s) => s.public_id))).toEqual(new Set(outcomes.map((o) => (o.kind === 'signed' ? o.publicId : ''))));
    expect(stored.every((s) => s.constituency_code === places.west.code && s.region_code === places.west.region)).toBe(true);
  });

  it('isolates a signature the database refuses, so the rest of its batch is still stored', async () => {
    const petition = await createPetition(t.ctx.db);
    const writer = new SignatureWriter(t.ctx.db, t.ctx.pool, { rateLimits: { burst: 1000, burstSeconds: 60, sustained: 1000, sustainedSeconds: 300 }, onConfirmationsDue: async () => {}, maxConcurrent: 1 });
    const first = writer.submit(input(petition.id, 'alone@example.org'));
    // These three wait for the first and then go in one transaction; one has an address inet refuses.
    const rest = [
      writer.submit(input(petition.id, 'good1@example.org')),
      writer.submit(input(petition.id, 'poison@example.org', { ip: 'not-an-address' })),
      writer.submit(input(petition.id, 'good2@example.org')),
    ];
    const settled = await Promise.allSettled([first, ...rest]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const emails = (await t.ctx.db.selectFrom('signatures').select('email').where('petition_id', '=', petition.id).execute()).map((r) => r.email).sort();
    expect(emails).toEqual(['alone@example.org', 'good1@example.org', 'good2@example.org']);
  });

  it('writes a batch in three statements once its postcodes are known (locks, one read, one insert), each prepared once per connection', async () => {
    const petition = await createPetition(t.ctx.db);
    // The writer's own pool of one connection, so what PostgreSQL prepared on it can be read back.
    const pool = new pg.Pool({ connectionString: t.ctx.config.DATABASE_URL, max: 1 });
    const statements: string[] = [];
    const counted = new WeakSet<pg.PoolClient>();
    const counting = {
      connect: async () => {
        const client = await pool.connect();
        if (counted.has(client)) return client;
        counted.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        return Object.assign(client, {
          query: (config: string | { text: string }, ...rest: unknown[]) => {
            statements.push(typeof config === 'string' ? config : config.text);
            return query(config, ...rest);
          },
        });
      },
    } as unknown as pg.Pool;
    try {
      const writer = new SignatureWriter(t.ctx.db, counting, { rateLimits: { burst: 1000, burstSeconds: 60, sustained: 1000, sustainedSeconds: 300 }, onConfirmationsDue: async () => {}, maxConcurrent: 1 });
      const batch = (from: number) =>
        Array.from({ length: 40 }, (_, i) => writer.submit(input(petition.id, `statements${from + i}@example.org`, { ip: `2001:db8::${from + i}`, postcode: i % 2 ? places.west.postcode : places.north.postcode })));
      // The first waits alone; the others queue behind it and go together.
      await Promise.all([writer.submit(input(petition.id, 'warm@example.org', { postcode: places.north.postcode })), ...batch(0)]);
      statements.length = 0;
      // Again: one written alone, forty queued behind it in one transaction; three statements each.
      const outcomes = await Promise.all([writer.submit(input(petition.id, 'alone-again@example.org')), ...batch(100)]);
      expect(outcomes.every((o) => o.kind === 'signed')).toBe(true);
      expect(statements.filter((s) => s !== BEGIN && s !== 'commit')).toHaveLength(6);
      const stored = await t.ctx.db.selectFrom('signatures').select('constituency_code').where('petition_id', '=', petition.id).where('email', 'like', 'statements1__@%').execute();
      expect(stored).toHaveLength(40);
      expect(new Set(stored.map((s) => s.constituency_code))).toEqual(new Set([places.west.code, places.north.code]));
      // Four batches ran on the one connection: PostgreSQL parsed each statement once and ran it four times.
      statements.length = 0;
      const prepared = await pool.query<{ statement: string; runs: number }>(
        `select statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements where statement like '%signatures%' or statement like '%advisory%'`,
      );
      expect(prepared.rows.map((r) => r.runs).sort()).toEqual([4, 4, 4]);
    } finally {
      await pool.end();
    }
  });

  it('looks an unknown postcode up again, so one added since is found at once', async () => {
    const petition = await createPetition(t.ctx.db);
    const writer = new SignatureWriter(t.ctx.db, t.ctx.pool, { rateLimits: { burst: 1000, burstSeconds: 60, sustained: 1000, sustainedSeconds: 300 }, onConfirmationsDue: async () => {}, maxConcurrent: 1 });
    const before = await writer.submit(input(petition.id, 'newpostcode@example.org', { postcode: 'BS2 9ZZ' }));
    expect(before.kind).toBe('postcode-not-found');
    await t.ctx.db
      .insertInto('postcodes')
      .values({ compact: 'BS29ZZ', postcode: 'BS2 9ZZ', constituency_code: places.west.code, region_code: places.west.region, country_code: 'E92000001' })
      .execute();
    const after = await writer.submit(input(petition.id, 'newpostcode@example.org', { postcode: 'BS2 9ZZ' }));
    expect(after).toMatchObject({ kind: 'signed', constituencyCode: places.west.code });
  });

  it('cannot store half a batch when its insert fails behind a pipelined COMMIT: the batch rolls back, then each is stored alone, once', async () => {
    const petition = await createPetition(t.ctx.db);
    const writer = new SignatureWriter(t.ctx.db, t.ctx.pool, { rateLimits: { burst: 1000, burstSeconds: 60, sustained: 1000, sustainedSeconds: 300 }, onConfirmationsDue: async () => {}, maxConcurrent: 1 });
    const first = writer.submit(input(petition.id, 'pipe-alone@example.org'));
    // Queued behind the first, in one batch: PostgreSQL text cannot hold NUL, so the insert fails (the read before it does not look at names).
    const rest = [
      writer.submit(input(petition.id, 'pipe-good1@example.org')),
      writer.submit(input(petition.id, 'pipe-poison@example.org', { name: 'Nul\u0000Name' })),
      writer.submit(input(petition.id, 'pipe-good2@example.org')),
    ];
    const settled = await Promise.allSettled([first, ...rest]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const emails = (await t.ctx.db.selectFrom('signatures').select('email').where('petition_id', '=', petition.id).execute()).map((r) => r.email).sort();
    expect(emails).toEqual(['pipe-alone@example.org', 'pipe-good1@example.org', 'pipe-good2@example.org']);
  });

  it('sends a batch in two round trips: BEGIN, the locks and the read together, then the insert and COMMIT together', async () => {
    const petition = await createPetition(t.ctx.db);
    const pool = new pg.Pool({ connectionString: t.ctx.config.DATABASE_URL, max: 1 });
    const events: string[] = [];
    const label = (text: string) => (text === BEGIN ? 'begin' : text === 'commit' ? text : text.includes('advisory') ? 'lock' : text.trim().startsWith('insert') ? 'insert' : text.includes('json_agg') ? 'read' : 'other');
    const traced = new WeakSet<pg.PoolClient>();
    const tracing = {
      connect: async () => {
        const client = await pool.connect();
        if (traced.has(client)) return client;
        traced.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        return Object.assign(client, {
          query: (config: string | { text: string }, ...rest: unknown[]) => {
            const name = label(typeof config === 'string' ? config : config.text);
            events.push(`send ${name}`);
            return query(config, ...rest).finally(() => events.push(`done ${name}`));
          },
        });
      },
    } as unknown as pg.Pool;
    try {
      const writer = new SignatureWriter(t.ctx.db, tracing, { rateLimits: { burst: 1000, burstSeconds: 60, sustained: 1000, sustainedSeconds: 300 }, onConfirmationsDue: async () => {}, maxConcurrent: 1 });
      expect((await writer.submit(input(petition.id, 'roundtrips@example.org', { ip: '2001:db8::77' }))).kind).toBe('signed');
      expect(events).toEqual([
        'send begin', 'send lock', 'send read', 'done begin', 'done lock', 'done read',
        'send insert', 'send commit', 'done insert', 'done commit',
      ]);
    } finally {
      await pool.end();
    }
  });

  it('cannot lose or duplicate a signature when one of two overlapping batches loses its connection mid-flight', async () => {
    const petition = await createPetition(t.ctx.db);
    const writer = new SignatureWriter(t.ctx.db, t.ctx.pool, { rateLimits: { burst: 1000, burstSeconds: 60, sustained: 1000, sustainedSeconds: 300 }, onConfirmationsDue: async () => {}, maxConcurrent: 2 });
    // Another session holds the lock of one signer's email, so the batch holding that signer waits in its locks.
    const blocker = await t.ctx.pool.connect();
    try {
      await blocker.query('begin');
      await blocker.query(`select pg_advisory_xact_lock(hashtextextended($1, 7301))`, [`sign-email:${petition.id}:${canonicalEmail('stuck0@example.org')}`]);
      // Submitted together: the first goes at once, alone, and waits on the lock; the other four
      // follow in the second batch, on the second connection, which keeps writing meanwhile.
      const stuck = writer.submit(input(petition.id, 'stuck0@example.org'));
      // Observed from now on: it fails as soon as its backend dies, which may be before the
      // terminating query below has answered.
      const stuckSettled = Promise.allSettled([stuck]);
      const following = Array.from({ length: 4 }, (_, i) => writer.submit(input(petition.id, `stuck${i + 1}@example.org`)));
      await waitFor(async () => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory'`.execute(t.ctx.db)).rows[0]!.n === 1);
      const flowing = await Promise.all([...following, ...Array.from({ length: 10 }, (_, i) => writer.submit(input(petition.id, `flowing${i}@example.org`)))]);
      expect(flowing.every((o) => o.kind === 'signed')).toBe(true);
      // The waiting batch's server process dies (as in a crash of its PostgreSQL backend).
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory'`.execute(t.ctx.db);
      const [stuckOutcome] = await stuckSettled;
      expect(stuckOutcome.status).toBe('rejected');
      await blocker.query('rollback');
      // Nobody was told "signed" for what was not stored; they sign again, and are stored once.
      expect((await writer.submit(input(petition.id, 'stuck0@example.org'))).kind).toBe('signed');
      const rows = await sql<{ email: string; n: number }>`select email, count(*)::int as n from signatures where petition_id = ${petition.id} group by email`.execute(t.ctx.db);
      expect(rows.rows).toHaveLength(15);
      expect(rows.rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      blocker.release();
    }
  });

  it('cannot fall back to scanning the whole signatures table while it is small: each lookup goes through its index', async () => {
    const petition = await createPetition(t.ctx.db);
    const writer = new SignatureWriter(t.ctx.db, t.ctx.pool, { rateLimits: { burst: 1000, burstSeconds: 60, sustained: 1000, sustainedSeconds: 300 }, onConfirmationsDue: async () => {}, maxConcurrent: 1 });
    const batch = (n: number) => Promise.all(Array.from({ length: 5 }, (_, i) => writer.submit(input(petition.id, `scan${n}-${i}@example.org`, { ip: `2001:db8::${n}:${i}` }))));
    // Enough batches on each pooled connection for PostgreSQL to settle on its generic plans.
    for (let n = 0; n < 30; n++) await batch(n);
    const seqScans = async () => {
      // Each session reports its counts when it is idle, at most once a second.
      await new Promise((r) => setTimeout(r, 1500));
      return (await sql<{ n: number }>`select seq_scan::int as n from pg_stat_user_tables where relname = 'signatures'`.execute(t.ctx.db)).rows[0]!.n;
    };
    const before = await seqScans();
    for (let n = 30; n < 40; n++) await batch(n);
    expect(await seqScans()).toBe(before);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
