import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Viewer } from '../web/context.ts';
import { DomainError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in organiser, or null for the public. Set by the coalition's session hook. */
    viewer: Viewer | null;
  }
}

export type Role = Viewer['role'];

function isHtmlNavigation(request: FastifyRequest): boolean {
  return request.method === 'GET' && !(request.url.startsWith('/api/') || request.url.endsWith('.json'));
}

/** The signed-in organiser of a route behind `requireRole()` (which has checked there is one). */
export function viewerOf(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new DomainError('unauthenticated', 'Sign in to do that.');
  return request.viewer;
}

/**
 * Route guard: the viewer must be signed in with one of these roles (any role when none given).
 * People who are not signed in are sent to sign in and brought back afterwards.
 */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    const viewer = request.viewer;
    if (!viewer) {
      if (isHtmlNavigation(request)) {
        return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      }
      throw new DomainError('unauthenticated', 'Sign in to do that.');
    }
    if (roles.length > 0 && !roles.includes(viewer.role)) {
      throw new DomainError('forbidden', 'Your role does not allow this. Ask a coalition admin if you need it.');
    }
  };
}
