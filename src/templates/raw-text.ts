/**
 * Where raw text ends, as the HTML tokenizer reads it: the content of `<script>`, `<style>`,
 * RCDATA (`<title>`, `<textarea>`) and RAWTEXT elements (HTML Living Standard §13.2.5.2,
 * §13.2.5.3, §13.2.5.5), and, for `<script>`, the script data states (§13.2.5.4 and
 * §13.2.5.15–27): inside `<!--` the content is "escaped", `<script` there makes it "double
 * escaped", and there a `</script>` does not end the element; `-->` goes back to plain
 * script data.
 *
 * A run of static text is followed by a value or a template tag. When it ends with the
 * start of one of these tokens (`<`, `</ti`, `<!-`, `<scrip`, `--`), the text that comes
 * after could complete it, so the analysis carries that start along (`rawTail` in the
 * context): the next static text must not complete it (a compile error: the token is split,
 * and an empty value would let it form), and a value right after it has its first character
 * escaped (analyze.ts), so that no value completes a token either.
 */
import { F } from './context.js';

/** The flags of the script data states (none: plain script data). */
export const SCRIPT_STATE_BITS = F.SCRIPT_ESCAPED | F.SCRIPT_DOUBLE_ESCAPED;

const isWS = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;

/** True when `s` has the tag name `name` at `p` (any case), followed by whitespace, `/` or `>`. */
function tagNameAt(s: string, p: number, name: string): boolean {
  if (p + name.length >= s.length) return false;
  for (let k = 0; k < name.length; k++) if ((s.charCodeAt(p + k) | 0x20) !== name.charCodeAt(k)) return false;
  const after = s.charCodeAt(p + name.length);
  return isWS(after) || after === 47 || after === 62;
}

export interface RawScan {
  /** Where the element's end tag starts (`</`), or s.length. */
  readonly end: number;
  /** The script data state at `end` (SCRIPT_STATE_BITS). */
  readonly flags: number;
}

/**
 * Scans raw text from `i` in element `element` (script data state in `flags`) for the end
 * tag that ends the element.
 */
export function scanRawText(s: string, i: number, element: string, flags: number): RawScan {
  if (element === 'plaintext') return { end: s.length, flags: 0 };
  if (element !== 'script') {
    for (let k = s.indexOf('</', i); k !== -1; k = s.indexOf('</', k + 1)) if (tagNameAt(s, k + 2, element)) return { end: k, flags: 0 };
    return { end: s.length, flags: 0 };
  }
  let state = flags & SCRIPT_STATE_BITS;
  let dashes = 0;
  for (let k = i; k < s.length; k++) {
    const ch = s.charCodeAt(k);
    if (ch === 45) {
      dashes++;
      continue;
    }
    if (ch === 62 && dashes >= 2 && state !== 0) {
      state = 0; // `-->` ends an escaped section (§13.2.5.19, §13.2.5.26)
      dashes = 0;
      continue;
    }
    dashes = 0;
    if (ch !== 60) continue;
    if (state === 0 && s.startsWith('<!--', k)) {
      state = F.SCRIPT_ESCAPED; // §13.2.5.15–18, left in the "escaped dash dash" state
      dashes = 2;
      k += 3;
    } else if (s.charCodeAt(k + 1) === 47 && tagNameAt(s, k + 2, 'script')) {
      if (state !== F.SCRIPT_DOUBLE_ESCAPED) return { end: k, flags: state };
      state = F.SCRIPT_ESCAPED; // §13.2.5.27 double escape end
      k += 7;
    } else if (state === F.SCRIPT_ESCAPED && tagNameAt(s, k + 1, 'script')) {
      state = F.SCRIPT_DOUBLE_ESCAPED; // §13.2.5.22 double escape start
      k += 6;
    }
  }
  return { end: s.length, flags: state };
}

/**
 * The start of a token at the end of raw text `s` that text after it could complete (the
 * context's `rawTail`), or ''. `flags` is the script data state at the end of `s`.
 */
export function rawTail(s: string, element: string, flags: number): string {
  if (element === 'plaintext') return '';
  const lt = s.lastIndexOf('<');
  if (lt !== -1) {
    const u = s.slice(lt).toLowerCase();
    const state = flags & SCRIPT_STATE_BITS;
    const prefixOf = (token: string, full: boolean): boolean => (full ? token.startsWith(u) : u.length < token.length && token.startsWith(u));
    // `</name` needs a delimiter after it, so the whole of it is still pending.
    if (prefixOf('</' + element, true)) return s.slice(lt);
    if (element === 'script' && state === 0 && prefixOf('<!--', false)) return s.slice(lt);
    if (element === 'script' && state === F.SCRIPT_ESCAPED && prefixOf('<script', true)) return s.slice(lt);
  }
  if (element === 'script' && (flags & SCRIPT_STATE_BITS) !== 0 && s.endsWith('-')) return s.endsWith('--') ? '--' : '-';
  return '';
}

/**
 * True when `tail` (pending from the text before a value or a template tag) and the text
 * `s` after it form a token that starts in `tail`: an end tag, `<!--`, `<script`, `-->`.
 */
export function completesTail(tail: string, s: string, element: string, flags: number): boolean {
  if (tail === '') return false;
  const t = tail + s.slice(0, 16);
  if (tail.charCodeAt(0) === 45) return /^-{2,}>/.test(t); // `-->`
  const state = flags & SCRIPT_STATE_BITS;
  if (t.charCodeAt(1) === 47) return tagNameAt(t, 2, element);
  if (element !== 'script') return false;
  if (state === 0) return t.startsWith('<!--');
  return state === F.SCRIPT_ESCAPED && tagNameAt(t, 1, 'script');
}
