import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A notice shown once after a post/redirect/get ("Sending has started"): the POST redirects and
 * leaves the notice's key in a short-lived cookie for the page it redirects to; that page takes
 * it (shows it and clears the cookie), so a reload, or the page refreshing itself, shows it no
 * more. Unlike `?notice=` in the address, it is not kept by a reload, a bookmark or the history.
 * The cookie holds only a key into the page's own messages, so a forged one can show nothing else.
 */
const COOKIE = 'chorus_notice';
const KEY = /^[a-z][a-z0-9-]{0,39}$/;

function cookieOptions(path: string, secure: boolean) {
  return { path, httpOnly: true, sameSite: 'lax' as const, secure };
}

/** Redirects (303) to `path` (its query, if any, is kept in the address), leaving `notice` for it to show once. */
export function redirectWithNotice(reply: FastifyReply, path: string, notice: string, secure: boolean): FastifyReply {
  if (!KEY.test(notice)) throw new Error(`Not a notice key: ${notice}`);
  reply.setCookie(COOKIE, notice, { ...cookieOptions(path.split('?')[0]!, secure), maxAge: 120 });
  return reply.redirect(path, 303);
}

/** The notice left for this page, if any, cleared so that it shows once. */
export function takeNotice(request: FastifyRequest, reply: FastifyReply, secure: boolean): string | undefined {
  const value = request.cookies[COOKIE];
  if (value === undefined) return undefined;
  reply.clearCookie(COOKIE, cookieOptions(request.url.split('?')[0]!, secure));
  return KEY.test(value) ? value : undefined;
}
