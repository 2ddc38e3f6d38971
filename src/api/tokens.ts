import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { findGroupsByIds } from '../coalition/index.ts';
import { notFound, recordAudit, type Viewer } from '../platform/index.ts';
import type { Q, TokenScope } from './tables.ts';

/** Action Network's limit: 4 requests a second for each key. */
export const DEFAULT_REQUESTS_PER_SECOND = 4;

const KEY_PREFIX = 'chorus_';

/** What a request made with a valid key may touch. */
export interface ApiClient {
  tokenId: number;
  tokenPublicId: string;
  name: string;
  /** The group whose people and petitions the key sees; null: the whole coalition. */
  groupId: number | null;
  scope: TokenScope;
  /** An admin trusts the key to have confirmed its signers' addresses: its signatures are stored confirmed. */
  confirmsSignatures: boolean;
}

export type Authentication = { kind: 'ok'; client: ApiClient } | { kind: 'invalid' } | { kind: 'rate-limited'; limit: number };

export interface ApiToken {
  id: number;
  publicId: string;
  groupId: number | null;
  groupName: string | null;
  name: string;
  scope: TokenScope;
  confirmsSignatures: boolean;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface CreateTokenProps {
  actor: Viewer;
  name: string;
  groupId: number | null;
  scope: TokenScope;
  /** Only an admin may set it, and only on a write key (the admin page checks both). */
  confirmsSignatures?: boolean;
}

/** Makes a key and returns it: the only time anyone sees it (only its hash is kept). */
export async function createApiToken(q: Q, props: CreateTokenProps): Promise<{ token: string; publicId: string }> {
  const token = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await q
    .insertInto('api_tokens')
    .values({
      group_id: props.groupId,
      name: props.name,
      scope: props.scope,
      confirms_signatures: props.confirmsSignatures === true,
      token_prefix: token.slice(0, KEY_PREFIX.length + 6),
      token_hash: hashToken(token),
      created_by: props.actor.id,
    })
    .returning(['id', 'public_id'])
    .executeTakeFirstOrThrow();
  await recordAudit(q, {
    actor: props.actor,
    action: 'api.key.create',
    subjectType: 'api_key',
    subjectId: row.public_id,
    after: { name: props.name, groupId: props.groupId, scope: props.scope, confirmsSignatures: props.confirmsSignatures === true },
  });
  return { token, publicId: row.public_id };
}

/** Revokes a key at once: every later request with it gets 401. Revoking twice is harmless. */
export async function revokeApiToken(q: Q, actor: Viewer, token: ApiToken): Promise<void> {
  if (token.revokedAt) return;
  await q.updateTable('api_tokens').set({ revoked_at: new Date(), revoked_by: actor.id }).where('id', '=', token.id).execute();
  await recordAudit(q, { actor, action: 'api.key.revoke', subjectType: 'api_key', subjectId: token.publicId, before: { name: token.name, groupId: token.groupId } });
}

function tokenQuery(q: Q) {
  return q
    .selectFrom('api_tokens')
    .select([
      'api_tokens.id',
      'api_tokens.public_id',
      'api_tokens.group_id',
      'api_tokens.name',
      'api_tokens.scope',
      'api_tokens.confirms_signatures',
      'api_tokens.token_prefix',
      'api_tokens.created_at',
      'api_tokens.last_used_at',
      'api_tokens.revoked_at',
    ]);
}

type TokenRow = Awaited<ReturnType<ReturnType<typeof tokenQuery>['executeTakeFirstOrThrow']>>;

/** The keys, each with the name of its group (from the coalition's groups). */
async function toTokens(q: Q, rows: TokenRow[]): Promise<ApiToken[]> {
  const groups = await findGroupsByIds(
    q,
    rows.flatMap((r) => (r.group_id === null ? [] : [r.group_id])),
  );
  const names = new Map(groups.map((g) => [g.id, g.name]));
  return rows.map((r) => toToken(r, r.group_id === null ? null : (names.get(r.group_id) ?? null)));
}

function toToken(r: TokenRow, groupName: string | null): ApiToken {
  return {
    id: r.id,
    publicId: r.public_id,
    groupId: r.group_id,
    groupName,
    name: r.name,
    scope: r.scope,
    confirmsSignatures: r.confirms_signatures,
    prefix: r.token_prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

/** Keys of the groups a viewer manages ('all' for admins, who also see coalition keys), newest first. */
export async function listApiTokens(q: Q, groups: number[] | 'all'): Promise<ApiToken[]> {
  if (groups !== 'all' && groups.length === 0) return [];
  let query = tokenQuery(q).orderBy('api_tokens.revoked_at', (o) => o.desc().nullsFirst()).orderBy('api_tokens.created_at', 'desc').limit(500);
  if (groups !== 'all') query = query.where('api_tokens.group_id', 'in', groups);
  return toTokens(q, await query.execute());
}

/** A key by its public id, if the viewer manages its group. */
export async function findApiToken(q: Q, publicId: string, groups: number[] | 'all'): Promise<ApiToken> {
  if (!isUuid(publicId)) throw notFound('API key');
  const row = await tokenQuery(q).where('api_tokens.public_id', '=', publicId).executeTakeFirst();
  if (!row || (groups !== 'all' && (row.group_id === null || !groups.includes(row.group_id)))) throw notFound('API key');
  return (await toTokens(q, [row]))[0]!;
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
}

/**
 * Checks a key and counts the request against its per-second limit, in one statement, so the
 * limit holds however many serve processes answer requests. Also records when it was last used.
 */
export async function authenticate(q: Q, token: string | undefined): Promise<Authentication> {
  if (!token || !token.startsWith(KEY_PREFIX) || token.length > 200) return { kind: 'invalid' };
  const result = await sql<{
    id: number;
    public_id: string;
    name: string;
    group_id: number | null;
    scope: TokenScope;
    confirms_signatures: boolean;
    requests_per_second: number;
    window_requests: number;
  }>`
    update api_tokens set
      last_used_at = now(),
      window_started_at = case when window_started_at > now() - interval '1 second' then window_started_at else now() end,
      window_requests = case when window_started_at > now() - interval '1 second' then window_requests + 1 else 1 end
    where token_hash = ${hashToken(token)} and revoked_at is null
    returning id, public_id, name, group_id, scope, confirms_signatures, requests_per_second, window_requests`.execute(q);
  const row = result.rows[0];
  if (!row) return { kind: 'invalid' };
  if (row.window_requests > row.requests_per_second) return { kind: 'rate-limited', limit: row.requests_per_second };
  return { kind: 'ok', client: { tokenId: row.id, tokenPublicId: row.public_id, name: row.name, groupId: row.group_id, scope: row.scope, confirmsSignatures: row.confirms_signatures } };
}
