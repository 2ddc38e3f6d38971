import type { FastifyInstance } from 'fastify';
import type { AppContext } from './tables.ts';
import { registerApiAdminRoutes } from './admin-routes.tsx';
import { registerApiDocs } from './docs-routes.tsx';
import { registerOsdiApi } from './osdi-routes.ts';

/** The OSDI API (/api/v1), its documentation (/docs/v1), and its admin pages: API keys, webhooks. */
export function registerApiRoutes(app: FastifyInstance, ctx: AppContext) {
  registerOsdiApi(app, ctx);
  registerApiDocs(app, ctx);
  registerApiAdminRoutes(app, ctx);
}
