import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { createPetition, freshIp, places, postSignature, seedPlaces, signer } from '../../test/support/public-petitions.ts';

let t: TestApp;
let open: { id: number; path: string };
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  open = await createPetition(t.ctx.db);
});
afterAll(() => t.close());

const bad: Array<{ what: string; fields: Record<string, string | string[]>; field: string; message: string }> = [
  { what: 'an overlong name', fields: signer({ name: 'N'.repeat(300) }), field: 'name', message: 'Name must be 255 characters or fewer' },
  { what: 'an overlong email', fields: signer({ email: `${'e'.repeat(300)}@example.org` }), field: 'email', message: 'Email address must be 254 characters or fewer' },
  { what: 'a bad email', fields: signer({ email: 'not-an-email' }), field: 'email', message: 'Enter an email address in the correct format' },
  { what: 'a malformed postcode', fields: signer({ postcode: 'XYZ 123' }), field: 'postcode', message: 'Enter a real UK postcode' },
  { what: 'an unknown postcode', fields: signer({ postcode: 'EC1A 1BB' }), field: 'postcode', message: 'We could not find the postcode EC1A 1BB' },
  { what: 'a terminated postcode', fields: signer({ postcode: places.terminated }), field: 'postcode', message: 'is no longer in use' },
  { what: 'a postcode outside the UK', fields: signer({ postcode: 'JE2 3AB' }), field: 'postcode', message: 'is outside the UK' },
  { what: 'a missing postcode', fields: signer({ postcode: '' }), field: 'postcode', message: 'Enter your postcode' },
  { what: 'HTML in the name', fields: signer({ name: '<b>Bold</b>' }), field: 'name', message: 'Enter your name without &lt; or > characters' },
  { what: 'script in the name', fields: signer({ name: '<script>alert(1)</script>' }), field: 'name', message: 'Enter your name without &lt; or > characters' },
  { what: 'a web address as the name', fields: signer({ name: 'visit https://spam.example' }), field: 'name', message: 'Enter your name without a web address' },
  { what: 'no name', fields: signer({ name: '   ' }), field: 'name', message: 'Enter your name' },
  { what: 'an unknown country', fields: signer({ country: 'XX' }), field: 'country', message: 'Choose your country from the list' },
  { what: 'a list instead of a name', fields: { ...signer(), name: ['a', 'b'] }, field: 'name', message: 'Enter your name' },
];

describe('bad input to the sign form', () => {
  for (const c of bad) {
    it(`names the field for ${c.what} (HTML: error summary, values kept)`, async () => {
      const res = await postSignature(t.app, open.id, c.fields);
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('There is a problem');
      expect(res.body).toContain(`href="#field-${c.field}"`);
      expect(res.body).toContain(c.message);
      expect(res.body).toContain('<title>Error: Sign:');
      // What was typed is kept (escaped), and never runs as markup.
      const email = typeof c.fields.email === 'string' ? c.fields.email : '';
      if (email && email.length < 100) expect(res.body).toContain(`value="${email}"`);
      expect(res.body).not.toContain('<script>alert(1)');
      expect(res.headers['cache-control']).toBe('private, no-store');
    });
    it(`names the field for ${c.what} (JSON)`, async () => {
      const res = await postSignature(t.app, open.id, c.fields, { json: true });
      expect(res.statusCode).toBe(422);
      const body = res.json();
      expect(body.error).toBe('invalid');
      expect(typeof body.message).toBe('string');
      expect(body.errors).toContainEqual({ field: c.field, message: expect.stringContaining(c.message.replace(/&lt;/g, '<').replace(/&gt;/g, '>')) });
    });
  }

  it('names a bad email and an unknown postcode together, in one answer', async () => {
    const res = await postSignature(t.app, open.id, signer({ email: 'not-an-email', postcode: 'EC1A 1BB' }));
    expect(res.statusCode).toBe(422);
    expect([...res.body.matchAll(/href="#field-([a-z_]+)"/g)].map((m) => m[1])).toEqual(['email', 'postcode']);
    expect(res.body).toContain('We could not find the postcode EC1A 1BB');
    const json = await postSignature(t.app, open.id, signer({ name: '', email: 'nope', postcode: 'EC1A 1BB' }), { json: true });
    expect(json.json().errors.map((e: { field: string }) => e.field)).toEqual(['name', 'email', 'postcode']);
  });

  it('accepts a JSON body from a JSON client, and names every missing field', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: `/petitions/${open.id}/signatures.json`,
      payload: { name: 'Json Client', email: 'json@example.org', postcode: places.west.postcode },
      remoteAddress: freshIp(),
    });
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toMatchObject({ outcome: 'signed', links: { petition: `http://chorus.test${open.path}` } });
    const empty = await t.app.inject({ method: 'POST', url: `/petitions/${open.id}/signatures.json`, payload: {}, remoteAddress: freshIp() });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'name', 'postcode']);
  });

  it('answers 404 for unknown or hidden petitions and 409 for closed ones (HTML and JSON)', async () => {
    const closed = await createPetition(t.ctx.db, { state: 'closed' });
    const hidden = await createPetition(t.ctx.db, { state: 'hidden' });
    const draft = await createPetition(t.ctx.db, { state: 'draft' });
    expect((await postSignature(t.app, 999_999, signer())).statusCode).toBe(404);
    expect((await postSignature(t.app, hidden.id, signer())).statusCode).toBe(404);
    expect((await postSignature(t.app, draft.id, signer(), { json: true })).json()).toMatchObject({ error: 'not_found' });
    const html = await postSignature(t.app, closed.id, signer());
    expect(html.statusCode).toBe(409);
    expect(html.body).toContain('This petition is closed');
    const json = await postSignature(t.app, closed.id, signer(), { json: true });
    expect(json.statusCode).toBe(409);
    expect(json.json()).toMatchObject({ error: 'conflict', message: expect.stringContaining('closed') });
    const past = await createPetition(t.ctx.db, { closingDate: '2000-01-01' });
    expect((await postSignature(t.app, past.id, signer(), { json: true })).statusCode).toBe(409);
  });

  it('refuses a cross-site post (403) and accepts one from our own pages', async () => {
    const cross = await postSignature(t.app, open.id, signer(), { origin: 'https://evil.example' });
    expect(cross.statusCode).toBe(403);
    expect(cross.body).toContain('must be sent from our own site');
    const fetchMeta = await postSignature(t.app, open.id, signer(), { origin: null, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(fetchMeta.statusCode).toBe(403);
    expect((await postSignature(t.app, open.id, signer(), { origin: 'http://chorus.test' })).statusCode).toBe(303);
    expect((await postSignature(t.app, open.id, signer(), { origin: null, headers: { 'sec-fetch-site': 'same-origin' } })).statusCode).toBe(303);
    expect(await t.ctx.db.selectFrom('signatures').select('id').where('petition_id', '=', open.id).where('name', '=', 'never').execute()).toEqual([]);
  });
});
