import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { createPetition, postSignature, seedPlaces, signer } from '../../test/support/public-petitions.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
});
afterAll(() => t.close());

async function solvedPayload(petitionId: number): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: `/petitions/${petitionId}/challenge.json` });
  expect(res.statusCode).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  const challenge = res.json() as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  expect(solution).not.toBeNull();
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

const heldReasonOf = async (petitionId: number, email: string) =>
  (await t.ctx.db.selectFrom('signatures').select('held_reason').where('petition_id', '=', petitionId).where('email', '=', email).executeTakeFirstOrThrow())
    .held_reason;

describe('a petition under attack', () => {
  it('shows the proof-of-work script and explains what happens without it; a calm petition does not', async () => {
    const attacked = await createPetition(t.ctx.db, { underAttack: true });
    const page = await t.app.inject({ method: 'GET', url: attacked.path });
    expect(page.body).toMatch(/<script src="\/assets\/altcha-solver\.js\?v=[0-9a-f]+" defer><\/script>/);
    expect(page.body).toContain(`data-altcha-challenge="/petitions/${attacked.id}/challenge.json"`);
    expect(page.body).toContain('checked by a moderator before it is counted');
    // The challenge is fetched by the script, so the page itself stays cacheable.
    expect(page.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');
    expect(page.body).not.toMatch(/"parameters"/);

    const calm = await createPetition(t.ctx.db);
    const calmPage = await t.app.inject({ method: 'GET', url: calm.path });
    expect(calmPage.body).not.toContain('altcha');
  });

  it('signs normally with a valid solution, and holds a reused one as unverified', async () => {
    const petition = await createPetition(t.ctx.db, { underAttack: true });
    const altcha = await solvedPayload(petition.id);
    const first = signer();
    expect((await postSignature(t.app, petition.id, { ...first, altcha })).statusCode).toBe(303);
    expect(await heldReasonOf(petition.id, first.email!)).toBeNull();

    const replay = signer();
    const res = await postSignature(t.app, petition.id, { ...replay, altcha });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('outcome=signed');
    expect(await heldReasonOf(petition.id, replay.email!)).toBe('unverified');
  });

  it('stores but holds a signature with no solution, a broken one, or one for another petition', async () => {
    const petition = await createPetition(t.ctx.db, { underAttack: true });
    const other = await createPetition(t.ctx.db, { underAttack: true });
    const forOther = await solvedPayload(other.id);
    const tampered = JSON.parse(Buffer.from(await solvedPayload(petition.id), 'base64').toString());
    tampered.solution.derivedKey = tampered.solution.derivedKey.replace(/.$/, (c: string) => (c === '0' ? '1' : '0'));
    const attempts = [
      undefined,
      '',
      'not base64 at all %%%',
      Buffer.from('{"challenge":1}').toString('base64'),
      Buffer.from(JSON.stringify(tampered)).toString('base64'),
      forOther,
    ];
    for (const altcha of attempts) {
      const s = signer();
      const res = await postSignature(t.app, petition.id, altcha === undefined ? s : { ...s, altcha });
      expect(res.statusCode).toBe(303);
      expect(await heldReasonOf(petition.id, s.email!)).toBe('unverified');
    }
  });

  it('refuses challenges for closed or unknown petitions', async () => {
    const closed = await createPetition(t.ctx.db, { state: 'closed', underAttack: true });
    expect((await t.app.inject({ method: 'GET', url: `/petitions/${closed.id}/challenge.json` })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'GET', url: '/petitions/987654/challenge.json' })).statusCode).toBe(404);
  });
});
