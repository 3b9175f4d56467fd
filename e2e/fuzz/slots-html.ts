/**
 * Slot families in markup: HTML text, RCDATA and raw text, plain attributes (quoted,
 * single-quoted, unquoted), URL attributes at every position of the URL (srcset, meta
 * refresh, SVG animation values included), srcdoc, tables and templates.
 */
import type { Rng } from './rng.js';
import { CODE_MARK as C } from './values.js';
import { type Delim, type IdAttr, REF, type Slot, TRIPWIRE, inAttr, quote } from './slot.js';

const TEXT_CONTAINERS: readonly (readonly [string, string, string])[] = [
  ['p', '<p$>', '</p>'],
  ['div', '<div$>', '</div>'],
  ['span', '<span$>', '</span>'],
  ['b', '<b$>', '</b>'],
  ['a', '<a href="/x"$>', '</a>'],
  ['li', '<ul><li$>', '</li></ul>'],
  ['td', '<table><tr><td$>', '</td></tr></table>'],
  ['option', '<select><option$>', '</option></select>'],
  ['button', '<button$>', '</button>'],
  ['label', '<label$>', '</label>'],
  ['pre', '<pre$>', '</pre>'],
  ['listing', '<listing$>', '</listing>'],
  ['h1', '<h1$>', '</h1>'],
  ['dd', '<dl><dd$>', '</dd></dl>'],
  ['caption', '<table><caption$>', '</caption></table>'],
  ['summary', '<details open><summary$>', '</summary></details>'],
  ['blockquote', '<blockquote$>', '</blockquote>'],
  ['ruby', '<ruby$>', '<rt>r</rt></ruby>'],
  ['form', '<form$>', '</form>'],
  ['p-after-noembed', '<noembed></noembed><p$>', '</p>'],
];

/** Static text around a value in HTML text (markup allowed). */
const TEXT_DECO = ['', '', 'a ', '<b>x</b> ', ' <br> ', '&amp; ', '&lt;', '<', '\n', '<!-- c --> ', '<wbr>'];

function deco(rng: Rng, xs: readonly string[]): string {
  return rng.chance(0.5) ? '' : rng.pick(xs);
}

export function htmlText(rng: Rng, id: IdAttr): Slot {
  const [tag, open, close] = rng.pick(TEXT_CONTAINERS);
  return {
    family: `text-${tag}`,
    before: open.replace('$', id) + deco(rng, TEXT_DECO),
    after:
      deco(
        rng,
        TEXT_DECO.filter((d) => d !== '<'),
      ) + close,
    ref: REF,
    read: { kind: 'text' },
    pool: 'text',
    markupText: true,
    hints: [`<img src=x onerror=${C}>`, `<script>${C}</script>`, `img src=x onerror=${C}>`],
  };
}

/** Elements whose content is text up to their end tag. */
// noscript and data blocks are read as the HTML they hold (see slot.ts, `html-source`).
const RAW: readonly (readonly [string, 'rcdata' | 'raw', 'text' | 'value' | 'raw' | 'html-source'])[] = [
  ['title', 'rcdata', 'text'],
  ['textarea', 'rcdata', 'value'],
  ['xmp', 'raw', 'raw'],
  ['noscript', 'raw', 'html-source'],
  ['iframe', 'raw', 'raw'],
  ['noembed', 'raw', 'raw'],
  ['noframes', 'raw', 'raw'],
  ['script type="text/template"', 'raw', 'html-source'],
  ['plaintext', 'raw', 'raw'],
];
/** Static text inside RCDATA/raw text: markup-looking text that must stay text. */
const RAW_DECO = ['', '', 'a ', '<b>x</b>', TRIPWIRE, `>-${TRIPWIRE}`, '<', '</', '&amp;', '<!--', '-->', '<!-- <script>', '\n'];

export function rawText(rng: Rng, id: IdAttr): Slot {
  const [open, kind, read] = rng.pick(RAW);
  const name = open.split(' ')[0]!;
  const pre = deco(rng, RAW_DECO);
  return {
    family: `${kind}-${name}${pre.endsWith('<') ? '-after-lt' : ''}`,
    before: `<${open}${id}>${pre}`,
    after: deco(rng, RAW_DECO) + (name === 'plaintext' ? '' : `</${name}>`),
    ref: REF,
    read: { kind: read },
    pool: 'text',
    markupText: kind === 'rcdata',
    hints: [`</${name}><img src=x onerror=${C}>`, `/${name} `, `/${name}>`, `/${name.toUpperCase()}/`, `</${name} x=">"><img src=x onerror=${C}>`],
  };
}

const PLAIN_ATTRS: readonly (readonly [string, string])[] = [
  ['p', 'title'],
  ['div', 'class'],
  ['img src="/i.png"', 'alt'],
  ['input', 'value'],
  ['input type="hidden"', 'value'],
  ['a href="/x"', 'title'],
  ['abbr', 'title'],
  ['button', 'value'],
  ['p', 'data-x'],
  ['p', 'aria-label'],
  ['input', 'placeholder'],
  ['p', 'lang'],
  ['p', 'TITLE'],
  ['td', 'abbr'],
  ['svg', 'class'],
  ['math', 'class'],
];

/** An attribute name and `=` as authors write them. */
function eq(rng: Rng, name: string): string {
  return name + rng.pick(['=', '=', '=', ' = ', '\n=']);
}

/** Attributes around the slot's attribute, to test that the value stays in its own. */
const OTHER_ATTRS = ['', '', ' class="k"', ' name=n', ' checked', '/', " data-y='y'"];

export function plainAttr(rng: Rng, id: IdAttr): Slot {
  const [el, name] = rng.pick(PLAIN_ATTRS);
  const d: Delim = rng.pick(['dq', 'sq', 'unq'] as const);
  const pre = d === 'unq' ? rng.pick(['', '', 'a']) : rng.pick(['', '', 'a ', '&quot;', '&amp;', "x'y", 'x"y']);
  const post = rng.pick(['', '', ' b', '&gt;']);
  const tag = el.split(' ')[0]!;
  const close = tag === 'input' || tag === 'img' ? '' : `x</${tag}>`;
  return {
    family: `attr-${d}${pre === '' ? '' : '-after-text'}`,
    before: `<${el}${id}${rng.pick(OTHER_ATTRS)} ${eq(rng, name)}${quote(d)}${inAttr(d, pre)}`,
    after: `${inAttr(d, d === 'unq' ? '' : post)}${quote(d)}${rng.pick(OTHER_ATTRS)}>${close}`,
    ref: REF,
    read: { kind: 'attr', name: name.toLowerCase() },
    pool: 'text',
    markupText: true,
    hints: [`"><img src=x onerror=${C}>`, `' onfocus=${C} autofocus x='`, `x onclick=${C}`, `&quot; onclick=${C} x=&quot;`],
  };
}

/** Elements and their URL attributes. */
const URL_ATTRS: readonly (readonly [string, string, string])[] = [
  ['<a$ ', 'href', '>x</a>'],
  ['<map name=m><area$ shape=default ', 'href', '></map>'],
  ['<link$ rel=stylesheet ', 'href', '>'],
  ['<link$ rel=icon ', 'href', '>'],
  ['<img$ alt="" ', 'src', '>'],
  ['<iframe$ ', 'src', '></iframe>'],
  ['<embed$ ', 'src', '>'],
  ['<object$ ', 'data', '></object>'],
  ['<video$ ', 'poster', '></video>'],
  ['<video$ ', 'src', '></video>'],
  ['<video><source$ ', 'src', '></video>'],
  ['<input$ type=image ', 'src', '>'],
  ['<form$ ', 'action', '><button>x</button></form>'],
  ['<button$ ', 'formaction', '>x</button>'],
  ['<input$ type=submit ', 'formaction', '>'],
  ['<blockquote$ ', 'cite', '>x</blockquote>'],
  ['<a$ href="/x" ', 'ping', '>x</a>'],
  ['<script$ ', 'src', '></script>'],
  ['<a$ ', 'HREF', '>x</a>'],
  ['<div$ ', 'data-src', '></div>'],
  ['<div$ ', 'data-url', '></div>'],
  ['<svg><a$ ', 'href', '><text y="20">x</text></a></svg>'],
  ['<svg><a$ ', 'xlink:href', '><text y="20">x</text></a></svg>'],
  ['<svg><use$ ', 'href', '></use></svg>'],
  ['<svg><image$ ', 'href', '></image></svg>'],
  ['<base$ ', 'href', '>'],
  ['<table$ ', 'background', '></table>'],
];

/** Where in the URL the value goes: static text before and after it. */
const URL_POSITIONS: readonly (readonly [string, string, string])[] = [
  ['start', '', ''],
  ['start', '', ''],
  ['start', '', ''],
  ['start-after-space', ' ', ''],
  ['start-then-path', '', '/x?y=1'],
  ['path', '/p/', ''],
  ['path', '/p/', '/e'],
  ['query', '/p?q=', '&r=1'],
  ['query', '/p?a=1&q=', ''],
  ['fragment', '#', ''],
  ['after-scheme', 'https://example.com/', ''],
  ['after-scheme', 'mailto:', ''],
  ['protocol-relative', '//', '/x'],
  ['query', '?', ''],
];

export function urlAttr(rng: Rng, id: IdAttr): Slot {
  const [open, name, close] = rng.pick(URL_ATTRS);
  const [pos, pre, post] = rng.pick(URL_POSITIONS);
  const d: Delim = rng.pick(['dq', 'dq', 'sq', 'unq'] as const);
  const part = !pos.startsWith('start');
  return {
    family: `url-${pos}-${d}`,
    before: `${open.replace('$', id)}${eq(rng, name)}${quote(d)}${d === 'unq' && pre === ' ' ? '' : inAttr(d, pre)}`,
    after: `${inAttr(d, post)}${quote(d)}${close}`,
    ref: REF,
    // A <base> changes the base its own URL would be compared against.
    read: open.startsWith('<base') ? null : { kind: 'url', name: name.toLowerCase(), part },
    pool: part ? 'text' : 'url',
    markupText: false,
    hints: [`javascript:${C}`, `JAVASCRIPT:${C}`, `java\tscript:${C}`, `&#106;avascript:${C}`, `"><img src=x onerror=${C}>`],
  };
}

const SRCSET_POSITIONS: readonly (readonly [string, string, string, boolean])[] = [
  ['start', '', '', true],
  ['start', '', ' 2x', true],
  ['second', '/a.png 1x, ', '', true],
  ['second', '/a.png 1x,', ' 2x', true],
  ['descriptor', '/a.png ', '', false],
  ['descriptor', '/a.png 1x, /b.png ', '', false],
  ['path', '/img/', ' 1x', false],
];

export function srcset(rng: Rng, id: IdAttr): Slot {
  const [pos, pre, post, atStart] = rng.pick(SRCSET_POSITIONS);
  const el = rng.pick(['<img$ alt="" ', '<picture><source$ ', '<link$ rel=preload as=image ']);
  const close = el.startsWith('<picture') ? '><img alt=""></picture>' : '>';
  const attr = el.startsWith('<link') ? 'imagesrcset' : 'srcset';
  const d: Delim = rng.pick(['dq', 'sq', 'unq'] as const);
  const descriptor = pos === 'descriptor';
  return {
    family: `srcset-${pos}-${d}`,
    before: `${el.replace('$', id)}${attr}=${quote(d)}${inAttr(d, d === 'unq' ? pre.replace(/ /g, '') : pre)}`,
    after: `${inAttr(d, d === 'unq' ? '' : post)}${quote(d)}${close}`,
    ref: descriptor ? '2x' : REF,
    read: pos === 'start' && post === '' && el.startsWith('<img') ? { kind: 'srcset' } : null,
    pool: atStart ? 'url' : 'none',
    markupText: false,
    hints: [`x 1x, javascript:${C} 2x`, `javascript:${C}`, `, javascript:${C}`, `1x, javascript:${C}`, `2x,javascript:${C}`],
  };
}

/** `<meta http-equiv=refresh>`: its content names a URL the frame navigates to. */
export function metaRefresh(rng: Rng, id: IdAttr): Slot {
  const [pre, post] = rng.pick([
    ['0;url=', ''],
    ["0; URL='", "'"],
    ['', ''],
    ['0;', ''],
    ['1; url = ', ''],
    ['0;url=/p?q=', ''],
  ] as const);
  return {
    family: `refresh-${pre === '' ? 'whole' : pre.includes('?') ? 'query' : 'url'}`,
    before: `<meta${id} http-equiv="refresh" content="${inAttr('dq', pre)}`,
    after: `${inAttr('dq', post)}">`,
    ref: pre === '' ? '9' : REF,
    read: null,
    pool: 'none',
    markupText: false,
    hints: [`javascript:${C}`, `0;url=javascript:${C}`, `0; url=data:text/html,<script>${C}</script>`, `'javascript:${C}`],
  };
}

/** SVG animation of an href: `to`, `from` and `values` become the link's URL. */
export function svgAnimation(rng: Rng, id: IdAttr): Slot {
  const el = rng.pick(['set', 'animate']);
  const target = rng.pick(['href', 'xlink:href']);
  const attr = el === 'set' ? 'to' : rng.pick(['values', 'from', 'to']);
  return {
    family: `svg-${el}-${attr}`,
    before: `<svg><a${id} href="/x"><${el} attributeName="${target}" ${attr}="`,
    after: `"${el === 'animate' ? ' dur="1s"' : ''}/><text y="20">x</text></a></svg>`,
    ref: REF,
    read: null,
    pool: 'url',
    markupText: false,
    hints: [`javascript:${C}`, `/x;javascript:${C}`, ` javascript:${C}`],
  };
}

export function srcdoc(rng: Rng, id: IdAttr): Slot {
  const d: Delim = rng.pick(['dq', 'dq', 'sq', 'unq'] as const);
  const pre = d === 'unq' ? rng.pick(['', 'a']) : rng.pick(['', '', 'text ', '&lt;b&gt;x&lt;/b&gt;', '&amp;lt;']);
  return {
    family: `srcdoc-${d}${pre === '' ? '' : '-after-text'}`,
    before: `<iframe${id} srcdoc=${quote(d)}${pre}`,
    after: `${quote(d)}></iframe>`,
    ref: REF,
    read: pre === '' || pre === 'text ' ? { kind: 'srcdoc' } : null,
    pool: 'text',
    markupText: true,
    hints: [
      `<script>parent.${C}</script>`,
      `&lt;script&gt;parent.${C}&lt;/script&gt;`,
      `<img src=x onerror=top.${C}>`,
      `&amp;lt;img src=x onerror=top.${C}&amp;gt;`,
    ],
  };
}

/** Text in places the tree builder moves or drops: table foster parenting, select, template. */
export function oddPlaces(rng: Rng, id: IdAttr): Slot {
  const [name, before, after] = rng.pick([
    ['table-foster', `<table${id}>`, '</table>'],
    ['table-row', `<table><tr${id}>`, '</tr></table>'],
    ['select', `<select${id}>`, '</select>'],
    ['template', `<template${id}><p>`, '</p></template>'],
    ['frameset-like', `<div${id}><frameset>`, '</frameset></div>'],
    ['after-body', `<div${id}></div></body>`, ''],
    ['in-head-like', `<head${id}></head><meta name=x>`, ''],
  ] as const);
  return {
    family: `odd-${name}`,
    before,
    after,
    ref: REF,
    read: null,
    pool: 'text',
    markupText: true,
    hints: [`<img src=x onerror=${C}>`, `</table><img src=x onerror=${C}>`, `</template><img src=x onerror=${C}>`],
  };
}
