import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { confirmByLink, createPetition, places, postSignature, seedPlaces } from '../../test/support/public-petitions.ts';
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

const rowsFor = (petitionId: number) =>
  t.ctx.db.selectFrom('signatures').select(['name', 'canonical_email', 'household_slot', 'emails_sent', 'state']).where('petition_id', '=', petitionId).orderBy('id').execute();

const mailTo = (address: string) => sink.messages.filter((m) => m.to.some((to) => to.toLowerCase() === address.toLowerCase()));

describe('the duplicate rule', () => {
  it('treats case, +tags and Gmail dots as one address: resends the confirmation, at most five emails, never a second row', async () => {
    const petition = await createPetition(t.ctx.db);
    const first = await postSignature(t.app, petition.id, { name: 'Kim Lee', email: 'Kim.Lee+nhs@Gmail.com', postcode: places.north.postcode });
    expect(first.headers.location).toContain('outcome=signed');
    await t.runJobs();
    expect(mailTo('Kim.Lee+nhs@Gmail.com')).toHaveLength(1);

    const variants = ['kimlee@googlemail.com', 'KIM.LEE@gmail.com', 'k.i.m.l.e.e+again@gmail.com', 'kimlee+x@GMAIL.COM'];
    for (const email of variants) {
      const again = await postSignature(t.app, petition.id, { name: 'kim  lee', email, postcode: places.north.postcode });
      expect(again.statusCode).toBe(303);
      expect(again.headers.location).toContain('outcome=resent');
      await t.runJobs();
    }
    const sent = sink.messages.filter((m) => m.subject.includes(`Test petition`) && m.to.some((to) => /kim/i.test(to)));
    expect(sent).toHaveLength(5);
    expect(await rowsFor(petition.id)).toEqual([
      { name: 'Kim Lee', canonical_email: 'kimlee@gmail.com', household_slot: 1, emails_sent: 5, state: 'pending' },
    ]);

    const sixth = await postSignature(t.app, petition.id, { name: 'Kim Lee', email: 'kimlee@gmail.com', postcode: places.north.postcode });
    expect(sixth.headers.location).toContain('outcome=email-limit');
    const page = await t.app.inject({ method: 'GET', url: sixth.headers.location as string });
    expect(page.body).toContain('we won’t send it again');
    await t.runJobs();
    expect(sink.messages.filter((m) => m.to.some((to) => /kim/i.test(to)))).toHaveLength(5);

    const json = await postSignature(t.app, petition.id, { name: 'Kim Lee', email: 'kimlee@gmail.com', postcode: places.north.postcode }, { json: true });
    expect(json.statusCode).toBe(202);
    expect(json.json()).toMatchObject({ outcome: 'email-limit' });
  });

  it('lets a second person of the household sign with the same address, refuses a third, and counts each once', async () => {
    const petition = await createPetition(t.ctx.db);
    const shared = 'family@example.org';
    expect((await postSignature(t.app, petition.id, { name: 'Ann Home', email: shared, postcode: places.south.postcode })).headers.location).toContain('outcome=signed');
    expect((await postSignature(t.app, petition.id, { name: 'Bob Home', email: 'Family@Example.org', postcode: 'so11aa' })).headers.location).toContain('outcome=signed');

    const third = await postSignature(t.app, petition.id, { name: 'Cy Home', email: shared, postcode: places.south.postcode });
    expect(third.statusCode).toBe(422);
    expect(third.body).toContain('There is a problem');
    expect(third.body).toContain('Two people have already signed this petition with this email address');
    expect(third.body).toContain('value="Cy Home"');
    const thirdJson = await postSignature(t.app, petition.id, { name: 'Cy Home', email: shared, postcode: places.south.postcode }, { json: true });
    expect(thirdJson.statusCode).toBe(422);
    expect(thirdJson.json()).toMatchObject({ error: 'invalid', errors: [{ field: 'email' }] });

    // Signing again as either of the two is a resend, not a new row.
    expect((await postSignature(t.app, petition.id, { name: 'Bob Home', email: shared, postcode: places.south.postcode })).headers.location).toContain('outcome=resent');
    expect(await rowsFor(petition.id)).toMatchObject([
      { name: 'Ann Home', household_slot: 1 },
      { name: 'Bob Home', household_slot: 2 },
    ]);

    await t.runJobs();
    const links = mailTo(shared).map((m) => linkIn(m, 'http://chorus.test/signatures/').replace('http://chorus.test', ''));
    for (const link of new Set(links)) expect((await confirmByLink(t.app, link)).confirm.statusCode).toBe(303);
    await countSignatures(t.ctx);
    const counted = await t.ctx.db.selectFrom('petitions').select('signature_count').where('id', '=', petition.id).executeTakeFirstOrThrow();
    expect(counted.signature_count).toBe(2);

    // Confirmed people signing again are told so, and nothing changes.
    const again = await postSignature(t.app, petition.id, { name: 'Ann Home', email: shared, postcode: places.south.postcode });
    expect(again.headers.location).toContain('outcome=already-signed');
    await countSignatures(t.ctx);
    expect((await t.ctx.db.selectFrom('petitions').select('signature_count').where('id', '=', petition.id).executeTakeFirstOrThrow()).signature_count).toBe(2);
  });

  it('treats another name at another postcode with the same address as the same signer', async () => {
    const petition = await createPetition(t.ctx.db);
    await postSignature(t.app, petition.id, { name: 'Dee One', email: 'dee@example.org', postcode: places.north.postcode });
    const other = await postSignature(t.app, petition.id, { name: 'Someone Else', email: 'dee@example.org', postcode: places.west.postcode });
    expect(other.headers.location).toContain('outcome=resent');
    expect(await rowsFor(petition.id)).toHaveLength(1);
  });

  it('applies the rule within one batch: simultaneous repeats store one row, household members two, a third is refused', async () => {
    const petition = await createPetition(t.ctx.db);
    const same = await Promise.all(
      Array.from({ length: 6 }, () => postSignature(t.app, petition.id, { name: 'Eve Rush', email: 'eve@example.org', postcode: places.west.postcode })),
    );
    expect(same.map((r) => r.statusCode)).toEqual(Array(6).fill(303));
    const family = await Promise.all(
      ['Fay Rush', 'Gus Rush', 'Hal Rush'].map((name) => postSignature(t.app, petition.id, { name, email: 'eve@example.org', postcode: places.west.postcode }, { json: true })),
    );
    expect(family.map((r) => r.statusCode).sort()).toEqual([202, 422, 422]);
    expect(await rowsFor(petition.id)).toHaveLength(2);
  });
});
