import type { FastifyInstance } from 'fastify';
import { registerAccountRoutes } from './account-routes.tsx';
import { registerAdminRoutes } from './admin-routes.tsx';
import { registerAuditAdminRoutes } from './audit-admin-routes.tsx';
import { registerAuthRoutes } from './auth-routes.tsx';
import { BRAND_CARD, brandCardPng } from '../platform/index.ts';
import { brandCss } from './brand.ts';
import { registerBrandAdminRoutes } from './brand-admin-routes.tsx';
import { registerGroupAdminRoutes } from './group-admin-routes.tsx';
import { registerOrganiserAdminRoutes } from './organiser-admin-routes.tsx';
import { registerPublicRoutes } from './public-routes.tsx';
import { sessionToken, viewerForSession } from './sessions.ts';
import type { AppContext } from './tables.ts';

/**
 * Before any route: the brand is loaded (pages render synchronously; at most every 2 s), and
 * request.viewer is set from the session cookie (the signed-in organiser, or null).
 */
export function registerCoalitionHooks(app: FastifyInstance, ctx: AppContext) {
  app.addHook('onRequest', (_request, _reply, done) => {
    if (ctx.brand.fresh()) return done();
    ctx.brand.get().then(() => done(), done);
  });
  registerSessionHook(app, ctx);
}

/** Sets request.viewer from the session cookie: the signed-in organiser, or null. */
function registerSessionHook(app: FastifyInstance, ctx: AppContext) {
  const secure = ctx.config.BASE_URL.startsWith('https:');
  app.decorateRequest('viewer', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const token = sessionToken(request, secure);
    // Most requests (readers of a petition) carry no session: they cost no database round trip.
    if (!token) return done();
    viewerForSession(ctx.db, token).then((viewer) => {
      request.viewer = viewer;
      done();
    }, done);
  });
}

/** Sign-in, the home page, group pages and the brand stylesheet. */
export function registerCoalitionPublicRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/brand.css', async (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(brandCss(await ctx.brand.get())),
  );
  // The share image of every page without its own: drawn once per brand version, from this server.
  let card: { version: string; png: Buffer } | undefined;
  app.get('/brand-card.png', async (_request, reply) => {
    const brand = await ctx.brand.get();
    if (card?.version !== brand.version) card = { version: brand.version, png: brandCardPng(brand) };
    return reply.type(BRAND_CARD.type).header('cache-control', 'public, max-age=86400').send(card.png);
  });
  registerAuthRoutes(app, ctx);
  registerPublicRoutes(app, ctx);
}

/** The dashboard, accounts, groups, organisers, brand and the audit log. */
export function registerCoalitionAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  registerAdminRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerGroupAdminRoutes(app, ctx);
  registerOrganiserAdminRoutes(app, ctx);
  registerBrandAdminRoutes(app, ctx);
  registerAuditAdminRoutes(app, ctx);
}
