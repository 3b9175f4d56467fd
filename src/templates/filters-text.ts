/**
 * Filters that lay out text, with Jinja's names, parameters and results
 * (https://jinja.palletsprojects.com/en/stable/templates/#builtin-filters): `center`,
 * `indent`, `wordwrap`, `filesizeformat`, `format`, `pprint`. Their result is text, escaped
 * for the place it lands in like any value; Markup given to `indent` stays Markup.
 */
import { isMarkup, markupFromSafe } from '../escape/markup.js';
import { escapeHTML } from '../escape/html.js';
import { numberText, repr, str } from './print.js';
import { MAX_BUILT_CHARS, checkBuilt } from './values.js';
import { splitMarkup } from '../escape/markup-text.js';

/** Python's str.splitlines: line breaks are \n, \r\n, \r, \v, \f, \x1c–\x1e, \x85, U+2028, U+2029. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;

export function splitLines(s: string): string[] {
  const lines = s.split(LINE_BREAK);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Markup's lines, as splitLines cuts them but only at the line breaks of its text runs
 * (escape/markup-text.ts): a break inside a tag, a comment or raw text stays inside its
 * line, so nothing is written there.
 */
function markupLines(html: string): string[] {
  const parts = splitMarkup(html);
  const lines: string[] = [];
  let cur = '';
  for (let k = 0; k < parts.length; k++) {
    if (k % 2 === 1) {
      cur += parts[k]!;
      continue;
    }
    const pieces = parts[k]!.split(LINE_BREAK);
    cur += pieces[0]!;
    for (let j = 1; j < pieces.length; j++) {
      lines.push(cur);
      cur = pieces[j]!;
    }
  }
  if (cur !== '') lines.push(cur);
  return lines;
}

/** `center(width=80)`: Python's str.center (the extra space goes left when width is odd). */
export function center(v: unknown, width = 80): string {
  const s = str(v);
  const pad = Math.trunc(Number(width)) - [...s].length;
  if (pad <= 0) return s;
  checkBuilt(pad, MAX_BUILT_CHARS, '|center (its padding)');
  const left = Math.floor(pad / 2) + (pad & Number(width) & 1);
  return ' '.repeat(left) + s + ' '.repeat(pad - left);
}

/**
 * `indent(width=4, first=false, blank=false)`: every line after the first gets `width`
 * spaces (or `width` itself when it is a string); `first` indents the first line too,
 * `blank` indents empty lines too. Markup stays Markup, with a string width escaped, and
 * only its text is indented: a line break inside a tag gets no pad (one from the data,
 * with a space and `=`, would write an attribute there).
 */
export function indent(v: unknown, width: unknown = 4, first = false, blank = false): unknown {
  const markup = isMarkup(v);
  let pad: string;
  if (typeof width === 'string' || isMarkup(width)) pad = String(width);
  else {
    const n = Math.max(0, Math.trunc(Number(width)));
    checkBuilt(n, MAX_BUILT_CHARS, '|indent (its width)');
    pad = ' '.repeat(Number.isNaN(n) ? 0 : n);
  }
  if (markup && !isMarkup(width)) pad = escapeHTML(pad);
  const lines = markup ? markupLines(v.toString() + '\n') : splitLines(str(v) + '\n');
  // A pad of a few characters grows the text at most as much as escaping it does; a longer
  // one (a string from the data) times many lines is bounded.
  if (pad.length > 8) checkBuilt(pad.length * lines.length, MAX_BUILT_CHARS, '|indent (what it adds)');
  let out: string;
  if (blank) out = lines.join('\n' + pad);
  else out = lines.map((l, i) => (i === 0 || l === '' ? l : pad + l)).join('\n');
  if (first) out = pad + out;
  return markup ? markupFromSafe(out) : out;
}

/**
 * `wordwrap(width=79, break_long_words=true, wrapstring=none)`: each line wrapped at spaces
 * to `width` characters (textwrap's greedy fill), joined by `wrapstring` (a newline by
 * default); a word longer than a line is cut when `break_long_words`. Words are not split
 * at hyphens.
 */
export function wordwrap(v: unknown, width = 79, breakLong = true, wrapstring: unknown = null): string {
  const w = Math.max(1, Math.trunc(Number(width)));
  const sep = wrapstring == null ? '\n' : str(wrapstring);
  const out: string[] = [];
  for (const line of splitLines(str(v))) {
    let cur = '';
    for (let word of line.split(/\s+/)) {
      if (word === '') continue;
      if (cur !== '' && cur.length + 1 + word.length > w) {
        out.push(cur);
        cur = '';
      }
      while (breakLong && cur === '' && word.length > w) {
        out.push(word.slice(0, w));
        word = word.slice(w);
      }
      cur = cur === '' ? word : `${cur} ${word}`;
    }
    out.push(cur);
  }
  return out.join(sep);
}

/** `filesizeformat(binary=false)`: `13.0 kB`, `1 Byte`, `12 Bytes`; powers of 1024 (`KiB`) with `binary`. */
export function filesizeformat(v: unknown, binary = false): string {
  const bytes = Number(v);
  const base = binary ? 1024 : 1000;
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = base;
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    if (bytes < unit || i === prefixes.length - 1) return `${((base * bytes) / unit).toFixed(1)} ${prefixes[i]}`;
  }
  return `${bytes} Bytes`;
}

/**
 * `format(*args, **kwargs)`: printf-style formatting, as Python's `%` does on strings:
 * `%s`, `%r`, `%d`/`%i`, `%f`/`%F`, `%e`, `%g`, `%x`/`%X`, `%o`, `%c`, `%%`, with flags,
 * width and precision, and `%(name)s` from keyword arguments.
 */
export function format(v: unknown, ...args: unknown[]): string {
  const fmt = str(v);
  const last = args[args.length - 1];
  const kw =
    last !== null && typeof last === 'object' && !Array.isArray(last) && !isMarkup(last) && Object.getPrototypeOf(last) === Object.prototype
      ? (last as Record<string, unknown>)
      : null;
  const positional = kw !== null ? args.slice(0, -1) : args;
  let k = 0;
  // Flags may hold `0`; a width starts with 1-9, so the two never trade characters.
  return fmt.replace(
    /%(?:\(([^)]*)\))?([-+ 0#]*)([1-9]\d*|\*)?(?:\.(\d+))?([sdirfFeEgGxXoc%])/g,
    (_m, key: string | undefined, flags: string, wd: string | undefined, prec: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      let width = wd === '*' ? Number(positional[k++]) : wd === undefined ? 0 : Number(wd);
      const x = key !== undefined ? kw?.[key] : positional[k++];
      let s: string;
      const n = Number(x);
      const p = prec === undefined ? undefined : Number(prec);
      switch (conv) {
        case 's':
          s = str(x);
          if (p !== undefined) s = s.slice(0, p);
          break;
        case 'r':
          s = repr(x);
          break;
        case 'd':
        case 'i':
          s = String(Math.trunc(n));
          break;
        case 'f':
        case 'F':
          s = n.toFixed(p ?? 6);
          break;
        case 'e':
        case 'E':
          s = n.toExponential(p ?? 6).replace(/e([+-])(\d)$/, (_x, sg: string, d: string) => `e${sg}0${d}`);
          if (conv === 'E') s = s.toUpperCase();
          break;
        case 'g':
        case 'G':
          s = numberText(Number(n.toPrecision(p ?? 6)));
          break;
        case 'x':
          s = Math.trunc(n).toString(16);
          break;
        case 'X':
          s = Math.trunc(n).toString(16).toUpperCase();
          break;
        case 'o':
          s = Math.trunc(n).toString(8);
          break;
        default:
          s = typeof x === 'number' ? String.fromCodePoint(x) : str(x);
      }
      if (/[dif eEgGxXo]/.test(conv) && n >= 0 && !Number.isNaN(n)) {
        if (flags.includes('+')) s = '+' + s;
        else if (flags.includes(' ')) s = ' ' + s;
      }
      width = Math.trunc(width);
      if (s.length >= width) return s;
      checkBuilt(width, MAX_BUILT_CHARS, '|format (a field width)');
      if (flags.includes('-')) return s.padEnd(width);
      if (flags.includes('0') && /[dieEfFgGxXo]/.test(conv)) {
        const sign = /^[-+ ]/.test(s) ? s[0]! : '';
        return sign + s.slice(sign.length).padStart(width - sign.length, '0');
      }
      return s.padStart(width);
    },
  );
}

/**
 * `pprint`: the value as Python's pprint.pformat writes it: its repr when it fits in 80
 * columns, else a list, tuple or mapping with one item per line (mapping keys sorted).
 */
export function pprint(v: unknown): string {
  return pformat(v, 0, 80, null);
}

function pformat(v: unknown, indentBy: number, width: number, seen: Set<object> | null): string {
  const flat = repr(v);
  if (flat.length + indentBy <= width || v === null || typeof v !== 'object' || isMarkup(v)) return flat;
  const o = v as object;
  if (seen?.has(o)) return flat;
  const inner = new Set(seen ?? []).add(o);
  const isList = Array.isArray(o);
  const isMapping = o instanceof Map || (!isList && (Object.getPrototypeOf(o) === Object.prototype || Object.getPrototypeOf(o) === null));
  if (!isList && !isMapping) return flat;
  const [open, close] = isList ? (flat.startsWith('(') ? ['(', ')'] : ['[', ']']) : ['{', '}'];
  const pad = ' '.repeat(indentBy + 1);
  let items: string[];
  if (isList) {
    items = (o as unknown[]).map((x) => pformat(x, indentBy + 1, width - 1, inner));
  } else {
    const entries = o instanceof Map ? [...o.entries()] : Object.entries(o);
    entries.sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    items = entries.map(([k, x]) => {
      const key = repr(k);
      return `${key}: ${pformat(x, indentBy + key.length + 3, width - 1, inner)}`;
    });
  }
  return open + items.join(',\n' + pad) + close;
}
