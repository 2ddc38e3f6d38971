import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { addConfirmedSignatures, cachesExpire, createPetition, places, postSignature, seedPlaces, signer } from '../../test/support/public-petitions.ts';
import { countSignatures } from './jobs.ts';

let t: TestApp;
let main: { id: number; path: string };
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  main = await createPetition(t.ctx.db, {
    action: 'Save the “Northtown” walk-in centre',
    slug: 'save-the-walk-in-centre',
    background: 'The walk-in centre is due to close.\n\nIt sees 200 patients a day.',
    milestones: [
      { threshold: 4, kind: 'custom', label: 'We hand it in at the town hall' },
      { threshold: 10, kind: 'response', label: 'The board must respond' },
    ],
  });
  await addConfirmedSignatures(t.ctx.db, main.id, [
    { constituency: { code: places.north.code, region: places.north.region }, count: 4 },
    { constituency: { code: places.west.code, region: places.west.region }, count: 1 },
    { country: 'ES', count: 1 },
  ]);
  await countSignatures(t.ctx);
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

describe('the petition page', () => {
  it('is the same for every anonymous visitor: a short shared cache and no cookie', async () => {
    const res = await get(main.path);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).not.toContain('name="_csrf"');
    expect(res.body).toContain(`<form action="/petitions/${main.id}/signatures" method="post"`);
    // Compressed bodies are made once and reused.
    const br = await get(main.path, { 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('accept-encoding');
  });

  it('is private to a signed-in organiser (who sees the admin bar)', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const res = await agent.get(main.path);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('redirects other addresses of the petition to its canonical one, keeping the query', async () => {
    const res = await get(`/petitions/${main.id}?utm_source=x`);
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`${main.path}?utm_source=x`);
    expect((await get(`/petitions/${main.id}-old-slug`)).headers.location).toBe(main.path);
  });

  it('shows the count, progress to the next milestone in words and as a bar, and milestones reached', async () => {
    const { body } = await get(main.path);
    expect(body).toContain('<span class="key-figure" data-count-figure="true">6</span> signatures');
    expect(body).toContain('4 more needed to reach 10: the board must respond.');
    expect(body).toMatch(/<progress class="petition-progress__bar" max="6" value="2" aria-labelledby="progress-\d+">6 of 10<\/progress>/);
    expect(body).toMatch(/<strong>4 signatures<\/strong>: We hand it in at the town hall\. <span class="tag tag--green">Reached /);
  });

  it('has Open Graph and Twitter card tags', async () => {
    const { body } = await get(main.path);
    expect(body).toContain('<meta property="og:title" content="Save the “Northtown” walk-in centre"/>');
    expect(body).toContain(`<meta property="og:url" content="http://chorus.test${main.path}"/>`);
    expect(body).toContain('<meta property="og:description" content="The walk-in centre is due to close. It sees 200 patients a day."/>');
    expect(body).toContain('<meta property="og:type" content="website"/>');
    expect(body).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    expect(body).toContain('<meta name="twitter:title" content="Save the “Northtown” walk-in centre"/>');
  });

  it('shows the map as an image at its own address, its key, the top constituencies, and a link to the full tables', async () => {
    const { body } = await get(main.path);
    const img = /<img class="hexmap__img" src="([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]+)"/.exec(body);
    expect(img![1]).toBe(`/petitions/${main.id}/hexmap.svg`);
    expect(img![4]).toMatch(/^Map of signatures by constituency: Save the “Northtown” walk-in centre\. .*2 constituencies have signatures\. .*every one is in the full table\.$/);
    expect(body).not.toContain('<svg');
    expect(body).toContain('Key: signatures per constituency');
    expect(body).toContain('No signatures</li>');
    expect(body).toMatch(/Constituencies with the most signatures[\s\S]*<th scope="row">Northtown<\/th><td>Ada North<\/td><td class="numeric">4<\/td>/);
    expect(body).toContain(`<a href="${main.path}/constituencies">Signatures in every constituency, region and country (2 constituencies)</a>`);

    // The image: one hex per constituency, shaded by band, each titled with its count.
    const map = await get(img![1]!);
    expect(map.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(map.body).toMatch(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img" aria-labelledby="hexmap-title hexmap-desc" width="(\d+)" height="(\d+)"/);
    expect(map.body).toContain(`width="${img![2]}" height="${img![3]}"`);
    const hexes = [...map.body.matchAll(/data-code="([^"]+)" data-level="(\d)"><title>([^<]+)<\/title>/g)];
    const byCode = Object.fromEntries(hexes.map((h) => [h[1], { level: Number(h[2]), title: h[3] }]));
    expect(byCode).toEqual({
      [places.north.code]: { level: 4, title: 'Northtown: 4 signatures' },
      [places.west.code]: { level: 1, title: 'Westbury: 1 signature' },
      [places.south.code]: { level: 0, title: 'Southvale: 0 signatures' },
    });

    // The same figures as tables, on a page of their own.
    const full = await get(`${main.path}/constituencies`);
    expect(full.statusCode).toBe(200);
    expect(full.body).toMatch(/<caption class="table__caption">Signatures by constituency<\/caption>[\s\S]*<th scope="row">Northtown<\/th><td>Ada North<\/td><td class="numeric">4<\/td>[\s\S]*<th scope="row">Westbury<\/th><td>Cat West<\/td><td class="numeric">1<\/td>/);
    expect(full.body).toMatch(/<caption class="table__caption">Signatures by country<\/caption>[\s\S]*<th scope="row">Spain<\/th><td class="numeric">1<\/td>/);
    expect(full.body).toMatch(/<caption class="table__caption">Signatures by region<\/caption>[\s\S]*<th scope="row">North East<\/th><td class="numeric">4<\/td>/);
  });

  it('says so when no signatures are counted yet, on the page and the full tables', async () => {
    const quiet = await createPetition(t.ctx.db, { action: 'A quiet petition' });
    const { body } = await get(quiet.path);
    expect(body).toContain('No signatures from UK constituencies have been counted yet.');
    expect(body).toContain(`<a href="${quiet.path}/constituencies">Signatures in every constituency, region and country</a>`);
    const full = await get(`${quiet.path}/constituencies`);
    expect(full.body).toContain('Signatures by constituency: none counted yet.');
    const map = await get(`/petitions/${quiet.id}/hexmap.svg`);
    expect(map.statusCode).toBe(200);
    expect(map.body).toContain('0 constituencies have signatures');
  });

  it('offers embed code for other websites to the organiser on the petition’s admin page, not to supporters', async () => {
    const code = `&lt;iframe src=&quot;http://chorus.test/petitions/${main.id}/embed&quot; title=&quot;Petition: Save the “Northtown” walk-in centre&quot;`;
    const { body } = await get(main.path);
    expect(body).not.toContain(code);
    expect(body).not.toContain('counter.svg');
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const admin = await agent.get(`/admin/petitions/${main.id}`);
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain(code);
    expect(admin.body).toContain(`http://chorus.test/petitions/${main.id}/counter.svg`);
  });

  it('shows a rejected petition’s reason publicly, without a form; hidden, draft and awaiting ones are 404', async () => {
    const rejected = await createPetition(t.ctx.db, { state: 'rejected', action: 'Rejected one', rejection: { code: 'duplicate', details: 'Sign the other petition instead.' } });
    const res = await get(rejected.path);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('This petition was rejected');
    expect(res.body).toContain('There’s already a petition about this issue.');
    expect(res.body).toContain('Sign the other petition instead.');
    expect(res.body).not.toContain('/signatures"');
    for (const state of ['draft', 'awaiting_moderation', 'hidden'] as const) {
      const p = await createPetition(t.ctx.db, { state });
      expect((await get(p.path)).statusCode).toBe(404);
    }
  });

  it('has the sign form on a page of its own too, sending closed petitions back to their page', async () => {
    const sign = await get(`/petitions/${main.id}/sign`);
    expect(sign.statusCode).toBe(200);
    expect(sign.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');
    expect(sign.body).toContain(`<form action="/petitions/${main.id}/signatures" method="post"`);
    const closed = await createPetition(t.ctx.db, { state: 'closed' });
    const res = await get(`/petitions/${closed.id}/sign`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(closed.path);
  });

  it('shows the response on a closed petition and no sign form', async () => {
    const closed = await createPetition(t.ctx.db, { state: 'closed', response: { date: '2026-03-02', summary: 'We agree.', details: 'Long answer.' } });
    const { body } = await get(closed.path);
    expect(body).toContain('This petition is closed');
    expect(body).toContain('Response from The health board');
    expect(body).toContain('Responded on 2 March 2026');
    expect(body).not.toContain('Sign this petition</button>');
    expect(body).not.toContain('more needed to reach');
  });
});

describe('after signing', () => {
  it('shows share links tagged by channel, all to the petition’s own address, and a copyable link', async () => {
    const res = await postSignature(t.app, main.id, signer({ postcode: places.north.postcode }));
    const thanks = await get(res.headers.location as string);
    expect(thanks.statusCode).toBe(200);
    expect(thanks.body).toContain('4 people in Northtown have signed');
    const url = `http://chorus.test${main.path}`;
    const enc = encodeURIComponent;
    expect(thanks.body).toContain(`https://wa.me/?text=`);
    expect(thanks.body).toContain(enc(`${url}?utm_source=whatsapp`));
    expect(thanks.body).toContain(`https://www.facebook.com/sharer/sharer.php?u=${enc(`${url}?utm_source=facebook`)}`);
    expect(thanks.body).toContain(enc(`${url}?utm_source=bluesky`));
    expect(thanks.body).toContain(`&amp;url=${enc(`${url}?utm_source=x`)}`);
    expect(thanks.body).toContain(enc(`${url}?utm_source=email`));
    expect(thanks.body).toContain(`href="/petitions/${main.id}/share/mastodon"`);
    expect(thanks.body).toContain(`<input class="input" id="share-url" type="text" readonly value="${url}?utm_source=copy"`);
    // Nothing signer-specific is shared.
    const ids = await t.ctx.db.selectFrom('signatures').select('public_id').where('petition_id', '=', main.id).execute();
    for (const { public_id } of ids) expect(thanks.body).not.toContain(public_id);
  });

  it('asks for a Mastodon server without JavaScript and sends people to its share page', async () => {
    const form = await get(`/petitions/${main.id}/share/mastodon`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Your Mastodon server');
    const go = await get(`/petitions/${main.id}/share/mastodon?instance=${encodeURIComponent('@me@Mastodon.Social')}`);
    expect(go.statusCode).toBe(303);
    expect(go.headers.location).toMatch(/^https:\/\/mastodon\.social\/share\?text=/);
    expect(decodeURIComponent(String(go.headers.location))).toContain(`http://chorus.test${main.path}?utm_source=mastodon`);
    const bad = await get(`/petitions/${main.id}/share/mastodon?instance=${encodeURIComponent('javascript:alert(1)')}`);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('href="#field-instance"');
  });
});

describe('the embeddable counter', () => {
  it('is a small framable page with the action, the count and a sign link opening a new tab', async () => {
    const res = await get(`/petitions/${main.id}/embed`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.body).toContain('Save the “Northtown” walk-in centre');
    expect(res.body).toMatch(/data-count-figure="true">\d+<\/span>/);
    expect(res.body).toContain(`href="http://chorus.test${main.path}?utm_source=embed#sign-heading" target="_blank" rel="noopener"`);
    expect(res.body).not.toContain('<script');
    // Every other page still refuses to be framed.
    expect((await get(main.path)).headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('also comes as an SVG badge that other sites may load', async () => {
    const res = await get(`/petitions/${main.id}/counter.svg`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.body).toMatch(/<text [^>]*>\d+ signatures<\/text>/);
  });
});

describe('the list of petitions', () => {
  let ids: Record<string, number>;
  beforeAll(async () => {
    const day = 86_400_000;
    const make = async (action: string, count: number, openedDaysAgo: number, closingDate: string | null, background = 'About the NHS.') =>
      (await createPetition(t.ctx.db, { action, background, signatureCount: count, openedAt: new Date(Date.now() - openedDaysAgo * day), closingDate })).id;
    ids = {
      popular: await make('Fund mental health beds', 900, 30, '2099-06-01', 'Beds for young people in crisis.'),
      newest: await make('Reopen the dental clinic', 50, 1, '2099-09-01', 'Dentistry for everyone.'),
      closing: await make('Keep the ambulance station', 300, 10, '2098-01-01', 'Response times matter.'),
    };
    await createPetition(t.ctx.db, { state: 'closed', action: 'An old closed petition about dentists', background: 'Dentistry.' });
    await cachesExpire();
  });

  const order = (body: string) => [...body.matchAll(/<h3 class="petition-list__title"><a href="\/petitions\/(\d+)-/g)].map((m) => Number(m[1]));

  it('sorts open petitions by most signatures, newest and closing soonest', async () => {
    const popular = order((await get('/petitions')).body);
    expect(popular.indexOf(ids.popular!)).toBeLessThan(popular.indexOf(ids.closing!));
    expect(popular.indexOf(ids.closing!)).toBeLessThan(popular.indexOf(ids.newest!));
    const newest = order((await get('/petitions?sort=newest')).body);
    expect(newest.indexOf(ids.newest!)).toBeLessThan(newest.indexOf(ids.closing!));
    expect(newest.indexOf(ids.closing!)).toBeLessThan(newest.indexOf(ids.popular!));
    const closing = order((await get('/petitions?sort=closing')).body);
    expect(closing.slice(0, 3)).toEqual([ids.closing, ids.popular, ids.newest]);
  });

  it('searches action, background and target, within open or closed petitions', async () => {
    expect(order((await get('/petitions?q=dentistry')).body)).toEqual([ids.newest]);
    expect(order((await get('/petitions?q=crisis')).body)).toEqual([ids.popular]);
    const closed = await get('/petitions?state=closed&q=dentists');
    expect(closed.body).toContain('An old closed petition about dentists');
    const none = await get('/petitions?q=zebra');
    expect(none.body).toContain('No petitions match your search');
    expect(none.body).toContain('value="zebra"');
  });

  it('paginates', async () => {
    for (let i = 0; i < 21; i++) await createPetition(t.ctx.db, { action: `Paged petition ${i}`, background: 'Paging test.' });
    await cachesExpire();
    const first = await get('/petitions?q=paging');
    expect(order(first.body)).toHaveLength(20);
    expect(first.body).toContain('Page 1 of 2');
    expect(first.body).toContain('href="/petitions?q=paging&amp;page=2"');
    expect(order((await get('/petitions?q=paging&page=2')).body)).toHaveLength(1);
  });
});
