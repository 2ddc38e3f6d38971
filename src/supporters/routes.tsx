import type { FastifyInstance } from 'fastify';
import { registerPeopleAdminRoutes } from './admin-routes.tsx';
import { registerMailingRoutes } from './mailings/routes.tsx';
import { registerSupporterPublicRoutes } from './public-routes.tsx';
import { registerSegmentRoutes } from './segments/routes.tsx';
import type { AppContext } from './tables.ts';

export { registerSupporterPublicRoutes };

/** People, tags, lists, segments, imports and mailings, for organisers. */
export function registerSupporterAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  registerPeopleAdminRoutes(app, ctx);
  registerSegmentRoutes(app, ctx);
  registerMailingRoutes(app, ctx);
}
