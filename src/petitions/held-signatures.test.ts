import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import type { Agent } from '../../test/support/agent.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { auditActions, freshTallies, insertGroup, insertPetition, insertSignatures, storedTallies } from './admin/test-support.ts';
import { countSignatures } from './jobs.ts';

let t: TestApp;
let groupId: number;
let moderator: Agent;
let organiser: Agent;

/** 4 counted signatures, and held ones from two addresses (some confirmed, some not). */
async function petitionWithHeld(): Promise<number> {
  const id = await insertPetition(t.ctx.db, { groupIds: [groupId] });
  await insertSignatures(t.ctx.db, id, [
    ...Array.from({ length: 4 }, (_, i) => ({ ip: `100.64.0.${i + 1}`, constituency: 'E14000001' })),
    ...Array.from({ length: 3 }, () => ({ ip: '203.0.113.9', held: true, constituency: 'E14000002', region: 'E12000002' })),
    { ip: '203.0.113.9', held: true, state: 'pending' as const },
    ...Array.from({ length: 2 }, () => ({ ip: '198.51.100.4', held: true, constituency: 'E14000003', region: 'E12000003' })),
  ]);
  await countSignatures(t.ctx);
  return id;
}

async function heldRows(id: number) {
  return t.ctx.db.selectFrom('signatures').select(['state']).where('petition_id', '=', id).where('held_reason', 'is not', null).where('state', '<>', 'invalidated').execute();
}

beforeAll(async () => {
  t = await createTestApp();
  groupId = await insertGroup(t.ctx.db, 'Ashworth Health Watch');
  ({ agent: moderator } = await signedInAgent(t.app, t.ctx, { role: 'moderator' }));
  ({ agent: organiser } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupId] }));
});
afterAll(() => t.close());

describe('held signatures', () => {
  it('are not counted, and are listed by address for moderators', async () => {
    const id = await petitionWithHeld();
    expect((await storedTallies(t.ctx.db, id)).total).toBe(4);
    const page = await moderator.get(`/admin/petitions/${id}/held`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('6 held signatures from 2 addresses');
    expect(page.body).toMatch(/<code>203\.0\.113\.9<\/code><\/th><td class="numeric">4<\/td><td class="numeric">3<\/td>/);
    expect(page.body).toMatch(/<code>198\.51\.100\.4<\/code><\/th><td class="numeric">2<\/td><td class="numeric">2<\/td>/);
    expect(page.body.indexOf('203.0.113.9')).toBeLessThan(page.body.indexOf('198.51.100.4'));
  });

  it('released from one address, count (the confirmed ones), and the tallies match the rows', async () => {
    const id = await petitionWithHeld();
    await moderator.get(`/admin/petitions/${id}/held`);
    const response = await moderator.post(`/admin/petitions/${id}/held`, { ip: '203.0.113.9', decision: 'release' });
    expect(response.headers.location).toBe(`/admin/petitions/${id}/held`);
    const after = await storedTallies(t.ctx.db, id);
    expect(after).toEqual(await freshTallies(t.ctx.db, id));
    expect(after.total).toBe(7);
    expect(after.byKey['constituency:E14000002']).toBe(3);
    expect(await heldRows(id)).toHaveLength(2);
    expect(await auditActions(t.ctx.db, id)).toEqual(['petition.held.release']);
  });

  it('invalidated from one address, never count, and the tallies match the rows', async () => {
    const id = await petitionWithHeld();
    await moderator.get(`/admin/petitions/${id}/held`);
    await moderator.post(`/admin/petitions/${id}/held`, { ip: '198.51.100.4', decision: 'invalidate' });
    expect(await storedTallies(t.ctx.db, id)).toEqual(await freshTallies(t.ctx.db, id));
    expect((await storedTallies(t.ctx.db, id)).total).toBe(4);
    const invalidated = await t.ctx.db.selectFrom('signatures').select('id').where('petition_id', '=', id).where('state', '=', 'invalidated').execute();
    expect(invalidated).toHaveLength(2);
    // The counter does not pick them up later either.
    await countSignatures(t.ctx);
    expect((await storedTallies(t.ctx.db, id)).total).toBe(4);
  });

  it('all released at once; unconfirmed ones count when confirmed', async () => {
    const id = await petitionWithHeld();
    await moderator.get(`/admin/petitions/${id}/held`);
    await moderator.post(`/admin/petitions/${id}/held`, { ip: 'all', decision: 'release' });
    expect((await storedTallies(t.ctx.db, id)).total).toBe(9);
    expect(await heldRows(id)).toHaveLength(0);
    await t.ctx.db.updateTable('signatures').set({ state: 'validated', validated_at: new Date() }).where('petition_id', '=', id).where('state', '=', 'pending').execute();
    await countSignatures(t.ctx);
    expect(await storedTallies(t.ctx.db, id)).toEqual(await freshTallies(t.ctx.db, id));
    expect((await storedTallies(t.ctx.db, id)).total).toBe(10);
  });

  it('refuses an address that is not an address, and organisers', async () => {
    const id = await petitionWithHeld();
    await moderator.get(`/admin/petitions/${id}/held`);
    const bad = await moderator.post(`/admin/petitions/${id}/held`, { ip: 'nonsense', decision: 'release' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Choose an address from the list');
    expect((await organiser.get(`/admin/petitions/${id}/held`)).statusCode).toBe(403);
    await organiser.get('/admin/petitions');
    expect((await organiser.post(`/admin/petitions/${id}/held`, { ip: 'all', decision: 'release' })).statusCode).toBe(403);
    expect((await storedTallies(t.ctx.db, id)).total).toBe(4);
  });
});
