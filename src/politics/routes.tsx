import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

export function registerPoliticsRoutes(_app: FastifyInstance, _ctx: AppContext) {
  // Constituency pages and postcode lookup: see politics/.
}
