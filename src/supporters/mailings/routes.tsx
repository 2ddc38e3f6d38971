import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';

/** Mailings: compose, preview, test send, schedule or send to a segment, progress and report; tracked links. */
export function registerMailingRoutes(_app: FastifyInstance, _ctx: AppContext) {}
