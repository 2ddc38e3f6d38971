import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import type { Agent } from '../../test/support/agent.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { auditActions, freshTallies, insertGroup, insertPetition, insertSignatures, storedTallies, type SignatureFixture } from './admin/test-support.ts';
import { confirmationToken } from './confirmation-emails.ts';
import { confirmSignature } from './confirm-signature.ts';
import { countSignatures } from './jobs.ts';

let t: TestApp;
let groupId: number;
let moderator: Agent;
let organiser: Agent;

const many = (n: number, row: (i: number) => SignatureFixture) => Array.from({ length: n }, (_, i) => row(i));

/**
 * A petition with signatures spread over constituencies, regions and countries, from a few
 * sources worth invalidating; counted by the real counter.
 */
async function seededPetition(): Promise<number> {
  const id = await insertPetition(t.ctx.db, { groupIds: [groupId], state: 'open' });
  await insertSignatures(t.ctx.db, id, [
    ...many(5, () => ({ ip: '203.0.113.7', constituency: 'E14000001', region: 'E12000001' })),
    ...many(2, () => ({ ip: '203.0.113.7', state: 'pending' })),
    ...many(4, (i) => ({ ip: `198.51.100.${10 + i}`, constituency: 'E14000002', region: 'E12000002' })),
    ...many(3, (i) => ({ email: `bot${i}@Spam.example`, ip: `192.0.2.${i + 1}`, constituency: 'E14000003', region: 'E12000003' })),
    { email: 'target.person+petitions@gmail.com', ip: '192.0.2.200', constituency: 'E14000003', region: 'E12000003' },
    ...many(10, (i) => ({ ip: `100.64.0.${i + 1}`, constituency: 'S14000001', region: 'S92000003' })),
    ...many(2, (i) => ({ ip: `100.64.1.${i + 1}`, country: 'FR', constituency: null, region: null })),
    { ip: '203.0.113.7', held: true, constituency: 'E14000001' },
  ]);
  await countSignatures(t.ctx);
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  groupId = await insertGroup(t.ctx.db, 'Ashworth Health Campaign');
  ({ agent: moderator } = await signedInAgent(t.app, t.ctx, { role: 'moderator' }));
  ({ agent: organiser } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupId] }));
});
afterAll(() => t.close());

describe('bulk invalidation', () => {
  it.each([
    // kind, typed value, matching rows, of which counted
    ['email', 'Target.Person@googlemail.com', 1, 1],
    ['domain', '@SPAM.example', 3, 3],
    ['ip', '203.0.113.7', 8, 5],
    ['range', '198.51.100.0/24', 4, 4],
    ['range', '203.0.113.0/29', 8, 5],
  ])('by %s (%s): previews the count, then the counts match the remaining rows exactly', async (kind, value, matching, counted) => {
    const id = await seededPetition();
    const before = await storedTallies(t.ctx.db, id);
    expect(before).toEqual(await freshTallies(t.ctx.db, id));
    expect(before.total).toBe(25);

    await moderator.get(`/admin/petitions/${id}/invalidate`);
    const preview = await moderator.post(`/admin/petitions/${id}/invalidate/preview`, { kind, value, reason: 'Bulk fake signatures' });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain(`${matching} ${matching === 1 ? 'signature matches' : 'signatures match'}`);
    expect(preview.body).toContain(`${counted} of them are counted now`);
    // Nothing changes until the moderator confirms.
    expect(await storedTallies(t.ctx.db, id)).toEqual(before);

    const done = await moderator.post(`/admin/petitions/${id}/invalidate`, {
      kind: /name="kind" value="([^"]+)"/.exec(preview.body)![1]!,
      value: /name="value" value="([^"]+)"/.exec(preview.body)![1]!,
      reason: 'Bulk fake signatures',
    });
    expect(done.statusCode).toBe(303);
    const overview = await moderator.get(String(done.headers.location));
    expect(overview.body).toContain(`${matching} ${matching === 1 ? 'signature has' : 'signatures have'} been invalidated`);

    const after = await storedTallies(t.ctx.db, id);
    expect(after).toEqual(await freshTallies(t.ctx.db, id));
    expect(after.total).toBe(25 - counted);
    const invalidated = await t.ctx.db
      .selectFrom('signatures')
      .select(['invalidation_reason'])
      .where('petition_id', '=', id)
      .where('state', '=', 'invalidated')
      .execute();
    expect(invalidated).toHaveLength(matching);
    expect(invalidated.every((r) => r.invalidation_reason === 'Bulk fake signatures')).toBe(true);

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'petition.signatures.invalidate').where('subject_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(audit.before).toEqual({ signatureCount: 25 });
    expect(audit.after).toMatchObject({ match: { kind }, invalidated: matching, signatureCount: 25 - counted });
  });

  it('drops a whole constituency tally when its last signature goes, and later confirmations still count', async () => {
    const id = await seededPetition();
    await moderator.get(`/admin/petitions/${id}/invalidate`);
    await moderator.post(`/admin/petitions/${id}/invalidate`, { kind: 'range', value: '198.51.100.0/24', reason: 'Fakes' });
    const after = await storedTallies(t.ctx.db, id);
    expect(after.byKey['constituency:E14000002']).toBeUndefined();
    expect(after.byKey['region:E12000002']).toBeUndefined();
    expect(after.byKey['constituency:S14000001']).toBe(10);

    // A signature confirmed afterwards is counted by the normal counter on top of the recount.
    await insertSignatures(t.ctx.db, id, [{ ip: '100.64.9.9', constituency: 'S14000001', region: 'S92000003' }]);
    await countSignatures(t.ctx);
    const later = await storedTallies(t.ctx.db, id);
    expect(later).toEqual(await freshTallies(t.ctx.db, id));
    expect(later.byKey['constituency:S14000001']).toBe(11);
  });

  it('stops unconfirmed matching signatures from being confirmed later', async () => {
    const id = await seededPetition();
    const pending = await t.ctx.db.selectFrom('signatures').select('public_id').where('petition_id', '=', id).where('state', '=', 'pending').executeTakeFirstOrThrow();
    await moderator.get(`/admin/petitions/${id}/invalidate`);
    await moderator.post(`/admin/petitions/${id}/invalidate`, { kind: 'ip', value: '203.0.113.7', reason: 'Fakes' });
    await expect(confirmSignature(t.ctx.db, t.ctx.secret, pending.public_id, confirmationToken(t.ctx.secret, pending.public_id))).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it.each([
    ['ip', '203.0.113', 'Enter an IP address'],
    ['range', '10.0.0.0/4', 'An IPv4 range must be between /8 and /32'],
    ['range', '2001:db8::/8', 'An IPv6 range must be between /16 and /128'],
    ['range', '10.0.0.1', 'Enter an IP address range in CIDR form'],
    ['email', 'not-an-address', 'Enter an email address in the correct format'],
    ['domain', 'spam', 'Enter an email domain'],
  ])('refuses a %s of %j with the field named', async (kind, value, message) => {
    const id = await seededPetition();
    await moderator.get(`/admin/petitions/${id}/invalidate`);
    const response = await moderator.post(`/admin/petitions/${id}/invalidate/preview`, { kind, value, reason: 'Fakes' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('href="#field-value"');
    expect(response.body).toContain(message);
    expect(response.body).toContain(`value="${value}"`);
  });

  it('needs a reason and a kind', async () => {
    const id = await seededPetition();
    await moderator.get(`/admin/petitions/${id}/invalidate`);
    const response = await moderator.post(`/admin/petitions/${id}/invalidate`, { value: '203.0.113.7', reason: '' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Choose what to match');
    expect(response.body).toContain('Enter a reason');
    expect((await storedTallies(t.ctx.db, id)).total).toBe(25);
  });

  it('is for moderators and admins, not organisers', async () => {
    const id = await seededPetition();
    expect((await organiser.get(`/admin/petitions/${id}/invalidate`)).statusCode).toBe(403);
    await organiser.get('/admin/petitions');
    expect((await organiser.post(`/admin/petitions/${id}/invalidate`, { kind: 'ip', value: '203.0.113.7', reason: 'x' })).statusCode).toBe(403);
    expect((await storedTallies(t.ctx.db, id)).total).toBe(25);
    expect(await auditActions(t.ctx.db, id)).toEqual([]);
  });
});
