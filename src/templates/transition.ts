/**
 * Transitions: one small function per state, collected in TRANSITIONS, keyed by state.
 *
 * A transition takes a context and static text (`s` from `i` to `end`) and returns the
 * context the text leads to and the index where it stopped; the caller (analyze.ts) calls
 * transitions until the text is used up. Transitions do no escaping.
 *
 * The HTML transitions here follow the tokenizer of the HTML Living Standard §13.2.5:
 * data state (§13.2.5.1), tag open and tag name (§13.2.5.6–8), the attribute name and
 * value states (§13.2.5.32–39), comments (§13.2.5.43–52, including the abrupt `<!-->`
 * and `--!>` endings), bogus comments (§13.2.5.41) and CDATA sections (§13.2.5.69–71). Which
 * elements a tag opens and closes in SVG and MathML, and so whether their content is raw
 * text or markup, is foreign.ts. JS and CSS are in their own files.
 */
import { type Context, type Delim, type State, F, JOINED_BITS, TEXT, errorCtx, withCtx } from './context.js';
import { attrKind, elementKind, foreignElementKind, isSameOriginAction, isSameOriginActionPrefix, scriptTypeKind } from './attr.js';
import { afterEndTag, afterStartTag, cdataAllowed, foreignNamespace, isBreakout, startRules } from './foreign.js';
import { decodeEntities } from '../escape/entities.js';
import { tJSBlockCmt, tJSDqStr, tJSExpr, tJSLineCmt, tJSRegexp, tJSSqStr, tJSTmpl } from './transition-js.js';
import { tCSS, tCSSCmt, tCSSDqStr, tCSSDqURL, tCSSSqStr, tCSSSqURL, tCSSURL } from './transition-css.js';
import { tRefresh } from './transition-meta.js';
import { schemeAfterValue } from '../escape/url.js';

export type Transition = (c: Context, s: string, i: number, end: number) => [Context, number];

const isWS = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
const isAlpha = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/** The states of a start or end tag (outside attribute values). */
export const TAG_STATES: ReadonlySet<State> = new Set<State>(['HTML_TAG', 'HTML_TAG_NAME', 'HTML_ATTR_NAME', 'HTML_AFTER_NAME', 'HTML_BEFORE_VALUE']);

const PARTIAL_TAG = 'a tag name is cut off by a template tag or value; write the whole tag name in the template';

/** Reads a tag name from `i`; returns its end (`end` when the text ends inside it). */
function tagNameEnd(s: string, i: number, end: number): number {
  let k = i;
  while (k < end) {
    const ch = s.charCodeAt(k);
    if (isWS(ch) || ch === 47 || ch === 62) return k;
    k++;
  }
  return end;
}

/**
 * The context after the name of a start or end tag read up to `k`: in the tag, or, when
 * the name reached the end of the text, HTML_TAG_NAME (the name must end right there). In
 * and around foreign content the name also decides the rules the tag follows (foreign.ts):
 * an end tag changes the open elements here, a start tag at its `>` (closeTag).
 */
function inTag(c: Context, rawName: string, endTag: boolean, k: number, end: number): Context {
  const state = k >= end ? 'HTML_TAG_NAME' : 'HTML_TAG';
  const name = rawName.toLowerCase();
  if (endTag) {
    const stack = afterEndTag(c.stack, name);
    if (typeof stack !== 'string') return errorCtx(c, 'TEMPLATE_FOREIGN_CONTENT', stack.reason);
    return withCtx(TEXT, { state, flags: F.END_TAG, stack });
  }
  const tag = c.stack !== '' || name === 'svg' || name === 'math' ? name : '';
  const rules = startRules(c.stack, name);
  if (rules === 'unknown') {
    return errorCtx(
      c,
      'TEMPLATE_FOREIGN_CONTENT',
      `<${name}> right inside HTML that a MathML text integration point holds: if the browser has closed that HTML on its own, it is MathML, else HTML; close the HTML elements first, or write it directly in the <mi>, <mo>, <mn>, <ms> or <mtext>`,
    );
  }
  // A breakout tag (or a `font` that may be one) is read as HTML; other foreign tags make
  // elements whose content is markup, whatever their name.
  const element = rules === 'html' || isBreakout(name, name === 'font') ? elementKind(name) : foreignElementKind(foreignNamespace(c.stack), name);
  return withCtx(TEXT, { state, element, stack: c.stack, tag });
}

/** `<p>|</p>` — text; finds the next tag, comment or bogus comment. */
function tText(c: Context, s: string, i: number, end: number): [Context, number] {
  // Text inside RCDATA/RAWTEXT elements has no markup; analyze.ts bounds it by the end tag.
  if (c.element !== 'none') return [c, end];
  for (let j = s.indexOf('<', i); j !== -1 && j < end; j = s.indexOf('<', j + 1)) {
    if (j + 1 >= end) return [errorCtx(c, 'TEMPLATE_PARTIAL_NAME', PARTIAL_TAG), j];
    const n = s.charCodeAt(j + 1);
    if (n === 33 /* ! */) {
      if (s.startsWith('<!--', j)) {
        if (s.startsWith('<!-->', j)) {
          j += 4;
          continue;
        }
        if (s.startsWith('<!--->', j)) {
          j += 5;
          continue;
        }
        return [withCtx(c, { state: 'HTML_COMMENT' }), j + 4];
      }
      if (cdataAllowed(c.stack)) {
        // In SVG and MathML, `<![CDATA[` starts a CDATA section (§13.2.5.42).
        if (s.startsWith(CDATA_START, j)) return [withCtx(c, { state: 'HTML_CDATA' }), j + CDATA_START.length];
        if (CDATA_START.startsWith(s.slice(j, end))) {
          return [
            errorCtx(c, 'TEMPLATE_PARTIAL_NAME', 'the start of a CDATA section (<![CDATA[) is cut off by a template tag or value; write it in one piece'),
            j,
          ];
        }
      }
      return [withCtx(c, { state: 'HTML_BOGUS_COMMENT' }), j + 2];
    }
    if (n === 63 /* ? */) return [withCtx(c, { state: 'HTML_BOGUS_COMMENT' }), j + 2];
    if (n === 47 /* / */) {
      if (j + 2 >= end) return [errorCtx(c, 'TEMPLATE_PARTIAL_NAME', PARTIAL_TAG), j];
      const m = s.charCodeAt(j + 2);
      if (m === 62) {
        j += 2;
        continue;
      } // `</>` is ignored (§13.2.5.7)
      if (!isAlpha(m)) return [withCtx(c, { state: 'HTML_BOGUS_COMMENT' }), j + 2];
      const k = tagNameEnd(s, j + 2, end);
      const tag = inTag(c, s.slice(j + 2, k), true, k, end);
      return [tag, tag.state === 'ERROR' ? j : k];
    }
    if (isAlpha(n)) {
      const k = tagNameEnd(s, j + 1, end);
      const tag = inTag(c, s.slice(j + 1, k), false, k, end);
      return [tag, tag.state === 'ERROR' ? j : k];
    }
    // Any other character after `<` leaves it as text (§13.2.5.6, "anything else").
  }
  return [c, end];
}

/**
 * The context after the `>` of a tag (`/>` when `selfClosing`): the content of its
 * element, with the elements open in foreign content updated (foreign.ts).
 */
export function closeTag(c: Context, selfClosing = false): Context {
  const stack = c.tag === '' ? c.stack : afterStartTag(c.stack, c.tag, (c.flags & F.FONT_ATTR) !== 0, (c.flags & F.HTML_ENCODING) !== 0, selfClosing);
  const base = stack === '' ? TEXT : withCtx(TEXT, { stack });
  if ((c.flags & F.END_TAG) !== 0) return base;
  switch (c.element) {
    case 'script':
      if ((c.flags & F.SCRIPT_DATA) !== 0) return withCtx(base, { element: 'script' });
      return withCtx(base, { state: 'JS_EXPR', element: 'script', jsCtx: 'stmt' });
    case 'style':
      return withCtx(base, { state: 'CSS', element: 'style' });
    case 'none':
    case 'form':
    case 'meta':
    case 'animation':
    case 'annotation-xml':
      return base;
    case 'pre':
    case 'listing':
      return withCtx(base, { flags: F.AT_LEADING_NEWLINE });
    case 'textarea':
      return withCtx(base, { element: 'textarea', flags: F.AT_LEADING_NEWLINE });
    case 'noscript':
      // A region: read as HTML (scripting off), ended as raw text (scripting on); analyze.ts.
      return withCtx(base, { element: 'noscript', inner: TEXT });
    default:
      return withCtx(base, { element: c.element });
  }
}

/** `<input|{% if a %}` — a tag name at the end of the previous text: it must end here. */
function tTagName(c: Context, s: string, i: number, end: number): [Context, number] {
  const ch = s.charCodeAt(i);
  if (!isWS(ch) && ch !== 47 && ch !== 62) return [errorCtx(c, 'TEMPLATE_PARTIAL_NAME', PARTIAL_TAG), i];
  return tTag(withCtx(c, { state: 'HTML_TAG' }), s, i, end);
}

/**
 * After branches that ended in different places of a start tag (the JOINED_ bits of
 * context.ts): refuses text that would continue a name or an unquoted value written on one
 * path only, or give it a value; returns the index where checking is done (the first
 * character that is not whitespace) and the context with the bits that still apply.
 */
function checkJoined(c: Context, s: string, i: number, end: number): [Context, number] {
  let j = i;
  while (j < end && isWS(s.charCodeAt(j))) j++;
  const ch = j < end ? s.charCodeAt(j) : -1;
  if (j === i) {
    const ends = ch === 62 || (ch === 47 && (c.flags & F.JOINED_VALUE) === 0);
    if ((c.flags & (F.JOINED_NAME | F.JOINED_VALUE)) !== 0 && !ends) {
      return [
        errorCtx(
          c,
          'TEMPLATE_PARTIAL_NAME',
          'text after an if or a loop continues a tag name, an attribute name or an unquoted value written on only some of its paths; start the text with a space, or put the whole attribute inside the if',
        ),
        i,
      ];
    }
  }
  if (ch === 61) {
    return [
      errorCtx(
        c,
        'TEMPLATE_PARTIAL_NAME',
        'text after an if or a loop gives a value to an attribute name written on only some of its paths; put the whole attribute, with its value, inside the if',
      ),
      j,
    ];
  }
  // Only whitespace so far: the name or value has ended; an `=` may still come next.
  const rest = j >= end ? F.JOINED_AFTER_NAME : 0;
  return [withCtx(c, { flags: (c.flags & ~JOINED_BITS) | rest }), j];
}

/** `<a |href>` — between attributes. */
function tTag(c: Context, s: string, i: number, end: number): [Context, number] {
  let j = i;
  if ((c.flags & F.SLASH) !== 0) {
    // The text before ended with `/`: a `>` here makes the tag self-closing.
    c = withCtx(c, { flags: c.flags & ~F.SLASH });
    if (s.charCodeAt(i) === 62) return [closeTag(c, true), i + 1];
  }
  if ((c.flags & JOINED_BITS) !== 0) {
    [c, j] = checkJoined(c, s, i, end);
    if (c.state === 'ERROR') return [c, j];
  }
  while (j < end && isWS(s.charCodeAt(j))) j++;
  if (j >= end) return [c, end];
  const ch = s.charCodeAt(j);
  if (ch === 62) return [closeTag(c), j + 1];
  if (ch === 47) {
    // The self-closing start tag state (§13.2.5.40): `/>` ends the tag, anything else is
    // read as the next attribute.
    if (j + 1 >= end) return [withCtx(c, { flags: c.flags | F.SLASH }), end];
    return s.charCodeAt(j + 1) === 62 ? [closeTag(c, true), j + 2] : [c, j + 1];
  }
  // An attribute name; a leading `=` belongs to it (§13.2.5.32).
  let k = j + 1;
  while (k < end) {
    const x = s.charCodeAt(k);
    if (isWS(x) || x === 47 || x === 62 || x === 61) break;
    k++;
  }
  const name = s.slice(j, k).toLowerCase();
  let flags = name === 'nonce' ? c.flags | F.NONCE_SEEN : c.flags;
  // A `<font>` with one of these leaves foreign content (foreign.ts).
  if (c.tag === 'font' && (name === 'color' || name === 'face' || name === 'size')) flags |= F.FONT_ATTR;
  if (c.element === 'meta') {
    // A `content` is a refresh unless the tag is named metadata (HTML §4.2.5): which it is
    // depends on the attributes before it.
    if (name === 'http-equiv') {
      if ((flags & F.META_PLAIN_CONTENT) !== 0) {
        return [
          errorCtx(
            c,
            'TEMPLATE_AMBIGUOUS_URL',
            'http-equiv after a <meta> content that was read as plain text: with http-equiv="refresh" the content is a URL; write http-equiv before content',
          ),
          j,
        ];
      }
      flags |= F.META_HTTP_EQUIV;
    } else if (name === 'name' || name === 'property' || name === 'itemprop' || name === 'charset') {
      flags |= F.META_NAMED;
    }
  }
  const attr = attrKind(name, c.element);
  return [withCtx(c, { state: k >= end ? 'HTML_ATTR_NAME' : 'HTML_AFTER_NAME', attr, flags }), k];
}

/** `<a hr|` — a name that reached the end of a text run. It must not go on. */
function tAttrName(c: Context, s: string, i: number, end: number): [Context, number] {
  const ch = s.charCodeAt(i);
  if (!isWS(ch) && ch !== 47 && ch !== 62 && ch !== 61) {
    return [errorCtx(c, 'TEMPLATE_PARTIAL_NAME', 'an attribute name is cut off by a template tag or value; write the whole attribute name in the template'), i];
  }
  return tAfterName(withCtx(c, { state: 'HTML_AFTER_NAME' }), s, i, end);
}

/** `<input checked| >` — after a name: `=` or the next attribute. */
function tAfterName(c: Context, s: string, i: number, end: number): [Context, number] {
  let j = i;
  while (j < end && isWS(s.charCodeAt(j))) j++;
  if (j >= end) return [c, end];
  const ch = s.charCodeAt(j);
  if (ch === 61) return [withCtx(c, { state: 'HTML_BEFORE_VALUE' }), j + 1];
  if (ch === 62) return [closeTag(c), j + 1];
  // The next attribute, or a `/` that tTag reads (`/>` makes the tag self-closing).
  return tTag(withCtx(c, { state: 'HTML_TAG', attr: 'none' }), s, j, end);
}

/** `<a href=|` — before a value: a quote, or the first character of an unquoted value. */
function tBeforeValue(c: Context, s: string, i: number, end: number): [Context, number] {
  let j = i;
  while (j < end && isWS(s.charCodeAt(j))) j++;
  if (j >= end) return [c, end];
  const ch = s.charCodeAt(j);
  if (ch === 62) return [closeTag(enterValue(c, 'dq', '""', 1)), j + 1]; // missing value: empty
  if (ch === 34) return [enterValue(c, 'dq', s, j + 1), j + 1];
  if (ch === 39) return [enterValue(c, 'sq', s, j + 1), j + 1];
  return [enterValue(c, 'unq', s, j), j];
}

/** Index where an attribute value that starts at `i` ends (its delimiter), or s.length. */
export function attrValueEnd(delim: Delim, s: string, i: number): number {
  if (delim === 'dq' || delim === 'sq') {
    const k = s.indexOf(delim === 'dq' ? '"' : "'", i);
    return k === -1 ? s.length : k;
  }
  for (let k = i; k < s.length; k++) {
    const ch = s.charCodeAt(k);
    if (isWS(ch) || ch === 62) return k;
  }
  return s.length;
}

/**
 * The context at the start of an attribute value whose text (if static) starts at
 * `s[start]`. For `<script type>`, `<form method>` and `<form action>` the whole value is
 * read here, because it decides the script's language and the CSRF field; when it is not
 * static (`s` ends before the delimiter) the script type is an error, and the form gets the
 * automatic CSRF field only if the static start already fixes this origin.
 */
export function enterValue(c: Context, delim: Delim, s: string, start: number): Context {
  let flags = c.flags;
  if (c.attr === 'script-type' || c.attr === 'form-method' || c.attr === 'form-action' || c.attr === 'encoding') {
    const end = attrValueEnd(delim, s, start);
    const value = end < s.length ? decodeEntities(s.slice(start, end)) : null;
    if (c.attr === 'encoding') {
      if (value === null) {
        return errorCtx(
          c,
          'TEMPLATE_FOREIGN_CONTENT',
          'the encoding of a MathML <annotation-xml> must be written in the template: it decides whether its content is HTML or MathML',
        );
      }
      // Only the first `encoding` counts (a repeated attribute is dropped, §13.2.5.33).
      if ((flags & F.ENCODING_SEEN) === 0 && /^(?:text\/html|application\/xhtml\+xml)$/i.test(value)) flags |= F.HTML_ENCODING;
      flags |= F.ENCODING_SEEN;
    } else if (c.attr === 'script-type') {
      if (value === null) {
        return errorCtx(c, 'TEMPLATE_DYNAMIC_SCRIPT_TYPE', 'the type of a <script> must be written in the template: it decides how its content is escaped');
      }
      flags &= ~(F.SCRIPT_JSON | F.SCRIPT_DATA);
      const kind = scriptTypeKind(value);
      if (kind === 'json') flags |= F.SCRIPT_JSON;
      if (kind === 'data') flags |= F.SCRIPT_DATA;
    } else if (c.attr === 'form-method') {
      flags &= ~F.FORM_POST;
      if (value !== null && value.trim().toLowerCase() === 'post') flags |= F.FORM_POST;
    } else if (value === null && start === s.length && (flags & F.FORM_ACTION_UNSAFE) === 0) {
      // `action="{{ … }}"`: unsafe unless the value is known to stay on this site (holePlan).
      flags |= F.FORM_ACTION_UNSAFE | F.FORM_ACTION_VALUE;
    } else if (value === null ? !isSameOriginActionPrefix(decodeEntities(s.slice(start))) : !isSameOriginAction(value)) {
      flags |= F.FORM_ACTION_UNSAFE;
    }
  }
  // An event handler's value is a function body: statements (HTML §8.1.8.1).
  const base = withCtx(c, { delim, flags, jsNest: '', jsCtx: c.attr === 'js' ? 'stmt' : 'regexp' });
  switch (c.attr) {
    case 'url':
    case 'srcset':
    case 'form-action':
    case 'anim':
      return withCtx(base, { state: 'URL', urlPart: 'start' });
    case 'meta-content':
      if ((flags & F.META_NAMED) !== 0 && (flags & F.META_HTTP_EQUIV) === 0) {
        return withCtx(base, { state: 'ATTR_TEXT', flags: flags | F.META_PLAIN_CONTENT });
      }
      return withCtx(base, { state: 'REFRESH_START' });
    case 'js':
      return withCtx(base, { state: 'JS_EXPR' });
    case 'css':
      return withCtx(base, { state: 'CSS' });
    case 'srcdoc':
      return withCtx(base, { state: 'ATTR_SRCDOC', inner: TEXT });
    default:
      return withCtx(base, { state: 'ATTR_TEXT' });
  }
}

/** The context after an attribute value's delimiter: back between attributes. */
export function leaveValue(c: Context): Context {
  return withCtx(c, {
    state: 'HTML_TAG',
    attr: 'none',
    delim: 'none',
    urlPart: 'none',
    jsCtx: 'regexp',
    jsNest: '',
    inner: null,
    flags: c.flags & ~F.CSS_TEXT_PROP,
  });
}

/** `<!-- | -->` */
function tComment(c: Context, s: string, i: number, end: number): [Context, number] {
  for (let j = s.indexOf('--', i); j !== -1 && j < end; j = s.indexOf('--', j + 1)) {
    if (s.startsWith('-->', j)) return [withCtx(c, { state: 'HTML_TEXT' }), j + 3];
    if (s.startsWith('--!>', j)) return [withCtx(c, { state: 'HTML_TEXT' }), j + 4];
  }
  return [c, end];
}

const CDATA_START = '<![CDATA[';

/** `<svg><text><![CDATA[ | ]]>` — a CDATA section: text up to `]]>` (§13.2.5.69–71). */
function tCDATA(c: Context, s: string, i: number, end: number): [Context, number] {
  const k = s.indexOf(']]>', i);
  if (k === -1 || k + 3 > end) return [c, end];
  return [withCtx(c, { state: 'HTML_TEXT' }), k + 3];
}

/** `<!DOCTYPE |>` */
function tBogusComment(c: Context, s: string, i: number, end: number): [Context, number] {
  const k = s.indexOf('>', i);
  if (k === -1 || k >= end) return [c, end];
  return [withCtx(c, { state: 'HTML_TEXT' }), k + 1];
}

/** `title="|"` — a plain value: nothing inside changes the context. */
function tAttrText(c: Context, _s: string, _i: number, end: number): [Context, number] {
  return [c, end];
}

/**
 * A region (`srcdoc="|"`, `<noscript>|`): its text is a document of its own, which
 * analyze.ts reads with the transitions of the context inside; never called.
 */
function tRegion(c: Context): [Context, number] {
  throw new Error(`the text of a region (${c.state}) is read by analyze.ts`);
}

/**
 * Right after a value at the start of a URL (urlPart `value`): text that continues the
 * value's scheme into a `:` is refused, so that `{{ proto }}://…` cannot become
 * `javascript://…` (the value alone had no scheme to filter). Returns the URL part from
 * here: still `value` while the text is scheme characters, `rest` after any other.
 */
function afterURLValue(c: Context, s: string, i: number, end: number): Context {
  const scheme = schemeAfterValue(s, i, end);
  if (scheme === 'colon') {
    return errorCtx(
      c,
      'TEMPLATE_AMBIGUOUS_URL',
      "text right after a value at the start of a URL (or after a block a page may fill with one) continues its scheme (`…:`), so the value would choose the scheme unchecked; pass the whole URL as one value (`{{ base ~ ':' ~ port }}`), or write the scheme in the template",
    );
  }
  return scheme === 'open' ? c : withCtx(c, { urlPart: 'rest' });
}

/** `href="|"` — a URL or a srcset list; tracks whether anything has been written yet. */
function tURL(c: Context, s: string, i: number, end: number): [Context, number] {
  if (c.urlPart === 'value') {
    c = afterURLValue(c, s, i, end);
    if (c.state === 'ERROR') return [c, i];
  }
  let part = c.urlPart;
  if (c.attr === 'anim') {
    // SVG animation values (SMIL §3.2.3): a `;`-separated list, each item read as a URL.
    for (let j = i; j < end; j++) {
      const ch = s.charCodeAt(j);
      if (ch === 59) part = 'start';
      else if (part === 'start' && !isWS(ch)) part = 'rest';
    }
    return [part === c.urlPart ? c : withCtx(c, { urlPart: part }), end];
  }
  if (c.attr !== 'srcset') {
    // `value` stays while the text after the value is scheme characters (afterURLValue):
    // text after a later tag or value could still end the scheme with a `:`.
    if (part !== 'rest' && part !== 'value') {
      for (let j = i; j < end; j++) {
        if (s.charCodeAt(j) > 32) {
          part = 'rest';
          break;
        }
      }
    }
    return [part === c.urlPart ? c : withCtx(c, { urlPart: part }), end];
  }
  // srcset (HTML §4.8.4.3.10): candidates "URL descriptors" separated by commas.
  for (let j = i; j < end; j++) {
    const ch = s.charCodeAt(j);
    const ws = isWS(ch);
    if (part === 'start' || part === 'unknown') {
      if (!ws && ch !== 44) part = 'rest';
    } else if (part === 'rest' || part === 'value') {
      // `value`: right after a value that starts the candidate's URL, and only scheme
      // characters since (afterURLValue); the URL goes on as after any other text.
      if (ws) part = 'descriptor';
      else if (ch === 44 && (j + 1 >= end || isWS(s.charCodeAt(j + 1)))) part = 'start';
    } else if (ch === 44) {
      part = 'start';
    }
  }
  return [part === c.urlPart ? c : withCtx(c, { urlPart: part }), end];
}

function tError(c: Context, _s: string, i: number): [Context, number] {
  return [c, i];
}

/** The transition for each state. */
export const TRANSITIONS: Readonly<Record<State, Transition>> = {
  HTML_TEXT: tText,
  HTML_TAG: tTag,
  HTML_TAG_NAME: tTagName,
  HTML_ATTR_NAME: tAttrName,
  HTML_AFTER_NAME: tAfterName,
  HTML_BEFORE_VALUE: tBeforeValue,
  HTML_COMMENT: tComment,
  HTML_BOGUS_COMMENT: tBogusComment,
  HTML_CDATA: tCDATA,
  ATTR_TEXT: tAttrText,
  ATTR_SRCDOC: tRegion,
  URL: tURL,
  REFRESH_START: tRefresh,
  REFRESH_DELAY: tRefresh,
  REFRESH_SEP: tRefresh,
  REFRESH_URL: tRefresh,
  REFRESH_KEYWORD: tRefresh,
  REFRESH_EQ: tRefresh,
  REFRESH_AFTER_VALUE: tRefresh,
  JS_EXPR: tJSExpr,
  JS_DQ_STR: tJSDqStr,
  JS_SQ_STR: tJSSqStr,
  JS_TMPL: tJSTmpl,
  JS_REGEXP: tJSRegexp,
  JS_LINE_CMT: tJSLineCmt,
  JS_BLOCK_CMT: tJSBlockCmt,
  CSS: tCSS,
  CSS_DQ_STR: tCSSDqStr,
  CSS_SQ_STR: tCSSSqStr,
  CSS_DQ_URL: tCSSDqURL,
  CSS_SQ_URL: tCSSSqURL,
  CSS_URL: tCSSURL,
  CSS_CMT: tCSSCmt,
  ERROR: tError,
};
