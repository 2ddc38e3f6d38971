import { filterError, OPERATORS, type FilterNode, type Operator } from '../../platform/index.ts';

// The translation into SQL is the platform's: each capability owning a collection compiles the
// parsed filter against the fields it exports (platform/db/filter.ts).
export { compileFilter, filterError, parseFilterDate, type FieldSpec, type FieldSpecs, type FilterNode, type Operator } from '../../platform/db/filter.ts';

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

type Token = { kind: 'word'; text: string; at: number } | { kind: 'string'; text: string; at: number } | { kind: 'open' | 'close'; at: number };

const MAX_LENGTH = 2000;
const MAX_COMPARISONS = 20;

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

/** A request's `filter` parameter, parsed, or undefined when there is none. */
export function parseFilterParam(raw: unknown): FilterNode | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw filterError('give it once, as text');
  return parseFilter(raw);
}
