import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { createPetition, places, seedPlaces } from '../../test/support/public-petitions.ts';
import { canonicalEmail } from './canonical-email.ts';
import { SignatureWriter, type SignatureInput } from './signature-writer.ts';

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
      expect(statements.filter((s) => s !== 'begin' && s !== 'commit')).toHaveLength(6);
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
});
