import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { cachesExpire, confirmByLink, createPetition, places, postSignature, seedPlaces, signer } from '../../test/support/public-petitions.ts';
import { linkIn, SmtpSink } from '../../test/support/smtp.ts';
import { countSignatures } from './jobs.ts';

let t: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: sink.url } });
  await seedPlaces(t.ctx.db);
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

async function petitionJson(id: number) {
  const res = await t.app.inject({ method: 'GET', url: `/petitions/${id}.json` });
  expect(res.statusCode).toBe(200);
  return res.json().data.attributes;
}

describe('signing a petition, end to end', () => {
  it('signs, emails a one-time link over SMTP, confirms, and only then counts it everywhere', async () => {
    const petition = await createPetition(t.ctx.db, { milestones: [{ threshold: 2, kind: 'response', label: 'The board must respond' }] });
    const email = 'Sam.Signer@example.org';
    const res = await postSignature(t.app, petition.id, { name: 'Sam Signer', email, country: 'GB', postcode: 'ne1 1aa', hear_more: 'yes' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${petition.path}/thank-you?outcome=signed&in=${places.north.code}`);

    const thanks = await t.app.inject({ method: 'GET', url: res.headers.location as string });
    expect(thanks.statusCode).toBe(200);
    expect(thanks.body).toContain('Now check your email');
    expect(thanks.body).toContain(`people in ${places.north.name} have signed`);

    // Nothing counts before confirmation.
    await t.runJobs();
    await countSignatures(t.ctx);
    expect((await petitionJson(petition.id)).signature_count).toBe(0);

    const mail = await sink.waitFor((m) => m.to.includes(email.toLowerCase()) || m.to.includes(email));
    expect(mail.subject).toContain('Please confirm your signature');
    const link = linkIn(mail, 'http://chorus.test/signatures/');
    // Opening the link (as a mail scanner does) shows a button and confirms nothing.
    const opened = await t.app.inject({ method: 'GET', url: link.replace('http://chorus.test', '') });
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('Confirm my signature');
    expect(opened.headers['cache-control']).toBe('no-store');
    const stillPending = await t.ctx.db.selectFrom('signatures').select('state').where('petition_id', '=', petition.id).executeTakeFirstOrThrow();
    expect(stillPending.state).toBe('pending');
    await countSignatures(t.ctx);
    expect((await petitionJson(petition.id)).signature_count).toBe(0);

    const { confirm } = await confirmByLink(t.app, link);
    expect(confirm.statusCode).toBe(303);
    expect(confirm.headers.location).toBe(`${petition.path}/confirmed?in=${places.north.code}`);
    expect(confirm.headers['cache-control']).toBe('no-store');

    await countSignatures(t.ctx);
    await cachesExpire();
    const confirmed = await t.app.inject({ method: 'GET', url: `${petition.path}/confirmed?in=${places.north.code}` });
    expect(confirmed.body).toContain('your signature is confirmed');
    expect(confirmed.body).toContain('1 person in Northtown has signed');

    const data = await petitionJson(petition.id);
    expect(data.signature_count).toBe(1);
    expect(data.signatures_by_constituency).toEqual([{ name: places.north.name, ons_code: places.north.code, mp: places.north.mp, signature_count: 1 }]);
    expect(data.signatures_by_country).toEqual([{ name: 'United Kingdom', code: 'GB', signature_count: 1 }]);
    expect(data.signatures_by_region).toEqual([{ name: places.north.regionName, ons_code: 'A', gss_code: places.north.region, signature_count: 1 }]);

    // The consent wording shown is stored with the signature.
    const row = await t.ctx.db
      .selectFrom('signatures')
      .innerJoin('signature_consent_texts', 'signature_consent_texts.id', 'signatures.consent_text_id')
      .select(['signatures.hear_more', 'signature_consent_texts.wording', 'signatures.state'])
      .where('signatures.petition_id', '=', petition.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ hear_more: true, state: 'validated' });
    const page = await t.app.inject({ method: 'GET', url: petition.path });
    expect(page.body).toContain(row.wording);

    // Using the link again is harmless and counts nothing more.
    expect((await confirmByLink(t.app, link)).confirm.statusCode).toBe(303);
    await countSignatures(t.ctx);
    await cachesExpire();
    expect((await petitionJson(petition.id)).signature_count).toBe(1);
  });

  it('counts a signer from abroad by country only, and stores no consent when the box is left unticked', async () => {
    const petition = await createPetition(t.ctx.db);
    const email = 'abroad@example.org';
    const res = await postSignature(t.app, petition.id, { name: 'Marie Curie', email, country: 'FR', postcode: '' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${petition.path}/thank-you?outcome=signed`);
    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes(email));
    await confirmByLink(t.app, linkIn(mail, 'http://chorus.test/signatures/'));
    await countSignatures(t.ctx);
    const data = await petitionJson(petition.id);
    expect(data.signature_count).toBe(1);
    expect(data.signatures_by_country).toEqual([{ name: 'France', code: 'FR', signature_count: 1 }]);
    expect(data.signatures_by_constituency).toEqual([]);
    const row = await t.ctx.db.selectFrom('signatures').select(['hear_more', 'consent_text_id', 'postcode']).where('petition_id', '=', petition.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ hear_more: false, consent_text_id: null, postcode: null });
  });

  it('refuses a wrong or tampered confirmation link', async () => {
    const petition = await createPetition(t.ctx.db);
    await postSignature(t.app, petition.id, signer({ email: 'tamper@example.org' }));
    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes('tamper@example.org'));
    const link = linkIn(mail, 'http://chorus.test/signatures/').replace('http://chorus.test', '');
    const bad = await t.app.inject({ method: 'GET', url: link.replace(/token=.{4}/, 'token=AAAA') });
    expect(bad.statusCode).toBe(404);
    expect(bad.body).toContain('copying the whole link');
    // Pressing the button with a tampered token (or none) confirms nothing either.
    const publicPath = link.split('?')[0]!;
    for (const payload of ['token=AAAA', '', 'token=']) {
      const posted = await t.app.inject({ method: 'POST', url: publicPath, payload, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' } });
      expect(posted.statusCode, payload).toBeGreaterThanOrEqual(400);
      expect(posted.statusCode, payload).toBeLessThan(500);
    }
    // From another site, the right token is refused too.
    const token = new URL(link, 'http://chorus.test').searchParams.get('token')!;
    const crossSite = await t.app.inject({ method: 'POST', url: publicPath, payload: `token=${encodeURIComponent(token)}`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' } });
    expect(crossSite.statusCode).toBe(403);
    const row = await t.ctx.db.selectFrom('signatures').select('state').where('petition_id', '=', petition.id).executeTakeFirstOrThrow();
    expect(row.state).toBe('pending');
  });
});
