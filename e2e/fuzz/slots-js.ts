/**
 * Slot families in JavaScript: `<script>` bodies (classic, module, JSON) and event-handler
 * attributes, with the value in an expression, a string of either quote, a template
 * literal (and its substitutions), a regular expression, a comment, or after a `/` whose
 * meaning (division or regular expression) depends on what precedes it.
 *
 * The page defines `a`, `y`, `x`, `f`, `s` and `zqREFqz` before each case (judge-page.js),
 * so that the statements below run without errors of their own: an error that the
 * reference render does not have then means the value changed the code.
 */
import type { Rng } from './rng.js';
import { CODE_MARK as C } from './values.js';
import { type Delim, type IdAttr, type Pool, REF, type Reader, type Slot, TRIPWIRE, inAttr, quote } from './slot.js';

interface JsHole {
  readonly family: string;
  readonly before: string;
  readonly after: string;
  readonly read: Reader | null;
  readonly pool: Pool;
  readonly hints: readonly string[];
}

const H = '\u0001'; // where the value goes in the statements below

const EXPR_READ = [
  `window.__v = ${H};`,
  `window.__v = [${H}][0];`,
  `window.__v = {k: ${H}}.k;`,
  `window.__v = (0, ${H});`,
  `window.__v = 1 ? ${H} : 0;`,
  `window.__v = (function () { return ${H}; })();`,
  `window.__v = (() => ${H})();`,
  `window.__v = \`\${${H}}\`;`,
  `window.__v = \`a\${ ${H} }b\`;`,
  `window.__v = {"k": [${H}]}.k[0];`,
  `window.__v = ${H}\n;`,
  `window.__v=${H};`,
  `window.__v = /* c */ ${H};`,
  `window.__v = ${H} // c\n;`,
  `window.__v = Object.keys({[${H}]: 1})[0];`,
];
const EXPR = [
  `x = 1 - ${H};`,
  `x = a / ${H};`,
  `x = !${H};`,
  `if (${H}) {}`,
  `x = typeof ${H};`,
  `f = function (p = ${H}) {};`,
  `x = a ? y : ${H};`,
  `x = [1, ${H},];`,
  `s += ${H};`,
  `x = {${H}: 1};`,
  `x = a, ${H};`,
  `x = ${H}.length;`,
  `x = -${H};`,
  `x = a<${H};`,
  `x = a++ + ${H};`,
  `x = 1 + +${H};`,
  `x = a-${H};`,
  `x = \`\${ {k: ${H}}.k }\`;`,
];
const STRING_DECO = ['', '', '', 'a', ' ', '<', '\\n', '\\\\', '${x}', '`', '/', '*/', '//', '-->', '\\u0041', 'é', '\\x3c'];
const TEMPLATE_DECO = ['', '', '', 'a', '${1}', '${"x"}', '\\`', '$', '{', '"', "'", '<', '\\${'];

function strings(rng: Rng): JsHole {
  const q = rng.pick(['"', "'"]);
  const pre = rng.pick(STRING_DECO);
  const post = rng.pick(STRING_DECO.filter((d) => d !== '\\\\' || pre === ''));
  const [shape, before, after] = rng.pick([
    ['plain', `window.__v = ${q}${pre}`, `${post}${q};`],
    ['in-array', `window.__v = ["a", ${q}${pre}`, `${post}${q}][1];`],
    ['key', `window.__v = Object.keys({${q}${pre}`, `${post}${q}: 1})[0];`],
    ['call', `window.__v = String(${q}${pre}`, `${post}${q});`],
    ['in-substitution', `window.__v = \`\${ ${q}${pre}`, `${post}${q} }\`;`],
  ] as const);
  return {
    family: `js-${q === '"' ? 'dq' : 'sq'}-string-${shape}${pre === '<' ? '-after-lt' : ''}`,
    before,
    after,
    read: { kind: 'js' },
    pool: 'text',
    hints: [`${q}; ${C}; ${q}`, `\\${q}; ${C}; //`, `/script ><img src=x onerror=${C}>`, `\u2028${C}//`, `</script><img src=x onerror=${C}>`],
  };
}

function templateLiteral(rng: Rng): JsHole {
  const pre = rng.pick(TEMPLATE_DECO);
  const post = rng.pick(TEMPLATE_DECO);
  const [shape, before, after, read] = rng.pick([
    ['plain', `window.__v = \`${pre}`, `${post}\`;`, true],
    ['nested', `window.__v = \`a\${ \`${pre}`, `${post}\` }b\`;`, true],
    ['after-substitution', `window.__v = \`\${"x"}${pre}`, `${post}\`;`, true],
    ['in-object-in-substitution', `window.__v = \`\${ {k: \`${pre}`, `${post}\`}.k }\`;`, true],
    ['in-arrow-in-substitution', `window.__v = \`\${ (() => { return \`\${"y"}${pre}`, `${post}\`; })() }\`;`, true],
    ['tagged', `window.__v = ((s) => s[0])\`${pre}`, `${post}\`;`, true],
    ['raw', `x = String.raw\`${pre}`, `${post}\`;`, false],
  ] as const);
  return {
    family: `js-template-${shape}`,
    before,
    after,
    read: read ? { kind: 'js' } : null,
    pool: 'text',
    hints: [`\${${C}}`, `\`;${C};\``, `\\\`+${C}+\``, '${', `\\\${${C}}`],
  };
}

function regexp(rng: Rng): JsHole {
  const [shape, before, after, read] = rng.pick([
    ['plain', 'window.__r = /', '/;', true],
    ['after-text', 'window.__r = /a', '/;', true],
    ['flags', 'window.__r = /', `/${rng.pick(['g', 'i', 'u', 'gi', 'v', 'y'])};`, true],
    ['group', 'window.__r = /(?:', ')/;', true],
    ['in-parens', 'window.__r = (/', '/);', true],
    ['class', 'x = /[', ']/;', false],
    ['negated-class', 'x = /[^a', ']b/;', false],
    ['after-escaped-slash', 'x = /\\/', '/;', false],
    ['in-class-with-slash', 'x = /[/', ']/;', false],
  ] as const);
  return {
    family: `js-regexp-${shape}`,
    before,
    after,
    read: read ? { kind: 'regexp' } : null,
    pool: 'text',
    hints: [`/;${C};//`, `/,${C},/`, `]/;${C};//`, ` ; __trap=7 ; x = 1 `, '\\', '/'],
  };
}

/**
 * What may stand before `/`: after some, the slash starts a regular expression, after
 * others it divides. Each is wrapped so that the statement is valid either way.
 */
const SLASH_AFTER: readonly (readonly [string, string, string])[] = [
  ['assign', 'x = ', ''],
  ['paren', 'x = (', ')'],
  ['bracket', 'x = [', ']'],
  ['ternary', 'x = 1 ? ', ' : 0'],
  ['not', 'x = !', ''],
  ['return', '(function () { return ', '; })()'],
  ['typeof', 'x = typeof ', ''],
  ['void', 'x = void ', ''],
  ['in', 'x = "k" in ', ''],
  ['case', 'switch (0) { case ', ': }'],
  ['property-return', 'x = a.return ', ''],
  ['property-typeof', 'x = a.typeof ', ''],
  ['postfix-increment', 'x = y++ ', ''],
  ['postfix-decrement', 'x = y-- ', ''],
  ['close-paren', 'x = (1) ', ''],
  ['if-paren', 'if (1) ', ''],
  ['while-paren', 'while (0) ', ''],
  ['close-bracket', 'x = [1] ', ''],
  ['object', 'x = {} ', ''],
  ['block', ';{} ', ''],
  ['function-block', 'function g() {} ', ''],
  ['this', 'x = this ', ''],
  ['number', 'x = 1 ', ''],
  ['string', 'x = "s" ', ''],
  ['template', 'x = `t` ', ''],
  ['regexp', 'x = /r/ ', ''],
  ['name', 'x = a ', ''],
  ['newline', 'x = a\n', ''],
  ['else', 'if (0) ; else ', ''],
  ['comment', 'x = y /* c */ ', ''],
  ['line-comment', 'x = y // c\n', ''],
  ['decimal', 'x = 1. ', ''],
  ['escaped-name', 'x = \\u0061 ', ''],
  ['dollar-name', 'x = a$ ', ''],
  ['unicode-name', 'x = é ', ''],
  ['await', '(async () => { await ', '; })()'],
  ['yield', '(function* () { yield ', '; })().next()'],
  ['arrow', 'f = () => ', ''],
  ['new', 'x = new ', ''],
  ['delete', 'x = delete ', ''],
  ['instanceof', 'x = a instanceof ', ''],
  ['minus', 'x = 1 - ', ''],
  ['arrow-block', 'f = () => {} ', ''],
  ['do', 'do ', ' ; while (0)'],
  ['keyword-like-name', 'x = a.if ', ''],
  ['html-close', '\n-->x\nx = ', ''],
];

function slash(rng: Rng): JsHole {
  const [name, pre, post] = rng.pick(SLASH_AFTER);
  const inner = rng.pick([
    ['/', '/'],
    ['/', '/g'],
    ['/', '/.test("")'],
    ['/', '/ 1'],
    ['/ ', ' / 1'],
  ] as const);
  return {
    family: `js-slash-after-${name}`,
    before: `${pre}${inner[0]}`,
    after: `${inner[1]}${post};`,
    read: null,
    pool: 'text',
    hints: [`/;${C};//`, `/);${C};//`, ` ; __trap=7 ; x = 1 `, `1;__trap=7;1`, `x;onerror=__pwned;throw 9;x=1`],
  };
}

function comment(rng: Rng): JsHole {
  const [name, before, after] = rng.pick([
    ['line', '// ', '\nx = 1;'],
    ['block', '/* ', ' */'],
    ['html-open', '<!-- ', '\nx = 1;'],
    ['html-close', '\n--> ', '\nx = 1;'],
    ['block-then-line', '/* a */ // ', '\n'],
    ['after-code', 'x = 1; // ', '\n'],
  ] as const);
  return { family: `js-comment-${name}`, before, after, read: null, pool: 'text', hints: [`\n${C}//`, `*/${C}/*`, `\u2028${C}`, `-->${C}`] };
}

function jsHole(rng: Rng): JsHole {
  return rng.weighted<() => JsHole>([
    [3, () => ({ family: 'js-expr-read', before: '', after: '', read: { kind: 'js' }, pool: 'text', hints: [`1; ${C}`, `</script><img src=x onerror=${C}>`] })],
    [2, () => ({ family: 'js-expr', before: '', after: '', read: null, pool: 'text', hints: [`1; ${C}`] })],
    [4, () => strings(rng)],
    [3, () => templateLiteral(rng)],
    [3, () => regexp(rng)],
    [4, () => slash(rng)],
    [1, () => comment(rng)],
  ])();
}

/** Puts a JS hole into a statement: the expression families pick a statement around H. */
function statement(rng: Rng, hole: JsHole): [string, string] {
  if (hole.family === 'js-expr-read' || hole.family === 'js-expr') {
    const [b, a] = rng.pick(hole.family === 'js-expr-read' ? EXPR_READ : EXPR).split(H) as [string, string];
    return [b, a];
  }
  return [hole.before, hole.after];
}

const SCRIPT_TAGS = [
  '<script>',
  '<script>',
  '<script>',
  '<script type="module">',
  '<script type="text/javascript">',
  '<SCRIPT>',
  '<script\n>',
  '<script defer>',
];
/** Code written after the value, which a value that ends the script early turns into markup. */
const AFTER_CODE = ['', '', ` x = '${TRIPWIRE}';`, ` x = '>-${TRIPWIRE}';`, ' x = a < y;', ' /* </b> */'];

export function scriptBody(rng: Rng, _id: IdAttr): Slot {
  const hole = jsHole(rng);
  const [b, a] = statement(rng, hole);
  const open = rng.pick(SCRIPT_TAGS);
  return {
    family: `script-${hole.family}${open.includes('module') ? '-module' : ''}`,
    before: `${open}${rng.pick(['', 'x = 0; ', '\n'])}${b}`,
    after: `${a}${rng.pick(AFTER_CODE)}</script>`,
    ref: REF,
    read: hole.read,
    pool: hole.pool,
    markupText: false,
    hints: hole.hints,
  };
}

const HANDLERS: readonly (readonly [string, string, string])[] = [
  ['<button$ ', 'onclick', '>x</button>'],
  ['<div$ ', 'onmouseover', '>x</div>'],
  ['<a$ href="/x" ', 'onclick', '>x</a>'],
  ['<img$ src=x ', 'onerror', '>'],
  ['<input$ ', 'onfocus', '>'],
  ['<svg$ ', 'onload', '></svg>'],
  ['<button$ ', 'ONCLICK', '>x</button>'],
  ['<details$ ', 'ontoggle', '>x</details>'],
  ['<svg><a$ ', 'onclick', '><text y="20">x</text></a></svg>'],
];

export function eventHandler(rng: Rng, id: IdAttr): Slot {
  const hole = jsHole(rng);
  const [b, a] = statement(rng, hole);
  const [open, name, close] = rng.pick(HANDLERS);
  const d: Delim = rng.pick(['dq', 'dq', 'sq', 'unq'] as const);
  return {
    family: `handler-${d}-${hole.family}`,
    before: `${open.replace('$', id)}${name}=${quote(d)}${inAttr(d, b)}`,
    after: `${inAttr(d, a)}${quote(d)}${close}`,
    ref: REF,
    read: hole.read,
    pool: hole.pool,
    markupText: false,
    hints: [...hole.hints, `&quot;; ${C}; //`, `&#39;; ${C}; //`, `"><img src=x onerror=${C}>`],
  };
}

export function scriptJSON(rng: Rng, id: IdAttr): Slot {
  // Not speculationrules: Chromium's renderer crashes on some of these documents.
  const type = rng.pick(['application/json', 'application/ld+json', 'text/json', 'importmap']);
  const [pre, post] = rng.pick([
    ['', ''],
    ['{"a": ', '}'],
    ['["', '"]'],
    ['{"', '": 1}'],
    ['[1, ', ']'],
    ['{"a": "x', 'y"}'],
  ] as const);
  return {
    family: `script-json-${type.replace(/\W/g, '-')}`,
    before: `<script type="${type}"${id}>${pre}`,
    after: `${post}</script>`,
    ref: REF,
    read: { kind: 'json' },
    pool: 'text',
    markupText: false,
    hints: [`</script><img src=x onerror=${C}>`, '"', `\\"`, `/script ><img src=x onerror=${C}>`],
  };
}
