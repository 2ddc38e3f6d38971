import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Which security headers the route's responses carry: 'page' (the default: HTML pages),
     * 'data' (JSON for other programs: nothing in it may load or run anything), or 'framable'
     * (the embeddable counter, which other sites may frame or load as an image).
     */
    securityHeaders?: 'page' | 'data' | 'framable';
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

/** JSON read by programs: no document, so nothing may load, run or frame. */
const dataDirectives: Directives = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
};

function policy(secure: boolean, kind: 'page' | 'data' | 'framable'): HelmetOptions {
  const directives = { page: pageDirectives, data: dataDirectives, framable: framableDirectives }[kind];
  return {
    contentSecurityPolicy: { useDefaults: false, directives: { ...directives, ...(secure && kind === 'page' ? { upgradeInsecureRequests: [] } : {}) } },
    strictTransportSecurity: secure ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginResourcePolicy: { policy: kind === 'framable' ? 'cross-origin' : 'same-site' },
    crossOriginOpenerPolicy: kind === 'page' ? { policy: 'same-origin' } : false,
    xFrameOptions: kind === 'framable' ? false : { action: 'sameorigin' },
    // Headers for retired browsers and plug-ins (IE's download dialog and XSS filter, Flash's
    // cross-domain policies, DNS prefetch): bytes on every response that no current browser uses.
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    xDnsPrefetchControl: false,
    originAgentCluster: false,
  };
}

/** Sets the security headers (CSP, HSTS on https, referrer, framing, ...) on every response. */
export function addSecurityHeaders(app: FastifyInstance, secure: boolean) {
  const lists = {
    page: securityHeaderList(policy(secure, 'page')),
    data: securityHeaderList(policy(secure, 'data')),
    framable: securityHeaderList(policy(secure, 'framable')),
  };
  app.addHook('onRequest', (request, reply, done) => {
    for (const [name, value] of lists[request.routeOptions.config.securityHeaders ?? 'page']) reply.raw.setHeader(name, value);
    done();
  });
}
