import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { loadDemoOnce } from '../demo.ts';
import { demoLinks } from './demo.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(() => t.close());

describe('the library demo', () => {
  it('writes 200 distinct links over several years and many sources, without the network', () => {
    const links = demoLinks();
    expect(links).toHaveLength(200);
    expect(new Set(links.map((l) => l.url)).size).toBe(200);
    expect(new Set(links.map((l) => l.publishedOn.slice(0, 4))).size).toBeGreaterThanOrEqual(5);
    expect(new Set(links.map((l) => l.source)).size).toBeGreaterThanOrEqual(10);
    expect(links.every((l) => new URL(l.url).hostname.endsWith('.example'))).toBe(true);
  });

  it('loads them, searchable at /links, some with regions and groups', { timeout: 120_000 }, async () => {
    expect((await loadDemoOnce(t.ctx.db)).loaded).toBe(true);
    const rows = await t.ctx.db.selectFrom('links').select(['region_codes', 'group_id']).execute();
    expect(rows).toHaveLength(200);
    expect(rows.some((r) => r.region_codes.length > 0)).toBe(true);
    expect(rows.some((r) => r.group_id !== null)).toBe(true);
    const page = await t.app.inject({ method: 'GET', url: '/links?q=maternity' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<mark>');
  });
});
