/**
 * Cases the escaper fuzzer found, shrunk (most by the shrinker, some tidied by hand), as a
 * table that e2e/fuzz/found.test.ts judges in Chromium like the fuzzer does: each value,
 * rendered where the template puts it, must do nothing the reference value does not do,
 * and a benign value (`read` given) must read back exactly.
 *
 * A new failure from the fuzzer prints a row to paste here (run.ts, shrink.ts `tableRow`).
 * `saw` is what the judge saw when the case was found, for the reader.
 */
import type { HtmlRecipe } from './constructs.js';
import type { Reader } from './slot.js';
import type { FailureKind } from './verdict.js';

export interface FoundCase {
  readonly id: string;
  readonly kind: FailureKind;
  readonly template?: string;
  readonly html?: HtmlRecipe;
  readonly files?: Readonly<Record<string, string>>;
  readonly value: string;
  /** For fidelity rows: how to read the value back, and how the template changes it. */
  readonly read?: Reader;
  readonly transform?: 'id' | 'upper' | 'lower' | 'markup';
  /** The reference value, when not the default. */
  readonly ref?: string;
  readonly saw: string;
}

export const FOUND: readonly FoundCase[] = [
  // JS: a `/` after `)` of a statement's condition, or after a property named like a keyword,
  // starts a regular expression, or divides, the other way round from what the escaper assumed.
  { id: 'js-regexp-after-if-paren', kind: 'script', template: '<script>if (1) /{{ v }}/.test("");</script>', value: '/;__pwned(1);//', saw: 'ran: canary 1' },
  { id: 'js-regexp-after-while-paren', kind: 'script', template: '<script>while (0) /{{ v }}/;</script>', value: '/;__pwned(1);//', saw: 'ran: canary 1' },
  {
    id: 'js-division-after-property-return',
    kind: 'script',
    template: '<script>x = a.return /{{ v }}/ 1;</script>',
    value: ' 1; __trap=7 ; x = 1 ',
    saw: 'ran: canary trap 7',
  },
  {
    id: 'js-division-after-property-typeof',
    kind: 'script',
    template: '<script>x = a.typeof /{{ v }}/ 1;</script>',
    value: ' 1; __trap=7 ; x = 1 ',
    saw: 'ran: canary trap 7',
  },
  {
    id: 'js-division-after-decimal-point',
    kind: 'script',
    template: '<script>x = 1. /{{ v }}/ 1;</script>',
    value: ' 1; __trap=7 ; x = 1 ',
    saw: 'ran: canary trap 7',
  },
  {
    id: 'js-division-after-object-literal',
    kind: 'script',
    template: '<script>x = {} /{{ v }}/ 1;</script>',
    value: ' 1; __trap=7 ; x = 1 ',
    saw: 'ran: canary trap 7',
  },
  // `<` in the template, then a value that completes an end tag.
  {
    id: 'rcdata-title-lt-value-end-tag',
    kind: 'script',
    template: '<title><{{ v }}>-<img src=x onerror=__pwned(0)></title>',
    value: '/title ',
    saw: 'ran: canary 0',
  },
  {
    id: 'rcdata-textarea-lt-value-end-tag',
    kind: 'script',
    template: '<textarea><{{ v }}>-<img src=x onerror=__pwned(0)></textarea>',
    value: '/textarea ',
    saw: 'ran: canary 0',
  },
  {
    id: 'js-string-lt-value-end-tag',
    kind: 'script',
    template: '<script>x = "<{{ v }}"; y = 1>-2; z = \'<img src=x onerror=__pwned(0)>\';</script>',
    value: '/script ',
    saw: 'ran: canary 0',
  },
  // URLs where the escaper sees plain text.
  {
    id: 'meta-refresh-url',
    kind: 'url',
    template: '<meta http-equiv="refresh" content="0;url={{ v }}">',
    value: 'javascript:__pwned(1)',
    saw: 'URL that runs script or loads a document: meta|refresh|javascript:',
  },
  {
    id: 'svg-set-to-href',
    kind: 'url',
    template: '<svg><a href="/x"><set attributeName="href" to="{{ v }}"/><text y="20">x</text></a></svg>',
    value: 'javascript:__pwned(1)',
    saw: 'URL that runs script or loads a document: svg:set|to(animation)|javascript:',
  },
  {
    id: 'svg-animate-values-xlink-href',
    kind: 'url',
    template: '<svg><a href="/x"><animate attributeName="xlink:href" values="/y;{{ v }}" dur="1s"/><text y="20">x</text></a></svg>',
    value: 'javascript:__pwned(1)',
    saw: 'URL that runs script or loads a document: svg:animate|values(animation)|javascript:',
  },
  {
    id: 'css-import-string',
    kind: 'url',
    template: '<style>@import "{{ v }}";</style>',
    value: 'javascript:__pwned(1)',
    saw: 'URL that runs script or loads a document: css|javascript:',
  },
  {
    id: 'css-image-set-string',
    kind: 'url',
    template: '<p style="background-image: image-set(\'{{ v }}\' 1x)">x</p>',
    value: 'javascript:__pwned(1)',
    saw: 'URL that runs script or loads a document: p|style|javascript:',
  },
  {
    id: 'css-custom-property-string-read-by-image-set',
    kind: 'url',
    template: '<p style="--u: \'{{ v }}\'; background-image: image-set(var(--u) 1x)">x</p>',
    value: 'javascript:__pwned(1)',
    saw: 'URL that runs script or loads a document: p|computed background-image|javascript:',
  },
  // Two blocks with one name: the child's value is escaped for one place and written in both.
  {
    id: 'duplicate-block-name',
    kind: 'url',
    template: '{% extends "layout.html" %}{% block b %}{{ v }}{% endblock %}',
    files: { 'layout.html': '<a href="{% block b %}{% endblock %}">x</a><title>{% block b %}{% endblock %}</title>' },
    value: ' javascript:__pwned(1)',
    saw: 'URL that runs script or loads a document: a|href|javascript:',
  },
  // Inside <svg> and <math>, title, style, script, textarea, xmp, iframe, noscript… are not
  // raw text: markup in them is parsed, but the escaper escapes values there as text, CSS or JS.
  {
    id: 'svg-title-link-href',
    kind: 'url',
    template: '<svg><title><a href="{{ v }}">x</a></title></svg>',
    value: 'javascript:__pwned(1)',
    saw: 'URL that runs script or loads a document: svg:title>a|href|javascript:',
  },
  {
    id: 'svg-xmp-event-handler',
    kind: 'script',
    template: "<svg><xmp><img src=x onerror='x = [{{ v }}][0];'></xmp></svg>",
    value: '__pwned(1)',
    saw: 'ran: canary 1',
  },
  {
    id: 'math-title-unquoted-attribute',
    kind: 'element',
    template: '<math><title><p title={{ v }}>x</p></title></math>',
    value: 'x onclick=__pwned(1)',
    saw: 'new element or attribute: p[onclick,title]',
  },
  {
    id: 'svg-textarea-tag-name',
    kind: 'element',
    template: '<svg><textarea><{{ v }}></textarea></svg>',
    value: 'img src=x onerror=__pwned(1)',
    saw: 'new element or attribute',
  },
  {
    id: 'svg-style-attribute-value',
    kind: 'fidelity',
    template: '<svg><style><abbr id="t" title="{{ v }}">x</abbr></style></svg>',
    value: '"quoted"',
    read: { kind: 'attr', name: 'title' },
    transform: 'id',
    saw: 'read back "\\22 quoted\\22 ", expected "\\"quoted\\""',
  },
  // A JS token cut by a template tag: `awai` + a block's `t` is `await`, after which `/`
  // starts a regular expression; the analysis read `t` alone, a name, and a division.
  {
    id: 'script-js-slash-after-await-extends-super-first-3',
    kind: 'script-error',
    template: '{% extends "layout.html" %}',
    files: {
      'base.html': "<SCRIPT>(async()=> {awai{% block b %}t/{{ v }}/});'<img src=x onerror{% endblock %}=__pwned(0)>'</script>",
      'layout.html': '{% extends "base.html" %}',
    },
    value: ')/',
    saw: 'script error the reference has not: Uncaught SyntaxError: Invalid regular expression: /")\\/"/: Unmatched \')\'',
  },
  // `$` right before a value in a template literal: the value's `{` opened a substitution.
  {
    id: 'script-js-template-raw-macro-slot',
    kind: 'script-error',
    template: '{% macro m(a, b="y") %}<script defer>\nx = String.raw`${{ a|e }}"`; x = \'\';</script>{% endmacro %}{{ m(a=v) }}\nx',
    value: '{?)',
    saw: "script error the reference has not: Uncaught SyntaxError: Unexpected token '?'",
  },
  {
    id: 'handler-dq-js-template-raw-import',
    kind: 'script-error',
    template: '{% from "lib.html" import m %}{{ m(v) }}',
    files: { 'lib.html': '{% macro m(a) %}<a id="t" onclick="x = String.raw`${{ a }}{`;">{% endmacro %}' },
    value: '',
    saw: 'script error the reference has not: Uncaught SyntaxError: Unexpected end of input',
  },
  // Raw text (xmp, noembed, noframes, iframe) shows references as they are.
  {
    id: 'xmp-raw-text-quote',
    kind: 'fidelity',
    template: '<xmp id="t">{{ v }}</xmp>',
    value: 'a"b',
    read: { kind: 'raw' },
    transform: 'id',
    saw: 'read back "a&#34;b", expected "a\\"b"',
  },
  // A judge fault, kept so it stays fixed: the layout's block writes `d` before the value, so
  // the value is no longer at the start of the URL; the escaper encodes the `:` that would
  // make `d` a scheme, and the judge expected `d:` as if the value began the URL.
  {
    id: 'url-start-sq-extends-super-first',
    kind: 'fidelity',
    template: '{% extends "layout.html" %}{% block b %}{{ super() }}{{ v }}{% endblock %}',
    files: { 'layout.html': '<a id="{% block b %}t" HREF=\'d{% endblock %}\'>' },
    value: ':',
    read: { kind: 'url', name: 'href', part: false },
    transform: 'id',
    saw: 'read back "http://127.0.0.1:39857/fuzz/d%3A", expected "d:"',
  },
  // A judge fault, kept so it stays fixed: <plaintext> runs to the end of the page, so its
  // text holds the next hole's srcset as written for srcset (a blank list written empty).
  {
    id: 'raw-plaintext-html-plain',
    kind: 'fidelity',
    html: {
      parts: ['', '', ''],
      holes: [
        { parts: ['<plaintext id="t">', ''], holes: ['v'] },
        { parts: ['<img srcset=', '>'], holes: ['v'] },
      ],
    },
    value: ' ',
    read: { kind: 'raw' },
    transform: 'id',
    saw: 'read back " <img srcset=\\"\\"></body></html>", expected " <img srcset=\\" \\"></body></html>"',
  },
  // A case filter over a block upper-cased the escapes in a script: `\\u0022` became
  // `\\U0022`, which JSON refuses (the import map failed to parse). Case filters on Markup
  // now change its text only.
  {
    id: 'script-json-importmap-filter-slot',
    kind: 'script-error',
    template: '{% filter upper %}<script type="importmap" id="t">{"":"{{ v }}"}</script>{% endfilter %}',
    value: '"',
    saw: 'script error the reference has not: Uncaught SyntaxError: Failed to parse import map: invalid JSON',
  },
  // A judge fault, kept so it stays fixed: the judge split srcset on any JS white space, so
  // a no-break space after a comma started a new candidate, `javascript:`, for the judge
  // only. HTML splits srcset on ASCII white space: the candidate is one relative URL.
  {
    id: 'template>srcset-second-dq-plain',
    kind: 'url',
    template: '<template><link id="t" rel=preload as=image imagesrcset="/a.png 1x, {{ v|title }}"></template>',
    value: '2x,\u00a0javascript:\u0000__trap=387',
    saw: 'URL that runs script or loads a document: doc0>html>body>template#content>link|imagesrcset|javascript:',
  },
  // Judge faults, kept so they stay fixed. `@media{{ v }}{` is a media rule when the value
  // is empty (here `<s` through striptags): the template's doing, not the value's, as any
  // empty value does it; a value that renders as the empty value does is not judged unsafe.
  {
    id: 'style-css-sheet-media-macro-slot',
    kind: 'css',
    template: '{% macro m(a, b="y") %}<STYLE>@media{{- a|striptags -}}{</style>{% endmacro %}{{ m(a=v) }}',
    value: '<s',
    ref: 'screen',
    saw: 'new CSS declaration: @CSSMediaRule',
  },
  // Two values in one URL: the second is written as a component after the first, `/` as %2F.
  {
    id: 'url-start-after-space-dq-extends-super-first',
    kind: 'fidelity',
    template: '{% extends "layout.html" %}{% block b %}{{ super() }}{{ v|upper }}{% endblock %}',
    files: { 'layout.html': '<table id={% block b %}"t" background\n=" {{ v|upper }}{% endblock %}">' },
    value: '/a',
    read: { kind: 'url', name: 'background', part: false },
    transform: 'upper',
    saw: 'read back "http://127.0.0.1:42729/A%2FA", expected "http://127.0.0.1:42729/A/A"',
  },
  // A slot's reference (`9`, a refresh delay) that is no selector where the case also writes
  // it: `9{color:red` is dropped, `r{color:red` applies, as plain letters do. A finding now
  // counts only when the letters of REF do not give it too.
  {
    id: 'refresh-whole-plain',
    kind: 'css',
    template: '<style type="text/css">{{ v if v is string else "x" }}{color:red</style>',
    value: 'r',
    ref: '9',
    saw: 'new CSS declaration: color',
  },
  // A value next to a `-` in a regular-expression class makes a range out of order for some
  // values, escaped or not: the template's `-`, not an injection.
  {
    id: 'script-js-regexp-in-class-with-slash-for-two',
    kind: 'script-error',
    template: '<script type="text/javascript">x=/[{% for x in two %}{{ v }}-{% endfor %}]/</script>',
    value: '";',
    saw: 'script error the reference has not: Uncaught SyntaxError: Invalid regular expression: /[\\u0022\\u003b-\\u0022\\u003b-]/: Range out of order in character class',
  },
  // A hole that writes the value without the slot's filter: the judge expected the plain
  // reference to stay in the text.
  {
    id: 'raw-plaintext-plain',
    kind: 'fidelity',
    template: '<plaintext id="t">{{- v|upper -}}{{ v }}',
    value: '',
    read: { kind: 'raw' },
    transform: 'upper',
    saw: 'read back "</body></html>", expected "zqREFqz</body></html>"',
  },
];
