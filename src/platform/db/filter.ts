import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { DomainError } from '../http/errors.ts';

/**
 * A parsed filter (the OData subset OSDI collections accept; the API parses it) turned into a
 * parametrised SQL condition. The capability that owns a collection's table says which fields can
 * be filtered on and which of its columns each one is, so no one else names its columns.
 */

export type Operator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export const OPERATORS: readonly Operator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

export type FilterNode =
  | { kind: 'compare'; field: string; op: Operator; value: string }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode };

export function filterError(message: string): DomainError {
  return new DomainError('bad_request', `filter: ${message}`, { problems: [{ field: 'filter', message }] });
}

/** How one filterable field of a resource maps onto SQL. */
export type FieldSpec =
  | { type: 'date'; column: string }
  | { type: 'text'; column: string; normalise?: (value: string) => string; ops?: readonly Operator[] };

export type FieldSpecs = Record<string, FieldSpec>;

const SQL_OPERATOR: Record<Operator, string> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** '2026-01-01' (midnight UTC) or an ISO 8601 time; undefined when it is neither or not a real date. */
export function parseFilterDate(value: string): Date | undefined {
  const m = DATE.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h] = m;
  const iso = h ? value.trim().replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2') + (m[7] ? '' : 'Z') : `${y}-${mo}-${d}T00:00:00Z`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  // new Date() rolls 2026-02-31 over to March: refuse days that do not exist.
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCFullYear() !== Number(y) || day.getUTCMonth() + 1 !== Number(mo) || day.getUTCDate() !== Number(d)) return undefined;
  return date;
}

/** Turns a parsed filter into a parametrised SQL condition over the resource's own fields. */
export function compileFilter(node: FilterNode, fields: FieldSpecs): RawBuilder<SqlBool> {
  if (node.kind !== 'compare') {
    const left = compileFilter(node.left, fields);
    const right = compileFilter(node.right, fields);
    return node.kind === 'and' ? sql<SqlBool>`(${left} and ${right})` : sql<SqlBool>`(${left} or ${right})`;
  }
  const spec = Object.hasOwn(fields, node.field) ? fields[node.field] : undefined;
  if (!spec) throw filterError(`“${node.field}” cannot be filtered on here; use ${Object.keys(fields).join(', ')}`);
  const column = sql.ref(spec.column);
  const op = sql.raw(SQL_OPERATOR[node.op]);
  if (spec.type === 'date') {
    const date = parseFilterDate(node.value);
    if (!date) throw filterError(`“${node.value}” is not a date; use 'YYYY-MM-DD' or a time like '2026-01-01T09:30:00Z'`);
    return sql<SqlBool>`${column} ${op} ${date}`;
  }
  const allowed = spec.ops ?? OPERATORS;
  if (!allowed.includes(node.op)) throw filterError(`${node.field} can only be compared with ${allowed.join(' or ')}`);
  const value = spec.normalise ? spec.normalise(node.value) : node.value;
  return sql<SqlBool>`${column} ${op} ${value}`;
}

/** The condition for a filter when there is one (compiled against the owner's fields), else undefined. */
export function filterWhere(node: FilterNode | undefined, fields: FieldSpecs): RawBuilder<SqlBool> | undefined {
  return node ? compileFilter(node, fields) : undefined;
}
