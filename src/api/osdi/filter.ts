import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { DomainError } from '../../platform/http/errors.ts';

/**
 * The OData filter subset that OSDI servers (Action Network among them) accept on collections:
 *
 *   filter=modified_date gt '2026-01-01'
 *   filter=email_address eq 'ada@example.org'
 *   filter=modified_date ge '2026-01-01' and (given_name eq 'Ada' or given_name eq 'Grace')
 *
 * Comparisons are `field op 'value'` with op one of eq, ne, gt, ge, lt, le; `and` binds tighter
 * than `or`; parentheses group. Anything else is refused with a 400 saying what was wrong.
 */

export type Operator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const OPERATORS: readonly Operator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

export type FilterNode =
  | { kind: 'compare'; field: string; op: Operator; value: string }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode };

type Token = { kind: 'word'; text: string; at: number } | { kind: 'string'; text: string; at: number } | { kind: 'open' | 'close'; at: number };

const MAX_LENGTH = 2000;
const MAX_COMPARISONS = 20;

export function filterError(message: string): DomainError {
  return new DomainError('bad_request', `filter: ${message}`, { problems: [{ field: 'filter', message }] });
}

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', at: i });
      i++;
    } else if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw filterError(`the value starting at character ${i + 1} has no closing quote (')`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push({ kind: 'string', text: value, at: i });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), at: i });
      i = j;
    } else {
      throw filterError(`unexpected “${c}” at character ${i + 1}; values go in single quotes, like modified_date gt '2026-01-01'`);
    }
  }
  return tokens;
}

/** Parses a filter expression, or throws a 400 naming the problem. */
export function parseFilter(text: string): FilterNode {
  if (text.length > MAX_LENGTH) throw filterError(`too long (at most ${MAX_LENGTH} characters)`);
  const tokens = tokenise(text);
  if (tokens.length === 0) throw filterError("empty; write a comparison like modified_date gt '2026-01-01'");
  let pos = 0;
  let comparisons = 0;

  const word = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text.toLowerCase() === w;

  function parseOr(): FilterNode {
    let left = parseAnd();
    while (word(tokens[pos], 'or')) {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  }

  function parseAnd(): FilterNode {
    let left = parseTerm();
    while (word(tokens[pos], 'and')) {
      pos++;
      left = { kind: 'and', left, right: parseTerm() };
    }
    return left;
  }

  function parseTerm(): FilterNode {
    const t = tokens[pos];
    if (!t) throw filterError('it ends where a comparison was expected');
    if (t.kind === 'open') {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.kind !== 'close') throw filterError(`the parenthesis at character ${t.at + 1} is never closed`);
      pos++;
      return inner;
    }
    if (t.kind !== 'word') throw filterError(`expected a field name at character ${t.at + 1}`);
    const field = t.text;
    const opToken = tokens[pos + 1];
    if (!opToken || opToken.kind !== 'word') throw filterError(`expected an operator (eq, ne, gt, ge, lt or le) after “${field}”`);
    const op = opToken.text.toLowerCase() as Operator;
    if (!OPERATORS.includes(op)) throw filterError(`“${opToken.text}” is not a supported operator; use eq, ne, gt, ge, lt or le`);
    const value = tokens[pos + 2];
    if (!value || value.kind !== 'string') throw filterError(`expected a value in single quotes after “${field} ${op}”`);
    pos += 3;
    if (++comparisons > MAX_COMPARISONS) throw filterError(`too many comparisons (at most ${MAX_COMPARISONS})`);
    return { kind: 'compare', field, op, value: value.text };
  }

  const tree = parseOr();
  const rest = tokens[pos];
  if (rest) {
    const shown = rest.kind === 'word' || rest.kind === 'string' ? `“${rest.text}”` : rest.kind === 'open' ? '“(”' : '“)”';
    throw filterError(`unexpected ${shown} at character ${rest.at + 1}; join comparisons with and / or`);
  }
  return tree;
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

/** The SQL condition for a request's `filter` parameter, or undefined when there is none. */
export function filterCondition(raw: unknown, fields: FieldSpecs): RawBuilder<SqlBool> | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw filterError('give it once, as text');
  return compileFilter(parseFilter(raw), fields);
}
