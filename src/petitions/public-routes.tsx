import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

/** Public petition pages, signing, confirmation, JSON and the embeddable counter. */
export function registerPetitionPublicRoutes(_app: FastifyInstance, _ctx: AppContext) {}
