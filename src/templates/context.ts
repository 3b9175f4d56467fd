/**
 * The context: where in the output document a template is, as a small comparable value.
 *
 * The escaper computes a context before every value (`{{ … }}`) by running the static
 * text in front of it through the transitions (transition.ts). The context says which
 * language the value lands in and therefore how to escape it. Two contexts are equal when
 * every field is equal; `formatContext` prints one for error messages.
 *
 * States carry a family prefix: HTML_ (markup), ATTR_ (plain attribute values), URL,
 * JS_, CSS_. The sample markup in each comment shows with `|` where the state holds.
 */

import { describe } from './foreign.js';

export type State =
  /** Text content: `<p>|</p>`, also RCDATA `<title>|` and RAWTEXT, by `element`. */
  | 'HTML_TEXT'
  /** Inside a tag, before an attribute name: `<a |href=…>`, `</p |>`. */
  | 'HTML_TAG'
  /**
   * A tag name that reached the end of a run of static text: `<input|{% if … %}`. The
   * name is complete only if the next text starts with whitespace, `/` or `>`.
   */
  | 'HTML_TAG_NAME'
  /** An attribute name cut off by a template tag or value: `<a hr|`. */
  | 'HTML_ATTR_NAME'
  /** After an attribute name, before `=`: `<input checked| >`. */
  | 'HTML_AFTER_NAME'
  /** After `=`, before the value: `<a href=|…>`. */
  | 'HTML_BEFORE_VALUE'
  /** Inside a comment: `<!-- | -->`. */
  | 'HTML_COMMENT'
  /** Inside a doctype, `<!…>` or `<?…>`: `<!DOCTYPE |>`. */
  | 'HTML_BOGUS_COMMENT'
  /** A CDATA section, in SVG or MathML only (foreign.ts): `<svg><text><![CDATA[ | ]]>`. */
  | 'HTML_CDATA'
  /** A plain attribute value: `<p title="|">`. */
  | 'ATTR_TEXT'
  /**
   * An `srcdoc` value: an HTML document of its own, whose context is `inner`:
   * `<iframe srcdoc="<p>|">`. Its text is read after the attribute's character references
   * are decoded, as the browser reads it.
   */
  | 'ATTR_SRCDOC'
  /** A URL attribute value; `urlPart` says where in the URL: `<a href="|">`. */
  | 'URL'
  /**
   * A `<meta content>` read as a refresh (HTML §4.2.5.3), before its URL: before the delay
   * `content="|5; url=…"`, in it `"5|"`, after it and whitespace `"5 |"`, after the separator
   * `"5; |"`, inside `url =` `"5; ur|"`, after `url=` `"5; url=|"`; and right after a value
   * at the start `"{{ d }}|; url=…"`. Once the URL starts, the state is URL.
   */
  | 'REFRESH_START'
  | 'REFRESH_DELAY'
  | 'REFRESH_SEP'
  | 'REFRESH_URL'
  | 'REFRESH_KEYWORD'
  | 'REFRESH_EQ'
  | 'REFRESH_AFTER_VALUE'
  /** A JS expression position: `<script>var x = |;</script>`, `onclick="|"`. */
  | 'JS_EXPR'
  /** A double-quoted JS string: `"|"`. */
  | 'JS_DQ_STR'
  /** A single-quoted JS string: `'|'`. */
  | 'JS_SQ_STR'
  /** The text of a template literal: `` `|${x}|` ``. */
  | 'JS_TMPL'
  /** A regular expression literal: `/|/`. */
  | 'JS_REGEXP'
  /** A line comment: `// |`. */
  | 'JS_LINE_CMT'
  /** A block comment: `/* | *\/`. */
  | 'JS_BLOCK_CMT'
  /** CSS outside strings and comments: `<style>p { color: | }</style>`, `style="|"`. */
  | 'CSS'
  /** A double-quoted CSS string: `"|"`. */
  | 'CSS_DQ_STR'
  /** A single-quoted CSS string: `'|'`. */
  | 'CSS_SQ_STR'
  /** A double-quoted URL in `url("|")`. */
  | 'CSS_DQ_URL'
  /** A single-quoted URL in `url('|')`. */
  | 'CSS_SQ_URL'
  /** An unquoted URL in `url(|)`. */
  | 'CSS_URL'
  /** A CSS comment: `/* | *\/`. */
  | 'CSS_CMT'
  /** No safe context exists; `err` says why. */
  | 'ERROR';

/**
 * The element whose content follows, when it is special: script (JS, JSON or a data
 * block), style (CSS), RCDATA (title, textarea), RAWTEXT (the rest). `form` is kept
 * while its start tag is read, for the CSRF field.
 */
export type Element =
  | 'none'
  | 'script'
  | 'style'
  | 'title'
  | 'textarea'
  | 'xmp'
  | 'iframe'
  | 'noembed'
  | 'noframes'
  | 'noscript'
  | 'plaintext'
  | 'form'
  | 'pre'
  | 'listing'
  /** `<meta>`: its `content` may be a refresh URL. */
  | 'meta'
  /** SVG `<animate>`, `<set>`, `<animateMotion>`, `<animateTransform>`: values they write may be URLs. */
  | 'animation'
  /** MathML `<annotation-xml>`: its `encoding` decides whether its content is HTML (foreign.ts). */
  | 'annotation-xml';

/** What the attribute whose value is being read contains. */
export type AttrKind =
  | 'none'
  | 'plain'
  | 'url'
  | 'srcset'
  | 'js'
  | 'css'
  | 'srcdoc'
  /** `type` on `<script>`: plain, and decides the script's language. */
  | 'script-type'
  /** `method` on `<form>`: plain, and decides the CSRF field. */
  | 'form-method'
  /** `action` on `<form>`: a URL, and decides the CSRF field. */
  | 'form-action'
  /** `content` on `<meta>`: a refresh delay and URL, unless the tag is named metadata. */
  | 'meta-content'
  /** `values`, `to`, `from`, `by` on an SVG animation: a `;`-separated list that may set a URL. */
  | 'anim'
  /** `encoding` on MathML `<annotation-xml>`: plain, and decides whether the content is HTML. */
  | 'encoding';

/**
 * How the attribute value ends: a double or single quote, whitespace or `>` (unquoted),
 * or `unqq`: unquoted in the template but quoted with `"` by the compiler because it starts
 * with a value (so an empty value cannot swallow the next attribute).
 */
export type Delim = 'none' | 'dq' | 'sq' | 'unq' | 'unqq';

/**
 * Where in a URL: `start` (nothing written yet, the scheme is still open), `rest`
 * (after the first character), `value` (right after a value written at the start: until
 * a character that cannot be in a scheme, text could still extend the value's scheme),
 * `descriptor` (a srcset descriptor), or `unknown` when branches disagree.
 */
export type UrlPart = 'none' | 'start' | 'rest' | 'value' | 'descriptor' | 'unknown';

/**
 * What the last JS token was, as far as the next `/`, `{` and `(` care (see
 * transition-js.ts). A `/` starts a regular expression where an expression can start and
 * is a division after one (ECMAScript §12, the lexical goals InputElementRegExp and
 * InputElementDiv); a `{` opens a block where a statement can start and an object literal
 * where an expression can; a `(` after `if`, `while`, `for`, `with` opens a condition whose
 * `)` is followed by a statement.
 */
export type JsCtx =
  /** A statement can start: `<script>|`, `;|`, `{|` of a block, `}|` of a block, `if (a)|`, `else|`, `=>|`. */
  | 'stmt'
  /** An expression must follow: `=|`, `(|`, `,|`, `return x +|`, `typeof|`: `{` is an object. */
  | 'regexp'
  /** `return|`: an expression follows, or, after a line break, a statement (ASI, §12.10). */
  | 'return'
  /** `a ?|:`, a label or `case x:|`: an expression or a statement; a `{` here is either. */
  | 'colon'
  /** After an expression: a name, a number, a string, `)`, `]`, an object's `}`, a value. */
  | 'div'
  /** `if|`, `while|`, `for|`, `with|`, `switch|`, `catch|`: the next `(` opens a condition. */
  | 'cond'
  /** `a.|`: the next word is a property name, even `if` or `return`. */
  | 'dot'
  /**
   * Not known: paths that end differently, a `)` or `}` whose opening is not known to
   * be a condition, block or object, or `of`, `yield`, `await`, `let` (names or keywords).
   */
  | 'unknown';

/** What a `/` means after a token of kind `j`: a regular expression, a division, or unknown. */
export function slashMeaning(j: JsCtx): 'regexp' | 'div' | 'unknown' {
  if (j === 'div') return 'div';
  return j === 'stmt' || j === 'regexp' || j === 'return' || j === 'colon' ? 'regexp' : 'unknown';
}

/** Bits of `flags`: facts about the start tag being read, or the value. */
export const F = {
  /** The tag already has a `nonce` attribute. */
  NONCE_SEEN: 1,
  /** `<form method="post">`. */
  FORM_POST: 2,
  /** The form's action is absolute, another origin, or not static. */
  FORM_ACTION_UNSAFE: 4,
  /**
   * With FORM_ACTION_UNSAFE: the action is a value from its first character
   * (`action="{{ … }}"`) and nothing else made it unsafe. A value known to be a path on this
   * site, written as the whole action (escaper.ts: a `url_for()` call, filtered again at run
   * time), clears both. Cleared by the value, or by a join.
   */
  FORM_ACTION_VALUE: 64,
  /** `<script type>` names JSON. */
  SCRIPT_JSON: 8,
  /** `<script type>` names neither JS nor JSON (a data block). */
  SCRIPT_DATA: 16,
  /** The tag is an end tag. */
  END_TAG: 32,
  /**
   * Right after `<textarea>`, `<pre>` or `<listing>`, where the parser drops one newline
   * (§13.2.6.4.7): a value here gets a `\n` in front so its own leading newline survives.
   */
  AT_LEADING_NEWLINE: 128,
  /**
   * Branches ended in different places of a start tag, one of them right after a tag or
   * attribute name (`<input{% if a %} checked{% endif %}`): the next text must start with
   * whitespace, `/` or `>`, and must not then give a value (`=`).
   */
  JOINED_NAME: 256,
  /**
   * Branches ended in different places of a start tag, one of them inside an unquoted value
   * (`<input type=checkbox{% if a %} checked{% endif %}`): the next text must start with
   * whitespace or `>` (a `/` would continue the value), and must not then give a value.
   */
  JOINED_VALUE: 512,
  /**
   * Branches ended in different places of a start tag, one of them after an attribute name
   * and whitespace (`<input {% if a %}checked {% endif %}`): the next text must not give
   * that name a value (`=`).
   */
  JOINED_AFTER_NAME: 1024,
  /** A `<meta>` with `name`, `property`, `itemprop` or `charset` (and no `http-equiv`) so far. */
  META_NAMED: 1 << 11,
  /** A `<meta>` with `http-equiv` so far: its `content` is read as a refresh. */
  META_HTTP_EQUIV: 1 << 12,
  /** A `<meta>` whose `content` was read as plain text (named metadata): `http-equiv` may not follow. */
  META_PLAIN_CONTENT: 1 << 13,
  /**
   * In CSS: the declaration's property reads strings as text (`content`, `font-family`, …;
   * transition-css.ts), and no function that reads strings as URLs (`image-set(`) is open.
   */
  CSS_TEXT_PROP: 1 << 16,
  /** Script data after `<!--` (HTML §13.2.5.15–21, "escaped"): `-->` ends it. */
  SCRIPT_ESCAPED: 1 << 14,
  /** Script data after `<!--` and `<script` ("double escaped"): a `</script>` does not end the element. */
  SCRIPT_DOUBLE_ESCAPED: 1 << 15,
  /**
   * The static text before ends with the start of a character reference (`&`, `&#`, `&am`,
   * HTML §13.2.5.72) where references are decoded (text, RCDATA, an attribute value, an
   * `srcdoc` value): a value here has its first character written as a reference if it
   * could continue it, and the next static text may not continue it (analyze.ts).
   */
  OPEN_REF: 1 << 20,
  /**
   * Raw text (`<xmp>`, …) before ends with the start of a tag (`<`, `</`, `</xm`): a value
   * here is written after a U+200B, so that it cannot make an end tag with it, and the next
   * static text may not continue it (analyze.ts).
   */
  OPEN_TAG: 1 << 21,
  /**
   * A tag's text ended right after a `/` (`<circle r="1"/|`): a `>` at the start of the next
   * text makes the tag self-closing, which in SVG and MathML closes the element (foreign.ts).
   */
  SLASH: 1 << 22,
  /** A `<font>` in foreign content with `color`, `face` or `size`: it leaves foreign content at its `>`. */
  FONT_ATTR: 1 << 23,
  /** A MathML `<annotation-xml>` whose first `encoding` is `text/html` or `application/xhtml+xml`. */
  HTML_ENCODING: 1 << 24,
  /** The tag has had an `encoding` attribute (only the first one counts, §13.2.5.33). */
  ENCODING_SEEN: 1 << 25,
} as const;

/** The JOINED_ bits: what the text after branches that ended in a start tag must not do. */
export const JOINED_BITS = F.JOINED_NAME | F.JOINED_VALUE | F.JOINED_AFTER_NAME;

export interface ContextError {
  readonly code:
    | 'TEMPLATE_PARTIAL_NAME'
    | 'TEMPLATE_DYNAMIC_SCRIPT_TYPE'
    | 'TEMPLATE_AMBIGUOUS_JS_SLASH'
    | 'TEMPLATE_UNQUOTED_VALUE'
    | 'TEMPLATE_AMBIGUOUS_URL'
    | 'TEMPLATE_UNTERMINATED'
    | 'TEMPLATE_FOREIGN_CONTENT';
  readonly reason: string;
}

export interface Context {
  readonly state: State;
  readonly element: Element;
  readonly attr: AttrKind;
  readonly delim: Delim;
  readonly urlPart: UrlPart;
  readonly jsCtx: JsCtx;
  /**
   * The open JS brackets, outermost first, one character each: `t` a template literal's
   * `${`; `c` a condition's `(` (after if, while, for, with), `p` any other `(`, `q` a `(`
   * whose kind is unknown; `b` a block's `{`, `o` an object literal's `{`, `u` a `{` that
   * could be either; `k` a `[`. The closing bracket's meaning for a `/` comes from here.
   */
  readonly jsNest: string;
  /**
   * In raw text (script, style, RCDATA, RAWTEXT): the start of an end tag, `<!--`,
   * `<script` or `-->` that the static text ended with, which the text after a value or a
   * template tag could complete (raw-text.ts); in a CDATA section, the `]` or `]]` of a
   * `]]>` (scan-text.ts); '' otherwise.
   */
  readonly rawTail: string;
  /**
   * In JS or CSS: the last character of the static text before a template tag when the text
   * after it could continue it into one token (`awai` + `t`, `/` + `/`, `\` + `"`;
   * code-tail.ts), one character per path that reached here; '' otherwise.
   */
  readonly codeTail: string;
  readonly flags: number;
  /**
   * The elements open in foreign content (SVG, MathML) and in the HTML its integration
   * points hold, outermost first: `ssvg sforeignobject hdiv` (foreign.ts); '' in HTML outside
   * `<svg>` and `<math>`. It decides which rules a tag follows, and so how text is read.
   */
  readonly stack: string;
  /**
   * The lower-case name of the start tag being read where its `>` changes `stack` (in
   * foreign content, or `svg`/`math`); '' otherwise.
   */
  readonly tag: string;
  readonly err: ContextError | null;
  /**
   * The context inside a region that holds a document of its own, or null. The region is
   * this context: an `srcdoc` value (ATTR_SRCDOC), or the content of a `<noscript>`
   * (HTML_TEXT in noscript), which is read as HTML, as it is with scripting off, while it
   * ends where raw text would end, as it does with scripting on. Regions nest.
   */
  readonly inner: Context | null;
}

/** The context at the start of every template: HTML text. */
export const TEXT: Context = Object.freeze({
  state: 'HTML_TEXT',
  element: 'none',
  attr: 'none',
  delim: 'none',
  urlPart: 'none',
  jsCtx: 'regexp',
  jsNest: '',
  rawTail: '',
  codeTail: '',
  flags: 0,
  stack: '',
  tag: '',
  err: null,
  inner: null,
} satisfies Context);

/** A copy of `c` with some fields changed. */
export function withCtx(c: Context, changes: Partial<Context>): Context {
  return { ...c, ...changes };
}

/** An error context. */
export function errorCtx(c: Context, code: ContextError['code'], reason: string): Context {
  return { ...c, state: 'ERROR', err: { code, reason } };
}

/** The context where text is read: inside every region (`inner`) `c` is in. */
export function innermost(c: Context): Context {
  while (c.inner !== null) c = c.inner;
  return c;
}

/** `c` with its innermost context replaced by `f(innermost)`. */
export function mapInnermost(c: Context, f: (inner: Context) => Context): Context {
  return c.inner === null ? f(c) : withCtx(c, { inner: mapInnermost(c.inner, f) });
}

/** True when two contexts are the same. */
export function sameContext(a: Context, b: Context): boolean {
  if (a.inner !== b.inner && (a.inner === null || b.inner === null || !sameContext(a.inner, b.inner))) return false;
  return (
    a.state === b.state &&
    a.element === b.element &&
    a.attr === b.attr &&
    a.delim === b.delim &&
    a.urlPart === b.urlPart &&
    a.jsCtx === b.jsCtx &&
    a.flags === b.flags &&
    a.jsNest === b.jsNest &&
    a.rawTail === b.rawTail &&
    a.codeTail === b.codeTail &&
    a.stack === b.stack &&
    a.tag === b.tag
  );
}

/**
 * The context after two paths that reach the same point (if/else branches, a loop run
 * zero or more times), or null when no single context describes both.
 *
 * Like Go's `join`: contexts that differ only in the URL part join to `unknown` (an
 * error only if a value then lands there), and only in the JS slash meaning to `unknown`
 * (an error only if a `/` follows). Form facts join conservatively: a CSRF field is
 * added only when every path allows it.
 */
export function joinContexts(a: Context, b: Context): Context | null {
  if (sameContext(a, b)) return a;
  [a, b] = keepPending(a, b);
  if (a.inner !== null || b.inner !== null) {
    // The same region on both paths, joined inside.
    if (a.inner === null || b.inner === null || !sameContext(withCtx(a, { inner: null }), withCtx(b, { inner: null }))) return null;
    const j = joinContexts(a.inner, b.inner);
    return j === null ? null : withCtx(a, { inner: j });
  }
  const formBits = F.FORM_POST | F.FORM_ACTION_UNSAFE | F.FORM_ACTION_VALUE;
  // Only one path is still at the start of a <pre>/<textarea>: drop the fact (a value there
  // then loses the protection of its leading newline, never safety).
  let x = withCtx(a, { flags: a.flags & ~F.AT_LEADING_NEWLINE });
  let y = withCtx(b, { flags: b.flags & ~F.AT_LEADING_NEWLINE });
  if ((x.flags & ~formBits) === (y.flags & ~formBits) && x.flags !== y.flags) {
    const post = x.flags & y.flags & F.FORM_POST;
    // A joined action is no longer one value known to stay on this site (FORM_ACTION_VALUE).
    const unsafe = (x.flags | y.flags) & F.FORM_ACTION_UNSAFE;
    const flags = (x.flags & ~formBits) | post | unsafe;
    x = withCtx(x, { flags });
    y = withCtx(y, { flags });
  }
  // `<input{% if a %} checked{% endif %}>`: the paths end in different places of one start
  // tag (after the tag name, after an attribute name, between attributes, at the end of an
  // unquoted value). Join them between attributes, marked with what the text after must not
  // do: continue a name or a value written on one path only, or give it a value.
  const tagJoin = joinInTag(x, y);
  if (tagJoin !== null) return tagJoin;
  if (x.urlPart !== y.urlPart && x.urlPart !== 'none' && y.urlPart !== 'none') {
    // After a value on one path and later in the URL on the other: what follows must not
    // extend a scheme, and a value there is a URL part either way.
    const valueOrRest = (p: UrlPart): boolean => p === 'value' || p === 'rest';
    const urlPart = valueOrRest(x.urlPart) && valueOrRest(y.urlPart) ? 'value' : 'unknown';
    x = withCtx(x, { urlPart });
    y = withCtx(y, { urlPart });
  }
  if (x.jsCtx !== y.jsCtx) {
    // Both paths allow a regular expression next: keep that, but not what a `{` opens.
    const jsCtx = slashMeaning(x.jsCtx) === 'regexp' && slashMeaning(y.jsCtx) === 'regexp' ? 'colon' : 'unknown';
    x = withCtx(x, { jsCtx });
    y = withCtx(y, { jsCtx });
  }
  return sameContext(x, y) ? x : null;
}

/**
 * Two paths where only one left a token open at its end, the start of a character
 * reference (F.OPEN_REF), of a tag in raw text (F.OPEN_TAG) or of an end tag, `<!--`,
 * `<script` or `-->` (rawTail), both marked as leaving it open: the text after is then
 * checked, and a value after escaped, as on that path (the stricter reading). Tails that
 * differ on both paths are left as they are, and do not join. Code tails (codeTail) join as the
 * set of both, so that the text after is checked against each.
 */
function keepPending(x: Context, y: Context): [Context, Context] {
  const open = (x.flags ^ y.flags) & (F.OPEN_REF | F.OPEN_TAG);
  if (open !== 0) {
    x = withCtx(x, { flags: x.flags | open });
    y = withCtx(y, { flags: y.flags | open });
  }
  if (x.rawTail !== y.rawTail && (x.rawTail === '' || y.rawTail === '')) {
    const rawTail = x.rawTail === '' ? y.rawTail : x.rawTail;
    x = withCtx(x, { rawTail });
    y = withCtx(y, { rawTail });
  }
  if (x.codeTail !== y.codeTail) {
    let codeTail = x.codeTail;
    for (const ch of y.codeTail) if (!codeTail.includes(ch)) codeTail += ch;
    x = withCtx(x, { codeTail });
    y = withCtx(y, { codeTail });
  }
  return [x, y];
}

const TAG_LIKE: ReadonlySet<State> = new Set<State>(['HTML_TAG', 'HTML_TAG_NAME', 'HTML_ATTR_NAME', 'HTML_AFTER_NAME']);

/** The JOINED_ bit a path that ended in `c` adds, or -1 when `c` is not inside a start tag. */
function joinedBit(c: Context): number {
  if (c.delim === 'unq') return F.JOINED_VALUE; // a static unquoted value ends at whitespace or `>`
  if (c.delim !== 'none' || !TAG_LIKE.has(c.state)) return -1;
  if (c.state === 'HTML_TAG_NAME' || c.state === 'HTML_ATTR_NAME') return F.JOINED_NAME;
  if (c.state === 'HTML_AFTER_NAME') return F.JOINED_AFTER_NAME;
  return 0;
}

/**
 * Two paths that end in different places of the same start tag, joined between attributes
 * with the JOINED_ bits of both; null when they are not in the same tag (other element,
 * other facts about the tag) or one of them is not in a start tag.
 */
function joinInTag(x: Context, y: Context): Context | null {
  const bx = joinedBit(x);
  const by = joinedBit(y);
  if (bx === -1 || by === -1 || x.element !== y.element || x.stack !== y.stack || x.tag !== y.tag) return null;
  if ((x.flags & ~JOINED_BITS) !== (y.flags & ~JOINED_BITS)) return null;
  return withCtx(TEXT, { state: 'HTML_TAG', element: x.element, flags: x.flags | y.flags | bx | by, stack: x.stack, tag: x.tag });
}

/** A context printed for messages, e.g. `URL (attribute url, "-quoted, url part start)`. */
export function formatContext(c: Context): string {
  const parts: string[] = [];
  if (c.element !== 'none') parts.push(`in <${c.element}>`);
  if (c.attr !== 'none') parts.push(`attribute ${c.attr}`);
  if (c.delim !== 'none') {
    parts.push({ dq: 'double-quoted', sq: 'single-quoted', unq: 'unquoted', unqq: 'unquoted (quoted by Palisade)', none: '' }[c.delim]);
  }
  if (c.urlPart !== 'none') parts.push(`url part ${c.urlPart}`);
  if (c.state.startsWith('JS_')) parts.push(`slash means ${slashMeaning(c.jsCtx)}`);
  if (c.jsNest.includes('t')) parts.push(`inside \${} of a template literal`);
  if (c.rawTail !== '') parts.push(`after ${JSON.stringify(c.rawTail)}`);
  if (c.codeTail !== '') parts.push(`after the start of a token ${JSON.stringify(c.codeTail)}`);
  if ((c.flags & F.SCRIPT_ESCAPED) !== 0) parts.push('script data escaped by <!--');
  if ((c.flags & F.SCRIPT_DOUBLE_ESCAPED) !== 0) parts.push('script data double-escaped by <!-- <script');
  if (c.stack !== '') parts.push(`inside ${describe(c.stack)}`);
  const here = parts.length > 0 ? `${c.state} (${parts.join(', ')})` : c.state;
  return c.inner === null ? here : `${here}, inside it ${formatContext(c.inner)}`;
}
