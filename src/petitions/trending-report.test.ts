import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import type { Agent } from '../../test/support/agent.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { freshTallies, insertGroup, insertPetition, insertSignatures, storedTallies, type SignatureFixture } from './admin/test-support.ts';
import { countSignatures } from './jobs.ts';
import { trendingReport } from './trending-report.ts';

let t: TestApp;
let groupId: number;
let moderator: Agent;

/** `n` signatures from one source, `spacingSeconds` apart, starting `startMinutesAgo` minutes ago. */
function burst(n: number, startMinutesAgo: number, spacingSeconds: number, row: (i: number) => SignatureFixture): SignatureFixture[] {
  const start = Date.now() - startMinutesAgo * 60_000;
  return Array.from({ length: n }, (_, i) => ({ ...row(i), createdAt: new Date(start + i * spacingSeconds * 1000) }));
}

beforeAll(async () => {
  t = await createTestApp();
  groupId = await insertGroup(t.ctx.db, 'Ashworth Keep Our NHS Public');
  ({ agent: moderator } = await signedInAgent(t.app, t.ctx, { role: 'moderator' }));
});
afterAll(() => t.close());

describe('the trending report', () => {
  it('lists an address or domain with 100 signatures in an hour, and not one with 99', async () => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupId] });
    await insertSignatures(t.ctx.db, id, [
      // 100 within 59 minutes 24 seconds: trending.
      ...burst(100, 180, 36, () => ({ ip: '203.0.113.50' })),
      // 99 within the hour: not.
      ...burst(99, 180, 36, () => ({ ip: '203.0.113.99' })),
      // 150 spread over five hours (at most 30 in any hour): not.
      ...burst(150, 400, 120, () => ({ ip: '198.51.100.1' })),
      // Domains, each from different addresses.
      ...burst(100, 120, 30, (i) => ({ email: `person${i}@bulk.example`, ip: `100.64.1.${i}` })),
      ...burst(99, 120, 30, (i) => ({ email: `person${i}@nearly.example`, ip: `100.64.2.${i}` })),
    ]);
    const report = await trendingReport(t.ctx.db, id);
    expect(report.ips.map((s) => [s.value, s.peak, s.total])).toEqual([['203.0.113.50', 100, 100]]);
    expect(report.domains.map((s) => [s.value, s.peak, s.total])).toEqual([['bulk.example', 100, 100]]);
  });

  it('catches a burst that straddles the hour on the clock', async () => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupId] });
    // 120 signatures over 40 minutes, starting at hh:40: fixed hourly buckets would see 60 and 60.
    const base = new Date();
    base.setUTCMinutes(40, 0, 0);
    base.setUTCHours(base.getUTCHours() - 3);
    await insertSignatures(
      t.ctx.db,
      id,
      Array.from({ length: 120 }, (_, i) => ({ ip: '192.0.2.7', createdAt: new Date(base.getTime() + i * 20_000) })),
    );
    expect((await trendingReport(t.ctx.db, id)).ips.map((s) => [s.value, s.peak])).toEqual([['192.0.2.7', 120]]);
  });

  it('looks only at the chosen period, and leaves invalidated signatures out', async () => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupId] });
    await insertSignatures(t.ctx.db, id, [
      ...burst(100, 3 * 24 * 60, 10, () => ({ ip: '203.0.113.3' })),
      ...burst(100, 60, 10, () => ({ ip: '203.0.113.4', state: 'invalidated' })),
    ]);
    expect((await trendingReport(t.ctx.db, id, { period: 'day' })).ips).toEqual([]);
    expect((await trendingReport(t.ctx.db, id, { period: 'week' })).ips.map((s) => s.value)).toEqual(['203.0.113.3']);
  });

  it('shows the report with a path to invalidate, and the counts follow', async () => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupId] });
    await insertSignatures(t.ctx.db, id, [...burst(100, 90, 20, () => ({ ip: '203.0.113.66' })), ...burst(5, 30, 60, (i) => ({ ip: `100.64.3.${i}` }))]);
    await countSignatures(t.ctx);
    expect((await storedTallies(t.ctx.db, id)).total).toBe(105);

    const page = await moderator.get(`/admin/petitions/${id}/trending`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<code>203.0.113.66</code>');
    expect(page.body).toContain(`action="/admin/petitions/${id}/invalidate/preview"`);

    const preview = await moderator.post(`/admin/petitions/${id}/invalidate/preview`, {
      kind: 'ip',
      value: '203.0.113.66',
      reason: 'IP address 203.0.113.66 signed 100 times in one hour',
    });
    expect(preview.body).toContain('100 signatures match');
    await moderator.post(`/admin/petitions/${id}/invalidate`, { kind: 'ip', value: '203.0.113.66', reason: 'Trending' });
    expect(await storedTallies(t.ctx.db, id)).toEqual(await freshTallies(t.ctx.db, id));
    expect((await storedTallies(t.ctx.db, id)).total).toBe(5);
    expect((await moderator.get(`/admin/petitions/${id}/trending`)).body).not.toContain('<code>203.0.113.66</code>');
  });
});
