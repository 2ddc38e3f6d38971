/**
 * Domain errors with stable codes. Rules throw these; `platform/http` maps each code to an HTTP
 * status once, so routes never pick status codes for rule failures.
 */
export const errorStatus = {
  /** The request named something that does not exist (or that this user may not know exists). */
  not_found: 404,
  /** A field is missing or wrong; `field` names it. Callers show the message beside the field. */
  invalid: 422,
  /** The request cannot be read at all (bad JSON, wrong content type). */
  bad_request: 400,
  /** Not signed in (HTML routes redirect to sign-in instead). */
  unauthenticated: 401,
  /** Signed in, but the role or group does not allow this. */
  forbidden: 403,
  /** The thing is in a state that does not allow this (a closed petition, a used link). */
  conflict: 409,
  /** The thing existed but has gone (an expired link). */
  gone: 410,
  /** Too many attempts; `retryAfterSeconds` says when to try again. */
  rate_limited: 429,
  /** The request body is larger than we accept. */
  too_large: 413,
  /** A dependency (the database) is unavailable; safe to retry. */
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldProblem {
  field: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly problems: FieldProblem[];
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: { problems?: FieldProblem[]; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.problems = options.problems ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what = 'page') => new DomainError('not_found', `We could not find that ${what}.`);
export const forbidden = (message = 'You do not have permission to do that.') => new DomainError('forbidden', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const gone = (message: string) => new DomainError('gone', message);
export const invalidField = (field: string, message: string) =>
  new DomainError('invalid', message, { problems: [{ field, message }] });
export const invalidFields = (problems: FieldProblem[]) =>
  new DomainError('invalid', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { problems });
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new DomainError('rate_limited', message, { retryAfterSeconds });

/** PostgreSQL and socket codes that mean the database cannot be reached now (not a fault in the request). */
const unavailableCodes = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN|57P0[1-3]|3D000|08\w{3})$/;

/** node-postgres' own words when its connection or pool has gone. */
const unavailableMessages = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Cannot use a pool after calling end/,
  /^terminating connection due to/,
  /^the database system is (starting up|shutting down|in recovery mode)/,
  /^connect ECONNREFUSED/,
];

/**
 * The database could not be reached (server down or restarting, its connection killed, the
 * database gone, the pool closed or unable to connect): the service is unavailable for a while,
 * not broken. Looks through wrapped errors (`cause`, and the several errors of an AggregateError,
 * as a connection to each address of localhost gives).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && unavailableCodes.test(code)) return true;
  if (typeof message === 'string' && unavailableMessages.some((m) => m.test(message))) return true;
  if (cause !== undefined && isDatabaseUnavailable(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => isDatabaseUnavailable(e, depth + 1));
}

/** The little a log needs: pino's and Fastify's loggers both fit. */
export interface WarnLog {
  warn(bindings: object, message: string): void;
}

/**
 * Says "the database is unavailable" at most once a second, however many requests, jobs and
 * tickers meet it meanwhile, with how many did and the last error's code and words (no stack:
 * the stack of a dropped connection says nothing). Without it an outage writes a line, with a
 * stack, for every request.
 */
export class DatabaseOutageLog {
  private lastAt = -Infinity;
  private suppressed = 0;

  constructor(private readonly intervalMs = 1000, private readonly now: () => number = () => performance.now()) {}

  report(log: WarnLog, error: unknown, where: string): void {
    const at = this.now();
    if (at - this.lastAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    log.warn(
      { where, code: typeof code === 'string' ? code : undefined, error: typeof message === 'string' ? message.slice(0, 200) : String(error), alsoFailedSinceLastReport: this.suppressed },
      'database unavailable: answering 503 until it is back',
    );
    this.lastAt = at;
    this.suppressed = 0;
  }
}

/** The process's one outage log, shared by the web server, the API, jobs and tickers. */
export const databaseOutageLog = new DatabaseOutageLog();
