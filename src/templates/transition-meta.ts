/**
 * Transitions for a `<meta content>` read as a refresh, before its URL starts (the
 * REFRESH_ states of context.ts). The steps are those of HTML §4.2.5.3 ("shared declarative
 * refresh steps"), read by escape/refresh.ts `readRefresh`, the same function the refresh
 * escapers use; once the URL starts the state is URL, and once the steps end without a URL
 * the rest of the value is plain text (ATTR_TEXT).
 */
import { type Context, type State, errorCtx, withCtx } from './context.js';
import { type RefreshPart, readRefresh } from '../escape/refresh.js';
import { schemeAfterValue } from '../escape/url.js';

type Result = [Context, number];

const PARTS: Partial<Record<State, RefreshPart>> = {
  REFRESH_START: 'start',
  REFRESH_DELAY: 'delay',
  REFRESH_SEP: 'sep',
  REFRESH_URL: 'url',
  REFRESH_EQ: 'eq',
};

const STATES: Partial<Record<RefreshPart, State>> = {
  start: 'REFRESH_START',
  delay: 'REFRESH_DELAY',
  sep: 'REFRESH_SEP',
  url: 'REFRESH_URL',
  keyword: 'REFRESH_KEYWORD',
  eq: 'REFRESH_EQ',
};

/** `content="|5; url=/next"` — the refresh steps up to the URL. */
export function tRefresh(c: Context, s: string, i: number, end: number): Result {
  let part = PARTS[c.state];
  if (c.state === 'REFRESH_KEYWORD') {
    return [errorCtx(c, 'TEMPLATE_AMBIGUOUS_URL', '`url=` in a refresh content is cut by a template tag or value; write `url=` in one piece'), i];
  }
  if (c.state === 'REFRESH_AFTER_VALUE') {
    // The value may have started the URL with the first letters of a scheme: text that
    // continues them into a `:` would let the value choose the scheme.
    const scheme = schemeAfterValue(s, i, end);
    if (scheme === 'colon') {
      return [
        errorCtx(
          c,
          'TEMPLATE_AMBIGUOUS_URL',
          'text right after a value at the start of a refresh content continues a URL scheme (`…:`); write the whole content as one value, or write the delay and `url=` in the template',
        ),
        i,
      ];
    }
    if (scheme === 'open') return [c, end];
    part = 'delay';
  }
  const r = readRefresh(part ?? 'dead', s, i, end);
  if (r.part === 'dead') return [withCtx(c, { state: 'ATTR_TEXT' }), end];
  if (r.part === 'target') return [withCtx(c, { state: 'URL', urlPart: 'start' }), r.at];
  return [withCtx(c, { state: STATES[r.part]! }), end];
}
