/**
 * The content of `<meta http-equiv="refresh" content="5; url=/next">`: a delay, then the
 * URL the page goes to. The browser reads it with the "shared declarative refresh steps"
 * (HTML Living Standard §4.2.5.3): whitespace, the delay (digits and dots), then, after
 * whitespace and one optional `;` or `,`, the URL: either the rest of the content, or,
 * when the rest starts with `url` (any case), whitespace, `=` and whitespace, what follows,
 * after one optional quote and up to the matching quote.
 *
 * `readRefresh` runs those steps over a piece of the content from a given point, so that
 * the template analysis (templates/transition-meta.ts) and the escapers here read the
 * content the same way. A value whose refresh URL has a scheme other than http, https and
 * mailto (url.ts isSafeURL) is replaced by the sentinel `about:invalid#palisade-unsafe`,
 * which the steps read as no refresh at all.
 */
import { URL_SENTINEL, isSafeURL } from './url.js';

/**
 * Where the steps are: before the delay (`start`), in it (`delay`), after it and some
 * whitespace (`sep`: a `;` or `,` may still come), where the URL part starts (`url`),
 * inside `url =` (`keyword`), after `url=` (`eq`: a quote may come), in the URL itself
 * (`target`), or done without a URL (`dead`).
 */
export type RefreshPart = 'start' | 'delay' | 'sep' | 'url' | 'keyword' | 'eq' | 'target' | 'dead';

export interface RefreshRead {
  readonly part: RefreshPart;
  /** Where reading stopped: the first character of the URL for `target`, else `end`. */
  readonly at: number;
  /** For `target`: the quote the URL started after, which ends it, or ''. */
  readonly quote: string;
}

const isWS = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Runs the refresh steps over s[i, end) from `part`. */
export function readRefresh(part: RefreshPart, s: string, i: number, end: number): RefreshRead {
  let j = i;
  const done = (p: RefreshPart, at = end, quote = ''): RefreshRead => ({ part: p, at, quote });
  if (part === 'target' || part === 'dead') return done(part);
  if (part === 'start') {
    while (j < end && isWS(s.charCodeAt(j))) j++;
    if (j >= end) return done('start');
    const c = s.charCodeAt(j);
    if (!isDigit(c) && c !== 46) return done('dead'); // step 6
    part = 'delay';
  }
  if (part === 'delay') {
    while (j < end && (isDigit(s.charCodeAt(j)) || s.charCodeAt(j) === 46)) j++;
    if (j >= end) return done('delay');
    const c = s.charCodeAt(j);
    if (c !== 59 && c !== 44 && !isWS(c)) return done('dead'); // step 10.1
    part = 'sep';
  }
  if (part === 'sep') {
    while (j < end && isWS(s.charCodeAt(j))) j++;
    if (j >= end) return done('sep');
    const c = s.charCodeAt(j);
    if (c === 59 || c === 44) j++;
    part = 'url';
  }
  if (part === 'url') {
    while (j < end && isWS(s.charCodeAt(j))) j++;
    if (j >= end) return done('url');
    // Steps 11.2–11.6: `url`, whitespace, `=`, whitespace; anything else is the URL itself.
    const m = /^[uU](?:[rR](?:[lL]([\t\n\f\r ]*)(=[\t\n\f\r ]*)?)?)?/.exec(s.slice(j, end));
    const matched = m?.[0] ?? '';
    if (matched === '' || (j + matched.length < end && m?.[2] === undefined)) return done('target', j);
    if (m?.[2] === undefined) return done('keyword');
    j += matched.length;
    part = 'eq';
  }
  if (part === 'eq') {
    while (j < end && isWS(s.charCodeAt(j))) j++;
    if (j >= end) return done('eq');
    const c = s.charCodeAt(j);
    if (c === 34 || c === 39) return done('target', j + 1, s[j]!); // step 11.7
    return done('target', j);
  }
  return done(part); // 'keyword': its progress is not kept across pieces (see transition-meta.ts)
}

/** The URL a whole refresh content goes to, or null when it has none. */
export function refreshTarget(content: string): string | null {
  const r = readRefresh('start', content, 0, content.length);
  if (r.part !== 'target') return null;
  const url = content.slice(r.at);
  const q = r.quote === '' ? -1 : url.indexOf(r.quote);
  return q === -1 ? url : url.slice(0, q); // step 11.9
}

/**
 * A value that is the whole refresh content, or its start (`content="{{ v }}"`,
 * `content="{{ delay }}; url=…"`): the value, or the sentinel when its URL is not safe.
 */
export function filterRefresh(v: string): string {
  const url = refreshTarget(v);
  return url === null || isSafeURL(url) ? v : URL_SENTINEL;
}

/**
 * A value where a refresh content's URL starts, after the separator (`content="0; {{ u }}"`)
 * or after `url=` (`content="0; url={{ u }}"`): the value, or the sentinel when its URL is
 * not safe read either way (after `url=`, a leading quote is skipped; after the separator,
 * the value may itself start with `url=`).
 */
export function filterRefreshURL(v: string): string {
  for (const before of ['0;', '0;url=']) {
    const url = refreshTarget(before + v);
    if (url !== null && !isSafeURL(url)) return URL_SENTINEL;
  }
  return v;
}
