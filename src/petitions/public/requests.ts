import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../tables.ts';
import { notFound, renderDocument } from '../../platform/index.ts';
import type { HexGridCache } from '../hexmap.tsx';
import type { PetitionCache } from '../petition-cache.ts';
import { rendered, sendRendered, type RenderCache, type Rendered } from '../render-cache.ts';
import { hearMoreWordingFor } from '../sign-petition.ts';
import { VISIBLE_STATES } from '../states.ts';
import { findPetition, type Petition } from '../store.ts';

/** What the public petition routes share: one of each per app instance. */
export interface PublicDeps {
  ctx: AppContext;
  petitions: PetitionCache;
  pages: RenderCache;
  hexGrid: HexGridCache;
}

const MAX_ID = 2_147_483_647;

export interface PetitionRef {
  id: number;
  slug: string | undefined;
  json: boolean;
}

/** "123", "123-save-our-unit", "123.json", "123-save-our-unit.json". */
export function parsePetitionRef(ref: string): PetitionRef | undefined {
  const match = /^(\d{1,10})(?:-([a-z0-9-]*))?(\.json)?$/.exec(ref);
  if (!match) return undefined;
  const id = Number(match[1]);
  if (id < 1 || id > MAX_ID) return undefined;
  return { id, slug: match[2], json: match[3] !== undefined };
}

/** A petition the public may see (open, closed or rejected); anything else is "not found". */
export async function visiblePetition(deps: PublicDeps, ref: string | undefined): Promise<Petition> {
  const parsed = parsePetitionRef(ref ?? '');
  const petition = parsed ? await deps.petitions.get(parsed.id) : undefined;
  if (!petition || !VISIBLE_STATES.includes(petition.state)) throw notFound('petition');
  return petition;
}

/** A short shared cache for public pages: a spike of readers is served from caches in front. */
export const PUBLIC_PAGE_CACHE = 'public, max-age=5, stale-while-revalidate=30';
export const PRIVATE_PAGE_CACHE = 'private, no-store';

/** Whether this client wants JSON answers: the platform's rule, as its error handler uses it. */
export { wantsJson as prefersJson } from '../../platform/http/server.ts';

/** The client's address as stored (IPv4 without the IPv6 mapping prefix). */
export function clientIp(request: FastifyRequest): string | null {
  const ip = request.ip;
  if (!ip) return null;
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/** Renders a page to a cacheable response (no per-visitor token: nobody is signed in). */
export function renderedPage(request: FastifyRequest, reply: FastifyReply, page: VNode, cacheControl = PUBLIC_PAGE_CACHE): Rendered {
  return rendered(renderDocument(page, request.pageContext(reply)), 'text/html; charset=utf-8', { headers: { 'cache-control': cacheControl } });
}

/**
 * Sends a public page: for anonymous visitors, from the per-process cache (one render a second
 * per key); for signed-in organisers, rendered afresh and never stored by shared caches.
 */
export async function sendPublicPage(
  deps: PublicDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  build: () => Promise<VNode>,
): Promise<FastifyReply> {
  if (request.viewer) {
    return sendRendered(request, reply, renderedPage(request, reply, await build(), PRIVATE_PAGE_CACHE));
  }
  const page = await deps.pages.get(key, async () => renderedPage(request, reply, await build()));
  return sendRendered(request, reply, page);
}

/** The words beside the "hear more" box for this petition, in the current brand. */
export function wordingFor(ctx: AppContext, petition: Petition): string {
  return hearMoreWordingFor(ctx, petition);
}

/**
 * The petition as it is now, for a body about to be cached for a second: cached bodies then lag
 * the database by at most that second (the petition cache would add another).
 */
export async function freshPetition(deps: PublicDeps, id: number): Promise<Petition> {
  const petition = await findPetition(deps.ctx.db, id);
  if (!petition || !VISIBLE_STATES.includes(petition.state)) throw notFound('petition');
  return petition;
}
