import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { createPetition, postSignature, seedPlaces, signer } from '../../test/support/public-petitions.ts';
import { buildApp } from '../app.ts';
import { connectDatabase, type DatabaseHandle } from '../platform/db/database.ts';
import type { Database } from '../schema.ts';
import { countSignatures } from './jobs.ts';
import { overRateLimit, defaultRateLimits } from './rate-limit.ts';

let t: TestApp;
let second: { app: FastifyInstance; handle: DatabaseHandle<Database> };
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  // Another app instance with its own pool and its own signature writer on the same database:
  // what a second `chorus serve` process would be.
  const handle = connectDatabase<Database>(t.database.url, 5, 'chorus-test-second');
  const app = await buildApp({ ...t.ctx, db: handle.db, pool: handle.pool });
  await app.ready();
  second = { app, handle };
});
afterAll(async () => {
  await second.app.close();
  await second.handle.close();
  await t.close();
});

const held = (petitionId: number) =>
  t.ctx.db.selectFrom('signatures').select(['held_reason']).where('petition_id', '=', petitionId).orderBy('id').execute();

async function confirmAllAndCount(petitionId: number) {
  await t.ctx.db.updateTable('signatures').set({ state: 'validated', validated_at: new Date() }).where('petition_id', '=', petitionId).execute();
  await countSignatures(t.ctx);
  return (await t.ctx.db.selectFrom('petitions').select('signature_count').where('id', '=', petitionId).executeTakeFirstOrThrow()).signature_count;
}

describe('per-address rate limits', () => {
  it('holds the second signature from one address within a minute, answers it as normal, and does not count it', async () => {
    const petition = await createPetition(t.ctx.db);
    const ip = '203.0.113.7';
    const a = await postSignature(t.app, petition.id, signer(), { ip });
    const b = await postSignature(t.app, petition.id, signer(), { ip });
    expect(a.statusCode).toBe(303);
    expect(b.statusCode).toBe(303);
    // The signer is not told about the hold.
    expect(b.headers.location).toBe(a.headers.location);
    expect(await held(petition.id)).toEqual([{ held_reason: null }, { held_reason: 'rate_limit' }]);
    // Another address is not affected.
    await postSignature(t.app, petition.id, signer(), { ip: '203.0.113.8' });
    expect(await confirmAllAndCount(petition.id)).toBe(2);
  });

  it('holds across two app instances (two processes) signing at once from one address', async () => {
    const petition = await createPetition(t.ctx.db);
    const ip = '198.51.100.20';
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => postSignature(i % 2 === 0 ? t.app : second.app, petition.id, signer(), { ip })),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(8).fill(303));
    const rows = await held(petition.id);
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.held_reason === null)).toHaveLength(1);
    expect(await confirmAllAndCount(petition.id)).toBe(1);
  });

  it('also limits to five in five minutes when the burst allows more', () => {
    const limits = { ...defaultRateLimits, burst: 10 };
    expect(overRateLimit({ inBurst: 4, inSustained: 4 }, limits)).toBe(false);
    expect(overRateLimit({ inBurst: 5, inSustained: 5 }, limits)).toBe(true);
    expect(overRateLimit({ inBurst: 0, inSustained: 0 }, defaultRateLimits)).toBe(false);
    expect(overRateLimit({ inBurst: 1, inSustained: 1 }, defaultRateLimits)).toBe(true);
  });
});
