import { sql } from 'kysely';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { newToken, tokenId } from './tokens.ts';

/** Sessions end after 12 hours without use, and 7 days after sign-in whatever happens. */
const IDLE_MS = 12 * 3600 * 1000;
const ABSOLUTE_MS = 7 * 24 * 3600 * 1000;
/** Extend a session at most every 5 minutes, not on every request. */
const TOUCH_MS = 5 * 60 * 1000;

export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-chorus_session' : 'chorus_session';
}

export async function createSession(q: Q, organiserId: number): Promise<string> {
  const { token, id } = newToken();
  await q
    .insertInto('sessions')
    .values({ id, organiser_id: organiserId, expires_at: new Date(Date.now() + IDLE_MS) })
    .execute();
  return token;
}

/** The organiser a session token belongs to, if the session is live and the account enabled. */
export async function viewerForSession(q: Q, token: string): Promise<Viewer | null> {
  const id = tokenId(token);
  const row = await q
    .selectFrom('sessions')
    .innerJoin('organisers', 'organisers.id', 'sessions.organiser_id')
    .select(['organisers.id', 'organisers.name', 'organisers.email', 'organisers.role', 'sessions.last_seen_at', 'sessions.created_at'])
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', new Date())
    .where('sessions.created_at', '>', new Date(Date.now() - ABSOLUTE_MS))
    .where('organisers.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_MS) {
    await q
      .updateTable('sessions')
      .set({ last_seen_at: new Date(), expires_at: new Date(Date.now() + IDLE_MS) })
      .where('id', '=', id)
      .execute();
  }
  return { id: row.id, name: row.name, email: row.email, role: row.role };
}

export async function endSession(q: Q, token: string): Promise<void> {
  await q.deleteFrom('sessions').where('id', '=', tokenId(token)).execute();
}

/** Signs an organiser out everywhere (password change, account disabled). */
export async function endAllSessions(q: Q, organiserId: number, exceptToken?: string): Promise<void> {
  let query = q.deleteFrom('sessions').where('organiser_id', '=', organiserId);
  if (exceptToken) query = query.where('id', '<>', tokenId(exceptToken));
  await query.execute();
}

export async function deleteExpiredSessions(q: Q): Promise<number> {
  const result = await q
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', new Date()), eb('created_at', '<', sql<Date>`now() - interval '7 days'`)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(sessionCookieName(secure), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: ABSOLUTE_MS / 1000,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(sessionCookieName(secure), { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export function sessionToken(request: FastifyRequest, secure: boolean): string | undefined {
  return request.cookies[sessionCookieName(secure)];
}
