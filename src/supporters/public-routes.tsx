import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

/** Public sign-up forms, double opt-in confirmation, preferences and one-click unsubscribe. */
export function registerSupporterPublicRoutes(_app: FastifyInstance, _ctx: AppContext) {}
