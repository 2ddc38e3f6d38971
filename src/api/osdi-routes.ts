import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from './tables.ts';
import { DomainError, clientIp, describeError, hitRateLimits, logRequestFailure, rateLimited, type FrameworkErrorWording } from '../platform/index.ts';
import { MAX_PAGE_SIZE, curies, sendHal } from './osdi/hal.ts';
import { registerPeopleRoutes } from './people-routes.ts';
import { registerPersonSetRoutes } from './set-routes.ts';
import { registerPetitionApiRoutes } from './petition-routes.ts';
import { listKind, tagKind } from './osdi/person-sets.ts';
import { authenticate } from './tokens.ts';

export const OSDI_VERSION = '1.2.0';

/** Framework errors as OSDI servers word them; the answer is {"error": "..."} (plus the fields at fault, when there are some). */
const osdiWording: FrameworkErrorWording = (error) => {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, message: 'The request body is not valid JSON.' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, message: 'The request body is empty; send a JSON object.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, message: 'Send the body as JSON, with Content-Type: application/json.' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: 'The request body is too large.' };
  }
  if (error instanceof SyntaxError) return { status: 400, message: 'The request body is not valid JSON.' };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return { status: error.statusCode, message: 'The request could not be read.' };
  return undefined;
};

/** Requests with a missing or wrong key one client address may make a minute; more get 429. */
export const BAD_KEYS_PER_ADDRESS = 20;

/**
 * Every /api/v1 request carries a key in the OSDI-API-Token header; each counts against the key's
 * rate limit. Requests with a missing or wrong key count against their client address, so
 * guessing keys (or a misconfigured client hammering) is slowed to `BAD_KEYS_PER_ADDRESS` a minute.
 */
function authenticateRequests(ctx: AppContext) {
  return async (request: FastifyRequest) => {
    const header = request.headers['osdi-api-token'];
    const result = await authenticate(ctx.db, typeof header === 'string' ? header.trim() : undefined);
    if (result.kind === 'invalid') {
      const limit = { bucket: 'api.bad-key.address', key: clientIp(request) ?? 'unknown', limit: BAD_KEYS_PER_ADDRESS, windowSeconds: 60 };
      const counted = await hitRateLimits(ctx.db, [limit]);
      if (!counted.allowed) {
        throw rateLimited(
          `Too many requests with a missing or wrong API key from this address. Wait ${counted.retryAfterSeconds} seconds, then send a valid key in the OSDI-API-Token header.`,
          counted.retryAfterSeconds,
        );
      }
      throw new DomainError('unauthenticated', 'API Key invalid or not present');
    }
    if (result.kind === 'rate-limited') throw rateLimited(`Too many requests: at most ${result.limit} a second for each API key. Wait a second and try again.`, 1);
    request.apiClient = result.client;
  };
}

function entryPoint(ctx: AppContext) {
  return async (_request: FastifyRequest, reply: FastifyReply) => {
    const base = ctx.config.BASE_URL;
    const api = `${base}/api/v1`;
    return sendHal(reply, {
      motd: `Welcome to the ${ctx.brand.current().name} OSDI API. Documentation: ${base}/docs/v1/`,
      vendor_name: 'Chorus',
      product_name: 'Chorus',
      osdi_version: OSDI_VERSION,
      max_pagesize: MAX_PAGE_SIZE,
      namespace: 'chorus',
      _links: {
        curies: curies(base),
        self: { href: api, title: 'This API entry point' },
        'osdi:people': { href: `${api}/people`, title: 'The collection of people in the system' },
        'osdi:tags': { href: `${api}/tags`, title: 'The collection of tags in the system' },
        'osdi:lists': { href: `${api}/lists`, title: 'The collection of lists in the system' },
        'osdi:petitions': { href: `${api}/petitions`, title: 'The collection of petitions in the system' },
        'osdi:person_signup_helper': { href: `${api}/people`, title: 'The person signup helper for the system' },
        docs: { href: `${base}/docs/v1/`, title: 'Documentation' },
      },
    });
  };
}

/**
 * The OSDI API (/api/v1), HAL+JSON after the OSDI 1.2 specification as Action Network serves it.
 * Its own error handler answers in the OSDI style; requests are authenticated by header token, so
 * the routes opt out of CSRF tokens.
 */
export function registerOsdiApi(app: FastifyInstance, ctx: AppContext) {
  void app.register(
    async (api) => {
      api.addContentTypeParser('application/hal+json', { parseAs: 'string' }, api.getDefaultJsonParser('error', 'ignore'));
      api.decorateRequest('apiClient', null);
      api.setErrorHandler((error: FastifyError, request, reply) => {
        const answer = describeError(error, osdiWording);
        const { status, message, problems, retryAfterSeconds } = answer;
        logRequestFailure(request.log, error, answer);
        if (retryAfterSeconds) reply.header('retry-after', String(retryAfterSeconds));
        return sendHal(reply, { error: message, ...(problems.length ? { errors: problems } : {}) }, status);
      });
      api.setNotFoundHandler((_request, reply) => sendHal(reply, { error: 'Not found: see the API entry point for the resources this server has.' }, 404));
      api.addHook('onRequest', authenticateRequests(ctx));

      // Each route's methods, for the Allow header of a method a resource does not take.
      const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
      api.addHook('onRoute', (route) => {
        if (route.url.endsWith('*')) return;
        const pattern = new RegExp(`^${route.url.replace(/\/$/, '').replace(/:[^/]+/g, '[^/]+')}/?$`);
        routes.push({ pattern, methods: [route.method].flat().filter((m) => m !== 'HEAD') });
      });

      api.get('/', entryPoint(ctx));
      registerPeopleRoutes(api, ctx);
      registerPersonSetRoutes(api, ctx, tagKind);
      registerPersonSetRoutes(api, ctx, listKind);
      registerPetitionApiRoutes(api, ctx);
      // Writes to what can only be read: 405 naming the methods there are (404 where nothing is), with
      // no CSRF check (keys authenticate these requests) to answer first.
      api.route({
        method: ['POST', 'PUT', 'PATCH', 'DELETE'],
        url: '/*',
        config: { csrf: 'none' },
        handler: async (request, reply) => {
          const path = request.url.split('?')[0]!;
          const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))];
          if (allowed.length === 0) return sendHal(reply, { error: 'Not found: see the API entry point for the resources this server has.' }, 404);
          return sendHal(reply.header('allow', allowed.join(', ')), { error: `${request.method} is not allowed here: this resource takes ${allowed.join(', ')}.` }, 405);
        },
      });
    },
    { prefix: '/api/v1' },
  );
}
