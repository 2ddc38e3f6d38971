import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';

/** A server on its own loopback origin answering every request with `body` (and no CORS headers). */
async function origin(body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('the browser the tests use', () => {
  it('keeps web security on: a page cannot read another origin’s answer without its consent', async () => {
    const site = await origin('<!doctype html><title>site</title>');
    const other = await origin('secret from the other origin');
    try {
      const page = await browser.newPage();
      await page.goto(site.url);
      const read = await page.evaluate(async (url) => {
        try {
          return await (await fetch(url)).text();
        } catch (error) {
          return `refused: ${String(error)}`;
        }
      }, other.url);
      expect(read).toMatch(/^refused: TypeError/);
      await page.close();
    } finally {
      await site.close();
      await other.close();
    }
  });

  it('is launched through the one helper everywhere (no test passes its own Chromium flags)', () => {
    const hits = execFileSync('git', ['grep', '-n', '-E', '\\.launch\\(|chromium\\.args', '--', 'src', 'test', 'bench'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line && !line.startsWith('test/support/browser.ts:') && !line.startsWith('test/browser/web-security.test.ts:'));
    expect(hits).toEqual([]);
  });
});
