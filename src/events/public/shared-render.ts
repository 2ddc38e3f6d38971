import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderDocument } from '../../platform/index.ts';

/**
 * Public pages that are the same for every visitor who is not signed in (the calendar), rendered
 * once a moment per address, query included: requests that arrive while it renders wait for that
 * one render instead of starting their own. The app's kept answers (keepFor) replay a page for a
 * second, but when that second is over a crowd on 64 connections would otherwise all miss at
 * once and render the same page 64 times. Signed-in viewers (who may see more) always get their own.
 */
export class SharedRenders {
  private entries = new Map<string, { at: number; html: Promise<string> }>();

  constructor(private readonly maxAgeMs = 1000) {}

  async send(request: FastifyRequest, reply: FastifyReply, page: () => Promise<VNode>): Promise<FastifyReply> {
    if (request.viewer) return reply.render(await page());
    const now = Date.now();
    let entry = this.entries.get(request.url);
    if (!entry || now - entry.at >= this.maxAgeMs) {
      const html = page().then((vnode) => renderDocument(vnode, request.pageContext(reply)));
      entry = { at: now, html };
      this.entries.set(request.url, entry);
      html.catch(() => this.entries.delete(request.url));
      if (this.entries.size > 1000) this.entries.clear();
    }
    return reply.type('text/html; charset=utf-8').send(await entry.html);
  }
}
