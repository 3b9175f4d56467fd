// Fuzz: each context escaper in src/escape, with random Unicode, decoded by a real HTML
// tokenizer (parse5). For every context the browser-decoded value of the escaped output
// must equal the input, and the output must never leave its context (no element, no
// attribute, no end of the script or style added). The templates engineer's
// test/escape/* covers every ASCII byte by table; this is the random-Unicode version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseFragment } from 'parse5';
import { escapeHTML, escapeHTMLUnquoted, markupToAttr } from '../../src/escape/html.js';
import { escapeJSString, escapeJSTemplate, escapeJSRegexp, jsValue } from '../../src/escape/js.js';
import { toJSONForScript } from '../../src/escape/json.js';
import { escapeCSSString, filterCSSValue, escapeCSSURL, CSS_SENTINEL } from '../../src/escape/css.js';
import { filterAndNormalizeURL, escapeURLComponent, isSafeURL, URL_SENTINEL } from '../../src/escape/url.js';
import { anyString, check, isWellFormed, piecesOf } from './fuzz-options.js';
import { ESCAPERS } from '../../src/templates/hole-escapers.js';
import { stringEscaper } from '../../src/templates/escaper-table.js';
import { FILTERS } from '../../src/templates/filters.js';
import { Markup } from '../../src/escape/markup.js';

// ---- parse5 helpers ----------------------------------------------------------------------

interface P5Node {
  nodeName: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: P5Node[];
  content?: P5Node;
}

/** Parses a fragment and returns its top-level nodes. */
function nodes(html: string): P5Node[] {
  return (parseFragment(html) as unknown as P5Node).childNodes ?? [];
}

/** The one element a fragment must consist of; fails when anything else appeared. */
function onlyElement(html: string, tag: string): P5Node {
  const top = nodes(html);
  assert.equal(top.length, 1, `expected exactly one <${tag}>, got ${top.map((n) => n.nodeName).join(', ')} from ${JSON.stringify(html)}`);
  assert.equal(top[0]!.nodeName, tag, `from ${JSON.stringify(html)}`);
  return top[0]!;
}

/** The text of an element that must hold nothing but text. */
function onlyText(el: P5Node, html: string): string {
  const kids = el.childNodes ?? [];
  for (const k of kids) assert.equal(k.nodeName, '#text', `element added inside: ${k.nodeName} from ${JSON.stringify(html)}`);
  return kids.map((k) => k.value ?? '').join('');
}

/** The single attribute an element must carry. */
function onlyAttr(el: P5Node, name: string, html: string): string {
  assert.deepEqual(
    el.attrs?.map((a) => a.name),
    [name],
    `attributes of ${JSON.stringify(html)}`,
  );
  assert.equal((el.childNodes ?? []).length, 0, `children appeared from ${JSON.stringify(html)}`);
  return el.attrs![0]!.value;
}

/** What the HTML input stream makes of text before tokenizing (§13.2.3.5): CR LF → LF. */
function htmlNewlines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

// ---- generators ----------------------------------------------------------------------------

// Pieces that end or change HTML, JS, CSS and URL contexts.
const SPECIAL = [
  '<',
  '>',
  '&',
  '"',
  "'",
  '`',
  '=',
  '/',
  '\\',
  ' ',
  '\t',
  '\n',
  '\r',
  '\f',
  '\0',
  '\x7f',
  '\u2028',
  '\u2029',
  '\u00a0',
  '</script',
  '</SCRIPT ',
  '</style>',
  '<!--',
  '-->',
  '<script>',
  '<img src=x onerror=alert(1)>',
  '&amp;',
  '&lt',
  '&#0;',
  '&#x3c;',
  '${',
  '}',
  '*/',
  '/*',
  '//',
  '\\u0000',
  '\\',
  '@import',
  'url(',
  ')',
  ';',
  '{',
  ':',
  'javascript:',
  'é',
  '\u{1F600}',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\u200b',
  '--',
  '(?:',
  '[',
  ']',
  '$',
  '^',
  '.',
  '*',
  '+',
  '?',
  '|',
];
const input = fc.oneof(anyString(60), piecesOf(SPECIAL, 20), fc.string({ unit: 'grapheme', maxLength: 30 }));
const wellFormedInput = input.filter(isWellFormed);

// ---- HTML contexts --------------------------------------------------------------------------

/**
 * What the browser decodes from escaped text or an attribute value: exactly the input, but
 * NUL as U+FFFD. (CR is written as a reference, so the input stream's CR LF folding never
 * touches it.)
 */
const htmlExpected = (s: string): string => s.replace(/\0/g, '\ufffd');

test('escapeHTML in HTML text: decoded text equals the input, no element added', () => {
  check(
    fc.property(input, (s) => {
      const html = `<div>${escapeHTML(s)}</div>`;
      assert.equal(onlyText(onlyElement(html, 'div'), html), htmlExpected(s), html);
    }),
    { scale: 4 },
  );
});

test('escapeHTML in a double- and single-quoted attribute: decoded value equals the input, no attribute added', () => {
  check(
    fc.property(input, (s) => {
      for (const q of ['"', "'"]) {
        const html = `<div title=${q}${escapeHTML(s)}${q}></div>`;
        assert.equal(onlyAttr(onlyElement(html, 'div'), 'title', html), htmlExpected(s), html);
      }
    }),
    { scale: 4 },
  );
});

test('escapeHTMLUnquoted after static text in an unquoted attribute: decoded value equals the input', () => {
  check(
    fc.property(input, (s) => {
      const html = `<div title=x${escapeHTMLUnquoted(s)}></div>`;
      // Newlines are written as references here, so they arrive exactly (no CR LF folding).
      assert.equal(onlyAttr(onlyElement(html, 'div'), 'title', html), `x${s.replace(/\0/g, '\ufffd')}`, html);
    }),
    { scale: 4 },
  );
});

test('escapeHTML in RCDATA (<title>): decoded text equals the input, the element is not closed early', () => {
  check(
    fc.property(input, (s) => {
      const html = `<title>${escapeHTML(s)}</title>`;
      assert.equal(onlyText(onlyElement(html, 'title'), html), htmlExpected(s), html);
    }),
    { scale: 2 },
  );
});

test('markupToAttr: Markup written into an attribute never adds an attribute or element', () => {
  const markup = fc.oneof(input, piecesOf(['<b>', '</b>', '<a href="', '">', '<', '>', 'x', '"', "'", '&amp;', '&', '<!--', '-->', ' '], 20));
  check(
    fc.property(markup, (m) => {
      for (const q of ['"', "'"]) {
        const html = `<div title=${q}${markupToAttr(m)}${q}></div>`;
        onlyAttr(onlyElement(html, 'div'), 'title', html);
      }
      // Escaped text as Markup decodes back to the text.
      const html = `<div title="${markupToAttr(escapeHTML(m))}"></div>`;
      assert.equal(onlyAttr(onlyElement(html, 'div'), 'title', html), htmlExpected(m));
    }),
    { scale: 2 },
  );
});

// ---- JS contexts -----------------------------------------------------------------------------

/** The script element's raw text: must be exactly what was written (nothing closed it). */
function scriptText(body: string): string {
  const html = `<script>${body}</script>`;
  const el = onlyElement(html, 'script');
  const text = onlyText(el, html);
  assert.equal(text, htmlNewlines(body), `the script was cut: ${JSON.stringify(html)}`);
  return text;
}

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const evalJS = (expr: string): unknown => new Function(`"use strict"; return (${expr});`)();

test('escapeJSString in a <script> string literal (both quotes) and in an event-handler attribute', () => {
  check(
    fc.property(input, (s) => {
      for (const q of ['"', "'"]) {
        const lit = `${q}${escapeJSString(s)}${q}`;
        assert.equal(evalJS(scriptText(`var x = ${lit};`).slice(8, -1)), s, lit);
        // In an attribute (delimited by the other quote), the same output is also safe as it
        // is: it escapes quotes and &.
        const aq = q === '"' ? "'" : '"';
        const html = `<div onclick=${aq}f(${lit})${aq}></div>`;
        const attr = onlyAttr(onlyElement(html, 'div'), 'onclick', html);
        assert.equal(attr, `f(${lit})`);
        assert.equal(evalJS(attr.slice(2, -1)), s);
      }
    }),
    { scale: 3 },
  );
});

test('escapeJSTemplate in a template literal: the value is exactly the input, no substitution formed', () => {
  check(
    fc.property(input, (s) => {
      const lit = `\`${escapeJSTemplate(s)}\``;
      assert.equal(evalJS(scriptText(lit)), s, lit);
    }),
    { scale: 2 },
  );
});

test('escapeJSRegexp in a regexp literal: it matches the input literally, with and without the u flag', () => {
  check(
    fc.property(input, (s) => {
      const body = escapeJSRegexp(s);
      for (const flags of ['', 'u']) {
        if (flags === 'u' && !isWellFormed(s)) continue;
        const lit = `/^(?:${body})$/${flags}`;
        const re = evalJS(scriptText(lit)) as RegExp;
        assert.ok(re.test(s), `${lit} does not match ${JSON.stringify(s)}`);
      }
      const re = evalJS(`/${body}/`) as RegExp;
      assert.ok(re instanceof RegExp, 'a lone value is one regexp, never a comment');
    }),
    { scale: 2 },
  );
});

test('jsValue and toJSONForScript: one JS value inside <script>, equal to the input', () => {
  const value = fc.oneof(wellFormedInput, fc.jsonValue({ maxDepth: 3 }), fc.double(), fc.integer());
  check(
    fc.property(value, (v) => {
      const expected = JSON.parse(JSON.stringify(v) ?? 'null');
      const a = jsValue(v);
      assert.deepEqual(evalJS(scriptText(`x=${a}`).slice(2)), expected, a);
      const b = toJSONForScript(v);
      assert.deepEqual(evalJS(scriptText(b)), expected, b);
      assert.deepEqual(JSON.parse(b), expected);
      // Also in an attribute.
      const html = `<div data-x='${b}'></div>`;
      assert.deepEqual(JSON.parse(onlyAttr(onlyElement(html, 'div'), 'data-x', html)), expected);
    }),
    { scale: 2 },
  );
});

// ---- CSS contexts ----------------------------------------------------------------------------

/**
 * Decodes the inside of a CSS string token (CSS Syntax 3 §3.3 preprocessing, §4.3.5
 * consume a string token, §4.3.7 consume an escaped code point). Throws if the string would
 * end early (an unescaped quote or newline).
 */
function decodeCSSString(raw: string, quote: string): string {
  const s = raw
    .replace(/\r\n|[\r\f]/g, '\n')
    .replace(/\0/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  let out = '';
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === quote) throw new Error(`the CSS string ends early at ${i}: ${JSON.stringify(raw)}`);
    if (c === '\n') throw new Error(`a newline breaks the CSS string at ${i}: ${JSON.stringify(raw)}`);
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const hex = /^[0-9a-fA-F]{1,6}/.exec(s.slice(i + 1, i + 7));
    if (hex !== null) {
      const cp = parseInt(hex[0], 16);
      i += 1 + hex[0].length;
      if (s[i] === ' ' || s[i] === '\t' || s[i] === '\n') i++;
      out += cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp);
    } else if (s[i + 1] === '\n') {
      i += 2;
    } else if (i + 1 >= s.length) {
      i++;
    } else {
      const cp = s.codePointAt(i + 1)!;
      out += String.fromCodePoint(cp);
      i += 1 + (cp > 0xffff ? 2 : 1);
    }
  }
  return out;
}

/** The value CSS sees: NUL and lone surrogates become U+FFFD. */
const cssExpected = (s: string): string =>
  s.replace(/\0/g, '\ufffd').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

test('escapeCSSString in <style> and in style="": decoded string equals the input, nothing closed', () => {
  check(
    fc.property(input, (s) => {
      const esc = escapeCSSString(s);
      for (const q of ['"', "'"]) {
        const css = `a{content:${q}${esc}${q}}`;
        const html = `<style>${css}</style>`;
        const text = onlyText(onlyElement(html, 'style'), html);
        assert.equal(text, htmlNewlines(css), `the style element was cut: ${JSON.stringify(html)}`);
        assert.equal(decodeCSSString(text.slice(11, -2), q), cssExpected(s));
        const aq = q === '"' ? "'" : '"';
        const attrHtml = `<div style=${aq}content:${q}${esc}${q}${aq}></div>`;
        const attr = onlyAttr(onlyElement(attrHtml, 'div'), 'style', attrHtml);
        assert.equal(decodeCSSString(attr.slice(9, -1), q), cssExpected(s));
      }
    }),
    { scale: 3 },
  );
});

test('filterCSSValue: the input or the sentinel, and never anything that leaves a declaration', () => {
  check(
    fc.property(input, (s) => {
      const out = filterCSSValue(s);
      assert.ok(out === s || out === CSS_SENTINEL);
      assert.doesNotMatch(out, /[;:{}()<>"'\\@/\n\r\f\0]|--/, `${JSON.stringify(s)} → ${JSON.stringify(out)}`);
      const html = `<div style="color: ${escapeHTML(out)}"></div>`;
      assert.equal(onlyAttr(onlyElement(html, 'div'), 'style', html), `color: ${out}`);
    }),
    { scale: 3 },
  );
});

test('escapeCSSURL: the output is one unquoted url() token', () => {
  check(
    fc.property(input, (s) => {
      const out = escapeCSSURL(filterAndNormalizeURL(s));
      // §4.3.6: whitespace, quotes, parentheses, backslash and non-printables end or break the token.
      assert.doesNotMatch(out, /[ \t\n\r\f"'()\\\0-\x08\x0b\x0e-\x1f\x7f]/, `${JSON.stringify(s)} → ${JSON.stringify(out)}`);
    }),
    { scale: 2 },
  );
});

// ---- URL contexts ----------------------------------------------------------------------------

const URL_PIECES = [
  'javascript',
  'JaVaScRiPt',
  'vbscript',
  'data',
  'http',
  'https',
  'mailto',
  'file',
  ':',
  '//',
  '/',
  '\\',
  'example.com',
  '?',
  '#',
  '%',
  '%0a',
  '%3a',
  '&',
  '=',
  ' ',
  '\t',
  '\n',
  '\r',
  '\0',
  '\x01',
  '\x7f',
  '"',
  "'",
  '<',
  '>',
  '`',
  'é',
  '\u00a0',
  '\ufeff',
  '\u{1F600}',
  '@',
  'a',
  '1',
  '.',
  '..',
  '+',
  '-',
  'alert(1)',
];
const urlInput = fc.oneof(piecesOf(URL_PIECES, 16), input);
const BASE = 'https://example.com/dir/page';

function resolve(href: string): URL | null {
  try {
    return new URL(href, BASE);
  } catch {
    return null;
  }
}

test('filterAndNormalizeURL in href="": only http, https, mailto or the sentinel; a safe URL resolves as before', () => {
  check(
    fc.property(urlInput, (s) => {
      const out = filterAndNormalizeURL(s);
      const html = `<a href="${escapeHTML(out)}">x</a>`;
      const href = onlyAttr({ ...onlyElement(html, 'a'), childNodes: [] }, 'href', html);
      assert.equal(href, out);
      if (href === URL_SENTINEL) return;
      const u = resolve(href);
      if (u !== null) assert.ok(['http:', 'https:', 'mailto:'].includes(u.protocol), `${JSON.stringify(s)} → ${href} → ${u.protocol}`);
      // Normalising never changes where an http(s) or relative URL leads.
      const before = resolve(s);
      if (isSafeURL(s) && isWellFormed(s) && (before === null || before.protocol !== 'mailto:')) {
        assert.equal(u?.href, before?.href, `${JSON.stringify(s)} resolved to ${before?.href}, normalised ${JSON.stringify(href)} to ${u?.href}`);
      }
    }),
    { scale: 4 },
  );
});

test('escapeURLComponent: one path segment or query value that decodes back to the input', () => {
  check(
    fc.property(input, (s) => {
      const c = escapeURLComponent(s);
      assert.match(c, /^[A-Za-z0-9\-._~%]*$/);
      const expected = s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
      const html = `<a href="/p/${escapeHTML(c)}?q=${escapeHTML(c)}&amp;r=1">x</a>`;
      const u = new URL(onlyAttr({ ...onlyElement(html, 'a'), childNodes: [] }, 'href', html), BASE);
      assert.equal(u.searchParams.get('q'), expected);
      assert.equal(u.searchParams.get('r'), '1');
      // '.' and '..' stay dot segments whatever their spelling (the URL parser treats %2e as
      // a dot too), so they cannot round-trip as a path segment; see docs/reliability.md.
      if (expected !== '.' && expected !== '..') assert.equal(decodeURIComponent(u.pathname.slice(3)), expected);
    }),
    { scale: 3 },
  );
});

test('escapers that share a string name (stringEscaper) write the same text for every string', () => {
  const names = Object.keys(ESCAPERS) as (keyof typeof ESCAPERS)[];
  const groups = new Map<string, (keyof typeof ESCAPERS)[]>();
  for (const n of names) groups.set(stringEscaper(n), [...(groups.get(stringEscaper(n)) ?? []), n]);
  const shared = [...groups.values()].filter((g) => g.length > 1);
  assert.ok(shared.length > 0);
  check(
    fc.property(input, (s) => {
      for (const g of shared) for (const n of g) assert.equal(ESCAPERS[n](s), ESCAPERS[g[0]!](s), `${n} and ${g[0]} differ on ${JSON.stringify(s)}`);
    }),
  );
});

test('join written for HTML (FilterDef.html) gives what escaping the joined value gives', () => {
  const { fn, html } = FILTERS.join;
  assert.ok(html !== undefined);
  const item = fc.oneof(
    input,
    fc.integer(),
    fc.double(),
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    input.map((s) => Markup.unsafeTrust(s)),
  );
  check(
    fc.property(
      fc.array(item, { maxLength: 6 }),
      fc.oneof(
        input,
        input.map((s) => Markup.unsafeTrust(s)),
      ),
      (items, d) => {
        for (const name of ['text', 'attr'] as const) {
          const e = ESCAPERS[name];
          assert.equal(html(e, items, d), e(fn(items, d)), `${name}: ${JSON.stringify(items)} joined by ${JSON.stringify(String(d))}`);
          assert.equal(html(e, items), e(fn(items)));
        }
      },
    ),
  );
});
