/**
 * Expressions, with Jinja's precedence (lowest first): `a if c else b`, `or`, `and`,
 * `not`, comparisons (`== != < <= > >= in`, `not in`, chains like `a < b < c`), `+ -`,
 * `~`, `* / // %`, `**`, unary `- +`, then filters (`|f(…)`) and tests (`is [not] t …`)
 * after the postfix operators (`.name`, `[i]`, `[a:b]`, calls).
 */
import type { BinaryOp, Expr } from './ast.js';
import type { Source, Token } from './lexer.js';

/** A cursor over tokens, shared by the statement and expression parsers. */
export class Tokens {
  pos = 0;
  /** How deeply expressions and statements nest right now (bounded by MAX_NESTING). */
  depth = 0;
  constructor(
    readonly list: Token[],
    readonly src: Source,
  ) {}
  peek(k = 0): Token {
    return this.list[Math.min(this.pos + k, this.list.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (this.pos < this.list.length - 1) this.pos++;
    return t;
  }
  is(type: Token['type'], value?: string): boolean {
    const t = this.peek();
    return t.type === type && (value === undefined || t.value === value);
  }
  isName(value: string): boolean {
    return this.is('name', value);
  }
  skip(type: Token['type'], value?: string): boolean {
    if (this.is(type, value)) {
      this.next();
      return true;
    }
    return false;
  }
  expect(type: Token['type'], value?: string, what?: string): Token {
    const t = this.peek();
    if (t.type !== type || (value !== undefined && t.value !== value)) {
      throw this.src.error('TEMPLATE_SYNTAX', `expected ${what ?? (value !== undefined ? JSON.stringify(value) : type)}, found ${describe(t)}`, t.offset);
    }
    return this.next();
  }
  expectName(what = 'a name'): string {
    return this.expect('name', undefined, what).value as string;
  }
}

export function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'the end of the template';
    case 'var_end':
      return '"}}"';
    case 'block_end':
      return '"%}"';
    case 'string':
      return `the string ${JSON.stringify(t.value)}`;
    case 'data':
      return 'text';
    default:
      return JSON.stringify(String(t.value));
  }
}

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const KEYWORD_END = new Set(['and', 'or', 'else', 'if', 'in', 'is', 'not', 'recursive', 'with', 'without', 'ignore', 'as']);

/** The deepest nesting of statements or expressions a template may have. */
export const MAX_NESTING = 200;

/** Counts one level of nesting; refuses templates nested deeper than MAX_NESTING. */
export function enter(t: Tokens, offset: number): void {
  if (++t.depth > MAX_NESTING) {
    throw t.src.error('TEMPLATE_SYNTAX', `the template nests more than ${MAX_NESTING} levels deep`, offset);
  }
}

/** Parses one expression, including `a if c else b`. */
export function parseExpr(t: Tokens, noCond = false): Expr {
  enter(t, t.peek().offset);
  try {
    return parseExprInner(t, noCond);
  } finally {
    t.depth--;
  }
}

function parseExprInner(t: Tokens, noCond: boolean): Expr {
  let e = parseOr(t);
  if (noCond) return e;
  while (t.isName('if')) {
    const offset = t.next().offset;
    const test = parseOr(t);
    const else_ = t.skip('name', 'else') ? parseExpr(t) : null;
    e = { kind: 'cond', offset, test, then: e, else_ };
  }
  return e;
}

function parseOr(t: Tokens): Expr {
  let e = parseAnd(t);
  while (t.isName('or')) {
    const offset = t.next().offset;
    e = { kind: 'binary', offset, op: 'or', left: e, right: parseAnd(t) };
  }
  return e;
}

function parseAnd(t: Tokens): Expr {
  let e = parseNot(t);
  while (t.isName('and')) {
    const offset = t.next().offset;
    e = { kind: 'binary', offset, op: 'and', left: e, right: parseNot(t) };
  }
  return e;
}

function parseNot(t: Tokens): Expr {
  if (t.isName('not')) {
    const offset = t.next().offset;
    enter(t, offset);
    try {
      return { kind: 'unary', offset, op: 'not', expr: parseNot(t) };
    } finally {
      t.depth--;
    }
  }
  return parseCompare(t);
}

function parseCompare(t: Tokens): Expr {
  const first = parseMath1(t);
  let left = first;
  let result: Expr | null = null;
  for (;;) {
    const tok = t.peek();
    let op: BinaryOp | null = null;
    if (tok.type === 'op' && COMPARE_OPS.has(tok.value as string)) op = tok.value as BinaryOp;
    else if (t.isName('in')) op = 'in';
    else if (t.isName('not') && t.peek(1).type === 'name' && t.peek(1).value === 'in') {
      t.next();
      op = 'not in';
    }
    if (op === null) break;
    t.next();
    const right = parseMath1(t);
    const cmp: Expr = { kind: 'binary', offset: tok.offset, op, left, right };
    result = result === null ? cmp : { kind: 'binary', offset: tok.offset, op: 'and', left: result, right: cmp };
    left = right;
  }
  return result ?? first;
}

function binaryLevel(ops: readonly string[], sub: (t: Tokens) => Expr): (t: Tokens) => Expr {
  return (t) => {
    let e = sub(t);
    while (t.peek().type === 'op' && ops.includes(t.peek().value as string)) {
      const tok = t.next();
      e = { kind: 'binary', offset: tok.offset, op: tok.value as BinaryOp, left: e, right: sub(t) };
    }
    return e;
  };
}

function parsePow(t: Tokens): Expr {
  const e = parseUnary(t);
  if (t.is('op', '**')) {
    const tok = t.next();
    enter(t, tok.offset);
    try {
      return { kind: 'binary', offset: tok.offset, op: '**', left: e, right: parsePow(t) };
    } finally {
      t.depth--;
    }
  }
  return e;
}
const parseMath2 = binaryLevel(['*', '/', '//', '%'], parsePow);
const parseConcat = binaryLevel(['~'], parseMath2);
const parseMath1 = binaryLevel(['+', '-'], parseConcat);

function parseUnary(t: Tokens, withFilter = true): Expr {
  let e: Expr;
  if (t.is('op', '-') || t.is('op', '+')) {
    const tok = t.next();
    enter(t, tok.offset);
    try {
      e = { kind: 'unary', offset: tok.offset, op: tok.value as '-' | '+', expr: parseUnary(t, false) };
    } finally {
      t.depth--;
    }
  } else {
    e = parsePostfix(t, parsePrimary(t));
  }
  return withFilter ? parseFilterTest(t, e) : e;
}

function parseArgs(t: Tokens): { args: Expr[]; kwargs: [string, Expr][] } {
  const args: Expr[] = [];
  const kwargs: [string, Expr][] = [];
  t.expect('op', '(');
  while (!t.is('op', ')')) {
    if (t.is('op', '**')) {
      const offset = t.next().offset;
      kwargs.push(['**', { kind: 'spread', offset, expr: parseExpr(t) }]);
    } else if (t.is('op', '*')) {
      const offset = t.next().offset;
      args.push({ kind: 'spread', offset, expr: parseExpr(t) });
    } else if (t.peek().type === 'name' && t.peek(1).type === 'op' && t.peek(1).value === '=') {
      const name = t.next().value as string;
      t.next();
      kwargs.push([name, parseExpr(t)]);
    } else {
      if (kwargs.length > 0) throw t.src.error('TEMPLATE_SYNTAX', 'a positional argument follows a keyword argument', t.peek().offset);
      args.push(parseExpr(t));
    }
    if (!t.skip('op', ',')) break;
  }
  t.expect('op', ')');
  return { args, kwargs };
}

function parsePostfix(t: Tokens, e: Expr): Expr {
  for (;;) {
    const tok = t.peek();
    if (tok.type !== 'op') return e;
    if (tok.value === '.') {
      t.next();
      const nameTok = t.peek();
      if (nameTok.type === 'number' && Number.isInteger(nameTok.value)) {
        t.next();
        e = { kind: 'item', offset: tok.offset, obj: e, index: { kind: 'literal', offset: nameTok.offset, value: nameTok.value } };
      } else {
        e = { kind: 'attr', offset: tok.offset, obj: e, name: t.expectName('an attribute name after "."') };
      }
    } else if (tok.value === '[') {
      t.next();
      let start: Expr | null = null;
      if (!t.is('op', ':')) start = parseExpr(t);
      if (t.skip('op', ':')) {
        const stop = t.is('op', ']') || t.is('op', ':') ? null : parseExpr(t);
        const step = t.skip('op', ':') && !t.is('op', ']') ? parseExpr(t) : null;
        t.expect('op', ']');
        e = { kind: 'slice', offset: tok.offset, obj: e, start, stop, step };
      } else {
        t.expect('op', ']');
        e = { kind: 'item', offset: tok.offset, obj: e, index: start! };
      }
    } else if (tok.value === '(') {
      const { args, kwargs } = parseArgs(t);
      e = { kind: 'call', offset: e.offset, fn: e, args, kwargs };
    } else {
      return e;
    }
  }
}

/** One filter applied to `e`: `name`, `name(args)`, dotted names too. */
function parseFilterCall(t: Tokens, e: Expr, offset: number, what: string): Expr {
  let name = t.expectName(what);
  while (t.is('op', '.') && t.peek(1).type === 'name') {
    t.next();
    name += '.' + (t.next().value as string);
  }
  const { args, kwargs } = t.is('op', '(') ? parseArgs(t) : { args: [], kwargs: [] };
  return { kind: 'filter', offset, expr: e, name, args, kwargs };
}

/** The filters of a `{% filter f(…)|g %}` tag, applied to `subject` (the block's output). */
export function parseFilterTag(t: Tokens, subject: Expr): Expr {
  let e = parseFilterCall(t, subject, t.peek().offset, 'a filter name');
  while (t.is('op', '|')) e = parseFilterCall(t, e, t.next().offset, 'a filter name after "|"');
  return e;
}

function parseFilterTest(t: Tokens, e: Expr): Expr {
  for (;;) {
    if (t.is('op', '|')) {
      e = parseFilterCall(t, e, t.next().offset, 'a filter name after "|"');
    } else if (t.isName('is')) {
      const tok = t.next();
      const negated = t.skip('name', 'not');
      const nameTok = t.peek();
      let name: string;
      if (nameTok.type === 'name') name = t.next().value as string;
      else if (nameTok.type === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(nameTok.value as string)) name = t.next().value as string;
      else throw t.src.error('TEMPLATE_SYNTAX', `expected a test name after "is", found ${describe(nameTok)}`, nameTok.offset);
      let args: Expr[] = [];
      if (t.is('op', '(')) {
        args = parseArgs(t).args;
      } else {
        const n = t.peek();
        const startsValue =
          n.type === 'string' ||
          n.type === 'number' ||
          (n.type === 'name' && !KEYWORD_END.has(n.value as string)) ||
          (n.type === 'op' && (n.value === '[' || n.value === '{' || n.value === '-'));
        if (startsValue) args = [parsePostfix(t, parsePrimary(t))];
      }
      e = { kind: 'test', offset: tok.offset, expr: e, name, args, negated };
    } else {
      return e;
    }
  }
}

function parsePrimary(t: Tokens): Expr {
  const tok = t.next();
  switch (tok.type) {
    case 'string': {
      let value = tok.value as string;
      while (t.is('string')) value += t.next().value as string; // adjacent strings join
      return { kind: 'literal', offset: tok.offset, value };
    }
    case 'number':
      return { kind: 'literal', offset: tok.offset, value: tok.value as number };
    case 'name': {
      const n = tok.value as string;
      if (n === 'true' || n === 'True') return { kind: 'literal', offset: tok.offset, value: true };
      if (n === 'false' || n === 'False') return { kind: 'literal', offset: tok.offset, value: false };
      if (n === 'none' || n === 'None' || n === 'null') return { kind: 'literal', offset: tok.offset, value: null };
      return { kind: 'name', offset: tok.offset, name: n };
    }
    case 'op':
      if (tok.value === '(') {
        if (t.skip('op', ')')) return { kind: 'tuple', offset: tok.offset, items: [] };
        const first = parseExpr(t);
        if (t.skip('op', ')')) return first;
        const items = [first];
        while (t.skip('op', ',')) {
          if (t.is('op', ')')) break;
          items.push(parseExpr(t));
        }
        t.expect('op', ')');
        return { kind: 'tuple', offset: tok.offset, items };
      }
      if (tok.value === '[') {
        const items: Expr[] = [];
        while (!t.is('op', ']')) {
          items.push(parseExpr(t));
          if (!t.skip('op', ',')) break;
        }
        t.expect('op', ']');
        return { kind: 'list', offset: tok.offset, items };
      }
      if (tok.value === '{') {
        const pairs: [Expr, Expr][] = [];
        while (!t.is('op', '}')) {
          const k = parseExpr(t);
          t.expect('op', ':');
          pairs.push([k, parseExpr(t)]);
          if (!t.skip('op', ',')) break;
        }
        t.expect('op', '}');
        return { kind: 'dict', offset: tok.offset, pairs };
      }
      break;
    default:
      break;
  }
  throw t.src.error('TEMPLATE_SYNTAX', `expected a value, found ${describe(tok)}`, tok.offset);
}
