import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

/** Organisers' people pages: search, person record and timeline, merge, consent proof, subject access, erasure. */
export function registerPeopleAdminRoutes(_app: FastifyInstance, _ctx: AppContext) {}
