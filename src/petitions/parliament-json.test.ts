import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { addConfirmedSignatures, cachesExpire, createPetition, places, seedPlaces } from '../../test/support/public-petitions.ts';
import { countSignatures } from './jobs.ts';

/** Clients written for petition.parliament.uk must work unchanged: its keys and types, from test/fixtures. */
const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/parliament-petition-json.json', import.meta.url), 'utf8')) as {
  onlyWhileOpen: string[];
  chorusNulls: string[];
  attributes: Spec;
  showOnlyAttributes: Spec;
  show: Spec;
  index: Spec;
  count: Spec;
};
type Spec = string | Spec[] | { [key: string]: Spec | boolean };

function resolve(spec: Spec): Spec {
  if (spec === '$attributes') return fixture.attributes;
  if (spec === '$attributes+showOnlyAttributes') return { ...(fixture.attributes as object), ...(fixture.showOnlyAttributes as object) } as Spec;
  return spec;
}

const scalar: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
  time: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
};

/** Every way `value` departs from `spec`, as "path: what", empty when it conforms. */
function departures(specIn: Spec, value: unknown, path = ''): string[] {
  const spec = resolve(specIn);
  const nullAllowedHere = fixture.chorusNulls.some((p) => path.endsWith(`.${p}`));
  if (typeof spec === 'string') {
    const kinds = spec.split('|');
    if (value === null) return kinds.includes('null') || nullAllowedHere ? [] : [`${path}: null, the site sends ${spec}`];
    return kinds.some((k) => scalar[k]?.(value)) ? [] : [`${path}: ${JSON.stringify(value)} is not ${spec}`];
  }
  if (Array.isArray(spec)) {
    if (!Array.isArray(value)) return [`${path}: not an array`];
    return value.flatMap((v, i) => departures(spec[0]!, v, `${path}[${i}]`));
  }
  if (value === null) return spec.$null === true ? [] : [`${path}: null, the site sends an object`];
  if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: not an object`];
  const object = value as Record<string, unknown>;
  return Object.entries(spec).flatMap(([key, child]) => {
    if (key === '$null') return [];
    if (!(key in object)) {
      const optional = fixture.onlyWhileOpen.includes(key) && object.state !== 'open' && 'state' in object;
      return optional ? [] : [`${path}.${key}: missing`];
    }
    if (fixture.onlyWhileOpen.includes(key) && object.state !== 'open') return [`${path}.${key}: sent for a petition that is not open`];
    return departures(child as Spec, object[key], `${path}.${key}`);
  });
}

let t: TestApp;
let open: { id: number };
beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.ctx.db);
  const groupId = (await t.ctx.db.insertInto('groups').values({ slug: 'ward-friends', name: 'Ward Friends', website: null, contact_email: null, logo_media_id: null }).returning('id').executeTakeFirstOrThrow()).id;
  open = await createPetition(t.ctx.db, {
    action: 'Fund the ward',
    groupIds: [groupId],
    milestones: [{ threshold: 1, kind: 'response', label: 'Respond' }, { threshold: 2, kind: 'debate', label: 'Debate' }],
    closingDate: '2099-12-31',
    response: { date: '2026-06-15', summary: 'Yes.', details: 'Funded.' },
  });
  await t.ctx.db.updateTable('petitions').set({ debate_date: '2026-07-01', debate_links: 'https://hansard.example/d', debate_outcome: 'Debated.' }).where('id', '=', open.id).execute();
  // A response without a date, a rejected one and a closed one: each shape the site's JSON has.
  const undated = await createPetition(t.ctx.db, { state: 'closed', response: { date: '2026-01-01', summary: 'Noted.' } });
  await t.ctx.db.updateTable('petitions').set({ response_date: null }).where('id', '=', undated.id).execute();
  await createPetition(t.ctx.db, { state: 'rejected', rejection: { code: 'duplicate', details: 'See the other.' } });
  await addConfirmedSignatures(t.ctx.db, open.id, [
    { constituency: { code: places.north.code, region: places.north.region }, count: 2 },
    { country: 'FR', count: 1 },
  ]);
  await countSignatures(t.ctx);
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

describe('JSON as the Parliament petitions site sends it', () => {
  it('the checker itself finds a missing key, a wrong type and a stray null', () => {
    const good = { signature_count: 1, response_threshold_reached_at: null, government_response_at: null, debate_threshold_reached_at: null, scheduled_debate_date: null, debate_outcome_at: null, debated: false };
    expect(departures(fixture.count, good)).toEqual([]);
    const { debated: _debated, ...missing } = good;
    expect(departures(fixture.count, missing)).toEqual(['.debated: missing']);
    expect(departures(fixture.count, { ...good, signature_count: '1' })).toEqual(['.signature_count: "1" is not number']);
    expect(departures(fixture.count, { ...good, debated: null })).toEqual(['.debated: null, the site sends boolean']);
  });

  it('a petition (/petitions/<id>.json) has every key of the site, each of a type its clients read', async () => {
    const res = await get(`/petitions/${open.id}.json`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(departures(fixture.show, body)).toEqual([]);
    const a = body.data.attributes;
    // Breakdowns were present (so their elements were checked too), with the site's region letters.
    expect(a.signatures_by_constituency.length).toBe(1);
    expect(a.signatures_by_region).toEqual([{ name: 'North East', ons_code: 'A', gss_code: places.north.region, signature_count: 2 }]);
    expect(a).toMatchObject({
      closing_date: '2099-12-31',
      creator_name: 'Ward Friends',
      committee_note: null,
      departments: [],
      topics: [],
      other_parliamentary_business: [],
      debate_scheduled_on: null,
      scheduled_debate_date: '2026-07-01',
      // Midnight in London (summer time) on the recorded dates.
      government_response_at: '2026-06-14T23:00:00.000Z',
      debate_outcome_at: '2026-06-30T23:00:00.000Z',
      debate: { debate_pack_url: null, public_engagement_url: null, debate_summary_url: null, transcript_url: 'https://hansard.example/d' },
    });
    expect(Date.parse(a.debate_threshold_reached_at)).not.toBeNaN();
  });

  it('the list (/petitions.json) has every key of the site for open, closed and rejected petitions, closing_date only while open', async () => {
    const body = (await get('/petitions.json?state=all')).json();
    expect(departures(fixture.index, body)).toEqual([]);
    const states = new Set(body.data.map((p: { attributes: { state: string } }) => p.attributes.state));
    expect(states).toEqual(new Set(['open', 'closed', 'rejected']));
    for (const p of body.data as Array<{ attributes: Record<string, unknown> }>) {
      expect('closing_date' in p.attributes).toBe(p.attributes.state === 'open');
      expect(p.attributes).not.toHaveProperty('signatures_by_region');
      if (p.attributes.state !== 'open') expect(p.attributes.creator_name).toBeNull();
    }
  });

  it('the count (/petitions/<id>/count.json) has every key of the site', async () => {
    const body = (await get(`/petitions/${open.id}/count.json`)).json();
    expect(departures(fixture.count, body)).toEqual([]);
    expect(body).toMatchObject({ signature_count: 3, debated: true, scheduled_debate_date: '2026-07-01' });
    expect(Date.parse(body.response_threshold_reached_at)).not.toBeNaN();
  });
});

describe('the list filters, page size and pages of the Parliament site', () => {
  const ids = async (url: string) => {
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    return (res.json().data as Array<{ id: number }>).map((p) => p.id);
  };

  it('accepts each of its states, and lists what each names', async () => {
    await cachesExpire();
    const awaiting = await createPetition(t.ctx.db, { milestones: [{ threshold: 1, kind: 'response', label: 'Respond' }, { threshold: 2, kind: 'debate', label: 'Debate' }] });
    await addConfirmedSignatures(t.ctx.db, awaiting.id, [{ country: 'GB', count: 2 }]);
    await countSignatures(t.ctx);
    const notYet = await createPetition(t.ctx.db, {});
    expect(await ids('/petitions.json?state=awaiting_response')).toEqual([awaiting.id]);
    expect(await ids('/petitions.json?state=with_response')).toEqual(expect.arrayContaining([open.id]));
    expect(await ids('/petitions.json?state=with_response')).not.toContain(awaiting.id);
    expect(await ids('/petitions.json?state=awaiting_debate')).toEqual([awaiting.id]);
    expect(await ids('/petitions.json?state=debated')).toEqual([open.id]);
    expect(await ids('/petitions.json?state=not_debated')).toEqual([]);
    // Recent: open ones, the newest first.
    const recent = await ids('/petitions.json?state=recent');
    expect(recent.slice(0, 2)).toEqual([notYet.id, awaiting.id]);
    for (const state of ['all', 'open', 'closed', 'rejected']) expect((await get(`/petitions.json?state=${state}`)).statusCode).toBe(200);
  });

  it('sends an unknown state to the whole list, as the site does', async () => {
    const res = await get('/petitions.json?state=secret&page=2&q=ward&count=10');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('http://chorus.test/petitions.json?state=all&q=ward&count=10&page=2');
    expect((await get('/petitions.json?state=SECRET&sort=newest')).headers.location).toBe('http://chorus.test/petitions.json?state=all&sort=newest&page=1');
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('honours count as the page size up to 50, and carries it in the links', async () => {
    const body = (await get('/petitions.json?state=all&count=2')).json();
    expect(body.data).toHaveLength(2);
    expect(body.links.self).toBe('http://chorus.test/petitions.json?state=all&count=2&page=1');
    expect(body.links.next).toBe('http://chorus.test/petitions.json?state=all&count=2&page=2');
    const second = (await get(body.links.next.replace('http://chorus.test', ''))).json();
    expect(second.data).toHaveLength(2);
    expect(second.data.map((p: { id: number }) => p.id)).not.toEqual(expect.arrayContaining(body.data.map((p: { id: number }) => p.id)));
    expect((await get('/petitions.json?state=all&count=5000')).json().links.self).toBe('http://chorus.test/petitions.json?state=all&count=50&page=1');
    expect((await get('/petitions.json?state=all&count=0')).json().data).toHaveLength(1);
    expect((await get('/petitions.json?state=all&count=lots')).json().links.self).toBe('http://chorus.test/petitions.json?state=all&page=1');
  });

  it('answers page 1 for a page that is not a page number, and refuses a huge one naming page, never a 500', async () => {
    for (const page of ['0', '-3', 'abc', '1.5', '', '1e3']) {
      const res = await get(`/petitions.json?state=all&page=${encodeURIComponent(page)}`);
      expect(res.statusCode, page).toBe(200);
      expect(res.json().links.self, page).toBe('http://chorus.test/petitions.json?state=all&page=1');
    }
    for (const page of ['10001', '999999999999', '99999999999999999999999']) {
      const res = await get(`/petitions.json?state=all&page=${page}`);
      expect(res.statusCode, page).toBe(422);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['page']);
    }
    const past = await get('/petitions.json?state=all&page=500');
    expect(past.statusCode).toBe(200);
    expect(past.json()).toMatchObject({ data: [], links: { next: null } });
  });
});

describe('revalidation', () => {
  it('sends Last-Modified and ETag on each JSON answer, and 304 to a poller whose copy is current', async () => {
    await cachesExpire();
    for (const url of [`/petitions/${open.id}.json`, '/petitions.json', '/petitions.json?state=open&count=3', `/petitions/${open.id}/count.json`]) {
      const first = await get(url);
      expect(first.statusCode, url).toBe(200);
      const etag = first.headers.etag as string;
      const lastModified = first.headers['last-modified'] as string;
      expect(etag, url).toMatch(/^W\/"[\w-]+"$/);
      expect(Date.parse(lastModified), url).not.toBeNaN();
      const byTag = await get(url, { 'if-none-match': etag });
      expect(byTag.statusCode, url).toBe(304);
      expect(byTag.body, url).toBe('');
      expect(byTag.headers['access-control-allow-origin'], url).toBe('*');
      expect((await get(url, { 'if-modified-since': lastModified })).statusCode, url).toBe(304);
      expect((await get(url, { 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() })).statusCode, url).toBe(200);
      expect((await get(url, { 'if-none-match': 'W/"something-else"', 'if-modified-since': lastModified })).statusCode, url).toBe(200);
    }
  });

  it('answers 200 with the new count once the count moves, to a poller holding the old one', async () => {
    const url = `/petitions/${open.id}/count.json`;
    await cachesExpire();
    const before = await get(url);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await addConfirmedSignatures(t.ctx.db, open.id, [{ country: 'GB', count: 1 }]);
    await countSignatures(t.ctx);
    await cachesExpire();
    const conditions: Array<Record<string, string>> = [{ 'if-none-match': before.headers.etag as string }, { 'if-modified-since': before.headers['last-modified'] as string }];
    for (const headers of conditions) {
      const after = await get(url, headers);
      expect(after.statusCode).toBe(200);
      expect(after.json().signature_count).toBe(before.json().signature_count + 1);
    }
  });
});
