import type { FastifyInstance } from 'fastify';
import { registerPeopleAdminRoutes } from './admin-routes.tsx';
import { registerMailingRoutes } from './mailings/routes.tsx';
import { registerSupporterPublicRoutes } from './public-routes.tsx';
import { registerCollectionRoutes } from './collections/collection-routes.tsx';
import { registerImportRoutes } from './imports/import-routes.tsx';
import { registerSegmentBuilderRoutes } from './segments/segment-routes.tsx';
import type { AppContext } from './tables.ts';

export { registerSupporterPublicRoutes };

/** People, tags and static lists, saved segments with a live count and streamed export, CSV imports with column mapping, and mailings, for organisers. */
export function registerSupporterAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  registerPeopleAdminRoutes(app, ctx);
  registerCollectionRoutes(app, ctx, 'tag');
  registerCollectionRoutes(app, ctx, 'list');
  registerSegmentBuilderRoutes(app, ctx);
  registerImportRoutes(app, ctx);
  registerMailingRoutes(app, ctx);
}
