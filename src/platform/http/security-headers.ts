import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * 'anywhere': the response may be framed by, or loaded as an image on, other sites (the
     * embeddable counter). Every other response refuses framing.
     */
    framing?: 'anywhere';
  }
}

type HeaderList = ReadonlyArray<readonly [string, string]>;

/**
 * The headers helmet would set for these options, worked out once. Helmet builds its policy on
 * every call, and the same few headers go on every response, so they are computed at start.
 */
export function securityHeaderList(options: HelmetOptions): HeaderList {
  const headers = new Map<string, string>();
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {});
  return [...headers];
}

type Directives = Record<string, string[]>;

const pageDirectives: Directives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  frameSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
};

/** For the few responses other sites may frame or load: nothing of ours runs or submits there. */
const framableDirectives: Directives = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ['*'],
};

function policy(secure: boolean, directives: Directives, framable: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: { ...directives, ...(secure && !framable ? { upgradeInsecureRequests: [] } : {}) } },
    strictTransportSecurity: secure ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginResourcePolicy: { policy: framable ? 'cross-origin' : 'same-site' },
    xFrameOptions: framable ? false : { action: 'sameorigin' },
  };
}

/** Sets the security headers (CSP, HSTS on https, referrer, framing, ...) on every response. */
export function addSecurityHeaders(app: FastifyInstance, secure: boolean) {
  const page = securityHeaderList(policy(secure, pageDirectives, false));
  const framable = securityHeaderList(policy(secure, framableDirectives, true));
  app.addHook('onRequest', (request, reply, done) => {
    const headers = request.routeOptions.config.framing === 'anywhere' ? framable : page;
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
