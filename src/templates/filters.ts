/**
 * The built-in filters (`{{ value|name(args) }}`), with Jinja's names, parameters and
 * results (https://jinja.palletsprojects.com/en/stable/templates/#builtin-filters).
 *
 * Each filter declares its parameter names so that keyword arguments
 * (`truncate(20, end='…')`) are placed at compile time. Filters know nothing about HTML
 * context: their result is escaped for the context it lands in like any other value,
 * except that `safe` and `escape` return Markup, `tojson` returns JSON trusted as a script
 * value, and `urlencode` returns a URL part trusted in URL contexts.
 */
import { Markup, isMarkup, markupFromSafe, scriptFromSafe, urlFromSafe } from '../escape/markup.js';
import { escapeHTML, stripTags } from '../escape/html.js';
import { mapMarkupLetters, mapMarkupText, trimMarkupText } from '../escape/markup-text.js';
import { decodeEntities } from '../escape/entities.js';
import { urlencode } from '../escape/url.js';
import { toJSONForScript } from '../escape/json.js';
import { isSafeAttrName } from './attr.js';
import { readAttr } from './blocked-names.js';
import { MAX_BUILT_ITEMS, checkBuilt, iter, truthy } from './values.js';
import { RenderFault } from './render-errors.js';
import { str, tuple } from './print.js';
import { center, filesizeformat, format, indent, pprint, wordwrap } from './filters-text.js';
import { urlize } from './urlize.js';
import { TESTS } from './is-tests.js';
import { trimCodes, trimEndCodes, trimStartCodes } from '../util/trim.js';

export interface FilterDef {
  /** Called as fn(value, ...positional args in `params` order). */
  readonly fn: (v: any, ...args: any[]) => unknown;
  /** Names of the parameters after the value, for keyword arguments. */
  readonly params: readonly string[];
  /**
   * Optional: html(escape, value, ...args) returns what `escape(fn(value, ...args))` returns,
   * for an escaper that writes a string as escapeHTML does (HTML text, a quoted attribute),
   * computed without building the unescaped result first. The compiler calls it for a value
   * that ends with this filter in such a place.
   */
  readonly html?: (escape: (v: unknown) => string, v: any, ...args: any[]) => string;
}

const def = (params: string[], fn: FilterDef['fn'], html?: FilterDef['html']): FilterDef => (html === undefined ? { fn, params } : { fn, params, html });

/** Applies a string transformation and keeps Markup Markup. */
// A case filter: on Markup it changes the text only (mapMarkupLetters), never a tag, a
// character reference or the content of a script or style.
const textOp =
  (f: (s: string) => string) =>
  (v: unknown): unknown =>
    isMarkup(v) ? markupFromSafe(mapMarkupLetters(v.toString(), f)) : f(str(v));

/** Python's str.capitalize; on Markup the first character only when the Markup starts with text. */
function capitalize(v: unknown): unknown {
  if (!isMarkup(v)) {
    const s = str(v);
    return s === '' ? s : s[0]!.toUpperCase() + s.slice(1).toLowerCase();
  }
  const s = v.toString();
  let first = !/^[<&]/.test(s);
  return markupFromSafe(
    mapMarkupLetters(s, (t) => {
      if (!first || t === '') return t.toLowerCase();
      first = false;
      return t[0]!.toUpperCase() + t.slice(1).toLowerCase();
    }),
  );
}

/** Whether a UTF-16 code unit is one of those of `chars` (the `trim(chars)` filter's set). */
function codeIn(chars: string): (code: number) => boolean {
  const set = new Set<number>();
  for (let i = 0; i < chars.length; i++) set.add(chars.charCodeAt(i));
  return (code) => set.has(code);
}
function get(o: unknown, path: string | number | null | undefined): unknown {
  if (path == null) return o;
  let cur = o;
  for (const part of String(path).split('.')) {
    if (cur == null) return undefined;
    cur = readAttr(cur, part);
  }
  return cur;
}

function size(v: unknown): number {
  if (v == null) return 0;
  if (typeof v === 'string' || Array.isArray(v) || isMarkup(v)) return v.length;
  if (v instanceof Map || v instanceof Set) return v.size;
  if (typeof v === 'object') return Object.keys(v).length;
  return 0;
}

function compareKeys(caseSensitive: boolean): (a: unknown, b: unknown) => number {
  return (a, b) => {
    let x = a;
    let y = b;
    if (!caseSensitive && typeof x === 'string' && typeof y === 'string') {
      x = x.toLowerCase();
      y = y.toLowerCase();
    }
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    const sx = str(x);
    const sy = str(y);
    return sx < sy ? -1 : sx > sy ? 1 : 0;
  };
}

function roundNumber(v: unknown, precision = 0, method = 'common'): number {
  const n = Number(v);
  const f = 10 ** precision;
  if (method === 'ceil') return Math.ceil(n * f) / f;
  if (method === 'floor') return Math.floor(n * f) / f;
  // "common": half away from zero, as Jinja does.
  const r = Math.round(Math.abs(n) * f) / f;
  return n < 0 ? -r : r;
}

function toInt(v: unknown, dflt = 0, base = 10): number {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : dflt;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = str(v).trim().replace(/_/g, '');
  if (base === 10) {
    const n = Number(s);
    return s !== '' && Number.isFinite(n) ? Math.trunc(n) : dflt;
  }
  // The whole text must be digits of the base, after an optional sign and 0x/0o/0b prefix.
  const m = /^([+-]?)(?:0[xob])?([0-9a-z]+)$/i.exec(s);
  if (m === null || [...m[2]!.toLowerCase()].some((c) => parseInt(c, 36) >= base)) return dflt;
  const n = parseInt(m[2]!, base);
  return Number.isNaN(n) ? dflt : m[1] === '-' ? -n : n;
}

/** `dictsort(case_sensitive=false, by='key', reverse=false)`: a mapping's (key, value) pairs, sorted. */
function dictsort(v: unknown, cs = false, by = 'key', reverse = false): unknown[] {
  const pairs = (v instanceof Map ? [...v.entries()] : v == null ? [] : Object.entries(v as object)).map((p) => tuple(p as unknown[]));
  const k = by === 'value' ? 1 : 0;
  const cmp = compareKeys(cs);
  pairs.sort((a, b) => cmp(a[k], b[k]));
  return reverse ? pairs.reverse() : pairs;
}

/**
 * `groupby(attribute, default=none, case_sensitive=false)`: the items sorted and grouped by
 * an attribute (`a.b` or an index), as (grouper, list) pairs that also have `.grouper` and
 * `.list`. Without case_sensitive, strings group ignoring case and the grouper is the first
 * item's own value.
 */
function groupby(v: unknown, attribute: unknown, dflt: unknown = undefined, cs = false): unknown[] {
  const key = (x: unknown): unknown => {
    const k = get(x, attribute as string | number);
    return k === undefined ? dflt : k;
  };
  const norm = (k: unknown): unknown => (!cs && typeof k === 'string' ? k.toLowerCase() : k);
  const cmp = compareKeys(true);
  const items = [...iter(v)].sort((a, b) => cmp(norm(key(a)), norm(key(b))));
  const groups: unknown[] = [];
  let last: unknown = Symbol('none');
  let cur: unknown[] = [];
  for (const x of items) {
    const k = norm(key(x));
    if (groups.length === 0 || k !== last) {
      cur = [];
      const g = tuple([key(x), cur]);
      Object.defineProperties(g, { grouper: { value: key(x) }, list: { value: cur } });
      groups.push(g);
      last = k;
    }
    cur.push(x);
  }
  return groups;
}

/** `slice(slices, fill_with=none)`: the items in `slices` columns, the first ones one longer. */
function sliceFilter(v: unknown, slices: unknown, fill: unknown = undefined): unknown[][] {
  const seq = typeof v === 'string' ? [...v] : iter(v);
  const n = Math.max(1, Math.trunc(Number(slices)));
  checkBuilt(n, MAX_BUILT_ITEMS, '|slice (its columns)');
  const per = Math.floor(seq.length / n);
  const extra = seq.length % n;
  const out: unknown[][] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const start = offset + i * per;
    if (i < extra) offset++;
    const col = seq.slice(start, offset + (i + 1) * per);
    if (fill !== undefined && fill !== null && i >= extra) col.push(fill);
    out.push(col);
  }
  return out;
}

/**
 * `xmlattr(autospace=true)`: a mapping as attributes, `key="value"`, for a start tag, where
 * it may stand in place of an attribute name (escaper.ts). Keys are checked like
 * `attrname` (a plain name that is not an event handler, style, URL attribute, srcdoc,
 * type or the like; otherwise `data-palisade-unsafe`), so every value is plain text,
 * escaped for a quoted attribute. None and undefined values are left out.
 */
function xmlattr(v: unknown, autospace = true): Markup {
  const entries = v instanceof Map ? [...v.entries()] : v == null ? [] : Object.entries(v as object);
  const out: string[] = [];
  for (const [k, x] of entries) {
    if (x === null || x === undefined) continue;
    const name = str(k);
    out.push(`${isSafeAttrName(name) ? name : UNSAFE_ATTR_NAME}="${escapeHTML(str(x))}"`);
  }
  const s = out.join(' ');
  return markupFromSafe(autospace !== false && s !== '' ? ' ' + s : s);
}

function truncate(v: unknown, length = 255, killwords = false, end = '...', leeway = 5): string {
  const s = str(v);
  if (s.length <= length + leeway) return s;
  if (killwords) return s.slice(0, Math.max(0, length - end.length)) + end;
  const cut = s.slice(0, Math.max(0, length - end.length));
  const sp = cut.lastIndexOf(' ');
  return (sp === -1 ? cut : cut.slice(0, sp)) + end;
}

function join(v: unknown, d: unknown = '', attribute: string | null = null): unknown {
  if (attribute === null && typeof d === 'string' && Array.isArray(v)) {
    // Fast path: a list without Markup. Array#join writes each item as str() would (null
    // and undefined as '') into one flat string; building it with `+=` made a rope that the
    // escaper after this filter had to flatten, and cost a tenth of a page's render.
    let k = 0;
    for (; k < v.length; k++) {
      const x: unknown = v[k];
      if (typeof x !== 'string' && !(typeof x === 'number' && Number.isInteger(x))) break;
    }
    if (k === v.length) return v.join(d);
  }
  const items = iter(v).map((x) => get(x, attribute));
  if (isMarkup(d) || items.some(isMarkup)) {
    const h = (x: unknown): string => (isMarkup(x) ? x.toString() : escapeHTML(str(x)));
    return markupFromSafe(items.map(h).join(h(d)));
  }
  return items.map(str).join(str(d));
}

/**
 * `join` written for HTML: escapeHTML maps each character on its own, so the escaped join of
 * strings is the join of the escaped strings. The items are short and flat; the joined
 * string would be neither, and the escaper would have to flatten it before scanning it.
 * Markup and other objects take the general path (a tag may span items in Markup).
 */
let lastSep = '';
let lastSepHTML = '';

function joinHTML(escape: (v: unknown) => string, v: unknown, d: unknown = '', attribute: string | null = null): string {
  if (attribute === null && typeof d === 'string' && Array.isArray(v)) {
    // The separator is nearly always the same literal: escaped once, not per call.
    if (d !== lastSep) {
      lastSepHTML = escapeHTML(d);
      lastSep = d;
    }
    const sep = lastSepHTML;
    let out = '';
    let k = 0;
    for (; k < v.length; k++) {
      const x: unknown = v[k];
      const s = typeof x === 'string' ? escapeHTML(x) : typeof x === 'number' && Number.isInteger(x) ? String(x) : null;
      if (s === null) break;
      out = k === 0 ? s : out + sep + s;
    }
    if (k === v.length) return out;
  }
  return escape(join(v, d, attribute));
}

/**
 * `replace(old, new, count=none)`. On Markup, `old` and `new` are escaped unless they are
 * Markup, and `old` is replaced only in the text runs (escape/markup-text.ts), unless it
 * is Markup holding a tag (`'<br>'|safe`): replaced inside a tag, a `new` with a space and
 * an `=` would write an attribute (`<img …>` with old `img` and new `img onerror=…`).
 */
function replace(v: unknown, old: unknown, neu: unknown, count: number | null = null): unknown {
  const markup = isMarkup(v);
  const s = markup ? v.toString() : str(v);
  const o = markup && !isMarkup(old) ? escapeHTML(str(old)) : str(old);
  const n = markup && !isMarkup(neu) ? escapeHTML(str(neu)) : str(neu);
  // As Python's: a negative count replaces every occurrence.
  let left = count == null || count < 0 ? Infinity : count;
  const inText = (t: string): string => {
    if (left <= 0) return t;
    const parts = t.split(o);
    if (parts.length - 1 <= left) {
      left -= parts.length - 1;
      return parts.join(n);
    }
    const k = Math.max(0, left);
    left = 0;
    return parts.slice(0, k + 1).join(n) + o + parts.slice(k + 1).join(o);
  };
  if (!markup) return inText(s);
  return markupFromSafe(isMarkup(old) && o.includes('<') ? inText(s) : mapMarkupText(s, inText));
}

function applyTest(x: unknown, name: string, args: unknown[]): boolean {
  const t = TESTS[name];
  if (t === undefined) throw new TypeError(`no test named "${name}"`);
  return t(x, ...args);
}

/** The name written for an attribute built from a value, or a harmless one when unsafe. */
export const UNSAFE_ATTR_NAME = 'data-palisade-unsafe';

export const FILTERS: Readonly<Record<string, FilterDef>> = {
  default: def(['default_value', 'boolean'], (v, d = '', boolean = false) => (v === undefined || (boolean && !truthy(v)) ? d : v)),
  length: def([], size),
  upper: def(
    [],
    textOp((s) => s.toUpperCase()),
  ),
  lower: def(
    [],
    textOp((s) => s.toLowerCase()),
  ),
  // Each word after a run of spaces, `-`, `(`, `{`, `[` or `<` starts upper-case, as Jinja's title.
  title: def(
    [],
    textOp((s) => s.replace(/[^\s\-({[<]+/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase())),
  ),
  capitalize: def([], capitalize),
  trim: def(['chars'], (v, chars?: string) => {
    if (!isMarkup(v)) return chars == null ? str(v).trim() : trimCodes(str(v), codeIn(chars));
    // Markup: only the text at its ends (a tag's `>` is never trimmed).
    const drop = chars == null ? null : codeIn(chars);
    return markupFromSafe(
      trimMarkupText(
        v.toString(),
        (t) => (drop === null ? t.trimStart() : trimStartCodes(t, drop)),
        (t) => (drop === null ? t.trimEnd() : trimEndCodes(t, drop)),
      ),
    );
  }),
  join: def(['d', 'attribute'], join, joinHTML),
  replace: def(['old', 'new', 'count'], replace),
  truncate: def(['length', 'killwords', 'end', 'leeway'], truncate),
  first: def([], (v) => (typeof v === 'string' ? v[0] : iter(v)[0])),
  last: def([], (v) => {
    const a = typeof v === 'string' ? [...v] : iter(v);
    return a[a.length - 1];
  }),
  // `attribute='a,b.c'` sorts by several attributes, the first deciding first (as Jinja's).
  sort: def(['reverse', 'case_sensitive', 'attribute'], (v, reverse = false, cs = false, attribute: string | null = null) => {
    const cmp = compareKeys(cs);
    const paths =
      attribute == null
        ? [null]
        : String(attribute)
            .split(',')
            .map((x) => x.trim());
    const out = [...iter(v)].sort((a, b) => {
      for (const path of paths) {
        const c = cmp(get(a, path), get(b, path));
        if (c !== 0) return c;
      }
      return 0;
    });
    return reverse ? out.reverse() : out;
  }),
  reverse: def([], (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...iter(v)].reverse())),
  round: def(['precision', 'method'], roundNumber),
  int: def(['default', 'base'], toInt),
  float: def(['default'], (v, d = 0) => {
    const n = typeof v === 'number' ? v : Number(str(v).trim());
    return str(v).trim() !== '' && Number.isFinite(n) ? n : d;
  }),
  abs: def([], (v) => Math.abs(Number(v))),
  urlencode: def([], (v) => urlFromSafe(urlencode(v))),
  striptags: def([], (v) =>
    decodeEntities(stripTags(str(v)))
      .replace(/\s+/g, ' ')
      .trim(),
  ),
  wordcount: def([], (v) => (str(v).match(/\w+/gu) ?? []).length),
  tojson: def(['indent'], (v, indent?: number) => scriptFromSafe(toJSONForScript(v, indent ?? undefined))),
  safe: def([], (v) => (isMarkup(v) ? v : Markup.unsafeTrust(str(v)))),
  escape: def([], (v) => (isMarkup(v) ? v : markupFromSafe(escapeHTML(str(v))))),
  string: def([], (v) => (isMarkup(v) ? v : str(v))),
  list: def([], (v) => [...iter(v)]),
  items: def([], (v) => (v instanceof Map ? [...v.entries()] : v == null ? [] : Object.entries(v as object)).map((p) => tuple(p))),
  dictsort: def(['case_sensitive', 'by', 'reverse'], dictsort),
  groupby: def(['attribute', 'default', 'case_sensitive'], groupby),
  slice: def(['slices', 'fill_with'], sliceFilter),
  center: def(['width'], center),
  indent: def(['width', 'first', 'blank'], indent),
  wordwrap: def(['width', 'break_long_words', 'wrapstring'], wordwrap),
  filesizeformat: def(['binary'], filesizeformat),
  format: def([], format),
  pprint: def([], pprint),
  urlize: def(['trim_url_limit', 'nofollow', 'target', 'rel', 'extra_schemes'], urlize),
  forceescape: def([], (v) => markupFromSafe(escapeHTML(isMarkup(v) ? v.toString() : str(v)))),
  random: def([], (v) => {
    const a = typeof v === 'string' ? [...v] : iter(v);
    return a[Math.floor(Math.random() * a.length)];
  }),
  xmlattr: def(['autospace'], xmlattr),
  unique: def(['case_sensitive', 'attribute'], (v, cs = false, attribute: string | null = null) => {
    const seen = new Set<unknown>();
    return iter(v).filter((x) => {
      let k = get(x, attribute);
      if (!cs && typeof k === 'string') k = k.toLowerCase();
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }),
  sum: def(['attribute', 'start'], (v, attribute: string | null = null, start = 0) => iter(v).reduce((a: number, x) => a + Number(get(x, attribute)), start)),
  min: def(['case_sensitive', 'attribute'], (v, cs = false, attribute: string | null = null) => {
    const a = iter(v);
    const cmp = compareKeys(cs);
    return a.length === 0 ? undefined : a.reduce((m, x) => (cmp(get(x, attribute), get(m, attribute)) < 0 ? x : m));
  }),
  max: def(['case_sensitive', 'attribute'], (v, cs = false, attribute: string | null = null) => {
    const a = iter(v);
    const cmp = compareKeys(cs);
    return a.length === 0 ? undefined : a.reduce((m, x) => (cmp(get(x, attribute), get(m, attribute)) > 0 ? x : m));
  }),
  map: def(['filter_or_attribute'], (v, name: unknown, ...rest: unknown[]) => {
    // map(attribute='x') arrives as a trailing kwargs object; map('upper') names a filter.
    if (name !== null && typeof name === 'object') {
      const kw = name as { attribute?: string; default?: unknown };
      return iter(v).map((x) => get(x, kw.attribute) ?? kw.default);
    }
    const f = FILTERS[str(name)];
    if (f === undefined) throw new TypeError(`no filter named "${str(name)}"`);
    return iter(v).map((x) => f.fn(x, ...rest));
  }),
  select: def(['test'], (v, name = 'truthy', ...args: unknown[]) => iter(v).filter((x) => (name === 'truthy' ? truthy(x) : applyTest(x, name, args)))),
  reject: def(['test'], (v, name = 'truthy', ...args: unknown[]) => iter(v).filter((x) => !(name === 'truthy' ? truthy(x) : applyTest(x, name, args)))),
  selectattr: def(['attribute', 'test'], (v, a: string, name?: string, ...args: unknown[]) =>
    iter(v).filter((x) => (name == null ? truthy(get(x, a)) : applyTest(get(x, a), name, args))),
  ),
  rejectattr: def(['attribute', 'test'], (v, a: string, name?: string, ...args: unknown[]) =>
    iter(v).filter((x) => !(name == null ? truthy(get(x, a)) : applyTest(get(x, a), name, args))),
  ),
  batch: def(['linecount', 'fill_with'], (v, linecount: unknown, fill?: unknown) => {
    // A count below 1 looped forever; a fraction made rows of gaps.
    const n = Number(linecount);
    if (!Number.isInteger(n) || n < 1)
      throw new RenderFault('TEMPLATE_RUNTIME', `|batch needs a whole number of items per row (1 or more), not ${str(linecount)}`);
    const a = iter(v);
    const out: unknown[][] = [];
    for (let i = 0; i < a.length; i += n) out.push(a.slice(i, i + n));
    const lastRow = out[out.length - 1];
    if (fill !== undefined && lastRow !== undefined) {
      checkBuilt(n - lastRow.length, MAX_BUILT_ITEMS, '|batch (its fill)');
      while (lastRow.length < n) lastRow.push(fill);
    }
    return out;
  }),
  attrname: def([], (v) => {
    const s = str(v);
    return isSafeAttrName(s) ? s : UNSAFE_ATTR_NAME;
  }),
};

/** Jinja's short names. */
export const FILTER_ALIASES: Readonly<Record<string, string>> = { d: 'default', count: 'length', e: 'escape' };
