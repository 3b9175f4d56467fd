/**
 * Foreign content: SVG and MathML inside HTML, as the HTML Living Standard's tree
 * construction reads them (§13.2.6 "tree construction dispatcher", §13.2.6.5 "the rules for
 * parsing tokens in foreign content", §13.2.6.4.7 "in body" for `<svg>`, `<math>` and what
 * leaves foreign content).
 *
 * Inside `<svg>` and `<math>` the tokenizer is never switched to RCDATA, RAWTEXT or script
 * data: `<title>`, `<style>`, `<script>`, `<textarea>`, `<xmp>`, `<noscript>`… hold markup,
 * whose character references are decoded and whose tags make elements. Three things bring
 * HTML rules back: an HTML integration point (SVG `foreignObject`, `desc`, `title`; MathML
 * `annotation-xml` whose `encoding` is `text/html` or `application/xhtml+xml`), where start
 * tags and text follow the HTML rules; a MathML text integration point (`mi`, `mo`, `mn`,
 * `ms`, `mtext`), where start tags other than `mglyph` and `malignmark` do; and a
 * "breakout" start tag (`<p>`, `<img>`, `<b>`, … BREAKOUT below), which closes the foreign
 * elements up to the nearest integration point or HTML element and is then read as HTML.
 * `<![CDATA[` starts a CDATA section where the current element is not HTML (§13.2.5.42).
 *
 * The analysis keeps the elements open since the outermost `<svg>` or `<math>` as a string
 * (the context's `stack`): one entry per element, a namespace letter and the lower-case tag
 * name, separated by spaces (`ssvg sforeignobject hdiv`). Letters: `s` SVG, `m` MathML, `x`
 * MathML `annotation-xml` that is an HTML integration point, `h` HTML (inside an
 * integration point). Outside foreign content the stack is empty and HTML elements are not
 * tracked.
 *
 * Where the browser's reading cannot be known from the template, the analysis refuses
 * instead of guessing (TEMPLATE_FOREIGN_CONTENT): an end tag inside foreign content that
 * closes no element opened there (it may close the `<svg>` or not, depending on the HTML
 * around it), HTML end tags out of order inside an integration point, a value as an
 * attribute name where the namespace depends on it. HTML elements inside an integration
 * point are tracked by name and must be closed in order before it; an element the browser
 * closes on its own then still counts as open, which only ever makes the analysis refuse.
 */

/** Which rules a start tag follows: HTML, foreign content, or unknown at compile time. */
export type Rules = 'html' | 'foreign' | 'unknown';

/**
 * Start tags that leave foreign content (§13.2.6.5); `font` does only with a `color`,
 * `face` or `size` attribute (F.FONT_ATTR).
 */
const BREAKOUT: ReadonlySet<string> = new Set([
  'b',
  'big',
  'blockquote',
  'body',
  'br',
  'center',
  'code',
  'dd',
  'div',
  'dl',
  'dt',
  'em',
  'embed',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'head',
  'hr',
  'i',
  'img',
  'li',
  'listing',
  'menu',
  'meta',
  'nobr',
  'ol',
  'p',
  'pre',
  'ruby',
  's',
  'small',
  'span',
  'strong',
  'strike',
  'sub',
  'sup',
  'table',
  'tt',
  'u',
  'ul',
  'var',
]);

/** True when a start tag named `name` leaves foreign content (F.FONT_ATTR: a `font` with color, face or size). */
export function isBreakout(name: string, fontAttr: boolean): boolean {
  return BREAKOUT.has(name) || (name === 'font' && fontAttr);
}

/**
 * HTML start tags that add no open element the analysis follows: void elements (§13.1.2),
 * `image` (read as `img`), the elements whose content ends at their own end tag whatever it
 * holds (raw text, RCDATA, script data, `<noscript>` read as raw text; analyze.ts bounds
 * them), and those "in body" ignores or merges (`html`, `body`, `head`, `frameset`, `frame`).
 */
const NOT_PUSHED: ReadonlySet<string> = new Set([
  'area',
  'base',
  'basefont',
  'bgsound',
  'br',
  'col',
  'embed',
  'frame',
  'hr',
  'image',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
  'script',
  'style',
  'title',
  'textarea',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
  'plaintext',
  'html',
  'body',
  'head',
  'frameset',
]);

/**
 * End tags whose HTML rules are not bounded by an integration point, because a table,
 * select or template insertion mode reads them with a scope that does not stop there
 * (§13.2.6.4.9–16, §13.2.6.4.4 for `template`).
 */
const UNBOUNDED_END: ReadonlySet<string> = new Set([
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'td',
  'th',
  'caption',
  'colgroup',
  'col',
  'select',
  'option',
  'optgroup',
  'template',
]);

const MATH_TEXT_IP: ReadonlySet<string> = new Set(['mi', 'mo', 'mn', 'ms', 'mtext']);

const entries = (stack: string): string[] => (stack === '' ? [] : stack.split(' '));
const push = (stack: string, entry: string): string => (stack === '' ? entry : `${stack} ${entry}`);

/** The innermost open element of `stack` (an entry), or ''. */
export function topEntry(stack: string): string {
  return stack.slice(stack.lastIndexOf(' ') + 1);
}

const isHTML = (e: string): boolean => e.charCodeAt(0) === 104; /* h */

/** An HTML integration point: SVG foreignObject, desc, title; MathML annotation-xml with an HTML encoding. */
function isHTMLIntegrationPoint(e: string): boolean {
  return e === 'sforeignobject' || e === 'sdesc' || e === 'stitle' || e.charCodeAt(0) === 120; /* x */
}

/** A MathML text integration point: mi, mo, mn, ms, mtext. */
function isMathTextIntegrationPoint(e: string): boolean {
  return e.charCodeAt(0) === 109 /* m */ && MATH_TEXT_IP.has(e.slice(1));
}

const isIntegrationPoint = (e: string): boolean => isHTMLIntegrationPoint(e) || isMathTextIntegrationPoint(e);

/** Foreign elements in the HTML "special" category, where HTML end tag rules stop (§13.2.4.2). */
const isSpecialForeign = (e: string): boolean => isIntegrationPoint(e) || e === 'mannotation-xml';

/**
 * Which rules a start tag named `name` follows where `stack` is open (the tree construction
 * dispatcher, §13.2.6). `unknown` for `mglyph`/`malignmark` inside HTML that a MathML text
 * integration point holds: if the browser has already closed that HTML on its own, they are
 * MathML there.
 */
export function startRules(stack: string, name: string): Rules {
  if (stack === '') return 'html';
  const t = topEntry(stack);
  const glyph = name === 'mglyph' || name === 'malignmark';
  if (isHTML(t)) {
    if (!glyph) return 'html';
    const es = entries(stack);
    let k = es.length - 1;
    while (k >= 0 && isHTML(es[k]!)) k--;
    return k >= 0 && isMathTextIntegrationPoint(es[k]!) ? 'unknown' : 'html';
  }
  if (isHTMLIntegrationPoint(t)) return 'html';
  if (isMathTextIntegrationPoint(t) && !glyph) return 'html';
  if (t === 'mannotation-xml' && name === 'svg') return 'html';
  return 'foreign';
}

/** The namespace letter of an element started by foreign rules where `stack` is open (`s` or `m`). */
export function foreignNamespace(stack: string): 's' | 'm' {
  return topEntry(stack).charCodeAt(0) === 115 ? 's' : 'm';
}

/**
 * True where `<![CDATA[` starts a CDATA section: the current element is not an HTML
 * element (§13.2.5.42, "adjusted current node"), integration points included.
 */
export function cdataAllowed(stack: string): boolean {
  return stack !== '' && !isHTML(topEntry(stack));
}

/**
 * True where markup written as it is (Markup) may be read as SVG or MathML, so that HTML's
 * raw text elements in it may hold markup (escape/html.ts markupForForeign): anywhere in
 * foreign content but in an HTML integration point and the HTML it holds. (In a MathML text
 * integration point, an `<mglyph>` in the Markup would be MathML, and so what it holds.)
 */
export function markupIsForeign(stack: string): boolean {
  const es = entries(stack);
  let k = es.length - 1;
  while (k >= 0 && isHTML(es[k]!)) k--;
  return k >= 0 && !isHTMLIntegrationPoint(es[k]!);
}

/**
 * True inside an SVG or MathML `<script>` or `<style>`: its text is markup whose decoded
 * text SVG then runs as JS or CSS, so a value in it cannot be escaped for one reading only.
 */
export function inForeignScript(stack: string): boolean {
  return / [sm](?:script|style)(?= |$)/.test(' ' + stack);
}

/** Pops foreign elements that are not integration points (a breakout, §13.2.6.5). */
function popToHTML(es: string[]): string[] {
  let k = es.length;
  while (k > 0 && !isHTML(es[k - 1]!) && !isIntegrationPoint(es[k - 1]!)) k--;
  return es.slice(0, k);
}

/**
 * The stack after the start tag named `name` (flags: F.FONT_ATTR, F.HTML_ENCODING) closes,
 * self-closing (`/>`) or not. The rules were fixed by `startRules` when the name was read.
 */
export function afterStartTag(stack: string, name: string, fontAttr: boolean, htmlEncoding: boolean, selfClosing: boolean): string {
  if (stack === '' && name !== 'svg' && name !== 'math') return stack;
  if (startRules(stack, name) === 'foreign') {
    if (!isBreakout(name, fontAttr)) {
      // "Any other start tag": an element of the current namespace; `/>` closes it at once.
      if (selfClosing) return stack;
      const ns = foreignNamespace(stack);
      return push(stack, (ns === 'm' && name === 'annotation-xml' && htmlEncoding ? 'x' : ns) + name);
    }
    stack = popToHTML(entries(stack)).join(' ');
  }
  // The HTML rules ("in body"): `<svg>` and `<math>` start foreign content; `/>` closes them.
  if (name === 'svg' || name === 'math') return selfClosing ? stack : push(stack, name === 'svg' ? 'ssvg' : 'mmath');
  if (stack === '' || NOT_PUSHED.has(name)) return stack;
  return push(stack, 'h' + name);
}

/** The stack after the end tag named `name`, or the reason the browser's reading is unknown. */
export function afterEndTag(stack: string, name: string): string | { readonly reason: string } {
  if (stack === '') return stack;
  let es = entries(stack);
  if (!isHTML(es[es.length - 1]!) && (name === 'br' || name === 'p')) {
    // `</br>` and `</p>` leave foreign content like a breakout start tag (§13.2.6.5).
    es = popToHTML(es);
    if (es.length === 0) return '';
    if (!isHTML(es[es.length - 1]!)) return es.join(' ');
  }
  const t = es[es.length - 1]!;
  if (isHTML(t)) {
    // HTML inside an integration point: elements close in order.
    if (t.slice(1) === name) return es.slice(0, -1).join(' ');
    if (name === 'br' || (name === 'p' && !openInHTML(es, 'hp'))) return es.join(' '); // `<br>`; an empty `<p></p>`
    return {
      reason: `</${name}> does not close <${t.slice(1)}>, the element open here inside ${describe(es)}; close the elements inside an integration point in order`,
    };
  }
  // "Any other end tag" in foreign content: closes the nearest foreign element of that name
  // above the nearest HTML element; where there is none, the HTML rules read it, and they
  // stop at an integration point.
  let k = es.length - 1;
  for (; k >= 0 && !isHTML(es[k]!); k--) if (es[k]!.slice(1) === name) return es.slice(0, k).join(' ');
  if (es.slice(k + 1).some(isSpecialForeign) && !UNBOUNDED_END.has(name)) return es.join(' ');
  return {
    reason: `</${name}> inside ${describe(es)} closes no element opened there: whether the browser then leaves the <${es[k + 1]!.slice(1)}> depends on the HTML around it; close the foreign elements first`,
  };
}

/** True when an HTML element `entry` is open in the HTML that the innermost integration point holds. */
function openInHTML(es: readonly string[], entry: string): boolean {
  for (let k = es.length - 1; k >= 0 && isHTML(es[k]!); k--) if (es[k] === entry) return true;
  return false;
}

/** The open elements for messages: `<svg><foreignObject><div>`. */
export function describe(es: readonly string[] | string): string {
  const list = typeof es === 'string' ? entries(es) : es;
  return list.map((e) => `<${e.slice(1)}>`).join('');
}
