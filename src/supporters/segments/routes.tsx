import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../tables.ts';
import { registerCollectionRoutes } from './collection-routes.tsx';
import { registerImportRoutes } from './import-routes.tsx';
import { registerSegmentBuilderRoutes } from './segment-routes.tsx';

/** Tags, static lists, saved segments with a live count, CSV import with column mapping and streamed export. */
export function registerSegmentRoutes(app: FastifyInstance, ctx: AppContext) {
  registerCollectionRoutes(app, ctx, 'tag');
  registerCollectionRoutes(app, ctx, 'list');
  registerSegmentBuilderRoutes(app, ctx);
  registerImportRoutes(app, ctx);
}
