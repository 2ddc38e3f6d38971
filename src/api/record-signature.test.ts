import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { confirmByLink, places, postSignature, seedPlaces, signer } from '../../test/support/public-petitions.ts';
import { linkIn, SmtpSink } from '../../test/support/smtp.ts';
import { countSignatures } from '../petitions/jobs.ts';
import { linkConfirmedSignatures } from '../supporters/link-signatures.ts';
import { erasePerson } from '../supporters/personal-data.ts';
import { signatureWriterFor } from '../petitions/sign-petition.ts';
import { makeAdminViewer, makeGroup, makeKey, makePetition, osdiClient } from './test-support.ts';

let t: TestApp;
let sink: SmtpSink;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await createTestApp({
    env: { SMTP_URL: sink.url, SIGN_RATE_BURST: '3', SIGN_RATE_BURST_SECONDS: '30', SIGN_RATE_SUSTAINED: '7', SIGN_RATE_SUSTAINED_SECONDS: '600' },
  });
  await seedPlaces(t.ctx.db);
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

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

describe('the record signature helper, as Action Network clients use it', () => {
  const signaturesOf = (petitionId: number) => `http://chorus.test/api/v1/petitions/${petitionId}/signatures`;
  const settle = async () => {
    await t.runJobs();
    await pause(300);
    await t.runJobs();
  };

  async function setUp(name: string, key: { confirmsSignatures?: boolean } = {}) {
    const admin = await makeAdminViewer(t);
    const group = await makeGroup(t, name);
    const client = osdiClient(t, await makeKey(t, admin, { groupId: group, scope: 'write', perSecond: 1000, confirmsSignatures: key.confirmsSignatures ?? false }));
    const petitionId = await makePetition(t, { action: `Act for ${name}`, groupIds: [group] });
    return { client, petitionId };
  }

  it('records a signature from a name and an email alone, counted in the total and the UK under no constituency', async () => {
    const { client, petitionId } = await setUp('No Postcode Group');
    const email = 'no-postcode@example.org';
    const res = await client.post(signaturesOf(petitionId), { person: { given_name: 'Nora', family_name: 'Nopost', email_addresses: [{ address: email }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body['chorus:status']).toBe('awaiting_confirmation');

    await settle();
    const mail = await sink.waitFor((m) => m.to.includes(email));
    expect((await confirmByLink(t.app, linkIn(mail, 'http://chorus.test/signatures/'))).confirm.statusCode).toBe(303);
    await countSignatures(t.ctx);

    const data = (await t.app.inject({ method: 'GET', url: `/petitions/${petitionId}.json` })).json().data.attributes;
    expect(data.signature_count).toBe(1);
    expect(data.signatures_by_constituency).toEqual([]);
    expect(data.signatures_by_region).toEqual([]);
    expect(data.signatures_by_country).toEqual([{ name: 'United Kingdom', code: 'GB', signature_count: 1 }]);
  });

  it('still refuses a postcode that is sent and is not a real one, naming the field', async () => {
    const { client, petitionId } = await setUp('Bad Postcode Group');
    const res = await client.post(signaturesOf(petitionId), {
      person: { given_name: 'Bad', email_addresses: [{ address: 'bad-postcode@example.org' }], postal_addresses: [{ postal_code: 'NOT A CODE' }] },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'person.postal_addresses.0.postal_code', message: expect.stringContaining('postcode') }]);
  });

  it('stores and returns comments and referrer_data on the signature', async () => {
    const { client, petitionId } = await setUp('Referrer Group', { confirmsSignatures: true });
    const referrer = { source: 'facebook-101016-mainpage', referrer: 'jane-doe', website: 'facebook.com', url: 'https://facebook.com/posts/12345' };
    const res = await client.post(signaturesOf(petitionId), {
      person: { given_name: 'Rita', email_addresses: [{ address: 'referred@example.org' }], postal_addresses: [{ postal_code: places.south.postcode }] },
      comments: 'My mum was born in this unit.',
      referrer_data: referrer,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ comments: 'My mum was born in this unit.', referrer_data: referrer });
    const self = await client.get(res.headers.location as string);
    expect(self.body).toMatchObject({ comments: 'My mum was born in this unit.', referrer_data: referrer });
    const listed = await client.get(signaturesOf(petitionId));
    expect((listed.body._embedded as Record<string, unknown[]>)['osdi:signatures']).toEqual([expect.objectContaining({ comments: 'My mum was born in this unit.', referrer_data: referrer })]);
  });

  it('refuses a referrer_data field it cannot keep, naming it, rather than dropping it', async () => {
    const { client, petitionId } = await setUp('Strict Referrer Group');
    const res = await client.post(signaturesOf(petitionId), {
      person: { given_name: 'Sam', email_addresses: [{ address: 'strict-referrer@example.org' }] },
      referrer_data: { source: 'email', campaign: 'spring' },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'referrer_data', message: expect.stringContaining('source, referrer, website and url') }]);
  });

  it('records a trusted key’s signature as confirmed and counted, with no confirmation email', async () => {
    const { client, petitionId } = await setUp('Trusted Key Group', { confirmsSignatures: true });
    const email = 'vouched@example.org';
    const res = await client.post(signaturesOf(petitionId), { person: { given_name: 'Val', email_addresses: [{ address: email }], postal_addresses: [{ postal_code: places.north.postcode }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body['chorus:status']).toBe('confirmed');
    await settle();
    await countSignatures(t.ctx);
    const data = (await t.app.inject({ method: 'GET', url: `/petitions/${petitionId}.json` })).json().data.attributes;
    expect(data.signature_count).toBe(1);
    expect(data.signatures_by_constituency).toEqual([expect.objectContaining({ ons_code: places.north.code, signature_count: 1 })]);
    expect(sink.to(email)).toEqual([]);
  });

  it('confirms, through a trusted key, a signature that was waiting for its email confirmation', async () => {
    const { client, petitionId } = await setUp('Trusted Later Group', { confirmsSignatures: true });
    const email = 'waiting-then-vouched@example.org';
    expect((await postSignature(t.app, petitionId, signer({ name: 'Wendy Wait', email }))).statusCode).toBe(303);
    const res = await client.post(signaturesOf(petitionId), { person: { given_name: 'Wendy', family_name: 'Wait', email_addresses: [{ address: email }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body['chorus:status']).toBe('confirmed');
  });

  it('leaves an untrusted key’s signature unconfirmed, and sends its confirmation email once however often it is posted again', async () => {
    const { client, petitionId } = await setUp('Untrusted Key Group');
    const email = 'repeated@example.org';
    const body = { person: { given_name: 'Rex', email_addresses: [{ address: email }], postal_addresses: [{ postal_code: places.west.postcode }] } };
    const first = await client.post(signaturesOf(petitionId), body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body['chorus:status']).toBe('awaiting_confirmation');
    await settle();
    await sink.waitFor((m) => m.to.includes(email));

    for (let i = 0; i < 3; i++) {
      const again = await client.post(signaturesOf(petitionId), body);
      expect(again.status).toBe(200);
      expect(again.body.identifiers).toEqual(first.body.identifiers);
      expect(again.body['chorus:status']).toBe('awaiting_confirmation');
      await settle();
    }
    expect(sink.to(email)).toHaveLength(1);
  });

  it('erases comments and referrer_data with the signer’s other details', async () => {
    const { client, petitionId } = await setUp('Erased Comments Group', { confirmsSignatures: true });
    const email = 'erase-my-comment@example.org';
    const res = await client.post(signaturesOf(petitionId), {
      person: { given_name: 'Eve', email_addresses: [{ address: email }] },
      comments: 'Something only I would say',
      referrer_data: { referrer: 'eve-friend' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await linkConfirmedSignatures(t.ctx.db);
    const signature = await t.ctx.db.selectFrom('signatures').select(['person_id']).where('canonical_email', '=', email).executeTakeFirstOrThrow();
    expect(signature.person_id).not.toBeNull();
    await t.ctx.db.transaction().execute((tx) => erasePerson(tx, signature.person_id!, 'test'));
    const after = await t.ctx.db.selectFrom('signatures').select(['comments', 'referrer_data', 'email']).where('petition_id', '=', petitionId).executeTakeFirstOrThrow();
    expect(after).toEqual({ comments: null, referrer_data: null, email: null });
  });

  it('refuses tags, lists and an autoresponse it would not act on, naming the field, and records nothing', async () => {
    const { client, petitionId } = await setUp('Refused Extras Group');
    const person = { given_name: 'Xena', email_addresses: [{ address: 'extras@example.org' }] };
    for (const [field, value] of [
      ['add_tags', ['volunteer']],
      ['add_lists', ['newsletter']],
      ['add_tags_uri', ['http://chorus.test/api/v1/tags/1']],
      ['add_lists_uri', ['http://chorus.test/api/v1/lists/1']],
      ['triggers', { autoresponse: { enabled: true } }],
    ] as const) {
      const res = await client.post(signaturesOf(petitionId), { person, [field]: value });
      expect(res.status, field).toBe(422);
      expect(res.body.errors?.[0]?.field, field).toMatch(new RegExp(`^${field}`));
    }
    const fine = await client.post(signaturesOf(petitionId), { person, triggers: { autoresponse: { enabled: false } } });
    expect(fine.status).toBe(201);
  });
});
