import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

/** Organisers' petition pages: create, edit, lifecycle, moderation, outcomes, invalidation, exports. */
export function registerPetitionAdminRoutes(_app: FastifyInstance, _ctx: AppContext) {}
