import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { cachesExpire, createPetition } from '../../test/support/public-petitions.ts';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await t.close();
});

const headersOf = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => name !== 'date' && name !== 'keep-alive'));

describe('the count endpoint over HTTP during a spike of pollers', () => {
  it('replays its last answer, headers and all, before the router for half a second, then asks the app again', async () => {
    const petition = await createPetition(t.ctx.db);
    await t.ctx.db.updateTable('petitions').set({ signature_count: 41 }).where('id', '=', petition.id).execute();
    const url = `${base}/petitions/${petition.id}/count.json`;

    const first = await fetch(url);
    const servedBefore = t.app.hotResponses.served;
    const second = await fetch(`${url}?cache-buster=1`);
    expect(t.app.hotResponses.served).toBe(servedBefore + 1);
    expect(second.status).toBe(200);
    expect(headersOf(second)).toEqual(headersOf(first));
    expect(headersOf(second)).toMatchObject({
      'access-control-allow-origin': '*',
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'content-type': 'application/json; charset=utf-8',
    });
    expect((await second.json()).signature_count).toBe((await first.json()).signature_count);

    await t.ctx.db.updateTable('petitions').set({ signature_count: 42 }).where('id', '=', petition.id).execute();
    await cachesExpire();
    expect((await (await fetch(url)).json()).signature_count).toBe(42);
  });

  it('answers a poller whose copy is current with a 304 from the kept answer too, by ETag or Last-Modified', async () => {
    const petition = await createPetition(t.ctx.db);
    const url = `${base}/petitions/${petition.id}/count.json`;
    const first = await fetch(url);
    const etag = first.headers.get('etag') ?? '';
    const lastModified = first.headers.get('last-modified') ?? '';
    expect(etag).not.toBe('');
    const servedBefore = t.app.hotResponses.served;
    const byTag = await fetch(url, { headers: { 'if-none-match': etag } });
    const byDate = await fetch(url, { headers: { 'if-modified-since': lastModified } });
    const other = await fetch(url, { headers: { 'if-none-match': 'W/"not-this"' } });
    expect(t.app.hotResponses.served).toBe(servedBefore + 3);
    expect([byTag.status, byDate.status, other.status]).toEqual([304, 304, 200]);
    expect(await byTag.text()).toBe('');
    expect(byTag.headers.get('etag')).toBe(etag);
    expect(byTag.headers.get('access-control-allow-origin')).toBe('*');
    expect((await other.json()).signature_count).toBe(0);
  });

  it('never keeps a refusal: an unknown petition is answered by the app every time', async () => {
    const servedBefore = t.app.hotResponses.served;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/petitions/99999/count.json`);
      expect(res.status).toBe(404);
    }
    expect(t.app.hotResponses.served).toBe(servedBefore);
  });

  it('keeps nothing for a HEAD or POST to the same address', async () => {
    const petition = await createPetition(t.ctx.db);
    const url = `${base}/petitions/${petition.id}/count.json`;
    await fetch(url);
    const servedBefore = t.app.hotResponses.served;
    expect((await fetch(url, { method: 'POST', headers: { origin: base } })).status).toBeGreaterThanOrEqual(400);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(t.app.hotResponses.served).toBe(servedBefore);
  });
});

describe('the petition page over HTTP during a spike of readers', () => {
  it('replays the public page per encoding; a signed-in organiser always gets their own page from the app', async () => {
    const petition = await createPetition(t.ctx.db, { action: 'Keep our walk-in centre open' });
    const url = `${base}${petition.path}`;
    const br = { 'accept-encoding': 'gzip, deflate, br' };

    const first = await fetch(url, { headers: br });
    expect(first.headers.get('content-encoding')).toBe('br');
    let served = t.app.hotResponses.served;
    const second = await fetch(url, { headers: br });
    expect(t.app.hotResponses.served).toBe(served + 1);
    expect(second.headers.get('content-encoding')).toBe('br');
    expect(second.headers.get('vary')).toBe('accept-encoding');
    expect(await second.text()).toBe(await first.text());

    // A client that takes no compression never gets the compressed copy.
    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('Keep our walk-in centre open');

    const organiser = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    served = t.app.hotResponses.served;
    const own = await fetch(url, { headers: { ...br, ...organiser.agent.cookieHeader() } });
    expect(t.app.hotResponses.served).toBe(served);
    expect(own.headers.get('cache-control')).toBe('private, no-store');
  });
});
