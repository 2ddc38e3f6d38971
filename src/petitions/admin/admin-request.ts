import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseParams } from '../../platform/index.ts';

/** What the petitions admin routes read from a request: the petition id, the viewer. */
const petitionParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/, { message: 'Enter a petition id' })
    .transform(Number)
    .refine((id) => id >= 1, { message: 'Enter a petition id' }),
});

/** The petition id in the URL; anything else is a page that does not exist. */
export function petitionIdOf(request: FastifyRequest): number {
  return parseParams(petitionParams, request.params, 'petition').id;
}

export { fieldErrorsOf, viewerOf } from '../../platform/index.ts';
