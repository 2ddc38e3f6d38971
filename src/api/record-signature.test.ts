import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { places, postSignature, seedPlaces, signer } from '../../test/support/public-petitions.ts';
import { signatureWriterFor } from '../petitions/sign-petition.ts';
import { makeAdminViewer, makeGroup, makeKey, makePetition, osdiClient } from './test-support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { SIGN_RATE_BURST: '3', SIGN_RATE_BURST_SECONDS: '30', SIGN_RATE_SUSTAINED: '7', SIGN_RATE_SUSTAINED_SECONDS: '600' } });
  await seedPlaces(t.ctx.db);
});
afterAll(() => t.close());

describe('the record signature helper and the public form', () => {
  it('sign through the app’s one signature writer, built with the configured SIGN_RATE_* limits', async () => {
    const admin = await makeAdminViewer(t);
    const group = await makeGroup(t, 'Save Our Maternity Unit');
    const client = osdiClient(t, await makeKey(t, admin, { groupId: group, scope: 'write', perSecond: 1000 }));
    const petitionId = await makePetition(t, { action: 'Keep the maternity unit open', groupIds: [group] });

    const writer = signatureWriterFor(t.ctx);
    expect(writer.rateLimits).toEqual({ burst: 3, burstSeconds: 30, sustained: 7, sustainedSeconds: 600 });
    const submit = vi.spyOn(writer, 'submit');

    const viaApi = await client.post(`http://chorus.test/api/v1/petitions/${petitionId}/signatures`, {
      person: { given_name: 'Ada', family_name: 'Lovelace', email_addresses: [{ address: 'ada@example.org' }], postal_addresses: [{ postal_code: places.north.postcode }] },
    });
    expect(viaApi.status, JSON.stringify(viaApi.body)).toBe(201);
    const viaForm = await postSignature(t.app, petitionId, signer(), { ip: '203.0.113.9' });
    expect(viaForm.statusCode).toBe(303);

    expect(submit).toHaveBeenCalledTimes(2);
    expect(submit.mock.calls.map(([input]) => [input.petitionId, input.ip])).toEqual([
      [petitionId, null],
      [petitionId, '203.0.113.9'],
    ]);
  });
});
