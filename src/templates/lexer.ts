/**
 * The lexer: template source to tokens.
 *
 * Jinja syntax (https://jinja.palletsprojects.com/en/stable/templates/): text, `{{ … }}`
 * values, `{% … %}` tags, `{# … #}` comments, `{% raw %}…{% endraw %}`, and whitespace
 * control — a `-` just inside a delimiter (`{%-`, `-%}`, `{{-`, `-}}`, `{#-`, `-#}`) removes
 * all whitespace, newlines included, on that side. Inside a tag or value the lexer
 * produces names, strings, numbers and operators. Every token carries its offset; `Source`
 * turns offsets into line and column.
 */
import { TemplateError } from '../errors.js';

export type TokenType = 'data' | 'var_begin' | 'var_end' | 'block_begin' | 'block_end' | 'name' | 'string' | 'number' | 'op' | 'eof';

export interface Token {
  readonly type: TokenType;
  /** Text for data, names, operators; the decoded value for strings; the number for numbers. */
  readonly value: string | number;
  /** Offset of the token's first character in the source. */
  readonly offset: number;
}

/**
 * A template's text and name, for positions in messages. As Jinja reads a template, line
 * breaks are `\n` (a `\r\n` or lone `\r` becomes `\n`), and one line break at the very end
 * is dropped (Jinja's `keep_trailing_newline` off).
 */
export class Source {
  readonly #lineStarts: number[] = [0];
  readonly text: string;
  constructor(
    text: string,
    readonly name: string,
  ) {
    this.text = text.replace(/\r\n?/g, '\n').replace(/\n$/, '');
    for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) this.#lineStarts.push(i + 1);
  }
  /** 1-based line and column of an offset (columns count UTF-16 code units). */
  position(offset: number): { file: string; line: number; column: number } {
    const starts = this.#lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.name, line: lo + 1, column: offset - starts[lo]! + 1 };
  }
  error(
    code: 'TEMPLATE_SYNTAX' | 'TEMPLATE_UNKNOWN_FILTER' | 'TEMPLATE_UNKNOWN_TEST' | 'TEMPLATE_UNKNOWN_TAG' | 'TEMPLATE_UNCLOSED' | 'TEMPLATE_DUPLICATE_BLOCK',
    reason: string,
    offset: number,
  ): TemplateError {
    return new TemplateError(code, reason, this.position(offset));
  }
}

const OPERATORS = ['**', '//', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '~', '(', ')', '[', ']', '{', '}', ',', '.', ':', '|', '=', '<', '>'];
const WS = /\s/;
const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
// Python's literals: 1_000, 1.5, 2e-3, 1_2.3_4e5_6, 0x1F, 0o17, 0b101 (underscores between digits).
const NUMBER = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|\d(?:_?\d)*(?:\.\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?)/;
const INTEGER = /^\d(?:_?\d)*/;
const ENDRAW = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g;
const STRING_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', b: '\b', f: '\f', v: '\v' };

/** Splits `src` into tokens. */
export function tokenize(src: Source): Token[] {
  const s = src.text;
  const tokens: Token[] = [];
  let i = 0;
  let lstripNext = false;

  const pushData = (start: number, end: number, rstrip: boolean): void => {
    let a = start;
    let b = end;
    if (lstripNext) while (a < b && WS.test(s[a]!)) a++;
    if (rstrip) while (b > a && WS.test(s[b - 1]!)) b--;
    lstripNext = false;
    if (b > a) tokens.push({ type: 'data', value: s.slice(a, b), offset: a });
  };

  while (i < s.length) {
    const open = findOpen(s, i);
    if (open === -1) {
      pushData(i, s.length, false);
      break;
    }
    const kind = s[open + 1]!;
    const trimBefore = s[open + 2] === '-';
    pushData(i, open, trimBefore);
    // `{%+` and `{{+`: Jinja's "keep the whitespace before" (lstrip_blocks off), already so here.
    let j = open + 2 + (trimBefore || (s[open + 2] === '+' && kind !== '#') ? 1 : 0);
    if (kind === '#') {
      const close = s.indexOf('#}', j);
      if (close === -1) throw src.error('TEMPLATE_UNCLOSED', 'a comment is not closed: missing "#}"', open);
      lstripNext = s[close - 1] === '-' && close - 1 >= j;
      i = close + 2;
      continue;
    }
    const isVar = kind === '{';
    const endDelim = isVar ? '}}' : '%}';
    tokens.push({ type: isVar ? 'var_begin' : 'block_begin', value: isVar ? '{{' : '{%', offset: open });
    // `{% raw %}`: everything up to `{% endraw %}` is data.
    if (!isVar) {
      const m = /^\s*raw\s*([-+]?)%\}/.exec(s.slice(j, j + 40));
      if (m !== null) {
        tokens.pop();
        const bodyStart = j + m[0].length;
        ENDRAW.lastIndex = bodyStart;
        const e = ENDRAW.exec(s);
        if (e === null) throw src.error('TEMPLATE_UNCLOSED', 'a {% raw %} block is not closed: missing {% endraw %}', open);
        lstripNext = m[1] === '-';
        pushData(bodyStart, e.index, e[1] === '-');
        lstripNext = e[2] === '-';
        i = e.index + e[0].length;
        continue;
      }
    }
    let depth = 0;
    for (;;) {
      while (j < s.length && WS.test(s[j]!)) j++;
      if (j >= s.length) throw src.error('TEMPLATE_UNCLOSED', `a ${isVar ? 'value' : 'tag'} is not closed: missing "${endDelim}"`, open);
      if (depth === 0 && s.startsWith(endDelim, j)) {
        tokens.push({ type: isVar ? 'var_end' : 'block_end', value: endDelim, offset: j });
        i = j + 2;
        break;
      }
      if (depth === 0 && s[j] === '-' && s.startsWith(endDelim, j + 1)) {
        tokens.push({ type: isVar ? 'var_end' : 'block_end', value: endDelim, offset: j });
        lstripNext = true;
        i = j + 3;
        break;
      }
      // `+%}`: Jinja's "keep the newline after" (trim_blocks off), already so here.
      if (depth === 0 && !isVar && s[j] === '+' && s.startsWith(endDelim, j + 1)) {
        tokens.push({ type: 'block_end', value: endDelim, offset: j });
        i = j + 3;
        break;
      }
      const ch = s[j]!;
      if (ch === '"' || ch === "'") {
        const [value, end] = readString(src, j);
        tokens.push({ type: 'string', value, offset: j });
        j = end;
        continue;
      }
      if (ch >= '0' && ch <= '9') {
        // After `.` a number is an index (`items.0.1`), never a fraction.
        const prev = tokens[tokens.length - 1];
        const afterDot = prev !== undefined && prev.type === 'op' && prev.value === '.';
        const m = (afterDot ? INTEGER : NUMBER).exec(s.slice(j, j + 400))!;
        tokens.push({ type: 'number', value: Number(m[0].replace(/_/g, '')), offset: j });
        j += m[0].length;
        continue;
      }
      if (NAME_START.test(ch)) {
        let k = j + 1;
        while (k < s.length && NAME_PART.test(s[k]!)) k++;
        tokens.push({ type: 'name', value: s.slice(j, k), offset: j });
        j = k;
        continue;
      }
      const op = OPERATORS.find((o) => s.startsWith(o, j));
      if (op === undefined) throw src.error('TEMPLATE_SYNTAX', `unexpected character ${JSON.stringify(ch)}`, j);
      if (op === '(' || op === '[' || op === '{') depth++;
      if (op === ')' || op === ']' || op === '}') depth = Math.max(0, depth - 1);
      tokens.push({ type: 'op', value: op, offset: j });
      j += op.length;
    }
  }
  tokens.push({ type: 'eof', value: '', offset: s.length });
  return tokens;
}

/** The next `{{`, `{%` or `{#` at or after i, or -1. */
function findOpen(s: string, i: number): number {
  for (let k = s.indexOf('{', i); k !== -1; k = s.indexOf('{', k + 1)) {
    const n = s[k + 1];
    if (n === '{' || n === '%' || n === '#') return k;
  }
  return -1;
}

function readString(src: Source, start: number): [string, number] {
  const s = src.text;
  const q = s[start]!;
  let out = '';
  for (let j = start + 1; j < s.length; j++) {
    const ch = s[j]!;
    if (ch === q) return [out, j + 1];
    if (ch === '\\') {
      const n = s[j + 1];
      if (n === undefined) break;
      if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(j + 2, j + 6))) {
        out += String.fromCharCode(parseInt(s.slice(j + 2, j + 6), 16));
        j += 5;
      } else if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(j + 2, j + 4))) {
        out += String.fromCharCode(parseInt(s.slice(j + 2, j + 4), 16));
        j += 3;
      } else {
        out += STRING_ESCAPES[n] ?? '\\' + n;
        j++;
      }
      continue;
    }
    out += ch;
  }
  throw src.error('TEMPLATE_UNCLOSED', 'a string is not closed', start);
}
