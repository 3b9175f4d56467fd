/**
 * Safe JSON input: prototype-poisoning keys (`__proto__`, `constructor.prototype`) are
 * refused by `secure-json-parse`, nesting is limited (default 64), and malformed text is
 * reported with its line and column. See docs/json.md and docs/errors/BODY_MALFORMED.md.
 *
 * Grammar: RFC 8259 §2–§7. V8's own messages give no position for most mistakes
 * ("Unexpected token '}', ... is not valid JSON"), so on failure `locateError` re-reads the
 * text with a small scanner of the same grammar to find where it went wrong. The scanner
 * runs only on the error path; valid bodies cost one depth scan and `JSON.parse`.
 */
import { lazyRequire } from '../util/lazy-require.js';

const sjson = lazyRequire<typeof import('secure-json-parse')>('secure-json-parse');
import { HttpError } from '../errors.js';

export interface JSONParseOptions {
  /** Deepest nesting of arrays and objects accepted. Default 64. */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 64;

declare module '../app/route-collector.js' {
  interface RouteOptions {
    /** Deepest JSON nesting `req.json()` accepts on this route (overrides the app's `jsonMaxDepth`). */
    jsonMaxDepth?: number;
  }
}

/** Where a JSON text is malformed, and why. Lines and columns count from 1. */
export interface JSONErrorPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

/**
 * Parses request JSON; throws a 400 HttpError (`BODY_MALFORMED`) that says what was wrong
 * and where.
 *
 * ```ts
 * parseJSONBody('{"a": }') // HttpError: The JSON body is malformed at line 1, column 7: expected a value, found "}".
 * ```
 */
export function parseJSONBody(text: string, opts: JSONParseOptions = {}): unknown {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const deep = tooDeepAt(text, maxDepth);
  if (deep !== -1) {
    const { line, column } = lineColumn(text, deep);
    throw new HttpError(
      'BODY_MALFORMED',
      `The JSON body nests deeper than ${maxDepth} levels (line ${line}, column ${column}). Raise the limit with the \`jsonMaxDepth\` setting or route option if such nesting is expected.`,
      { maxDepth, line, column },
    );
  }
  let value: unknown;
  try {
    value = sjson().parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/forbidden prototype/i.test(msg)) {
      throw new HttpError(
        'BODY_MALFORMED',
        'The JSON body contains a "__proto__" key or a "constructor" object with a "prototype" key; such keys are refused because they can poison object prototypes.',
        { reason: 'prototype' },
      );
    }
    const pos = locateError(text);
    if (pos === null) {
      throw new HttpError('BODY_MALFORMED', `The JSON body is malformed: ${msg}`);
    }
    throw new HttpError('BODY_MALFORMED', `The JSON body is malformed at line ${pos.line}, column ${pos.column}: ${pos.reason}.`, {
      line: pos.line,
      column: pos.column,
    });
  }
  // A number past ±1.8e308 parses to ±Infinity, which JSON cannot carry back out: refuse it
  // here rather than fail later. Only a long digit run or a 3-digit exponent can overflow,
  // so ordinary bodies skip the walk.
  if (MAYBE_OVERFLOW.test(text) && hasNonFinite(value)) {
    throw new HttpError('BODY_MALFORMED', 'The JSON body contains a number too large to represent (it would become Infinity).', {
      reason: 'number',
    });
  }
  return value;
}

const MAYBE_OVERFLOW = /[eE][+]?0*\d{3}|\d{300}/;

function hasNonFinite(v: unknown): boolean {
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return true;
    } else if (x !== null && typeof x === 'object') {
      for (const k of Object.keys(x)) stack.push((x as Record<string, unknown>)[k]);
    }
  }
  return false;
}

/**
 * Offset of the first bracket that opens nesting level `limit + 1`, counted on brackets
 * outside strings, or -1. Stops there, so a hostile body costs no more than a scan.
 */
function tooDeepAt(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/** Line and column (from 1) of a UTF-16 offset; columns count code units. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

class Stop {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

/**
 * Finds the first position where `text` stops being JSON (RFC 8259), or null when it is
 * valid. Iterative over containers, so deep input cannot overflow the stack.
 */
export function locateError(text: string): JSONErrorPosition | null {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const found = (): string => (i >= n ? 'the end of the text' : JSON.stringify(text[i]));
  const fail = (reason: string): never => {
    throw new Stop(i, reason);
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= n) fail('the string is not closed');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('a control character must be escaped inside a string');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            fail('\\u must be followed by four hex digits');
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          fail(`${JSON.stringify('\\' + (e ?? ''))} is not a valid escape`);
        }
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null || m[0] === '-') fail('this number is not valid JSON');
    i += m![0].length;
    const c = text[i];
    if (c !== undefined && /[0-9.eE+\-]/.test(c)) fail('this number is not valid JSON');
  };
  // Open containers, '{' or '['. No recursion: deep input cannot overflow the stack.
  const stack: string[] = [];
  /** Reads one value; returns true when it opened a non-empty container. */
  const value = (): boolean => {
    ws();
    const c = text[i];
    if (c === '"') string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else if (c === '{' || c === '[') {
      i++;
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) i++;
      else {
        stack.push(c);
        return true;
      }
    } else if (c === "'") fail('strings must use double quotes');
    else fail(`expected a value, found ${found()}`);
    return false;
  };
  const keyColon = () => {
    ws();
    if (text[i] !== '"') fail(text[i] === '}' ? 'a trailing comma is not allowed' : `expected a property name in double quotes, found ${found()}`);
    string();
    ws();
    if (text[i] !== ':') fail(`expected ":" after the property name, found ${found()}`);
    i++;
  };
  /** Reads a value and, while it opens containers, their first members. */
  const element = () => {
    while (value()) if (stack[stack.length - 1] === '{') keyColon();
  };
  try {
    element();
    for (;;) {
      ws();
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      const close = top === '{' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        ws();
        if (top === '[') {
          if (text[i] === ']') fail('a trailing comma is not allowed');
        } else keyColon();
        element();
      } else if (text[i] === close) {
        i++;
        stack.pop();
      } else {
        fail(`expected "," or "${close}", found ${found()}`);
      }
    }
    ws();
    if (i < n) fail(`unexpected ${found()} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const { line, column } = lineColumn(text, e.offset);
    return { offset: e.offset, line, column, reason: e.reason };
  }
}
