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
    const writer = new SignatureWriter(t.ctx.db, { rateLimits: { burst: 1000, burstSeconds: 60, sustained: 1000, sustainedSeconds: 300 }, onConfirmationsDue: async () => {}, maxConcurrent: 1 });
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => writer.submit(input(petition.id, `batch${i}@example.org`))));
    expect(outcomes.every((o) => o.kind === 'signed')).toBe(true);
    const stored = await t.ctx.db.selectFrom('signatures').select(['public_id', 'constituency_code', 'region_code']).where('petition_id', '=', petition.id).execute();
    expect(stored).toHaveLength(50);
    expect(new Set(stored.map((s) => s.public_id))).toEqual(new Set(outcomes.map((o) => (o.kind === 'signed' ? o.publicId : ''))));
    expect(stored.every((s) => s.constituency_code === places.west.code && s.region_code === places.west.region)).toBe(true);
  });

  it('isolates a signature the database refuses, so the rest of its batch is still stored', async () => {
    const petition = await createPetition(t.ctx.db);
    const writer = new SignatureWriter(t.ctx.db, { rateLimits: { burst: 1000, burstSeconds: 60, sustained: 1000, sustainedSeconds: 300 }, onConfirmationsDue: async () => {}, maxConcurrent: 1 });
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
});
