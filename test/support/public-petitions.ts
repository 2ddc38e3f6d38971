import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { defaultMilestones, type Milestone } from '../../src/petitions/milestones.ts';
import type { PetitionState } from '../../src/petitions/tables.ts';
import type { Db } from '../../src/schema.ts';

let made = 0;

export interface PetitionFixture {
  action?: string;
  slug?: string;
  background?: string;
  target?: string;
  state?: PetitionState;
  underAttack?: boolean;
  groupIds?: number[];
  milestones?: Array<Omit<Milestone, 'reachedAt'>>;
  signatureCount?: number;
  openedAt?: Date;
  closingDate?: string | null;
  rejection?: { code: string; details: string };
  response?: { date: string; summary: string; details?: string };
}

/** A petition inserted directly (the organiser pages are another capability's). */
export async function createPetition(db: Db, f: PetitionFixture = {}): Promise<{ id: number; path: string }> {
  made++;
  const slug = f.slug ?? `test-petition-${made}`;
  const state = f.state ?? 'open';
  const row = await db
    .insertInto('petitions')
    .values({
      slug,
      action: f.action ?? `Test petition number ${made}`,
      background: f.background ?? 'Background of the test petition.',
      target: f.target ?? 'The health board',
      state,
      under_attack: f.underAttack ?? false,
      signature_count: f.signatureCount ?? 0,
      opened_at: state === 'open' || state === 'closed' ? (f.openedAt ?? new Date()) : null,
      closed_at: state === 'closed' ? new Date() : null,
      closing_date: f.closingDate ?? null,
      rejected_at: state === 'rejected' ? new Date() : null,
      rejection_code: f.rejection?.code ?? null,
      rejection_details: f.rejection?.details ?? null,
      response_date: f.response?.date ?? null,
      response_summary: f.response?.summary ?? null,
      response_details: f.response?.details ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (f.groupIds?.length) await db.insertInto('petition_groups').values(f.groupIds.map((group_id) => ({ petition_id: row.id, group_id }))).execute();
  const milestones = f.milestones ?? defaultMilestones;
  if (milestones.length) {
    await db.insertInto('petition_milestones').values(milestones.map((m) => ({ petition_id: row.id, threshold: m.threshold, kind: m.kind, label: m.label }))).execute();
  }
  return { id: row.id, path: `/petitions/${row.id}-${slug}` };
}

/** Three constituencies (two regions) with postcodes, MPs and hexes, plus a terminated postcode. */
export const places = {
  north: { code: 'E14000001', name: 'Northtown', region: 'E12000001', regionName: 'North East', postcode: 'NE1 1AA', mp: 'Ada North' },
  south: { code: 'E14000002', name: 'Southvale', region: 'E12000008', regionName: 'South East', postcode: 'SO1 1AA', mp: 'Ben South' },
  west: { code: 'E14000003', name: 'Westbury', region: 'E12000008', regionName: 'South East', postcode: 'BS1 1AA', mp: 'Cat West' },
  terminated: 'NE9 9ZZ',
};

export async function seedPlaces(db: Db): Promise<void> {
  const all = [places.north, places.south, places.west];
  await db
    .insertInto('constituencies')
    .values(all.map((p) => ({ code: p.code, name: p.name, region_code: p.region, region_name: p.regionName, country_name: 'England' })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('postcodes')
    .values([
      ...all.map((p) => ({
        compact: p.postcode.replace(' ', ''),
        postcode: p.postcode,
        country_code: 'E92000001',
        region_code: p.region,
        constituency_code: p.code,
      })),
      { compact: places.terminated.replace(' ', ''), postcode: places.terminated, country_code: 'E92000001', region_code: places.north.region, constituency_code: places.north.code, terminated_on: '2020-01-01' },
    ])
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db.insertInto('mps').values(all.map((p) => ({ constituency_code: p.code, name: p.mp, party: 'Independent' }))).onConflict((oc) => oc.doNothing()).execute();
  await db
    .insertInto('constituency_hexes')
    .values(all.map((p, i) => ({ constituency_code: p.code, name: p.name, q: i, r: i % 2, region_code: p.region })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  await sql`insert into settings (key, value) values ('politics.hex_layout', '"odd-r"') on conflict (key) do nothing`.execute(db);
}

let ipCounter = 0;
/** A fresh client address each call, so rate limits only bite where a test wants them to. */
export function freshIp(): string {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export interface SignOptions {
  ip?: string;
  json?: boolean;
  origin?: string | null;
  headers?: Record<string, string>;
}

/** Posts the sign form as a browser on our own site would (urlencoded, same Origin). */
export function postSignature(app: FastifyInstance, petitionId: number, fields: Record<string, string | string[]>, options: SignOptions = {}): Promise<LightMyRequestResponse> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...options.headers };
  if (options.origin !== null) headers.origin = options.origin ?? 'http://chorus.test';
  if (options.json) headers.accept = 'application/json';
  return app.inject({ method: 'POST', url: `/petitions/${petitionId}/signatures`, payload: body.toString(), headers, remoteAddress: options.ip ?? freshIp() });
}

export function signer(overrides: Record<string, string> = {}): Record<string, string> {
  return { name: 'Jo Bloggs', email: `jo${Math.random().toString(36).slice(2, 8)}@example.org`, postcode: places.north.postcode, ...overrides };
}

/** Public bodies are cached for a second per process (by design): wait that out before reading again. */
export const cachesExpire = () => new Promise((resolve) => setTimeout(resolve, 1100));

/** Confirmed signatures added straight to the table (as if signed and confirmed), for count and page tests. */
export async function addConfirmedSignatures(
  db: Db,
  petitionId: number,
  rows: Array<{ constituency?: { code: string; region: string } | undefined; country?: string; count: number }>,
): Promise<void> {
  for (const r of rows) {
    await sql`
      insert into signatures (petition_id, state, name, email, canonical_email, country_code, constituency_code, region_code, validated_at)
      select ${petitionId}, 'validated', 'Signer ' || g, 'fixture.' || ${petitionId} || '.' || gen_random_uuid() || '@example.org',
        'fixture.' || ${petitionId} || '.' || gen_random_uuid() || '@example.org',
        ${r.country ?? 'GB'}, ${r.constituency?.code ?? null}, ${r.constituency?.region ?? null}, now()
      from generate_series(1, ${r.count}) g`.execute(db);
  }
}

export { freePort } from '../../src/platform/db/embedded-postgres.ts';

/**
 * Follows a signature confirmation link as a person does: opens it (a page with one button, which
 * changes nothing), then presses "Confirm my signature" (the POST that confirms). Returns both answers.
 */
export async function confirmByLink(app: FastifyInstance, link: string): Promise<{ page: LightMyRequestResponse; confirm: LightMyRequestResponse }> {
  const path = link.replace(/^https?:\/\/[^/]+/, '');
  const page = await app.inject({ method: 'GET', url: path });
  if (page.statusCode !== 200) return { page, confirm: page };
  const action = /<form[^>]*action="([^"]+)"/.exec(page.body)?.[1]?.replaceAll('&amp;', '&');
  const token = /name="token" value="([^"]*)"/.exec(page.body)?.[1];
  if (!action || token === undefined) throw new Error('The confirmation page has no confirm form');
  const confirm = await app.inject({
    method: 'POST',
    url: action,
    payload: new URLSearchParams({ token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://chorus.test' },
  });
  return { page, confirm };
}
