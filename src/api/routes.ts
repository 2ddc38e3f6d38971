import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

/** The OSDI API (/api/v1) and its admin pages: API tokens, webhooks. */
export function registerApiRoutes(_app: FastifyInstance, _ctx: AppContext) {}
