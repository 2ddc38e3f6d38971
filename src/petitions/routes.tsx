import type { FastifyInstance } from 'fastify';
import type { AppContext } from './tables.ts';
import { registerPetitionAdminRoutes } from './admin-routes.tsx';
import { registerPetitionPublicRoutes } from './public-routes.tsx';

export function registerPetitionRoutes(app: FastifyInstance, ctx: AppContext) {
  registerPetitionPublicRoutes(app, ctx);
  registerPetitionAdminRoutes(app, ctx);
}
