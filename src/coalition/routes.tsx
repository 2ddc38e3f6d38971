import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { invalidField } from '../platform/http/errors.ts';
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
  app.addHook('onRequest', async (request) => {
    const token = sessionToken(request, secure);
    request.viewer = token ? await viewerForSession(ctx.db, token) : null;
  });
}

/**
 * PostgreSQL text cannot hold the NUL character, so a NUL smuggled into an address, query or
 * form would fail deep in a query. Refuse it up front, naming the field.
 */
async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  for (const part of [request.params, request.query, request.body]) {
    if (!part || typeof part !== 'object') continue;
    for (const [name, value] of Object.entries(part as Record<string, unknown>)) {
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => typeof v === 'string' && v.includes('\u0000'))) {
        throw invalidField(name, `${name} must not contain the invisible NUL character`);
      }
    }
  }
}

export function registerCoalitionRoutes(app: FastifyInstance, ctx: AppContext) {
  // An encapsulated scope, so the NUL check applies to the coalition's own routes only.
  void app.register(async (scope) => {
    scope.addHook('preValidation', refuseNulCharacters);
    registerAuthRoutes(scope, ctx);
    registerPublicRoutes(scope, ctx);
    registerAdminRoutes(scope, ctx);
    registerAccountRoutes(scope, ctx);
    registerGroupAdminRoutes(scope, ctx);
    registerOrganiserAdminRoutes(scope, ctx);
    registerBrandAdminRoutes(scope, ctx);
    registerAuditAdminRoutes(scope, ctx);
  });
}
