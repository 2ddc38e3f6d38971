import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { loadDemoOnce } from '../demo.ts';
import { purposeFor } from './consent.ts';
import { linkSignatureBatch } from './link-signatures.ts';
import { countAudience, snapshotSegment } from './mailings/audience.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the supporters demo', () => {
  it('gives a share of the demo signers demo consent, so a mailing to a demo segment reaches people', async () => {
    expect((await loadDemoOnce(t.ctx.db)).loaded).toBe(true);
    // The worker links signatures in batches; one batch is enough to show it.
    const linked = await linkSignatureBatch(t.ctx.db);
    expect(linked).toBeGreaterThan(100);
    const db = t.ctx.db;
    const segments = await db.selectFrom('segments').select(['id', 'name', 'group_id']).orderBy('id').execute();
    expect(segments.length).toBeGreaterThanOrEqual(2);

    // About a third of the people have a live consent, its proof saying it is demo data.
    const people = await db.selectFrom('people').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const coalition = await purposeFor(db, { groupId: null });
    const consents = await db
      .selectFrom('consents')
      .innerJoin('consent_wordings', 'consent_wordings.id', 'consents.wording_id')
      .select(['consent_wordings.wording', 'consents.status'])
      .where('consents.purpose_id', '=', coalition.id)
      .execute();
    const share = consents.length / Number(people.n);
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.4);
    expect(consents.every((c) => c.status === 'given' && c.wording.startsWith('Demo data:'))).toBe(true);

    for (const s of segments) {
      const purpose = await purposeFor(db, { groupId: s.group_id });
      const count = await countAudience(db, { purposeId: purpose.id, groupId: s.group_id, segment: await snapshotSegment(db, s.id) });
      expect(count, s.name).toBeGreaterThan(0);
    }
  });
});
