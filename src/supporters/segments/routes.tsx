import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';

/** Tags, static lists, saved segments with a live count, CSV import with column mapping and streamed export. */
export function registerSegmentRoutes(_app: FastifyInstance, _ctx: AppContext) {}
