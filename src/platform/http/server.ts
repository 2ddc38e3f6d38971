import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyContextConfig, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { VNode } from 'preact';
import { logSafetyHooks } from '../log-safety.ts';
import type { PageContext } from '../web/context.ts';
import { renderDocument } from '../web/render.tsx';
import { redirectWithNotice, takeNotice } from '../web/flash.ts';
import type { DatabaseOutageLog} from './errors.ts';
import { DomainError, databaseOutageLog, invalidField, isDatabaseUnavailable, type FieldProblem, type WarnLog } from './errors.ts';
import { HotResponses } from './hot-responses.ts';
import { addSecurityHeaders } from './security-headers.ts';

export interface UploadedFile {
  filename: string;
  mimetype: string;
  data: Buffer;
  /**
   * The file was larger than the route's file size limit (only on routes whose multipartOptions
   * set `throwFileSizeLimit: false`, which name the field instead of refusing the request): `data` is empty.
   */
  tooLarge?: true;
}

/** What a route that takes uploads from people who are not signed in accepts (see FastifyContextConfig.publicUploads). */
export interface PublicUploads {
  /** The whole request body, files and fields together, at most (checked from Content-Length before it is read). */
  maxBytes: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * How an unsafe request proves it came from our own pages: 'token' (default: the CSRF
     * token of the form), 'origin' (Origin / Sec-Fetch-Site checks, for forms on cached pages),
     * or 'none' (APIs authenticated by a header token, which browsers never send by themselves).
     */
    csrf?: 'token' | 'origin' | 'none';
    /**
     * Lets people who are not signed in send multipart uploads (a public form with photos). Before
     * any of the body is read the request must come from our own pages (the route's csrf mode:
     * 'origin' or 'token'; 'none' is refused when the route is added) and declare a Content-Length
     * no larger than `maxBytes`. A route's own rate limit (a preParsing hook of its own) still applies.
     */
    publicUploads?: PublicUploads;
  }
  interface FastifyInstance {
    /** Responses answered before the router (see HotResponses). */
    hotResponses: HotResponses;
  }
  interface FastifyReply {
    /** Renders a page (JSX) as HTML with this request's page context. */
    render(page: VNode, status?: number): FastifyReply;
    /** Redirects (303) to `path` (no query), leaving the notice `key` for that page to show once (platform/web/flash.ts). */
    redirectWithNotice(path: string, key: string): FastifyReply;
    /** The notice key a redirect left for this page, if any, cleared so that it shows once. */
    takeNotice(): string | undefined;
  }
  interface FastifyRequest {
    /** Builds the page context (brand, viewer, CSRF) for rendering; set by the app. */
    pageContext(reply: FastifyReply): PageContext;
  }
}

export interface HttpServerOptions {
  logLevel: string;
  trustProxy: number;
  baseUrl: string;
  /** Secret for signed cookies. */
  secret: string;
  publicDir: string;
  /** Renders the error page for a status (404, 403, 500...) in the brand. */
  errorPage: (request: FastifyRequest, reply: FastifyReply, status: number, message: string) => VNode;
  buildPageContext: (request: FastifyRequest, reply: FastifyReply, asset: (name: string) => string) => PageContext;
  /** Resolves when the database answers; rejects otherwise. Served as GET /healthz. */
  checkDatabase: () => Promise<unknown>;
}

/** Hash-stamped URLs for files in public/, so they can be cached for a year. */
export function assetUrls(publicDir: string): (name: string) => string {
  const cache = new Map<string, string>();
  return (name: string) => {
    let url = cache.get(name);
    if (!url) {
      let hash = 'missing';
      try {
        hash = createHash('sha256').update(fs.readFileSync(path.join(publicDir, name))).digest('hex').slice(0, 12);
      } catch {
        /* a missing asset still gets a URL; it will 404 */
      }
      url = `/assets/${name}?v=${hash}`;
      cache.set(name, url);
    }
    return url;
  };
}

/** Whether this client wants JSON answers (the API, `.json` addresses, or an Accept asking for JSON over HTML). */
export function wantsJson(request: FastifyRequest): boolean {
  const url = request.url.split('?')[0] ?? '';
  if (url.startsWith('/api/') || url.endsWith('.json')) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/**
 * Logs a failed request: an unavailable database once a second for all requests, jobs and tickers
 * together (see DatabaseOutageLog, no stack), any other fault of ours with its error. Answers
 * below 500 are not logged.
 */
export function logRequestFailure(log: WarnLog & Pick<FastifyBaseLogger, 'error'>, error: unknown, answer: ErrorAnswer, outage: DatabaseOutageLog = databaseOutageLog): void {
  if (answer.code === 'unavailable') outage.report(log, error, 'request');
  else if (answer.status >= 500) log.error({ err: error }, 'request failed');
}

/** An error that is not a DomainError (from Fastify, a body parser, PostgreSQL), as a status and words, when it is the client's doing. */
export type FrameworkErrorWording = (error: { code?: string; statusCode?: number; message: string }) => { status: number; message: string } | undefined;

/** What an error means for the client: its status, a stable code, the words, and the fields at fault. */
export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  problems: FieldProblem[];
  retryAfterSeconds: number | undefined;
}

/**
 * The one mapping from errors to answers: domain errors by their code, an unavailable database as
 * 503, framework errors by `framework` (the pages' wording unless a surface such as the OSDI API
 * brings its own), anything else as 500.
 */
export function describeError(error: unknown, framework: FrameworkErrorWording = describeFrameworkError): ErrorAnswer {
  if (error instanceof DomainError) {
    return { status: error.status, code: error.code, message: error.message, problems: error.problems, retryAfterSeconds: error.retryAfterSeconds };
  }
  if (isDatabaseUnavailable(error)) {
    return { status: 503, code: 'unavailable', message: 'The service is not available at the moment. Please try again in a few minutes.', problems: [], retryAfterSeconds: 60 };
  }
  // Something thrown that is not an error at all (null, a string) is ours to fix: a 500.
  const known = error && typeof error === 'object' ? framework(error as { code?: string; statusCode?: number; message: string }) : undefined;
  if (known) {
    const code = known.status === 403 ? 'forbidden' : known.status === 413 ? 'too_large' : 'bad_request';
    return { status: known.status, code, message: known.message, problems: [], retryAfterSeconds: undefined };
  }
  return { status: 500, code: 'internal', message: 'Sorry, something went wrong on our side. Please try again in a few minutes.', problems: [], retryAfterSeconds: undefined };
}

function describeFrameworkError(error: { code?: string; statusCode?: number; message: string }): { status: number; message: string } | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return { status: 413, message: 'The request is too large. Files must be 5 MB or smaller.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, message: 'Send the request as a form or as JSON (Content-Type application/json).' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, message: 'The request body is empty; send a JSON object.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, message: 'The request body is not valid JSON.' };
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return { status: 403, message: 'This form has expired or came from another site. Go back, reload the page and try again.' };
    case 'FST_ERR_VALIDATION':
      return { status: 400, message: error.message };
    default:
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return { status: error.statusCode, message: error.statusCode === 404 ? 'We could not find that page.' : 'The request could not be read.' };
      }
      if (error instanceof SyntaxError || (error as { type?: string }).type === 'entity.parse.failed') {
        return { status: 400, message: 'The request body could not be read.' };
      }
      // Busboy (multipart) reports a malformed upload with plain errors.
      if (/^(Multipart: |Malformed part header|Unexpected end of (form|multipart data))/.test(error.message)) {
        return { status: 400, message: 'The form upload could not be read. Go back and send the form again.' };
      }
      // PostgreSQL refused a value it cannot store (an invalid character, an overlong code).
      if (error.code === '22021' || error.code === '22P05' || error.code === '22001') {
        return { status: 400, message: 'The request contains a character or value we cannot store.' };
      }
      return undefined;
  }
}

/**
 * Checks that an unsafe request was sent by a page of ours: the browser's Origin (or, lacking
 * it, Sec-Fetch-Site) must name this site. Used on forms served from cached pages, where a
 * per-visitor token cannot be embedded.
 */
export function sameOrigin(request: FastifyRequest, baseUrl: string): boolean {
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    const host = request.headers.host;
    return origin === new URL(baseUrl).origin || (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`));
  }
  const site = request.headers['sec-fetch-site'];
  if (site) return site === 'same-origin' || site === 'none';
  // Very old browsers send neither; the email confirmation step still protects the action.
  return true;
}

/**
 * A route's multipart limits with oversize files named rather than refused: a file over
 * `fileBytes` reaches the route as an UploadedFile with `tooLarge`, so a form can say which field
 * and keep the other values. More than `files` files is still a 413.
 */
export function uploadLimits(limits: { fileBytes: number; files: number }): NonNullable<FastifyContextConfig['multipartOptions']> {
  return { limits: { fileSize: limits.fileBytes, files: limits.files }, throwFileSizeLimit: false } as NonNullable<FastifyContextConfig['multipartOptions']>;
}

/**
 * Why a public upload must not be read (undefined: it may). The size comes from Content-Length,
 * which Node holds the body to, so a body without one (chunked) is refused too.
 */
export function publicUploadRefusal(request: FastifyRequest, uploads: PublicUploads, mode: 'token' | 'origin' | 'none', baseUrl: string): DomainError | undefined {
  if (mode === 'origin' && !sameOrigin(request, baseUrl)) return new DomainError('forbidden', 'This form must be sent from our own site.');
  const declared = request.headers['content-length'];
  const length = declared !== undefined && /^\d{1,12}$/.test(declared) ? Number(declared) : undefined;
  if (length === undefined) return new DomainError('bad_request', 'Send the form from its page: the upload must say how large it is.');
  if (length > uploads.maxBytes) {
    return new DomainError('too_large', `The form with its photos is too large: together they must be ${+(uploads.maxBytes / (1024 * 1024)).toFixed(1)} MB or smaller. Go back and choose smaller photos.`);
  }
  return undefined;
}

/**
 * PostgreSQL text cannot hold the NUL character, so a NUL smuggled into an address, query, form
 * or JSON body would fail deep in a query. Finds the first one, naming where it is.
 */
export function findNulCharacter(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : undefined;
  if (!value || typeof value !== 'object' || depth > 8 || Buffer.isBuffer(value)) return undefined;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const found = findNulCharacter(inner, Array.isArray(value) ? path || key : path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const hotResponses = new HotResponses(new URL(options.baseUrl).host);
  const app = Fastify({
    serverFactory: (handler) => http.createServer((request, response) => hotResponses.serve(request, response) || handler(request, response)),
    logger: {
      level: options.logLevel,
      // No email address in any line, whatever an error message holds (see log-safety.ts).
      hooks: logSafetyHooks,
      // No query strings (tokens) and no personal data in request logs.
      serializers: {
        req: (req: { method: string; routeOptions?: { url?: string } }) => ({ method: req.method, route: req.routeOptions?.url ?? 'unmatched' }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    // Trust that many proxy hops in X-Forwarded-For (as proxy-addr does for a number).
    trustProxy: options.trustProxy > 0 ? (_address: string, hop: number) => hop < options.trustProxy : false,
    bodyLimit: 1024 * 1024,
    // Per-request lines only when debugging: at spike rates they would drown everything else.
    logController: new LogController({ disableRequestLogging: options.logLevel !== 'debug' && options.logLevel !== 'trace' }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });

  app.decorate('hotResponses', hotResponses);

  // Answered before every other hook (sessions, brand), which need the database themselves: a
  // load balancer asking during an outage gets a 503 saying so, not a failure in some hook.
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok', database: 'ok' }));
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.url !== '/healthz') return done();
    options.checkDatabase().then(
      () => done(),
      () => reply.code(503).header('cache-control', 'no-store').send({ status: 'error', database: 'unreachable' }),
    );
  });

  await app.register(fastifyCookie, { secret: options.secret });
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: 5 * 1024 * 1024, files: 3, fields: 100 },
    async onFile(part) {
      const data = await part.toBuffer();
      // Only reached when the route asked for oversize files to be named, not refused (see UploadedFile.tooLarge).
      if (part.file.truncated) {
        (part as unknown as { value: UploadedFile }).value = { filename: part.filename, mimetype: part.mimetype, data: Buffer.alloc(0), tooLarge: true };
        return;
      }
      (part as unknown as { value: UploadedFile | undefined }).value =
        part.filename && data.length > 0 ? { filename: part.filename, mimetype: part.mimetype, data } : undefined;
    },
  });
  const secure = options.baseUrl.startsWith('https:');
  await app.register(fastifyCsrf, {
    cookieKey: secure ? '__Host-csrf' : 'chorus_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure, signed: true },
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const token = body?._csrf;
      if (typeof token === 'string') return token;
      const header = req.headers['x-csrf-token'];
      if (typeof header === 'string') return header;
      // A multipart form carries it in its action (see Form), so it is checked before the upload is read.
      const query = (req.query as Record<string, unknown> | undefined)?._csrf;
      return typeof query === 'string' ? query : undefined;
    },
  });
  addSecurityHeaders(app, secure);
  await app.register(fastifyCompress, { threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  await app.register(fastifyStatic, {
    root: options.publicDir,
    prefix: '/assets/',
    maxAge: 365 * 24 * 3600 * 1000,
    immutable: true,
    index: false,
    wildcard: true,
  });

  const asset = assetUrls(options.publicDir);
  app.decorateRequest('pageContext', function (this: FastifyRequest, reply: FastifyReply) {
    return options.buildPageContext(this, reply, asset);
  });
  app.decorateReply('redirectWithNotice', function (this: FastifyReply, path: string, key: string) {
    return redirectWithNotice(this, path, key, secure);
  });
  app.decorateReply('takeNotice', function (this: FastifyReply) {
    return takeNotice(this.request, this, secure);
  });
  app.decorateReply('render', function (this: FastifyReply, page: VNode, status = 200) {
    const html = renderDocument(page, this.request.pageContext(this));
    return this.code(status).type('text/html; charset=utf-8').send(html);
  });

  app.addHook('preValidation', (request, _reply, done) => {
    const field = findNulCharacter(request.params) ?? findNulCharacter(request.query) ?? findNulCharacter(request.body);
    done(field ? invalidField(field, `${field} must not contain the invisible NUL character`) : undefined);
  });

  app.addHook('onRoute', (route) => {
    const config = route.config as { publicUploads?: PublicUploads; csrf?: string } | undefined;
    if (config?.publicUploads && config.csrf === 'none') throw new Error(`${route.method} ${route.url}: a route taking public uploads must check where its form came from (csrf 'origin' or 'token')`);
  });

  // An upload is read only from a signed-in organiser whose form proves where it came from: the
  // session and the CSRF token (header or the form's action) are checked before the body. A route
  // open to public uploads checks the form's origin (or token) and the body's declared size instead.
  app.addHook('preParsing', (request, reply, payload, done) => {
    if (!/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) return done(null, payload);
    const mode = request.routeOptions.config?.csrf ?? 'token';
    const uploads = request.routeOptions.config?.publicUploads;
    if (uploads) {
      const refusal = publicUploadRefusal(request, uploads, mode, options.baseUrl);
      if (refusal) return done(refusal);
    } else if (!request.viewer) return done(new DomainError('unauthenticated', 'Sign in to do that.'));
    if (mode !== 'token') return done(null, payload);
    app.csrfProtection(request, reply, (error?: Error) => done(error ?? null, payload));
  });

  // Every unsafe request proves where it came from (see FastifyContextConfig.csrf).
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
    const mode = request.routeOptions.config?.csrf ?? 'token';
    if (mode === 'none') return done();
    if (mode === 'origin') {
      if (sameOrigin(request, options.baseUrl)) return done();
      return done(new DomainError('forbidden', 'This form must be sent from our own site.'));
    }
    app.csrfProtection(request, reply, done);
  });

  app.setNotFoundHandler((request, reply) => {
    if (wantsJson(request)) return reply.code(404).send({ error: 'not_found', message: 'Not found.' });
    return reply.render(options.errorPage(request, reply, 404, 'We could not find that page.'), 404);
  });

  app.setErrorHandler((error, request, reply) => {
    const answer = describeError(error);
    const { status, code, message, problems, retryAfterSeconds } = answer;
    if (retryAfterSeconds) reply.header('retry-after', String(retryAfterSeconds));
    logRequestFailure(request.log, error, answer);
    if (reply.sent) return;
    if (wantsJson(request)) {
      return reply.code(status).send({ error: code, message, ...(problems.length ? { errors: problems } : {}) });
    }
    return reply.render(options.errorPage(request, reply, status, message), status);
  });

  return app;
}
