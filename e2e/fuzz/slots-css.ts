/**
 * Slot families in CSS, in `<style>` and in `style=""`: property values (checked against
 * the same value's computed style), strings (including the strings CSS reads as URLs:
 * `@import "…"` and `image-set("…")`), `url()` quoted and unquoted at the start of the URL
 * or after a path, comments, selectors and at-rule preludes.
 */
import type { Rng } from './rng.js';
import { CODE_MARK as C, BENIGN_CSS } from './values.js';
import { type Delim, type IdAttr, REF, type Reader, type Slot, inAttr, quote } from './slot.js';

interface CssHole {
  readonly family: string;
  /** Declarations (for #t) around the hole; or a whole rule list when `sheetOnly`. */
  readonly before: string;
  readonly after: string;
  readonly ref: string;
  readonly read: Reader | null;
  readonly pool: 'text' | 'url' | 'css' | 'none';
  readonly cssProp?: string;
  /** Only valid in a style sheet (a selector, an at-rule), not in style="". */
  readonly sheetOnly?: boolean;
}

const OTHER_VALUES: readonly (readonly [string, string, string, string])[] = [
  ['margin-second', 'margin: 1px ', '', '2px'],
  ['font-family', 'font-family: ', ', serif', 'Arial'],
  ['custom-property', '--x: ', '', 'red'],
  ['background', 'background: ', '', 'red'],
  ['animation-name', 'animation-name: ', '', 'spin'],
  ['grid-area', 'grid-area: ', '', 'main'],
];

function cssHole(rng: Rng): CssHole {
  return rng.weighted<() => CssHole>([
    [
      3,
      () => {
        const prop = rng.pick(Object.keys(BENIGN_CSS));
        return {
          family: 'css-value',
          before: `${prop}: `,
          after: ';',
          ref: BENIGN_CSS[prop]![0]!,
          read: { kind: 'css-prop', prop },
          pool: 'css',
          cssProp: prop,
        };
      },
    ],
    [
      2,
      () => {
        const [name, before, after, ref] = rng.pick(OTHER_VALUES);
        return { family: `css-value-${name}`, before, after: after + ';', ref, read: null, pool: 'none' };
      },
    ],
    [
      3,
      () => {
        const q = rng.pick(['"', "'"]);
        const pre = rng.pick(['', '', 'a', '\\"', '\\\\', ' ', '/*', 'javascript:']);
        return {
          family: `css-${q === '"' ? 'dq' : 'sq'}-string-quotes`,
          before: `quotes: ${q}${pre}`,
          after: `${q} "x";`,
          ref: REF,
          read: pre === '' ? { kind: 'css-quotes' } : null,
          pool: 'text',
        };
      },
    ],
    [
      2,
      () => {
        const [name, before, after] = rng.pick([
          ['content', 'content: "', '";'],
          ['font-family', "font-family: '", "';"],
          ['image-set', 'background-image: image-set("', '" 1x);'],
          ['webkit-image-set', 'background-image: -webkit-image-set("', '" 1x);'],
          ['image-set-after-path', 'background-image: image-set("/img/', '" 1x);'],
          ['image', 'background-image: image("', '");'],
          ['cross-fade', 'background-image: cross-fade("', '", url(/b.png));'],
          ['custom-property-var', '--u: "', '"; background-image: image-set(var(--u) 1x);'],
          ['custom-property', "--u: '", "';"],
        ] as const);
        return { family: `css-string-${name}`, before, after, ref: REF, read: null, pool: /image|cross|var/.test(name) ? 'url' : 'text' };
      },
    ],
    [
      3,
      () => {
        const q = rng.pick(['', '"', "'"]);
        const pre = rng.pick(['', '', '', '/img/', 'https://example.com/', ' ']);
        const prop = rng.pick(['background-image', 'list-style-image', 'cursor', 'content', 'border-image-source', 'mask-image']);
        const tail = prop === 'cursor' ? ', auto' : '';
        return {
          family: `css-url-${q === '' ? 'unquoted' : q === '"' ? 'dq' : 'sq'}${pre.trim() === '' ? '' : '-after-path'}`,
          before: `${prop}: url(${q}${pre}`,
          after: `${q})${tail};`,
          ref: REF,
          read: null,
          pool: pre.trim() === '' ? 'url' : 'text',
        };
      },
    ],
    [1, () => ({ family: 'css-comment', before: '/* ', after: ' */', ref: REF, read: null, pool: 'text' })],
    [
      2,
      () => {
        const [name, before, after] = rng.pick([
          ['import-string', '@import "', '";'],
          ['import-url', '@import url(', ');'],
          ['import-sq-string', "@import '", "';"],
          ['selector-class', '.', ' { color: red }'],
          ['selector-attr', '[title="', '"] { color: red }'],
          ['media', '@media ', ' { p { color: red } }'],
          ['font-face', '@font-face { font-family: "', '"; src: url(/f.woff); }'],
          ['namespace', '@namespace x "', '";'],
        ] as const);
        return {
          family: `css-sheet-${name}`,
          before,
          after,
          ref: name === 'media' ? 'screen' : REF,
          read: null,
          pool: name.startsWith('import') ? 'url' : 'none',
          sheetOnly: true,
        };
      },
    ],
  ])();
}

const STYLE_DECO = ['', '', '/* <img src=x onerror=__pwned(0)> */ ', 'a { content: "<b>" } ', '@media all { } '];

export function styleElement(rng: Rng, id: IdAttr): Slot {
  const h = cssHole(rng);
  const inRule = h.sheetOnly !== true;
  // Only the slot that is read back styles #t; others style their own element.
  const sel = id === '' ? '.e' : '#t';
  const open = rng.pick(['<style>', '<style>', '<style media="all">', '<STYLE>', '<style type="text/css">']);
  return {
    family: `style-${h.family}`,
    before: `${open}${/import|namespace/.test(h.family) ? '' : rng.pick(STYLE_DECO)}${inRule ? `${sel} { ${rng.pick(['', 'color: blue; '])}` : ''}${h.before}`,
    after: `${h.after}${inRule ? ' }' : ''}${rng.pick(STYLE_DECO)}</style><p${id === '' ? ' class="e"' : id}>x</p>`,
    ref: h.ref,
    read: h.read,
    pool: h.pool,
    ...(h.cssProp === undefined ? {} : { cssProp: h.cssProp }),
    markupText: false,
    hints: [`</style><img src=x onerror=${C}>`, `/style ><img src=x onerror=${C}>`, `red} * {background:url(javascript:${C})`, `javascript:${C}`],
  };
}

export function styleAttr(rng: Rng, id: IdAttr): Slot {
  let h = cssHole(rng);
  while (h.sheetOnly === true) h = cssHole(rng);
  const d: Delim = rng.pick(['dq', 'dq', 'sq', 'unq'] as const);
  const el = rng.pick(['p', 'q', 'div', 'span']);
  return {
    family: `style-attr-${d}-${h.family}`,
    before: `<${el}${id === '' ? '' : ' id="t"'} style=${quote(d)}${inAttr(d, rng.pick(['', 'color: blue; ']) + h.before)}`,
    after: `${inAttr(d, h.after)}${quote(d)}>x</${el}>`,
    ref: h.ref,
    read: h.read,
    pool: h.pool,
    ...(h.cssProp === undefined ? {} : { cssProp: h.cssProp }),
    markupText: false,
    hints: [`red; background: url(javascript:${C})`, `"><img src=x onerror=${C}>`, `javascript:${C}`, `&quot;><img src=x onerror=${C}>`],
  };
}
