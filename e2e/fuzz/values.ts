/**
 * The values the escaper fuzzer writes into templates: attacks, built by mutating
 * fragments that end contexts or carry script, and benign text with the same characters,
 * which must read back exactly.
 *
 * Every attack carries code that, if it ever runs, calls the judge's canary: `__pwned(n)`,
 * a dialog (`alert(n)`), or `onerror=__pwned;throw n` where parentheses are escaped. The
 * judge (judge-page.js) records each call, so a value that escapes its context is seen
 * running, not guessed at.
 */
import type { Rng } from './rng.js';

/** Where this character stands in a fragment, the code goes (a private-use character no mutation makes or splits). */
const C = '\ue000';

/** Code that reports to the judge when run; `n` tells which value ran. */
const CODE: readonly ((n: number) => string)[] = [
  (n) => `__pwned(${n})`,
  (n) => `top.__pwned(${n})`,
  (n) => `parent.__pwned(${n})`,
  (n) => `alert(${n})`,
  (n) => `confirm(${n})`,
  (n) => `onerror=__pwned;throw ${n}`,
  (n) => `__pwned\`${n}\``,
  // No parentheses, quotes or dots: survives escapers that only backslash those.
  (n) => `__trap=${n}`,
];

/** Fragments that add markup, end an attribute or a raw-text element. */
const MARKUP = [
  `<script>${C}</script>`,
  `<img src=x onerror=${C}>`,
  `<svg onload=${C}>`,
  `"><img src=x onerror=${C}>`,
  `'><img src=x onerror=${C}>`,
  `" onmouseover=${C} x="`,
  `' onfocus=${C} autofocus x='`,
  ` onerror=${C} `,
  `x onclick=${C} y`,
  `/onerror=${C}//`,
  `<a href="javascript:${C}">x</a>`,
  `<!--><img src=x onerror=${C}>`,
  `<![CDATA[><img src=x onerror=${C}>]]>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${C}>`,
  `<noscript><p title="</noscript><img src=x onerror=${C}>">`,
  `<iframe srcdoc="<script>parent.${C}</script>"></iframe>`,
  `<base href="javascript:${C}//">`,
  `<meta http-equiv="refresh" content="0;url=javascript:${C}">`,
  `<style>*{background:url(javascript:${C})}</style>`,
  `<form><button formaction=javascript:${C}>x</button></form>`,
];

const RAW_ELEMENTS = [
  'script',
  'style',
  'title',
  'textarea',
  'xmp',
  'noscript',
  'iframe',
  'noembed',
  'noframes',
  'template',
  'svg',
  'math',
  'a',
  'p',
  'select',
  'option',
  'table',
];

/** End tags and comment ends, with markup after them. */
const ENDS = [
  ...RAW_ELEMENTS.map((e) => `</${e}><img src=x onerror=${C}>`),
  `</script><script>${C}</script>`,
  `</SCRIPT ><script>${C}</script>`,
  `</script/x><script>${C}</script>`,
  `</style/><img src=x onerror=${C}>`,
  `--><img src=x onerror=${C}><!--`,
  `--!><img src=x onerror=${C}>`,
  `]]><img src=x onerror=${C}>`,
  `?><img src=x onerror=${C}>`,
  '<!--<script>',
  '<!--',
  '-->',
];

/** The rest of an end tag, for a template whose static text puts `<` right before the value. */
const END_TAG_TAILS = [
  ...RAW_ELEMENTS.flatMap((e) => [`/${e} `, `/${e}>`, `/${e}/`, `/${e}\t`, `/${e}\n`, `/${e.toUpperCase()} x=`]),
  '!--',
  '!-- <script>',
  `/script ><img src=x onerror=${C}>`,
  `img src=x onerror=${C}>`,
];

/** URLs that run script or load a document. */
const URLS = [
  `javascript:${C}`,
  `JaVaScRiPt:${C}`,
  ` javascript:${C}`,
  `\tjavascript:${C}`,
  `java\nscript:${C}`,
  `java\tscript:${C}`,
  `\x01javascript:${C}`,
  `javascript&colon;${C}`,
  `javascript&#58;${C}`,
  `&#106;avascript:${C}`,
  `javas&#x09;cript:${C}`,
  `javascript://%0a${C}`,
  'vbscript:msgbox(1)',
  `data:text/html,<script>${C}</script>`,
  'data:text/html;base64,PHNjcmlwdD5fX3B3bmVkKDEpPC9zY3JpcHQ+',
  `0;url=javascript:${C}`,
  `0; URL='javascript:${C}'`,
  `x 1x, javascript:${C} 2x`,
  `javascript:${C} 1x`,
  `/a.png 1x,javascript:${C}`,
  `x,javascript:${C}`,
  `javascript:${C};/x`,
];

/** Ends of JS strings, template literals, regular expressions and comments. */
const JS = [
  `"; ${C}; "`,
  `'; ${C}; '`,
  `";${C}//`,
  `\\"; ${C}; //`,
  `\\'; ${C}; //`,
  `\${${C}}`,
  `\`;${C};\``,
  `\`+${C}+\``,
  `*/${C}/*`,
  `\u2028${C}//`,
  `\n${C}//`,
  `/;${C};//`,
  `/,${C},/`,
  `/);${C};//`,
  `1;${C};1`,
  `1,${C}`,
  `)||${C}||(`,
  `}${C};{`,
  `-->${C}`,
  `<!--${C}`,
  `'+${C}+'`,
  `"+${C}+"`,
  `\\u0022;${C};//`,
  `x;onerror=__pwned;throw 9;x=1`,
  ` ; onerror = __pwned ; throw 9 ; x = 1 `,
  '\\',
  '${',
  '`',
];

/** Ends of CSS strings, url() and declarations. */
const CSS = [
  `red; background: url(javascript:${C})`,
  `red } * { background: url(javascript:${C}) }`,
  'x;color:red',
  `expression(${C})`,
  `\\3c/style\\3e<img src=x onerror=${C}>`,
  `"; background: url(javascript:${C}); "`,
  `'; background: url(javascript:${C}); '`,
  `'); background: url(javascript:${C}`,
  `x) no-repeat, url(javascript:${C}`,
  `@import 'javascript:${C}';`,
  `*/ } body { background: url(javascript:${C}) } /*`,
  '\\"',
  '\\27',
  '}',
  '{',
  '--x: red',
  `javascript:${C}`,
];

const POOLS: readonly (readonly [number, readonly string[]])[] = [
  [4, MARKUP],
  [3, ENDS],
  [2, END_TAG_TAILS],
  [4, URLS],
  [4, JS],
  [3, CSS],
];

const ODD_CHARS = ['\t', '\n', '\r', '\f', '\v', '\0', '\x01', '\x1f', ' ', '\u00a0', '\u2028', '\u2029', '\ufeff', '\u0085', '\x7f'];
const NAMED: Record<string, string[]> = {
  '"': ['&quot;', '&QUOT;', '&quot'],
  "'": ['&apos;'],
  '<': ['&lt;', '&LT', '&lt'],
  '>': ['&gt;', '&GT'],
  '&': ['&amp;', '&AMP'],
  ':': ['&colon;'],
  '(': ['&lpar;'],
  ')': ['&rpar;'],
  '\t': ['&Tab;'],
  '\n': ['&NewLine;'],
  '/': ['&sol;'],
};

function hex(c: string, width: number): string {
  return c.codePointAt(0)!.toString(16).padStart(width, '0');
}

/** One of the ways a character can be spelled in HTML, URLs, JS or CSS. */
function encodeChar(rng: Rng, c: string): string {
  const code = c.codePointAt(0)!;
  switch (rng.int(0, 8)) {
    case 0:
      return `&#${code};`;
    case 1:
      return `&#x${hex(c, 1)};`;
    case 2:
      return `&#${'0'.repeat(rng.int(1, 4))}${code}`;
    case 3:
      return NAMED[c] !== undefined ? rng.pick(NAMED[c]!) : `&#${code};`;
    case 4:
      return '%' + hex(c, 2).toUpperCase();
    case 5:
      return `\\x${hex(c, 2)}`;
    case 6:
      return `\\u${hex(c, 4)}`;
    case 7:
      return `\\${hex(c, 1)} `;
    default:
      return '\\' + c;
  }
}

/** Changes a fragment in one of the ways filters and parsers are commonly fooled. */
function mutate(rng: Rng, s: string): string {
  if (s.length === 0) return rng.pick(ODD_CHARS);
  const i = rng.int(0, s.length - 1);
  switch (rng.int(0, 9)) {
    case 0: // case
      return [...s].map((ch) => (rng.chance(0.5) ? ch.toUpperCase() : ch.toLowerCase())).join('');
    case 1: // a control or white-space character
      return s.slice(0, i) + rng.pick(ODD_CHARS) + s.slice(i);
    case 2: // a character spelled another way
    case 3: {
      const special = [...s.matchAll(/[<>"'&:()/\\`$;=\s{}-]/g)].map((m) => m.index!);
      const k = special.length > 0 ? rng.pick(special) : i;
      return s.slice(0, k) + encodeChar(rng, s[k]!) + s.slice(k + 1);
    }
    case 4: // doubled
      return s.slice(0, i) + s.slice(i, i + rng.int(1, 4)) + s.slice(i);
    case 5: // cut
      return rng.chance(0.5) ? s.slice(0, i) + s.slice(i + rng.int(1, 3)) : s.slice(rng.int(0, Math.min(3, s.length - 1)));
    case 6: // quotes swapped
      return s.replace(/["'`]/g, () => rng.pick(['"', "'", '`']));
    case 7: // a backslash before something
      return s.slice(0, i) + '\\' + s.slice(i);
    case 8: // a percent-encoded piece
      return s.slice(0, i) + encodeURIComponent(s.slice(i, i + 3)) + s.slice(i + 3);
    default: // another fragment spliced in
      return s.slice(0, i) + pickFragment(rng) + s.slice(i);
  }
}

function pickFragment(rng: Rng): string {
  return rng.pick(rng.weighted(POOLS));
}

/**
 * An attack value: one to three fragments (from the slot's own hints more often than not),
 * mutated zero to three times, with the canary code for `n` in place of `C`.
 */
export function attackValue(rng: Rng, n: number, hints: readonly string[] = []): string {
  const parts: string[] = [];
  const count = rng.weighted([
    [6, 1],
    [3, 2],
    [1, 3],
  ] as const);
  for (let k = 0; k < count; k++) {
    parts.push(hints.length > 0 && rng.chance(0.4) ? rng.pick(hints) : pickFragment(rng));
  }
  let s = parts.join(rng.pick(['', '', ' ', '\n', ';']));
  const mutations = rng.weighted([
    [4, 0],
    [3, 1],
    [2, 2],
    [1, 3],
  ] as const);
  for (let k = 0; k < mutations; k++) s = mutate(rng, s);
  return withCode(rng, s, n);
}

/** Puts the canary code into every `C` of a fragment. */
export function withCode(rng: Rng, s: string, n: number): string {
  return s.split(C).join(rng.pick(CODE)(n));
}

/** Fragments written with `C` for the code, exported for slot hints. */
export const CODE_MARK = C;

// ---- benign values -----------------------------------------------------------------

/** Text that looks like markup, script, CSS and URLs but is only text. */
const BENIGN_TEXT = [
  'hello world',
  `Tom & Jerry's "show" <3`,
  'a</b',
  'x < y && y > z',
  '<!-- not a comment -->',
  ']]>',
  '${x}',
  '`t`',
  '/* c */ // d',
  'C:\\path\\to \\n \\u0041',
  '%41%20%zz',
  '&amp; &#39; &lt;tag&gt; &copy',
  'javascript is fun',
  'emoji 😀👍🏽',
  'RTL שלום عربي',
  '\u2028\u2029',
  'line1\nline2',
  'tab\there',
  '</title </script </style',
  '  leading and trailing  ',
  '',
  'a=b&c=d',
  '50% off; x: y',
  'url(x) expression(y)',
  '-1',
  '1e3',
  'a/b/c',
  '[1, {"a": 2}]',
  "it's",
  '"quoted"',
  '<b>bold</b>',
  '?#',
  '\\',
  'CR\r\nLF',
];
const BENIGN_CHARS = `"'<>&\\/\`\${}()[];:=,.!?#%*-+|~^ \n\tabcXYZ019é😀`;

/** Benign text for every context that holds text. */
export function benignText(rng: Rng): string {
  const n = rng.weighted([
    [5, 1],
    [3, 2],
    [1, 3],
  ] as const);
  let s = '';
  for (let k = 0; k < n; k++) s += rng.pick(BENIGN_TEXT);
  if (rng.chance(0.4)) {
    const chars = [...BENIGN_CHARS];
    for (let k = rng.int(1, 6); k > 0; k--) {
      const i = rng.int(0, s.length);
      s = s.slice(0, i) + rng.pick(chars) + s.slice(i);
    }
  }
  // `.` and `..` alone are dot segments in a URL path whatever the encoding
  // (docs/reliability.md): not text a path part can carry.
  return s === '.' || s === '..' ? s + 'x' : s;
}

/** Benign URLs: must resolve to the same URL. */
const BENIGN_URLS = [
  'https://example.com/a/b?c=1&d=two#frag',
  '/notes/42?sort=new&q=a b',
  'mailto:someone@example.com?subject=Hi there',
  'https://example.com/пример/😀?q=שלום',
  'HTTPS://EXAMPLE.COM/X',
  'page.html?x="quoted"',
  '//example.com/x',
  '?q=1',
  '#frag',
  './a:b',
  'a%20b',
  "/a/b;c?d='e'",
  'http://example.com:8080/x y',
  '',
];

export function benignURL(rng: Rng): string {
  return rng.pick(BENIGN_URLS);
}

/** Benign CSS values, by property, that must arrive as computed styles. */
export const BENIGN_CSS: Readonly<Record<string, readonly string[]>> = {
  color: ['red', '#00ff00', 'blue !important', 'transparent', 'RebeccaPurple'],
  width: ['10px', '50%', '1.5em', 'auto'],
  'font-weight': ['bold', '700', 'normal'],
  'text-align': ['center', 'right'],
};
