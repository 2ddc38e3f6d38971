import { z } from 'zod';
import { DomainError, type FieldProblem } from '../http/errors.ts';

/** Field name → the message shown beside it and in the error summary. */
export type FieldErrors = Record<string, string>;
/** What the person typed, to put back in the form. */
export type FormValues = Record<string, string>;

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors; values: FormValues };

/** Keeps string values of a urlencoded body (first of repeated names) for redisplay. */
export function formValues(body: unknown): FormValues {
  const values = Object.create(null) as FormValues; // keys come from the request: no prototype to collide with
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key === '_csrf') continue;
      if (typeof value === 'string') values[key] = value;
      else if (Array.isArray(value) && typeof value[0] === 'string') values[key] = value[0];
    }
  }
  return values;
}

/** All values of a repeated field (checkboxes), whether the body holds one or many. */
export function formList(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export function problemsFromZod(error: z.ZodError): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : 'form';
    if (seen.has(field)) continue; // the first problem with a field is the one to fix first
    seen.add(field);
    problems.push({ field, message: issue.message });
  }
  return problems;
}

/** Validates a form body with a zod schema, returning field errors GOV.UK style on failure. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, value: result.data };
  const errors = Object.create(null) as FieldErrors;
  for (const p of problemsFromZod(result.error)) errors[p.field] = p.message;
  return { ok: false, errors, values: formValues(body) };
}

/** Validates input for JSON APIs and rules: throws a DomainError naming each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = problemsFromZod(result.error);
  throw new DomainError('invalid', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { problems });
}

/**
 * Reads path parameters. A value that does not fit names nothing that exists, so the answer is
 * the route's 404 (with the field named), never a 500 from a query that could not run.
 */
export function parseParams<S extends z.ZodType>(schema: S, params: unknown, what = 'page'): z.output<S> {
  const result = schema.safeParse(params ?? {});
  if (result.success) return result.data;
  throw new DomainError('not_found', `We could not find that ${what}.`, { problems: problemsFromZod(result.error) });
}

/**
 * Reads a query string, or a body that is not a form shown again on failure: a value that does
 * not fit answers 400 naming the field. `message` replaces the joined field messages.
 */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, message?: string): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = problemsFromZod(result.error);
  throw new DomainError('bad_request', message ?? problems.map((p) => `${p.field}: ${p.message}`).join('; '), { problems });
}

/** Turns a DomainError's field problems into form errors (rules can fail after validation). */
export function errorsFrom(error: DomainError): FieldErrors {
  const errors = Object.create(null) as FieldErrors;
  for (const p of error.problems) errors[p.field] = p.message;
  if (Object.keys(errors).length === 0) errors.form = error.message;
  return errors;
}

/** A command's field problems, to show on the form again; any other error goes on to the error page. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (error instanceof DomainError && error.code === 'invalid') return errorsFrom(error);
  throw error;
}

/** Field problems as the form shows them: the first message for each field. */
export function firstErrorPerField(problems: readonly FieldProblem[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const p of problems) errors[p.field] ??= p.message;
  return errors;
}

// Small reusable field schemas with GOV.UK-style messages.

export const requiredText = (label: string, max: number) =>
  z
    .string({ message: `Enter ${label}` })
    .trim()
    .min(1, { message: `Enter ${label}` })
    .max(max, { message: `${capitalise(label)} must be ${max} characters or fewer` });

export const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `${capitalise(label)} must be ${max} characters or fewer` })
    .optional()
    .transform((v) => (v ? v : undefined));

export const emailAddress = (label = 'an email address') =>
  z
    .string({ message: `Enter ${label}` })
    .trim()
    .min(1, { message: `Enter ${label}` })
    .max(254, { message: 'Email address must be 254 characters or fewer' })
    .regex(/^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/, {
      message: 'Enter an email address in the correct format, like name@example.com',
    });

export const optionalEmail = () =>
  z
    .string()
    .trim()
    .max(254, { message: 'Email address must be 254 characters or fewer' })
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/.test(v), {
      message: 'Enter an email address in the correct format, like name@example.com',
    });

export const optionalWebsite = (label = 'website') =>
  z
    .string()
    .trim()
    .max(500, { message: `${capitalise(label)} must be 500 characters or fewer` })
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine(
      (v) => {
        if (v === undefined) return true;
        try {
          const u = new URL(v);
          return u.protocol === 'https:' || u.protocol === 'http:';
        } catch {
          return false;
        }
      },
      { message: `Enter the ${label} as a full address starting with https://` },
    );

/** An optional query value such as `?notice=`: anything but one string (absent, repeated) reads as absent. */
export const queryText = () => z.string().optional().catch(undefined);

/** A checkbox: present ("yes") when ticked, absent when not. */
export const checkbox = () =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => v !== undefined && v !== '');

function capitalise(text: string): string {
  const bare = text.replace(/^(an?|the|your) /, '');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

export type Saved<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/**
 * Runs a save that may refuse a field (a taken slug, a file that is not an image) and turns that
 * refusal into form errors for redisplay; anything else propagates to the error page.
 */
export async function saveOrFieldErrors<T>(save: () => Promise<T>): Promise<Saved<T>> {
  try {
    return { ok: true, value: await save() };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'invalid') return { ok: false, errors: errorsFrom(error) };
    throw error;
  }
}
