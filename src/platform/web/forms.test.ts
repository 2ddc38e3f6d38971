import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../http/errors.ts';
import { parseParams, parseRequest, queryText } from './forms.ts';

function thrown(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('reading requests at the edge', () => {
  const idParams = z.object({ id: z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number) });

  it('reads path parameters that fit', () => {
    expect(parseParams(idParams, { id: '42' }, 'email')).toEqual({ id: 42 });
  });

  it('answers 404 naming the field for a path parameter that does not fit', () => {
    const error = thrown(() => parseParams(idParams, { id: 'abc' }, 'email'));
    expect(error.status).toBe(404);
    expect(error.message).toBe('We could not find that email.');
    expect(error.problems.map((p) => p.field)).toEqual(['id']);
  });

  it('answers 400 naming the field for a query or body that does not fit', () => {
    const error = thrown(() => parseRequest(z.object({ action: z.enum(['save']) }), { action: 'nope' }));
    expect(error.status).toBe(400);
    expect(error.problems.map((p) => p.field)).toEqual(['action']);
    expect(thrown(() => parseRequest(z.object({ a: z.string() }), {}, 'Send a.')).message).toBe('Send a.');
  });

  it('reads a missing or repeated optional query value as absent', () => {
    const query = z.object({ notice: queryText() });
    expect(parseRequest(query, { notice: 'saved' })).toEqual({ notice: 'saved' });
    expect(parseRequest(query, { notice: ['a', 'b'] })).toEqual({ notice: undefined });
    expect(parseRequest(query, undefined)).toEqual({ notice: undefined });
  });
});
