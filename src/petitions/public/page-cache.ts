import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderDocument } from '../../platform/index.ts';
import { rendered, sendRendered, type Rendered } from '../render-cache.ts';
import type { PublicDeps } from './public-deps.ts';

/** A short shared cache for public pages: a spike of readers is served from caches in front. */
export const PUBLIC_PAGE_CACHE = 'public, max-age=5, stale-while-revalidate=30';
export const PRIVATE_PAGE_CACHE = 'private, no-store';

/** Renders a page to a cacheable response (no per-visitor token: nobody is signed in). */
export function renderedPage(request: FastifyRequest, reply: FastifyReply, page: VNode, cacheControl = PUBLIC_PAGE_CACHE): Rendered {
  return rendered(renderDocument(page, request.pageContext(reply)), 'text/html; charset=utf-8', { headers: { 'cache-control': cacheControl } });
}

/**
 * Sends a public page: for anonymous visitors, from the per-process cache (one render a second
 * per key); for signed-in organisers, rendered afresh and never stored by shared caches. A page
 * that carries something of the request shared caches do not key on (the referring site) says
 * so with a private `cacheControl`, and its key names it.
 */
export async function sendPublicPage(
  deps: PublicDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  build: () => Promise<VNode>,
  cacheControl = PUBLIC_PAGE_CACHE,
): Promise<FastifyReply> {
  if (request.viewer) {
    return sendRendered(request, reply, renderedPage(request, reply, await build(), PRIVATE_PAGE_CACHE));
  }
  const page = await deps.pages.get(key, async () => renderedPage(request, reply, await build(), cacheControl));
  return sendRendered(request, reply, page);
}
