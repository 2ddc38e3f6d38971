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
