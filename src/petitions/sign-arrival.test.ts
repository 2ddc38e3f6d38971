import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { cachesExpire, confirmByLink, createPetition, freshIp, places, seedPlaces } from '../../test/support/public-petitions.ts';
import { linkIn, SmtpSink } from '../../test/support/smtp.ts';
import { linkConfirmedSignatures } from '../supporters/link-signatures.ts';

let t: TestApp;
let sink: SmtpSink;
let petition: { id: number; path: string };
beforeAll(async () => {
  sink = await new SmtpSink().start();
  t = await createTestApp({ env: { SMTP_URL: sink.url } });
  await seedPlaces(t.ctx.db);
  petition = await createPetition(t.ctx.db, { action: 'Keep the maternity unit open' });
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

const shared = '?utm_source=whatsapp&utm_medium=social&utm_campaign=save-our-unit';

/** The sign form's fields as the page rendered them (hidden ones included). */
function formFields(html: string): Record<string, string> {
  const form = html.slice(html.indexOf('<form action="/petitions/'), html.indexOf('</form>', html.indexOf('<form action="/petitions/')));
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[m[1]!] = m[2]!.replaceAll('&amp;', '&');
  return fields;
}

/** Signs as a browser without JavaScript does: the page's form, with the visible fields filled in. */
async function signFrom(html: string, email: string, extra: Record<string, string> = {}) {
  const body = new URLSearchParams({ ...formFields(html), name: 'Wendy Whatsapp', email, country: 'GB', postcode: places.north.postcode, ...extra });
  return t.app.inject({
    method: 'POST',
    url: `/petitions/${petition.id}/signatures`,
    payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test', referer: `http://chorus.test${petition.path}${shared}` },
    remoteAddress: freshIp(),
  });
}

const stored = (email: string) =>
  t.ctx.db.selectFrom('signatures').select(['utm_source', 'utm_medium', 'utm_campaign', 'referrer', 'person_id']).where('email', '=', email).executeTakeFirstOrThrow();

describe('where a signer came from', () => {
  it('is carried from the petition page’s address and the linking site, through the sign form, to the stored signature and the organiser’s view of the person', async () => {
    const page = await t.app.inject({ method: 'GET', url: `${petition.path}${shared}`, headers: { referer: 'https://chat.whatsapp.com/invite/abc' } });
    expect(page.statusCode).toBe(200);
    expect(formFields(page.body)).toEqual({ utm_source: 'whatsapp', utm_medium: 'social', utm_campaign: 'save-our-unit', referrer: 'https://chat.whatsapp.com/invite/abc' });
    // It names the referring site, so shared caches (which do not key on it) must not keep it.
    expect(page.headers['cache-control']).toBe('private, no-store');

    const email = 'wendy@example.org';
    const signed = await signFrom(page.body, email);
    expect(signed.statusCode).toBe(303);
    expect(await stored(email)).toMatchObject({ utm_source: 'whatsapp', utm_medium: 'social', utm_campaign: 'save-our-unit', referrer: 'https://chat.whatsapp.com/invite/abc' });

    await t.runJobs();
    const mail = await sink.waitFor((m) => m.to.includes(email));
    expect((await confirmByLink(t.app, linkIn(mail, 'http://chorus.test/signatures/'))).confirm.statusCode).toBe(303);
    await linkConfirmedSignatures(t.ctx.db);
    const person = await t.ctx.db.selectFrom('people').select(['public_id', 'source_utm_source', 'source_utm_campaign', 'source_referrer']).where('email', '=', email).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ source_utm_source: 'whatsapp', source_utm_campaign: 'save-our-unit', source_referrer: 'https://chat.whatsapp.com/invite/abc' });

    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const shown = await agent.get(`/admin/people/${person.public_id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Signing the petition “Keep the maternity unit open”, utm_source whatsapp, utm_campaign save-our-unit');
    expect(shown.body).not.toContain(`petition:${petition.id}`);
    expect(shown.body).toContain('Referring page: https://chat.whatsapp.com/invite/abc');
    expect(shown.body).toContain(
      'Signed the petition “Keep the maternity unit open”, from utm_source whatsapp, utm_medium social, utm_campaign save-our-unit, referring page https://chat.whatsapp.com/invite/abc',
    );
  });

  it('a shared link’s tags alone keep the page in shared caches, under its own address; the plain page carries no such fields', async () => {
    const tagged = await t.app.inject({ method: 'GET', url: `${petition.path}?utm_source=facebook` });
    expect(formFields(tagged.body)).toEqual({ utm_source: 'facebook' });
    expect(tagged.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');
    const plain = await t.app.inject({ method: 'GET', url: petition.path });
    expect(formFields(plain.body)).toEqual({});
    // A link from one of our own pages says nothing about where they came from.
    const fromHome = await t.app.inject({ method: 'GET', url: petition.path, headers: { referer: 'http://chorus.test/' } });
    expect(formFields(fromHome.body)).toEqual({});
    expect(fromHome.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');
  });

  it('the separate sign page carries them too, and a form sent back with errors keeps them', async () => {
    await cachesExpire();
    const page = await t.app.inject({ method: 'GET', url: `${petition.path}/sign?utm_source=email&utm_campaign=newsletter` });
    expect(formFields(page.body)).toEqual({ utm_source: 'email', utm_campaign: 'newsletter' });
    const refused = await signFrom(page.body, 'not an email');
    expect(refused.statusCode).toBe(422);
    expect(formFields(refused.body)).toEqual({ utm_source: 'email', utm_campaign: 'newsletter' });
    const signed = await signFrom(refused.body, 'newsletter.reader@example.org');
    expect(signed.statusCode).toBe(303);
    expect(await stored('newsletter.reader@example.org')).toMatchObject({ utm_source: 'email', utm_medium: null, utm_campaign: 'newsletter', referrer: null });
  });

  it('cannot store junk through the hidden fields: a non-web referrer and control characters are dropped, not refused', async () => {
    const signed = await signFrom('', 'junk@example.org', { utm_source: 'what\u0007sapp', referrer: 'javascript:alert(1)', utm_medium: 'x'.repeat(5000) });
    expect(signed.statusCode).toBe(303);
    expect(await stored('junk@example.org')).toMatchObject({ utm_source: 'whatsapp', utm_medium: null, referrer: null });
  });
});

describe('where a signer came from, over HTTP while the page is replayed before the router', () => {
  let served: TestApp;
  let base: string;
  beforeAll(async () => {
    served = await createTestApp();
    await served.app.listen({ host: '127.0.0.1', port: 0 });
    const address = served.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => served.close());

  it('a kept petition page is not replayed for a shared link with other tags, nor to a visitor from another site', async () => {
    const hot = await createPetition(served.ctx.db, { action: 'A petition in a spike' });
    const plain = await fetch(`${base}${hot.path}`);
    expect(formFields(await plain.text())).toEqual({});
    const before = served.app.hotResponses.served;
    // The same bare address again: replayed.
    expect(formFields(await (await fetch(`${base}${hot.path}`)).text())).toEqual({});
    expect(served.app.hotResponses.served).toBe(before + 1);

    const tagged = await (await fetch(`${base}${hot.path}?utm_source=whatsapp`)).text();
    expect(formFields(tagged)).toEqual({ utm_source: 'whatsapp' });
    const again = await (await fetch(`${base}${hot.path}?utm_source=whatsapp`)).text();
    expect(formFields(again)).toEqual({ utm_source: 'whatsapp' });
    expect(served.app.hotResponses.served).toBe(before + 2);
    const other = await (await fetch(`${base}${hot.path}?utm_source=facebook`)).text();
    expect(formFields(other)).toEqual({ utm_source: 'facebook' });

    const referred = await fetch(`${base}${hot.path}`, { headers: { referer: 'https://www.facebook.com/' } });
    expect(formFields(await referred.text())).toEqual({ referrer: 'https://www.facebook.com/' });
    expect(served.app.hotResponses.served).toBe(before + 2);
  });
});
