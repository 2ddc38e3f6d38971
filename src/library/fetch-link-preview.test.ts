import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { fetchLinkPreview, PREVIEW_MAX_BYTES } from './fetch-link-preview.ts';
import { readPageMetadata } from './page-metadata.ts';

const ARTICLE = `<!doctype html><html><head>
<title>Fallback title | Site</title>
<meta property="og:title" content="Hospital &amp; A&amp;E downgrade confirmed">
<meta property="og:site_name" content="The Gazette">
<meta property="og:description" content="The board voted 7 to 2.">
<meta property="article:published_time" content="2025-03-14T09:30:00+00:00">
<link rel="canonical" href="/news/downgrade">
</head><body><p>Story</p></body></html>`;

let server: http.Server;
let base = '';
const hits: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    hits.push(request.url ?? '');
    if (request.url === '/article') return response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE);
    if (request.url === '/huge') {
      response.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const more = () => {
        while (sent < PREVIEW_MAX_BYTES + 256 * 1024) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', more);
        }
        response.end();
      };
      return more();
    }
    if (request.url === '/declared-huge') return response.writeHead(200, { 'content-type': 'text/html', 'content-length': String(PREVIEW_MAX_BYTES + 1) }).end();
    if (request.url === '/slow') return; // never answers
    if (request.url === '/pdf') return response.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF');
    if (request.url === '/redirect-inside') return response.writeHead(302, { location: 'http://10.0.0.1/secret' }).end();
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('fetching a page to pre-fill a link', () => {
  it('refuses loopback, private, link-local and metadata addresses without connecting', async () => {
    const before = hits.length;
    for (const address of [`${base}/article`, `http://localhost:${new URL(base).port}/article`, 'http://10.1.2.3/', 'http://192.168.0.1/', 'http://172.16.5.5/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/', 'http://[fd00::1]/', 'http://0.0.0.0/', 'ftp://example.org/']) {
      expect(await fetchLinkPreview(address, []), address).toEqual({ ok: false, reason: 'refused' });
    }
    expect(hits.length).toBe(before);
  });

  it('refuses a redirect to a private address', async () => {
    expect(await fetchLinkPreview(`${base}/redirect-inside`, ['127.0.0.1'])).toEqual({ ok: false, reason: 'refused' });
  });

  it('refuses a page over 2 MB, whether it says so or not', async () => {
    expect(await fetchLinkPreview(`${base}/huge`, ['127.0.0.1'])).toEqual({ ok: false, reason: 'too-large' });
    expect(await fetchLinkPreview(`${base}/declared-huge`, ['127.0.0.1'])).toEqual({ ok: false, reason: 'too-large' });
  });

  it('gives up on a page slower than the time limit, and on what is not a web page', async () => {
    expect(await fetchLinkPreview(`${base}/slow`, ['127.0.0.1'], { timeoutMs: 300 })).toEqual({ ok: false, reason: 'timeout' });
    expect(await fetchLinkPreview(`${base}/pdf`, ['127.0.0.1'])).toEqual({ ok: false, reason: 'not-html' });
  });

  it('reads Open Graph: title, source, date, summary and the canonical address', async () => {
    const preview = await fetchLinkPreview(`${base}/article`, ['127.0.0.1']);
    expect(preview).toEqual({ ok: true, finalUrl: `${base}/article`, metadata: { title: 'Hospital & A&E downgrade confirmed', source: 'The Gazette', publishedOn: '2025-03-14', summary: 'The board voted 7 to 2.', canonical: `${base}/news/downgrade` } });
  });
});

describe('reading what a page says about itself', () => {
  it('falls back to JSON-LD (in a @graph), then to <title> and the description', () => {
    const jsonLd = `<html><head><title>Plain title</title><script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},{"@type":["NewsArticle"],"headline":"LD headline","datePublished":"2024-11-02","publisher":{"@type":"Organization","name":"LD News"},"description":"LD summary"}]}</script></head></html>`;
    expect(readPageMetadata(jsonLd, 'https://ld.example/a')).toEqual({ title: 'LD headline', source: 'LD News', publishedOn: '2024-11-02', summary: 'LD summary' });
    expect(readPageMetadata('<title> Only  a title </title><meta name="description" content="Desc">', 'https://x.example/')).toEqual({ title: 'Only a title', summary: 'Desc' });
    expect(readPageMetadata('<script type="application/ld+json">{broken</script><meta property="article:published_time" content="2024-02-30">', 'https://x.example/')).toEqual({});
    expect(readPageMetadata('<link rel="canonical" href="javascript:alert(1)">', 'https://x.example/')).toEqual({});
  });
});

describe('the add-link pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });
  }, 60_000);
  afterAll(() => t.close());

  it('pre-fills the form from the page, and saves under the page’s canonical address', async () => {
    const { agent } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const form = await agent.post('/admin/links/new/fetch', { url: `${base}/article` });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Hospital &amp; A&amp;E downgrade confirmed"');
    expect(form.body).toContain('value="The Gazette"');
    expect(form.body).toContain('value="2025-03-14"');
    expect(form.body).toContain('The board voted 7 to 2.');
    expect(form.body).toContain(`name="canonical" value="${base}/news/downgrade"`);
    const saved = await agent.post('/admin/links/new', { url: `${base}/article`, canonical: `${base}/news/downgrade`, title: 'Hospital & A&E downgrade confirmed', source: 'The Gazette', published_on: '2025-03-14', summary: 'The board voted 7 to 2.', tags: '', constituencies: '', group: '' });
    expect(saved.statusCode).toBe(303);
    // The canonical page's address itself is now a duplicate.
    const again = await agent.post('/admin/links/new/fetch', { url: `${base}/news/downgrade` });
    expect(again.statusCode).toBe(409);
  });

  it('when the page cannot be read, says why and lets the organiser type the details', async () => {
    const plain = await createTestApp();
    try {
      const { agent } = await signedInAgent(plain.app, plain.ctx, { role: 'admin' });
      const form = await agent.post('/admin/links/new/fetch', { url: `${base}/article` });
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('it is not a public web address');
      expect(form.body).toContain(`value="${base}/article"`);
      expect(form.body).toContain('name="title"');
      const bad = await agent.post('/admin/links/new/fetch', { url: 'not a url' });
      expect(bad.statusCode).toBe(422);
      expect(bad.body).toContain('Enter a web address');
    } finally {
      await plain.close();
    }
  }, 60_000);
});
