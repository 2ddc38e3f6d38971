import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { h } from 'preact';
import { loadDemoOnce } from '../../demo.ts';
import { uploadedFile } from '../media.ts';
import { createHttpServer, uploadLimits } from './server.ts';
import { Agent } from '../../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { dropDatabaseUnderneath } from '../../../test/support/db.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    routes(app) {
      // Test-only routes on this instance: a failure inside a route, and a cached-page form.
      app.get('/test/boom', async () => {
        throw new Error('database password hunter2 rejected at /srv/chorus/src/secret.ts:12');
      });
      app.get('/api/test/boom', async () => {
        throw new TypeError('Cannot read properties of undefined (reading "secretField")');
      });
      app.post('/test/origin-form', { config: { csrf: 'origin' } }, async () => ({ ok: true }));
      // A public form with a photo: origin-checked, at most 4 kB in all, files over 1 kB named, not refused.
      app.post('/test/public-upload', { config: { csrf: 'origin', publicUploads: { maxBytes: 4096 }, multipartOptions: uploadLimits({ fileBytes: 1024, files: 2 }) } }, async (request) => {
        const body = request.body as Record<string, unknown>;
        const file = uploadedFile(body, 'photo');
        return { name: body.name, photo: file ? { bytes: file.data.length, tooLarge: file.tooLarge ?? false } : null };
      });
      app.post('/test/token-upload', { config: { publicUploads: { maxBytes: 4096 } } }, async () => ({ ok: true }));
    },
  });
  await loadDemoOnce(t.ctx.db);
});
afterAll(() => t.close());

describe('security headers', () => {
  it('every page sends a CSP that allows no inline script or style, no framing, and the other protective headers', async () => {
    for (const url of ['/', '/sign-in', '/no-such-page', '/groups/keep-our-nhs-public']) {
      const res = await t.app.inject({ url });
      const csp = String(res.headers['content-security-policy']);
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
      expect(directives['default-src'], url).toBe("'self'");
      expect(directives['script-src'], url).toBe("'self'");
      expect(directives['style-src'], url).toBe("'self'");
      expect(directives['frame-ancestors'], url).toBe("'none'");
      expect(directives['object-src'], url).toBe("'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('over http (local use) sends no HSTS and plain cookies; over https it sends HSTS and Secure, __Host- cookies', async () => {
    const local = await t.app.inject({ url: '/sign-in' });
    expect(local.headers['strict-transport-security']).toBeUndefined();
    expect(local.cookies.find((c) => c.name === 'chorus_csrf')?.httpOnly).toBe(true);

    const secure = await createTestApp({ env: { BASE_URL: 'https://campaigns.example.org' } });
    try {
      const res = await secure.app.inject({ url: '/sign-in' });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const cookie = res.cookies.find((c) => c.name === '__Host-csrf');
      expect(cookie).toMatchObject({ secure: true, httpOnly: true, path: '/' });
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    } finally {
      await secure.close();
    }
  });
});

/** Fetches every page reachable by links from `start` (same site, GET), as the agent sees them. */
async function crawl(agent: Agent, start: string[]): Promise<Map<string, { status: number; type: string; body: string }>> {
  const seen = new Map<string, { status: number; type: string; body: string }>();
  const queue = [...start];
  while (queue.length > 0 && seen.size < 300) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    const res = await agent.get(url);
    const type = String(res.headers['content-type'] ?? '');
    seen.set(url, { status: res.statusCode, type, body: res.body });
    if (!type.startsWith('text/html')) continue;
    for (const [, href] of res.body.matchAll(/<a [^>]*href="(\/[^"#]*)"/g)) {
      const next = href!.replace(/&amp;/g, '&');
      if (!next.startsWith('//') && !seen.has(next)) queue.push(next);
    }
  }
  return seen;
}

describe('rendered pages', () => {
  it('contain no inline script, no style attribute and no inline event handler, on every page a visitor or an admin can reach', async () => {
    // Something in the mail viewer, and a form showing its errors.
    const visitor = new Agent(t.app);
    await visitor.get('/forgot-password');
    const invalid = await visitor.post('/forgot-password', { email: 'not an email' });
    expect(invalid.statusCode).toBe(422);
    await visitor.post('/forgot-password', { email: 'admin@chorus.example' });
    await t.runJobs();

    const { agent: admin } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const pages = new Map([
      ...(await crawl(new Agent(t.app), ['/', '/sign-in', '/forgot-password', '/no-such-page'])),
      ...(await crawl(admin, ['/admin', '/account/password'])),
    ]);
    pages.set('/forgot-password (with errors)', { status: 422, type: 'text/html', body: invalid.body });
    expect(pages.size).toBeGreaterThan(15);
    expect([...pages.keys()]).toEqual(expect.arrayContaining(['/groups', '/privacy', '/accessibility', '/admin/mail', '/groups/just-treatment']));
    expect([...pages.keys()].some((url) => /^\/admin\/mail\/\d+$/.test(url))).toBe(true);

    for (const [url, page] of pages) {
      expect(page.status, url).toBeLessThan(500);
      if (!page.type.startsWith('text/html')) continue;
      // JSON-LD (schema.org data, never run) is the one script element without src.
      expect(page.body, url).not.toMatch(/<script\b(?![^>]*\b(?:src=|type="application\/ld\+json"))[^>]*>/i);
      // Attribute values are blanked first, so text such as embed code shown in a page is not mistaken for markup.
      const markup = page.body.replace(/"[^"]*"/g, '""');
      expect(markup, url).not.toMatch(/<[a-z][^>]*\sstyle\s*=/i);
      expect(markup, url).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
      expect(page.body, url).toMatch(/^<!doctype html><html lang="en-GB">/);
    }
  });

  it('are compressed (brotli or gzip) when the browser asks, and decompress to the same page', async () => {
    const plain = await t.app.inject({ url: '/groups' });
    expect(plain.body.length).toBeGreaterThan(2048);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await t.app.inject({ url: '/groups', headers: { 'accept-encoding': 'br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    const gzip = await t.app.inject({ url: '/groups', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    // The CSRF-free public page is the same page whichever way it travels.
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(zlib.gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
  });
});

describe('static assets', () => {
  it('are served under /assets/ with hash-stamped URLs and cached for a year', async () => {
    const page = await t.app.inject({ url: '/' });
    const urls = [...page.body.matchAll(/(?:href|src)="(\/assets\/[^"]+\?v=[0-9a-f]{12})"/g)].map((m) => m[1]!);
    expect(urls.map((u) => u.split('?')[0])).toEqual(expect.arrayContaining(['/assets/app.css', '/assets/app.js', '/assets/favicon.svg']));
    for (const url of urls) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('public, max-age=31536000, immutable');
    }
    const brand = /href="(\/brand\.css\?v=[^"]+)"/.exec(page.body)![1]!;
    const brandCss = await t.app.inject({ url: brand });
    expect(brandCss.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brandCss.body).toContain('#005eb8'); // the demo brand's colour drives the stylesheet
  });

  it('a missing asset is a 404, not a cached page', async () => {
    const res = await t.app.inject({ url: '/assets/nothing-here.css' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['cache-control'] ?? '').not.toContain('immutable');
  });
});

describe('errors', () => {
  it('an unknown page gets the friendly 404 page in the brand', async () => {
    const res = await t.app.inject({ url: '/petitons/123' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<h1>Page not found</h1>');
    expect(res.body).toContain('check it is correct');
    expect(res.body).toContain('href="/"');
    expect(res.body).toContain('NHS Together Coalition');
  });

  it('an unknown API or .json address gets a JSON 404', async () => {
    for (const url of ['/api/nothing', '/nothing/here.json']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toEqual({ error: 'not_found', message: 'Not found.' });
    }
  });

  it('a failure inside a route gives the friendly 500 page, with no stack trace or error text', async () => {
    const res = await t.app.inject({ url: '/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('Sorry, there is a problem with the service');
    for (const leak of ['hunter2', 'secret.ts', '/srv/', 'Error', '    at ']) expect(res.body).not.toContain(leak);

    const api = await t.app.inject({ url: '/api/test/boom' });
    expect(api.statusCode).toBe(500);
    expect(api.json()).toEqual({ error: 'internal', message: 'Sorry, something went wrong on our side. Please try again in a few minutes.' });
  });

  it('a body that is too large is a friendly 413, not a failure', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${'a'.repeat(2 * 1024 * 1024)}`,
    });
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('That is too large');
  });
});

describe('CSRF', () => {
  it('a form post without the token, or with another visitor’s token, is refused with a friendly 403', async () => {
    const agent = new Agent(t.app);
    await agent.get('/forgot-password');
    const missing = await agent.post('/forgot-password', { email: 'a@example.org' }, { csrf: false });
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('<h1>You cannot do that</h1>');
    expect(missing.body).toContain('This form has expired or came from another site');

    const other = new Agent(t.app);
    await other.get('/forgot-password');
    const stolen = await agent.post('/forgot-password', { email: 'a@example.org', _csrf: other.csrfToken() });
    expect(stolen.statusCode).toBe(403);

    const good = await agent.post('/forgot-password', { email: 'a@example.org', _csrf: (await agent.get('/forgot-password'), agent.csrfToken()) });
    expect(good.statusCode).toBe(200);
  });

  it('forms on cached pages are checked by origin instead: another site is refused', async () => {
    const post = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/test/origin-form', payload: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
    expect((await post({ origin: 'http://chorus.test' })).statusCode).toBe(200);
    expect((await post({ 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    expect((await post({ origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await post({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
  });
});

describe('public uploads (a route option)', () => {
  const boundary = '----chorusupload';
  const part = (name: string, value: string, filename?: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: image/jpeg` : ''}\r\n\r\n${value}\r\n`;
  const form = (...parts: string[]) => `${parts.join('')}--${boundary}--\r\n`;
  // Not a multipart body at all: reading it fails (400), so an answer other than 400 means it was not read.
  const broken = `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\nxx`;
  const send = (url: string, payload: string | Readable, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...headers } });

  it('are read from someone not signed in when the form came from our own site', async () => {
    const res = await send('/test/public-upload', form(part('name', 'Sam'), part('photo', 'x'.repeat(500), 'ward.jpg')), { origin: 'http://chorus.test' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ name: 'Sam', photo: { bytes: 500, tooLarge: false } });
  });

  it('from another site, or over the size limit, or of no declared size, are refused before the body is read', async () => {
    expect((await send('/test/public-upload', broken, { origin: 'http://chorus.test' })).statusCode).toBe(400);
    const crossSite = await send('/test/public-upload', broken, { origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(403);
    expect((await send('/test/public-upload', broken, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    const large = await send('/test/public-upload', broken + 'x'.repeat(5000), { origin: 'http://chorus.test' });
    expect(large.statusCode).toBe(413);
    expect(large.body).toContain('too large');
    const chunked = await send('/test/public-upload', Readable.from([Buffer.from(broken)]), { origin: 'http://chorus.test' });
    expect(chunked.statusCode).toBe(400);
    expect(chunked.body).toContain('must say how large it is');
  });

  it('in token mode need the form’s CSRF token before the body is read', async () => {
    const agent = new Agent(t.app);
    await agent.get('/forgot-password');
    const token = agent.csrfToken();
    expect((await agent.postMultipartRaw('/test/token-upload', broken, boundary)).statusCode).toBe(403);
    expect((await agent.postMultipartRaw('/test/token-upload?_csrf=forged', broken, boundary)).statusCode).toBe(403);
    expect((await agent.postMultipartRaw(`/test/token-upload?_csrf=${encodeURIComponent(token)}`, broken, boundary)).statusCode).toBe(400);
  });

  it('name a file over the route’s file limit (tooLarge) instead of refusing the form', async () => {
    const res = await send('/test/public-upload', form(part('name', 'Sam'), part('photo', 'x'.repeat(2000), 'big.jpg')), { origin: 'http://chorus.test' });
    expect(res.json()).toEqual({ name: 'Sam', photo: { bytes: 0, tooLarge: true } });
  });

  it('stay closed on routes without the option: someone not signed in gets 401 before the body is read', async () => {
    expect((await send('/test/origin-form', broken, { origin: 'http://chorus.test' })).statusCode).toBe(401);
  });

  it('cannot be combined with csrf none: the route is refused when it is added', async () => {
    const app = await createHttpServer({
      logLevel: 'silent', trustProxy: 0, baseUrl: 'http://chorus.test', secret: 'x'.repeat(32), publicDir: '/nonexistent',
      errorPage: () => h('p', null, 'error'), buildPageContext: () => { throw new Error('not rendered'); }, checkDatabase: async () => undefined,
    });
    expect(() => app.post('/late', { config: { csrf: 'none', publicUploads: { maxBytes: 10 } } }, async () => ({}))).toThrow(/must check where its form came from/);
    expect(() => app.post('/fine', { config: { csrf: 'origin', publicUploads: { maxBytes: 10 } } }, async () => ({}))).not.toThrow();
    await app.close();
  });
});

describe('GET /healthz', () => {
  it('is 200 and not cached while the database answers', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('is 503 with database "unreachable" when the database has gone, and pages say the service is unavailable', async () => {
    const doomed = await createTestApp();
    try {
      expect((await doomed.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      await dropDatabaseUnderneath(doomed.database.name);
      const res = await doomed.app.inject({ url: '/healthz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'error', database: 'unreachable' });
      expect(res.headers['cache-control']).toBe('no-store');
      const page = await doomed.app.inject({ url: '/groups' });
      expect(page.statusCode).toBe(503);
      expect(page.headers['retry-after']).toBe('60');
      expect(page.body).toContain('Sorry, the service is unavailable');
      expect(page.body).not.toContain('does not exist');
    } finally {
      await doomed.close();
    }
  });
});
