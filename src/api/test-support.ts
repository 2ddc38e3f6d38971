import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createOrganiser } from '../coalition/organisers.ts';
import type { Viewer } from '../platform/web/context.ts';
import { connectToGroups, upsertPerson } from '../supporters/people.ts';
import type { TestApp } from '../../test/support/app.ts';
import type { TokenScope } from './tables.ts';
import { createApiToken } from './tokens.ts';

/** Test fixtures and an OSDI client for the API tests (not a test file itself). */

let counter = 0;
const next = () => ++counter;

export async function makeAdminViewer(t: TestApp): Promise<Viewer> {
  const n = next();
  const email = `api-admin-${n}@example.org`;
  const id = await createOrganiser(t.ctx.db, { email, name: `API Admin ${n}`, role: 'admin', actor: 'test' });
  return { id, name: `API Admin ${n}`, email, role: 'admin' };
}

export async function makeGroup(t: TestApp, name: string): Promise<number> {
  const row = await t.ctx.db
    .insertInto('groups')
    .values({ slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${next()}`, name, website: null, contact_email: null, logo_media_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A key for a group (or the coalition). `perSecond` lifts the rate limit for bulk tests. */
export async function makeKey(
  t: TestApp,
  actor: Viewer,
  props: { groupId: number | null; scope: TokenScope; perSecond?: number; confirmsSignatures?: boolean },
): Promise<string> {
  const { token, publicId } = await createApiToken(t.ctx.db, { actor, name: `Key ${next()}`, groupId: props.groupId, scope: props.scope, confirmsSignatures: props.confirmsSignatures ?? false });
  if (props.perSecond) await t.ctx.db.updateTable('api_tokens').set({ requests_per_second: props.perSecond }).where('public_id', '=', publicId).execute();
  return token;
}

export async function makePetition(t: TestApp, props: { action: string; groupIds: number[]; state?: 'open' | 'closed' | 'draft' }): Promise<number> {
  const row = await t.ctx.db
    .insertInto('petitions')
    .values({ slug: `petition-${next()}`, action: props.action, background: `Why: ${props.action}`, target: 'The Secretary of State for Health', state: props.state ?? 'open' })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (props.groupIds.length) await t.ctx.db.insertInto('petition_groups').values(props.groupIds.map((group_id) => ({ petition_id: row.id, group_id }))).execute();
  return row.id;
}

export async function makePerson(t: TestApp, email: string, groupIds: number[], names: { given?: string; family?: string } = {}): Promise<string> {
  const person = await upsertPerson(t.ctx.db, { email, givenName: names.given ?? 'Test', familyName: names.family ?? 'Person' });
  await connectToGroups(t.ctx.db, person.id, groupIds);
  return person.publicId;
}

/** A postcode and its constituency, in the official tables' shape (the tests' own fixture). */
export async function addPostcode(t: TestApp, postcode: string, constituency: { code: string; name: string }): Promise<void> {
  await t.ctx.db.insertInto('constituencies').values({ code: constituency.code, name: constituency.name, votes_by_party: null }).onConflict((oc) => oc.doNothing()).execute();
  await t.ctx.db
    .insertInto('postcodes')
    .values({ compact: postcode.replace(/\s+/g, '').toUpperCase(), postcode, country_code: 'E92000001', constituency_code: constituency.code })
    .execute();
}

export interface OsdiResponse {
  status: number;
  body: Record<string, unknown> & { error?: string; errors?: Array<{ field: string; message: string }> };
  headers: LightMyRequestResponse['headers'];
}

/** An Action Network-style client: the key in the OSDI-API-Token header, JSON in and out. */
export function osdiClient(t: { app: FastifyInstance }, token: string | undefined, remoteAddress?: string) {
  const headers = token === undefined ? {} : { 'osdi-api-token': token };
  const toResponse = (r: LightMyRequestResponse): OsdiResponse => ({ status: r.statusCode, body: r.body ? (JSON.parse(r.body) as OsdiResponse['body']) : {}, headers: r.headers });
  const path = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');
  return {
    async get(url: string): Promise<OsdiResponse> {
      return toResponse(await t.app.inject({ method: 'GET', url: path(url), headers, remoteAddress }));
    },
    async post(url: string, body: unknown, contentType = 'application/json'): Promise<OsdiResponse> {
      const payload = typeof body === 'string' ? body : JSON.stringify(body);
      return toResponse(await t.app.inject({ method: 'POST', url: path(url), headers: { ...headers, 'content-type': contentType }, payload, remoteAddress }));
    },
  };
}

export type OsdiClient = ReturnType<typeof osdiClient>;

export interface ReceivedDelivery {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A real HTTP receiver on loopback, answering each delivery with the next status in `answers` (then 200). */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  private server: Server | undefined;

  constructor(private readonly answers: number[] = []) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(this.answers.shift() ?? 200, { 'content-type': 'text/plain' });
        response.end('thanks');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    const address = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}/hooks/chorus`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
