import type { FastifyInstance } from 'fastify';
import type { AppContext } from './tables.ts';
import { registerPeopleAdminRoutes } from './admin-routes.tsx';
import { registerMailingRoutes } from './mailings/routes.tsx';
import { registerSupporterPublicRoutes } from './public-routes.tsx';
import { registerSegmentRoutes } from './segments/routes.tsx';

export function registerSupporterRoutes(app: FastifyInstance, ctx: AppContext) {
  registerSupporterPublicRoutes(app, ctx);
  registerPeopleAdminRoutes(app, ctx);
  registerSegmentRoutes(app, ctx);
  registerMailingRoutes(app, ctx);
}
