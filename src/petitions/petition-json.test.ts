import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { addConfirmedSignatures, cachesExpire, createPetition, places, seedPlaces } from '../../test/support/public-petitions.ts';
import { countSignatures } from './jobs.ts';

let t: TestApp;
let main: { id: number; path: string };
let groupId: number;
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  groupId = (await t.ctx.db.insertInto('groups').values({ slug: 'save-the-ward', name: 'Save the Ward', website: null, contact_email: null, logo_media_id: null }).returning('id').executeTakeFirstOrThrow()).id;
  main = await createPetition(t.ctx.db, {
    action: 'Keep the ward open',
    slug: 'keep-the-ward-open',
    groupIds: [groupId],
    milestones: [
      { threshold: 3, kind: 'response', label: 'The board must respond' },
      { threshold: 100, kind: 'debate', label: 'We ask for a debate' },
    ],
    closingDate: '2099-12-31',
    response: { date: '2026-01-15', summary: 'We will keep it open.', details: 'Full details.' },
  });
  await t.ctx.db.updateTable('petitions').set({ debate_date: '2026-02-01', debate_links: 'https://hansard.example/debate https://www.youtube.com/watch?v=x', debate_outcome: 'Debated for an hour.' }).where('id', '=', main.id).execute();
  await addConfirmedSignatures(t.ctx.db, main.id, [
    { constituency: { code: places.north.code, region: places.north.region }, count: 3 },
    { constituency: { code: places.south.code, region: places.south.region }, count: 2 },
    { country: 'IE', count: 1 },
  ]);
  await countSignatures(t.ctx);
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

describe('petition JSON', () => {
  it('has the UK Parliament petitions shape, with our own fields beside it, CORS and a public cache', async () => {
    const res = await get(`/petitions/${main.id}.json`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
    const body = res.json();
    expect(body.links).toEqual({ self: `http://chorus.test/petitions/${main.id}.json` });
    expect(body.data).toMatchObject({ type: 'petition', id: main.id, links: { self: `http://chorus.test/petitions/${main.id}.json` } });
    const a = body.data.attributes;
    expect(a).toMatchObject({
      action: 'Keep the ward open',
      background: 'Background of the test petition.',
      additional_details: '',
      target: 'The health board',
      state: 'open',
      signature_count: 6,
      closing_date: '2099-12-31',
      closed_at: null,
      rejection: null,
      debate_threshold_reached_at: null,
      government_response: { responded_on: '2026-01-15', summary: 'We will keep it open.', details: 'Full details.' },
      debate: {
        debated_on: '2026-02-01',
        overview: 'Debated for an hour.',
        transcript_url: 'https://hansard.example/debate',
        video_url: 'https://www.youtube.com/watch?v=x',
      },
      groups: [{ name: 'Save the Ward', slug: 'save-the-ward', url: 'http://chorus.test/groups/save-the-ward' }],
    });
    for (const field of ['created_at', 'updated_at', 'opened_at', 'response_threshold_reached_at']) expect(Date.parse(a[field])).not.toBeNaN();
    expect(a.milestones).toEqual([
      { threshold: 3, kind: 'response', label: 'The board must respond', reached_at: a.response_threshold_reached_at },
      { threshold: 100, kind: 'debate', label: 'We ask for a debate', reached_at: null },
    ]);
    expect(a.signatures_by_constituency).toEqual([
      { name: 'Northtown', ons_code: places.north.code, mp: places.north.mp, signature_count: 3 },
      { name: 'Southvale', ons_code: places.south.code, mp: places.south.mp, signature_count: 2 },
    ]);
    // The Parliament site's letter codes, with the GSS code beside them.
    expect(a.signatures_by_region).toEqual([
      { name: 'North East', ons_code: 'A', gss_code: places.north.region, signature_count: 3 },
      { name: 'South East', ons_code: 'J', gss_code: places.south.region, signature_count: 2 },
    ]);
    expect(a.signatures_by_country).toEqual([
      { name: 'United Kingdom', code: 'GB', signature_count: 5 },
      { name: 'Ireland', code: 'IE', signature_count: 1 },
    ]);
  });

  it('answers the slugged address too, shows a rejection, and hides petitions the public may not see', async () => {
    expect((await get(`/petitions/${main.id}-keep-the-ward-open.json`)).json().data.id).toBe(main.id);
    const rejected = await createPetition(t.ctx.db, { state: 'rejected', rejection: { code: 'duplicate', details: 'See the other one.' } });
    expect((await get(`/petitions/${rejected.id}.json`)).json().data.attributes.rejection).toEqual({ code: 'duplicate', details: 'See the other one.' });
    for (const state of ['draft', 'awaiting_moderation', 'hidden'] as const) {
      const p = await createPetition(t.ctx.db, { state });
      const res = await get(`/petitions/${p.id}.json`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'not_found' });
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect((await get(`/petitions/${p.id}/count.json`)).statusCode).toBe(404);
    }
  });

  it('serves the small count endpoint with CORS and a short public cache', async () => {
    const res = await get(`/petitions/${main.id}/count.json`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=10');
    const body = res.json();
    expect(body.signature_count).toBe(6);
    expect(Date.parse(body.updated_at)).not.toBeNaN();
    expect(body).toMatchObject({
      response_threshold_reached_at: expect.any(String),
      government_response_at: '2026-01-15T00:00:00.000Z',
      debate_threshold_reached_at: null,
      scheduled_debate_date: '2026-02-01',
      debate_outcome_at: '2026-02-01T00:00:00.000Z',
      debated: true,
    });
    expect(Object.keys(body).sort()).toEqual([
      'debate_outcome_at',
      'debate_threshold_reached_at',
      'debated',
      'government_response_at',
      'response_threshold_reached_at',
      'scheduled_debate_date',
      'signature_count',
      'updated_at',
    ]);
    // Data, not a document: nothing may load or frame it, and nosniff keeps it from being run.
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('lists petitions by state with paging links, without the breakdowns', async () => {
    const closed = await createPetition(t.ctx.db, { state: 'closed', action: 'A closed petition' });
    const res = await get('/petitions.json?state=open');
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
    const body = res.json();
    expect(body.links).toEqual({
      self: 'http://chorus.test/petitions.json?state=open&page=1',
      first: 'http://chorus.test/petitions.json?state=open&page=1',
      last: 'http://chorus.test/petitions.json?state=open&page=1',
      next: null,
      prev: null,
    });
    expect(body.data.every((p: { attributes: { state: string } }) => p.attributes.state === 'open')).toBe(true);
    const first = body.data.find((p: { id: number }) => p.id === main.id);
    expect(first).toMatchObject({ type: 'petition', links: { self: `http://chorus.test/petitions/${main.id}.json` }, attributes: { action: 'Keep the ward open', signature_count: 6 } });
    expect(first.attributes).not.toHaveProperty('signatures_by_constituency');

    const closedList = (await get('/petitions.json?state=closed')).json();
    expect(closedList.data.map((p: { id: number }) => p.id)).toEqual([closed.id]);
    const all = (await get('/petitions.json?state=all')).json();
    expect(all.data.map((p: { id: number }) => p.id)).toEqual(expect.arrayContaining([main.id, closed.id]));
    // With no state, as on the Parliament site: every petition the public may see.
    const unfiltered = (await get('/petitions.json')).json();
    expect(unfiltered.data.map((p: { id: number }) => p.id).sort()).toEqual(all.data.map((p: { id: number }) => p.id).sort());
    expect(unfiltered.links.self).toBe('http://chorus.test/petitions.json?state=all&page=1');
  });

  it('pages the list with next, prev and last links', async () => {
    for (let i = 0; i < 52; i++) await createPetition(t.ctx.db, { state: 'closed', action: `Old petition ${i}` });
    await cachesExpire();
    const page2 = (await get('/petitions.json?state=closed&page=2')).json();
    expect(page2.links).toMatchObject({
      self: 'http://chorus.test/petitions.json?state=closed&page=2',
      first: 'http://chorus.test/petitions.json?state=closed&page=1',
      last: 'http://chorus.test/petitions.json?state=closed&page=2',
      prev: 'http://chorus.test/petitions.json?state=closed&page=1',
      next: null,
    });
    expect(page2.data.length).toBe(53 - 50);
    const page1 = (await get('/petitions.json?state=closed&page=1')).json();
    expect(page1.links.next).toBe('http://chorus.test/petitions.json?state=closed&page=2');
    expect(page1.data).toHaveLength(50);
  });
});
