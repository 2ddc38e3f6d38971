import fc from 'fast-check';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/http/errors.ts';
import { compileFilter, parseFilter, parseFilterDate, type FieldSpecs } from './filter.ts';

const compiler = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const fields: FieldSpecs = {
  modified_date: { type: 'date', column: 'p.modified_at' },
  email_address: { type: 'text', column: 'p.canonical_email', normalise: (v) => v.toLowerCase(), ops: ['eq', 'ne'] },
  given_name: { type: 'text', column: 'p.given_name' },
};

const compile = (text: string) => compileFilter(parseFilter(text), fields).compile(compiler);

describe('the OData filter subset', () => {
  it('reads comparisons, with and binding tighter than or, and parentheses', () => {
    expect(parseFilter("given_name eq 'a' or given_name eq 'b' and modified_date gt '2026-01-01'")).toEqual({
      kind: 'or',
      left: { kind: 'compare', field: 'given_name', op: 'eq', value: 'a' },
      right: {
        kind: 'and',
        left: { kind: 'compare', field: 'given_name', op: 'eq', value: 'b' },
        right: { kind: 'compare', field: 'modified_date', op: 'gt', value: '2026-01-01' },
      },
    });
    expect(parseFilter("(given_name EQ 'a' OR given_name eq 'b') and given_name ne 'O''Brien'")).toMatchObject({
      kind: 'and',
      left: { kind: 'or' },
      right: { kind: 'compare', op: 'ne', value: "O'Brien" },
    });
  });

  it('compiles to parametrised SQL: values never become SQL text', () => {
    const query = compile("given_name eq 'x'' or 1=1 --' or email_address eq 'ADA@example.org'");
    expect(query.sql).toBe('("p"."given_name" = $1 or "p"."canonical_email" = $2)');
    expect(query.parameters).toEqual(["x' or 1=1 --", 'ada@example.org']);
    const dates = compile("modified_date ge '2026-01-01' and modified_date lt '2026-02-01T09:30:00+01:00'");
    expect(dates.sql).toBe('("p"."modified_at" >= $1 and "p"."modified_at" < $2)');
    expect(dates.parameters).toEqual([new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T08:30:00Z')]);
  });

  it('reads dates as days (midnight UTC) or ISO 8601 times, and refuses days that do not exist', () => {
    expect(parseFilterDate('2024-02-29')).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(parseFilterDate('2026-03-01 10:15')).toEqual(new Date('2026-03-01T10:15:00Z'));
    expect(parseFilterDate('2026-03-01T10:15:00+0100')).toEqual(new Date('2026-03-01T09:15:00Z'));
    for (const bad of ['2026-02-29', '2026-13-01', '2026-01-01T25:00:00Z', 'yesterday', '01/02/2026', '']) expect(parseFilterDate(bad), bad).toBeUndefined();
  });

  it('answers any text with a tree or a 400 that starts “filter:”, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-z_ ()'eqandor0-9-]{0,40}$/)), (text) => {
        try {
          compileFilter(parseFilter(text), fields);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).status).toBe(400);
          expect((error as DomainError).message).toMatch(/^filter: /);
        }
      }),
      { numRuns: 300 },
    );
  });
});
