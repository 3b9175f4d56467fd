/**
 * URL filtering, normalizing and escaping.
 *
 * Rules, from the URL Standard (https://url.spec.whatwg.org/):
 * - Before parsing, the browser removes leading and trailing C0 controls and spaces and
 *   every ASCII tab or newline anywhere (§4.4 "basic URL parser", first steps). The scheme
 *   is then the run of ASCII alphanumerics, `+`, `-`, `.` before the first `:` (§4.4
 *   scheme state), compared without case. `filterURL` applies the same preprocessing
 *   before it looks for the scheme, so ` jav&#9;ascript:`-style tricks see the scheme the
 *   browser will see. Only `http`, `https`, `mailto` and relative URLs pass; anything
 *   else becomes the sentinel `about:invalid#palisade-unsafe`, which navigates nowhere and
 *   is easy to grep for (docs/errors/ESCAPE_REFUSED_VALUE.md).
 * - `normalizeURL` writes out the preprocessed URL and percent-encodes the characters the
 *   parser would encode in a path, query or fragment anyway (C0 controls, space, `"`,
 *   `<`, `>`, DEL; §1.3 percent-encoded bytes, the fragment and query percent-encode sets),
 *   so the URL the browser resolves is the URL the value meant.
 * - `escapeURLComponent` is for a value placed after the start of a URL (a path segment or
 *   a query value): everything except the unreserved characters of RFC 3986 §2.3 is
 *   percent-encoded as UTF-8, so the value is exactly one component.
 * - `srcset` (HTML §4.8.4.3.10 "parse a srcset attribute") is a list of candidates "URL
 *   [descriptors]" separated by commas. The parser skips whitespace and commas, takes the
 *   URL up to the next whitespace, and ends the candidate there if the URL ends in commas
 *   (which it removes). So a candidate URL stays one candidate and the same URL when it has
 *   no whitespace (normalizeURL encodes it, as the URL parser would), does not start with a
 *   comma (`./` is put in front: a URL that starts with a comma is path-relative, and `./`
 *   resolves to the same URL) and does not end with one (those are percent-encoded, the one
 *   change that cannot be avoided). Commas inside a URL are kept. A descriptor that is not a
 *   number followed by `w`, `x` or `h` is dropped.
 */

import { isC0OrSpace, trimCodes, trimEndCodes } from '../util/trim.js';

/** What a URL slot receives in place of a refused value. */
export const URL_SENTINEL = 'about:invalid#palisade-unsafe';

const TAB_NEWLINE = /[\t\n\r]/g;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/** The URL as the browser's parser will read it (edges trimmed, tabs and newlines gone). */
export function preprocessURL(s: string): string {
  return trimCodes(s, isC0OrSpace).replace(TAB_NEWLINE, '');
}

// A scheme character (URL Standard §4.4 scheme state): ASCII alphanumeric, `+`, `-`, `.`.
const isSchemeChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;

const NOT_PLAIN = /[\0-\x20"<>\x7f]/;

/** True when the URL needs neither preprocessing nor normalizing (no controls, space, `"<>`, DEL). */
function isPlainURL(s: string): boolean {
  return !NOT_PLAIN.test(s);
}

/** isSafeURL for a URL already known to be plain: the scheme read without preprocessing. */
function isSafePlainURL(url: string): boolean {
  const c0 = url.charCodeAt(0);
  if (!isLetter(c0)) return true;
  // Most absolute URLs a page writes: `http:` and `https:` in lower case, compared in place
  // (half the cost of startsWith, which this runs for every URL attribute).
  if (c0 === 104 && url.charCodeAt(1) === 116 && url.charCodeAt(2) === 116 && url.charCodeAt(3) === 112) {
    const c4 = url.charCodeAt(4);
    if (c4 === 58 || (c4 === 115 && url.charCodeAt(5) === 58)) return true;
  }
  let i = 1;
  while (i < url.length && isSchemeChar(url.charCodeAt(i))) i++;
  if (i >= url.length || url.charCodeAt(i) !== 58 /* : */) return true;
  return isSafeScheme(url, i);
}

// ASCII letters, either case: `| 0x20` folds A-Z onto a-z and maps nothing else there.
const isLetter = (c: number): boolean => (c | 0x20) >= 97 && (c | 0x20) <= 122;

// SAFE_SCHEMES as a list, for comparing in place.
const SAFE_SCHEME_NAMES: readonly string[] = [...SAFE_SCHEMES];

/**
 * True when the first `len` characters of `url` are `http`, `https` or `mailto` in any case,
 * compared in place (no slice, no lower-casing): this runs for every absolute URL a
 * template writes. `| 0x20` lower-cases letters and leaves the other scheme characters
 * (digits, `+ - .`) as they are, and those never equal a letter.
 */
function isSafeScheme(url: string, len: number): boolean {
  next: for (const name of SAFE_SCHEME_NAMES) {
    if (name.length !== len) continue;
    for (let i = 0; i < len; i++) if ((url.charCodeAt(i) | 0x20) !== name.charCodeAt(i)) continue next;
    return true;
  }
  return false;
}

/** True if `url` is relative or uses http, https or mailto. */
export function isSafeURL(url: string): boolean {
  if (isPlainURL(url)) return isSafePlainURL(url);
  const u = preprocessURL(url);
  // The parser decides "has a scheme" by the first `:` that comes before any `/ ? #`.
  const m = SCHEME.exec(u);
  if (m === null) {
    // No valid scheme syntax: `:` can still appear later (a path like `a:b` is read as a
    // scheme by the parser only when it matches SCHEME), so this is a relative URL.
    return true;
  }
  return SAFE_SCHEMES.has(m[1]!.toLowerCase());
}

/** Returns the URL when it is safe (see isSafeURL), otherwise the sentinel. */
export function filterURL(url: string): string {
  return isSafeURL(url) ? url : URL_SENTINEL;
}

const NORMALIZE_G = /[\0-\x20"<>\x7f]/g;
// `%XX` for every ASCII code, built once: this runs for each character a URL encodes.
const PCT: readonly string[] = Array.from({ length: 128 }, (_, i) => '%' + i.toString(16).toUpperCase().padStart(2, '0'));
const pct = (c: string): string => PCT[c.charCodeAt(0)]!;

/** Writes the URL as the parser reads it, percent-encoding what the parser would encode. */
export function normalizeURL(url: string): string {
  if (isPlainURL(url)) return url;
  const u = preprocessURL(url);
  return u.replace(NORMALIZE_G, pct);
}

/** Filters and normalizes a whole URL (the chain used at the start of a URL attribute). */
export function filterAndNormalizeURL(url: string): string {
  if (isPlainURL(url)) return isSafePlainURL(url) ? url : URL_SENTINEL;
  return normalizeURL(filterURL(url));
}

// What either step of a URL in a quoted attribute would change: what normalizeURL encodes,
// and what escapeHTML escapes (`&`, `'`).
const URL_ATTR_SPECIAL = /[\0-\x20"<>\x7f&']/;

/**
 * filterAndNormalizeURL then escapeHTML, for a URL in a quoted attribute value (`href`,
 * `src`…): the same output, in fewer passes. Most URLs have nothing to change (one
 * regular-expression test); the others are read once, percent-encoding what normalizeURL
 * encodes and escaping `&` and `'` as escapeHTML does, unless the parser would first strip
 * something from them (edges, tabs, newlines), which the slower path handles.
 */
export function filterAndNormalizeURLForAttr(url: string): string {
  const first = url.search(URL_ATTR_SPECIAL);
  if (first === -1) return isSafePlainURL(url) ? url : URL_SENTINEL;
  const n = url.length;
  if (url.charCodeAt(0) <= 0x20 || url.charCodeAt(n - 1) <= 0x20) return filterAndNormalizeURLForAttrSlow(url);
  let out = '';
  let run = 0;
  for (let i = first; i < n; i++) {
    const c = url.charCodeAt(i);
    let rep: string;
    if (c > 0x27) {
      if (c !== 0x3c && c !== 0x3e && c !== 0x7f) continue;
      rep = PCT[c]!; // < > DEL
    } else if (c === 0x26) rep = '&amp;';
    else if (c === 0x27) rep = '&#39;';
    else if (c === 0x09 || c === 0x0a || c === 0x0d) return filterAndNormalizeURLForAttrSlow(url);
    else if (c <= 0x20 || c === 0x22) rep = PCT[c]!;
    else continue; // ! # $ %
    out += url.slice(run, i) + rep;
    run = i + 1;
  }
  // Nothing was stripped, so the scheme is read from the URL as given.
  if (!isSafePlainURL(url)) return URL_SENTINEL;
  return run === 0 ? url : out + url.slice(run);
}

/** The same for a URL the parser first strips something from (edges, tabs, newlines). */
function filterAndNormalizeURLForAttrSlow(url: string): string {
  const u = preprocessURL(url);
  if (!isSafePlainURL(u)) return URL_SENTINEL;
  // One pass: percent-encode what normalizeURL encodes, then `&` and `'` as escapeHTML
  // writes them (the rest of what escapeHTML escapes is already percent-encoded).
  let out = '';
  let run = 0;
  for (let i = 0; i < u.length; i++) {
    const c = u.charCodeAt(i);
    let rep: string | undefined;
    if (c <= 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x7f) rep = PCT[c];
    else if (c === 0x26) rep = '&amp;';
    else if (c === 0x27) rep = '&#39;';
    else continue;
    out += u.slice(run, i) + rep;
    run = i + 1;
  }
  return run === 0 ? u : out + u.slice(run);
}

const COMPONENT_UNSAFE = /[^A-Za-z0-9\-._~]/;
// 1 for the RFC 3986 unreserved ASCII characters.
const UNRESERVED = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') UNRESERVED[c.charCodeAt(0)] = 1;
const HAS_SURROGATE = /[\ud800-\udfff]/;
// encodeURIComponent leaves these RFC 3986 sub-delimiters as they are; a component must not.
const SUB_DELIMS_G = /[!'()*]/g;
const LONE_SURROGATE_G = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Percent-encodes everything but RFC 3986 unreserved characters (UTF-8; lone surrogates become U+FFFD). */
export function escapeURLComponent(s: string): string {
  const first = s.search(COMPONENT_UNSAFE);
  if (first === -1) return s;
  // ASCII (most query values: spaces, `&`, `=`): encoded in one pass from the table.
  let out = '';
  let run = 0;
  for (let i = first; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return escapeURLComponentUnicode(s);
    if (UNRESERVED[c] === 1) continue;
    out += s.slice(run, i) + PCT[c]!;
    run = i + 1;
  }
  return out + s.slice(run);
}

/** escapeURLComponent for a value with non-ASCII characters: UTF-8, lone surrogates as U+FFFD. */
function escapeURLComponentUnicode(s: string): string {
  const wellFormed = HAS_SURROGATE.test(s) ? s.replace(LONE_SURROGATE_G, '\ufffd') : s;
  return encodeURIComponent(wellFormed).replace(SUB_DELIMS_G, pct);
}

const DESCRIPTOR = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?[wxh]$/;

/** Keeps a srcset descriptor like `2x`, `480w`; anything else becomes empty. */
export function filterSrcsetDescriptor(s: string): string {
  const t = s.trim();
  return DESCRIPTOR.test(t) ? t : '';
}

/** A normalized URL as one srcset candidate URL (see the module comment). */
function asCandidateURL(u: string): string {
  const out = u.charCodeAt(0) === 44 /* , */ ? './' + u : u;
  // Trailing commas by a loop, not /,+$/ (quadratic on a long run of commas; util/trim.ts).
  const kept = trimEndCodes(out, (c) => c === 44);
  return kept.length === out.length ? out : kept + '%2C'.repeat(out.length - kept.length);
}

/**
 * One URL at the start of a srcset candidate (`srcset="{{ u }} 2x"`): filtered like any URL
 * (or not, when `trusted`), normalized, and written so that it stays one candidate and
 * resolves to the same URL.
 */
export function filterSrcsetURL(url: string, trusted = false): string {
  return asCandidateURL(normalizeURL(trusted ? url : filterURL(url)));
}

/**
 * Filters a srcset list (or a single URL) for the start of a srcset candidate: each
 * candidate URL is filtered and normalized, bad descriptors are dropped.
 */
export function filterSrcset(s: string): string {
  const out: string[] = [];
  // HTML §4.8.4.3.10 "parse a srcset attribute": skip whitespace and commas, take the URL
  // (a run of non-whitespace; trailing commas end the candidate), then the descriptors up
  // to the next comma.
  let i = 0;
  const n = s.length;
  const isWS = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
  while (i < n) {
    while (i < n && (isWS(s[i]!) || s[i] === ',')) i++;
    if (i >= n) break;
    let j = i;
    while (j < n && !isWS(s[j]!)) j++;
    let url = s.slice(i, j);
    let endsCandidate = false;
    while (url.endsWith(',')) {
      url = url.slice(0, -1);
      endsCandidate = true;
    }
    i = j;
    const descriptors: string[] = [];
    if (!endsCandidate) {
      let k = i;
      while (k < n && s[k] !== ',') k++;
      for (const d of s.slice(i, k).split(/[ \t\n\f\r]+/)) {
        const f = filterSrcsetDescriptor(d);
        if (f !== '') descriptors.push(f);
      }
      i = k;
    }
    const safe = filterSrcsetURL(url);
    out.push(descriptors.length > 0 ? `${safe} ${descriptors.join(' ')}` : safe);
  }
  return out.join(', ');
}

/** A query-string component as HTML forms write it (Python's quote_plus): a space is `+`. */
const formComponent = (s: string): string => escapeURLComponent(s).replace(/%20/g, '+');

function encodePair(k: string, v: unknown): string {
  return `${formComponent(k)}=${formComponent(v == null ? '' : String(v))}`;
}

/**
 * Jinja's `urlencode`: a string is quoted as a component (keeping `/`), a mapping or a
 * list of pairs becomes a query string `a=1&b=2`, with spaces as `+`.
 */
export function urlencode(v: unknown): string {
  if (v == null) return '';
  if (typeof v === 'string') return escapeURLComponent(v).replace(/%2F/g, '/');
  if (v instanceof Map) return [...v].map(([k, x]) => encodePair(String(k), x)).join('&');
  if (Array.isArray(v)) {
    return v.map((p) => (Array.isArray(p) ? encodePair(String(p[0]), p[1]) : escapeURLComponent(String(p)))).join('&');
  }
  if (typeof v === 'object')
    return Object.entries(v)
      .map(([k, x]) => encodePair(k, x))
      .join('&');
  return escapeURLComponent(String(v));
}

/**
 * Percent-encodes the first character of an escaped URL part when it is an ASCII letter,
 * digit or `-._~` (RFC 3986 §2.3: encoding these does not change the URL): inside
 * `<style>`, after text that ends with `<` or `</sty`, the value then cannot complete
 * `</style` (templates/raw-text.ts).
 */
export function escapeEdgesURL(s: string): string {
  if (s === '') return s;
  const c = s.charCodeAt(0);
  return c < 128 && UNRESERVED[c] === 1 ? PCT[c]! + s.slice(1) : s;
}

/**
 * Whether text that follows a value at the start of a URL could continue the value's scheme
 * (URL Standard §4.4 scheme state: ASCII alphanumerics, `+`, `-`, `.`, ended by `:`; the
 * parser removes tabs and newlines first): 'colon' when s[i, end) is scheme characters and
 * then a `:` (a value like `javascript` would get its scheme from the text), 'open' when it
 * is only scheme characters, 'closed' when another character comes first.
 */
export function schemeAfterValue(s: string, i: number, end: number): 'colon' | 'open' | 'closed' {
  for (let j = i; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c === 58) return 'colon';
    if (c === 9 || c === 10 || c === 13) continue;
    if (!isSchemeChar(c)) return 'closed';
  }
  return 'open';
}

/**
 * A `;`-separated list of values any of which may become a URL (the `values` of an SVG
 * animation, SMIL §3.2.3, and its `to`, `from`, `by`): each item is kept as it is (it may be
 * a colour or a number) unless it reads as a URL with an unsafe scheme, which becomes the
 * sentinel.
 */
export function filterURLList(s: string): string {
  if (s.indexOf(':') === -1) return s; // no scheme anywhere
  return s
    .split(';')
    .map((item) => (isSafeURL(item) ? item : URL_SENTINEL))
    .join(';');
}
