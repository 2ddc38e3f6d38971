import type { FastifyInstance } from 'fastify';
import type { AppContext } from './tables.ts';
import { registerAccountRoutes } from './account-routes.tsx';
import { registerAdminRoutes } from './admin-routes.tsx';
import { registerAuditAdminRoutes } from './audit-admin-routes.tsx';
import { registerAuthRoutes } from './auth-routes.tsx';
import { registerBrandAdminRoutes } from './brand-admin-routes.tsx';
import { registerGroupAdminRoutes } from './group-admin-routes.tsx';
import { registerOrganiserAdminRoutes } from './organiser-admin-routes.tsx';
import { registerPublicRoutes } from './public-routes.tsx';
import { sessionToken, viewerForSession } from './sessions.ts';

/** Sets request.viewer from the session cookie: the signed-in organiser, or null. */
export function registerSessionHook(app: FastifyInstance, ctx: AppContext) {
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

export function registerCoalitionRoutes(app: FastifyInstance, ctx: AppContext) {
  registerAuthRoutes(app, ctx);
  registerPublicRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerGroupAdminRoutes(app, ctx);
  registerOrganiserAdminRoutes(app, ctx);
  registerBrandAdminRoutes(app, ctx);
  registerAuditAdminRoutes(app, ctx);
}
