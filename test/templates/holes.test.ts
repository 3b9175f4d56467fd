// The escaping holes of issue 18 (points 1–6), as attacks: a template, hostile data, and
// the exact output Palisade writes, or the compile error with its line and column. Each row
// whose holes are plain `{{ name }}` runs through the `html` tag as well, which shares the
// analysis and must write the same bytes (or raise the same error code). The same attacks
// run in Chromium, with a control, in e2e/templates-holes.test.ts.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemplateError, createTemplates, renderString } from '../../src/templates/index.js';
import { html } from '../../src/html.js';

type Want = string | { code: string; line: number; column: number };
type Row = readonly [name: string, template: string, data: Record<string, unknown>, want: Want];

const J = 'javascript:alert(1)';

export const HOLES: Record<string, readonly Row[]> = {
  '1. a / after ) or } and the JS slash rule': [
    [
      'regexp after if (): the review example',
      '<script>var s = location.pathname; if (s) /{{ q }}/.test(s);</script>',
      { q: '/;alert(document.domain);//' },
      '<script>var s = location.pathname; if (s) /\\/\\u003balert\\(document\\.domain\\)\\u003b\\/\\//.test(s);</script>',
    ],
    [
      'regexp after while ()',
      '<script>while (x) /{{ q }}/.test(s);</script>',
      { q: '/;alert(1)//' },
      '<script>while (x) /\\/\\u003balert\\(1\\)\\/\\//.test(s);</script>',
    ],
    ['regexp after for (;;)', '<script>for (;;) /{{ q }}/.exec(s);</script>', { q: 'a' }, '<script>for (;;) /a/.exec(s);</script>'],
    ['regexp after for await ()', '<script>for await (x of y) /{{ q }}/.exec(x);</script>', { q: 'a' }, '<script>for await (x of y) /a/.exec(x);</script>'],
    ['regexp after with ()', '<script>with (o) /{{ q }}/.exec(s);</script>', { q: 'a' }, '<script>with (o) /a/.exec(s);</script>'],
    ['regexp after a block', '<script>if (a) { f() } /{{ q }}/.test(s);</script>', { q: 'a' }, '<script>if (a) { f() } /a/.test(s);</script>'],
    ['regexp after =>', '<script>const f = s => /{{ q }}/.test(s);</script>', { q: 'a' }, '<script>const f = s => /a/.test(s);</script>'],
    [
      'regexp after return on the next line (ASI)',
      '<script>function f(s) { return\n/{{ q }}/.test(s) }</script>',
      { q: 'a' },
      '<script>function f(s) { return\n/a/.test(s) }</script>',
    ],
    [
      'regexp after typeof, case, void, in, else, do',
      '<script>x = typeof /{{ q }}/; if (y) z; else /{{ q }}/.exec(s);</script>',
      { q: 'a' },
      '<script>x = typeof /a/; if (y) z; else /a/.exec(s);</script>',
    ],
    ['division after a group', '<script>x = (a + b) / {{ q }};</script>', { q: '/;alert(1)//' }, '<script>x = (a + b) / "\\/;alert(1)\\/\\/";</script>'],
    ['division after a call', '<script>x = f(a) / {{ q }};</script>', { q: 2 }, '<script>x = f(a) / 2;</script>'],
    ['division after an object literal', '<script>x = {} / {{ q }};</script>', { q: 2 }, '<script>x = {} / 2;</script>'],
    ['division after a property named like a keyword', '<script>x = o.if / {{ q }};</script>', { q: 2 }, '<script>x = o.if / 2;</script>'],
    [
      'division after a number and a template literal',
      '<script>x = 1.5 / {{ q }} + `${a}` / {{ q }};</script>',
      { q: 2 },
      '<script>x = 1.5 / 2 + `${a}` / 2;</script>',
    ],
    [
      'refused: / after a function body',
      '<script>function f() {}\n/x/.test(s); var q = {{ q }};</script>',
      { q: 1 },
      { code: 'TEMPLATE_AMBIGUOUS_JS_SLASH', line: 2, column: 1 },
    ],
    ['refused: / after of, yield, await or let', '<script>x = of / {{ q }};</script>', { q: 1 }, { code: 'TEMPLATE_AMBIGUOUS_JS_SLASH', line: 1, column: 16 }],
    ['refused: / after a ) whose ( is not in the template', '<a onclick="f(1)) / b">x</a>', {}, { code: 'TEMPLATE_AMBIGUOUS_JS_SLASH', line: 1, column: 13 }],
    [
      'refused: / after branches that end differently',
      '<script>{% if a %}x{% else %}y;{% endif %}(z) / 2</script>',
      { a: 1 },
      { code: 'TEMPLATE_AMBIGUOUS_JS_SLASH', line: 1, column: 47 },
    ],
    ['/ is \\/ in a string', '<script>var s = "{{ q }}";</script>', { q: '/;alert(1);//' }, '<script>var s = "\\/;alert(1);\\/\\/";</script>'],
    ['/ is \\/ in a template literal', '<script>var s = `{{ q }}`;</script>', { q: '/;alert(1);//' }, '<script>var s = `\\/;alert(1);\\/\\/`;</script>'],
    [
      '/ is \\/ in JSON (tojson)',
      '<script>var d = {{ d|tojson }};</script>',
      { d: { a: '/;alert(1);//' } },
      '<script>var d = {"a":"\\/;alert(1);\\/\\/"};</script>',
    ],
    [
      'a regexp value is one name or a syntax error as code',
      '<script>var r = /{{ q }}/;</script>',
      { q: '1;onerror=alert;throw 1' },
      '<script>var r = /1\\u003bonerror\\u003dalert\\u003bthrow\\u00201/;</script>',
    ],
  ],
  '2. a block name used twice (also in the loader tests below)': [
    [
      'refused: the same block in a script and in text',
      '<script>track({% block page %}"home"{% endblock %})</script>\n<h1>{% block page %}Home{% endblock %}</h1>',
      {},
      { code: 'TEMPLATE_DUPLICATE_BLOCK', line: 2, column: 14 },
    ],
    [
      'refused: the same block in an href and in text',
      '<a href="{% block link %}/{% endblock %}">home</a><p>{% block link %}{% endblock %}</p>',
      {},
      { code: 'TEMPLATE_DUPLICATE_BLOCK', line: 1, column: 63 },
    ],
    [
      'refused: the same block nested in another block',
      '{% block a %}<b>{% block b %}{% endblock %}</b>{% endblock %}<i title="{% block b %}{% endblock %}"></i>',
      {},
      { code: 'TEMPLATE_DUPLICATE_BLOCK', line: 1, column: 81 },
    ],
    [
      'self.name() writes a block of HTML text as Markup: in a script it is a string',
      '{% block page %}<b>x</b>{% endblock %}<script>var s = {{ self.page() }};</script>',
      {},
      '<b>x</b><script>var s = "\\u003cb\\u003ex\\u003c\\/b\\u003e";</script>',
    ],
    [
      'self.name() of a block in a script does not compile',
      '<script>var a = "{% block s %}{{ v }}{% endblock %}";</script><p>{{ self.s() }}</p>',
      { v: '<b>' },
      { code: 'TEMPLATE_BLOCK_CONTEXT', line: 1, column: 73 },
    ],
    [
      'self.name() of a block in raw text does not compile',
      '<xmp>{% block s %}{{ v }}{% endblock %}</xmp><p>{{ self.s() }}</p>',
      { v: '<b>' },
      { code: 'TEMPLATE_BLOCK_CONTEXT', line: 1, column: 56 },
    ],
    [
      'self.name() of a block in raw text does not compile in a set either',
      '<xmp>{% block s %}{{ v }}{% endblock %}</xmp>{% set t = self.s() %}<p>{{ t }}</p>',
      { v: '<b>' },
      { code: 'TEMPLATE_BLOCK_CONTEXT', line: 1, column: 61 },
    ],
    [
      'self.name() of a block in a script does not compile through a filter',
      '<script>{% block s %}{% endblock %}</script><p>{{ self.s()|upper }}</p>',
      {},
      { code: 'TEMPLATE_BLOCK_CONTEXT', line: 1, column: 55 },
    ],
  ],
  "3. an end tag made of the template's < and a value": [
    ['textarea: the review example', '<textarea><{{ v }}…</textarea>', { v: '/textarea ' }, '<textarea><&#47;textarea …</textarea>'],
    ['title', '<title><{{ v }}…</title>', { v: '/title ' }, '<title><&#47;title …</title>'],
    ['script string: the review example', '<script>var s = "<{{ v }}";</script>', { v: '/script ' }, '<script>var s = "<\\/script ";</script>'],
    ['script template literal', '<script>var s = `<{{ v }}`;</script>', { v: '/script ' }, '<script>var s = `<\\/script `;</script>'],
    ['script string after </scrip', '<script>var s = "</scrip{{ v }}";</script>', { v: 't ' }, '<script>var s = "</scrip\\u0074 ";</script>'],
    ['script regexp after <', '<script>var r = /<{{ v }}/;</script>', { v: '!--' }, '<script>var r = /<\\u0021\\u002d\\u002d/;</script>'],
    ['script string after <!-', '<script>var s = "<!-{{ v }}";</script>', { v: '-' }, '<script>var s = "<!-\\u002d";</script>'],
    ['a tag name after < keeps its text', '<script>var s = "<{{ v }}>";</script>', { v: 'b' }, '<script>var s = "<\\u0062>";</script>'],
    ['style string after </styl', '<style>p::after { content: "</styl{{ v }}" }</style>', { v: 'e ' }, '<style>p::after { content: "</styl\\65  " }</style>'],
    ['style url() after </styl', '<style>p { background: url(</styl{{ v }}/x) }</style>', { v: 'e' }, '<style>p { background: url(</styl%65/x) }</style>'],
    ['a data block', '<script type="text/template"><{{ v }}</script>', { v: '/script ' }, '<script type="text/template"><&#47;script </script>'],
    ['an HTML comment drops the value', '<!-- <{{ v }} -->', { v: '/x' }, '<!-- < -->'],
    ['< before an if, then a value', '<title><{% if a %}{% endif %}{{ v }}…</title>', { a: 0, v: '/title ' }, '<title><&#47;title …</title>'],
    ['< before an if with a branch, then a value', '<title>a<{% if a %}b{% endif %}{{ v }}…</title>', { a: 0, v: '/title ' }, '<title>a<&#47;title …</title>'],
    [
      'refused: < and an end tag across an if',
      '<title>x<{% if a %}/title>{% endif %}<script>{{ v }}</script>',
      { a: 1, v: 'x' },
      { code: 'TEMPLATE_PARTIAL_NAME', line: 1, column: 20 },
    ],
    [
      'refused: an end tag cut by a value that may be empty',
      '<title></ti{{ v }}tle><b>x</b></title>',
      { v: '' },
      { code: 'TEMPLATE_PARTIAL_NAME', line: 1, column: 19 },
    ],
    [
      'refused: --> cut by a value inside <!-- in a script',
      '<script><!--\nvar a = "-{{ v }}->";\n</script>',
      { v: '' },
      { code: 'TEMPLATE_PARTIAL_NAME', line: 2, column: 18 },
    ],
    [
      '<!-- <script> in a script: its </script> does not end the element',
      '<script><!--\ndocument.write("<script>x</script>");\n--></script><p>{{ v }}</p>',
      { v: '<b>' },
      '<script><!--\ndocument.write("<script>x</script>");\n--></script><p>&lt;b&gt;</p>',
    ],
    [
      'a value inside <!-- in a script: no <script and no final -',
      '<script><!--\nvar a = "<{{ v }}", b = "{{ w }}->";\n</script>',
      { v: 'script ', w: 'x-' },
      '<script><!--\nvar a = "<\\u0073cript ", b = "\\u0078\\u002d->";\n</script>',
    ],
    [
      'refused: a script that <!-- <script> leaves open',
      '<script><!--\ndocument.write("<script>x");\n</script><p>{{ v }}</p>',
      { v: 'x' },
      { code: 'TEMPLATE_UNTERMINATED', line: 3, column: 24 },
    ],
    // Raw text (<xmp>, <iframe>, <noembed>, <noframes>) decodes no references: a value there
    // is written as it is, and after the template's '<' it comes after a U+200B instead.
    ['raw text: the value after < is written raw, after a U+200B', '<xmp><{{ v }}…</xmp>', { v: '/xmp ' }, '<xmp><\u200b/xmp …</xmp>'],
    ['raw text after </xm', '<xmp></xm{{ v }}…</xmp>', { v: 'p ' }, '<xmp></xm\u200bp …</xmp>'],
    ['raw text: < before an if, then a value', '<xmp><{% if a %}{% endif %}{{ v }}…</xmp>', { a: 0, v: '/xmp ' }, '<xmp><\u200b/xmp …</xmp>'],
    ['raw text: < on one path, then a value', '<xmp>a{% if a %}<{% endif %}{{ v }}…</xmp>', { a: 1, v: '/xmp ' }, '<xmp>a<\u200b/xmp …</xmp>'],
    ['raw text: a second value after <', '<iframe><{{ v }}{{ w }}…</iframe>', { v: '', w: '/iframe ' }, '<iframe><\u200b/iframe …</iframe>'],
    [
      'refused: raw text, an end tag cut by a value that may be empty',
      '<xmp><{{ v }}/xmp><b>x</b></xmp>',
      { v: '' },
      { code: 'TEMPLATE_PARTIAL_NAME', line: 1, column: 14 },
    ],
    // <noscript> content is HTML with scripting off, raw text with scripting on: a value
    // after the start of </noscript is escaped for where it is in the HTML.
    [
      'noscript: an attribute value after <',
      '<noscript><p title="<{{ v }}">x</p></noscript>',
      { v: '/noscript >' },
      '<noscript><p title="<&#47;noscript &gt;">x</p></noscript>',
    ],
    [
      'noscript: a script string after </nos',
      '<noscript><script>var s = "</nos{{ v }}";</script></noscript>',
      { v: 'cript ' },
      '<noscript><script>var s = "</nos\\u0063ript ";</script></noscript>',
    ],
    [
      'refused: noscript, an end tag cut by a value that may be empty',
      '<noscript><p title="<{{ v }}/noscript>">x</p></noscript>',
      { v: '' },
      { code: 'TEMPLATE_PARTIAL_NAME', line: 1, column: 29 },
    ],
  ],
  '4. <meta http-equiv="refresh"> URLs': [
    [
      'url=: the review example',
      '<meta http-equiv="refresh" content="0; url={{ v }}">',
      { v: J },
      '<meta http-equiv="refresh" content="0; url=about:invalid#palisade-unsafe">',
    ],
    ['url =', '<meta http-equiv="refresh" content="0; url ={{ v }}">', { v: J }, '<meta http-equiv="refresh" content="0; url =about:invalid#palisade-unsafe">'],
    [
      'url<tab>=',
      '<meta http-equiv="refresh" content="0; url\t={{ v }}">',
      { v: J },
      '<meta http-equiv="refresh" content="0; url\t=about:invalid#palisade-unsafe">',
    ],
    [
      'url= and a space',
      '<meta http-equiv="refresh" content="0;url= {{ v }}">',
      { v: J },
      '<meta http-equiv="refresh" content="0;url= about:invalid#palisade-unsafe">',
    ],
    [
      'URL= and quotes',
      '<meta http-equiv="refresh" content="0; URL=\'{{ v }}\'">',
      { v: J },
      '<meta http-equiv="refresh" content="0; URL=\'about:invalid#palisade-unsafe\'">',
    ],
    [
      'a quote in the value',
      '<meta http-equiv="refresh" content="0; url={{ v }}">',
      { v: `'${J}'` },
      '<meta http-equiv="refresh" content="0; url=about:invalid#palisade-unsafe">',
    ],
    [
      'several url= in one content: the URL is the rest',
      '<meta http-equiv="refresh" content="0; url=/a; url={{ v }}">',
      { v: J },
      '<meta http-equiv="refresh" content="0; url=/a; url=javascript%3Aalert%281%29">',
    ],
    [
      'no url=: after the separator',
      '<meta http-equiv="refresh" content="0; {{ v }}">',
      { v: `url=${J}` },
      '<meta http-equiv="refresh" content="0; about:invalid#palisade-unsafe">',
    ],
    [
      'the whole content',
      '<meta http-equiv="refresh" content="{{ v }}">',
      { v: `0;url=${J}` },
      '<meta http-equiv="refresh" content="about:invalid#palisade-unsafe">',
    ],
    [
      'the whole content, content first',
      '<meta content="{{ v }}" http-equiv="refresh">',
      { v: `0;url=${J}` },
      '<meta content="about:invalid#palisade-unsafe" http-equiv="refresh">',
    ],
    [
      'a delay and a URL',
      '<meta http-equiv="refresh" content="{{ d }}; url={{ v }}">',
      { d: 5, v: '/next?a=1&b=2' },
      '<meta http-equiv="refresh" content="5; url=/next?a=1&amp;b=2">',
    ],
    [
      'a delay that hides a URL',
      '<meta http-equiv="refresh" content="{{ d }}; url={{ v }}">',
      { d: `0;url=${J}`, v: '/next' },
      '<meta http-equiv="refresh" content="about:invalid#palisade-unsafe; url=/next">',
    ],
    [
      'a URL part',
      '<meta http-equiv="refresh" content="0; url=/x?q={{ v }}">',
      { v: J },
      '<meta http-equiv="refresh" content="0; url=/x?q=javascript%3Aalert%281%29">',
    ],
    ['named metadata is text', '<meta name="description" content="{{ v }}">', { v: `10 tips: ${J}` }, `<meta name="description" content="10 tips: ${J}">`],
    [
      'refused: http-equiv after a content read as text',
      '<meta name="x" content="{{ v }}" http-equiv="refresh">',
      { v: `0;url=${J}` },
      { code: 'TEMPLATE_AMBIGUOUS_URL', line: 1, column: 34 },
    ],
    [
      'refused: a value inside the delay',
      '<meta http-equiv="refresh" content="5{{ v }}">',
      { v: `;url=${J}` },
      { code: 'TEMPLATE_AMBIGUOUS_URL', line: 1, column: 38 },
    ],
    [
      'refused: a value inside url=',
      '<meta http-equiv="refresh" content="0; ur{{ v }}">',
      { v: `l=${J}` },
      { code: 'TEMPLATE_AMBIGUOUS_URL', line: 1, column: 42 },
    ],
    [
      'refused: text after a value continues its scheme',
      '<meta http-equiv="refresh" content="0; url={{ p }}://{{ h }}">',
      { p: 'javascript', h: '%0aalert(1)' },
      { code: 'TEMPLATE_AMBIGUOUS_URL', line: 1, column: 51 },
    ],
    [
      'refused: the same in an href',
      '<a href="{{ p }}://{{ h }}">x</a>',
      { p: 'javascript', h: '%0aalert(1)' },
      { code: 'TEMPLATE_AMBIGUOUS_URL', line: 1, column: 17 },
    ],
    [
      'refused: the same in an href, across an if',
      '<a href="{{ p }}t{% if x %}{% endif %}:alert(1)">x</a>',
      { p: 'javascrip', x: 1 },
      { code: 'TEMPLATE_AMBIGUOUS_URL', line: 1, column: 39 },
    ],
    ['refused: the same in a srcset candidate', '<img srcset="{{ p }}:x 1x">', { p: 'javascript' }, { code: 'TEMPLATE_AMBIGUOUS_URL', line: 1, column: 21 }],
    [
      'refused: the same in a later srcset candidate',
      '<img srcset="a.png 1x, {{ p }}:x 2x">',
      { p: 'javascript' },
      { code: 'TEMPLATE_AMBIGUOUS_URL', line: 1, column: 31 },
    ],
    [
      'a srcset value then a path is one URL',
      '<img srcset="{{ base }}/x.png 2x">',
      { base: 'https://cdn.example' },
      '<img srcset="https://cdn.example/x.png 2x">',
    ],
    [
      'a value then a path is a URL part',
      '<a href="{{ base }}/x?q={{ q }}">x</a>',
      { base: 'https://example.com', q: 'a b' },
      '<a href="https://example.com/x?q=a%20b">x</a>',
    ],
  ],
  '5. SVG animation values': [
    [
      'values: the review example',
      '<svg><a><animate attributeName="href" values="{{ u }}"/><text>x</text></a></svg>',
      { u: J },
      '<svg><a><animate attributeName="href" values="about:invalid#palisade-unsafe"/><text>x</text></a></svg>',
    ],
    [
      'values: each item',
      '<svg><a><animate attributeName="href" values="/a;{{ u }}"/></a></svg>',
      { u: `/b;${J};/c` },
      '<svg><a><animate attributeName="href" values="/a;/b;about:invalid#palisade-unsafe;/c"/></a></svg>',
    ],
    [
      'to, from, by',
      '<svg><a><animate attributeName="href" from="{{ u }}" to="{{ u }}" by="{{ u }}"/></a></svg>',
      { u: J },
      '<svg><a><animate attributeName="href" from="about:invalid#palisade-unsafe" to="about:invalid#palisade-unsafe" by="about:invalid#palisade-unsafe"/></a></svg>',
    ],
    [
      'set to',
      '<svg><a><set attributeName="href" to="{{ u }}"/></a></svg>',
      { u: J },
      '<svg><a><set attributeName="href" to="about:invalid#palisade-unsafe"/></a></svg>',
    ],
    [
      'xlink:href, whatever order',
      '<svg><a><animate values="{{ u }}" attributeName="xlink:href"/></a></svg>',
      { u: ` ${J}` },
      '<svg><a><animate values="about:invalid#palisade-unsafe" attributeName="xlink:href"/></a></svg>',
    ],
    [
      'other values are written as they are',
      '<svg><rect><animate attributeName="fill" values="{{ u }}"/></rect></svg>',
      { u: 'red;#00f; rgb(1, 2, 3)' },
      '<svg><rect><animate attributeName="fill" values="red;#00f; rgb(1, 2, 3)"/></rect></svg>',
    ],
  ],
  '6. CSS strings': [
    [
      'a string CSS may read as a URL: the review example',
      '<p style="background: \'{{ v }}\'">x</p>',
      { v: 'vbscript:alert(1)' },
      '<p style="background: \'about:invalid#palisade-unsafe\'">x</p>',
    ],
    ['@import', '<style>@import "{{ v }}";</style>', { v: J }, '<style>@import "about:invalid#palisade-unsafe";</style>'],
    [
      'image-set()',
      '<style>p { content: image-set("{{ v }}" 1x) }</style>',
      { v: J },
      '<style>p { content: image-set("about:invalid#palisade-unsafe" 1x) }</style>',
    ],
    ['a custom property', '<p style="--img: \'{{ v }}\'">x</p>', { v: J }, '<p style="--img: \'about:invalid#palisade-unsafe\'">x</p>'],
    [
      'a string later in the URL is text',
      '<p style="background: \'/img?name={{ v }}\'">x</p>',
      { v: "O'Reilly:1" },
      '<p style="background: \'/img?name=O\\27 Reilly:1\'">x</p>',
    ],
    [
      'content is text',
      '<style>p::before { content: "{{ v }}" }</style>',
      { v: 'Note: C:\\path' },
      '<style>p::before { content: "Note: C:\\5c path" }</style>',
    ],
    [
      'font-family and quotes are text',
      "<p style=\"font-family: '{{ v }}'; quotes: '{{ v }}' 'x'\">x</p>",
      { v: 'a:b' },
      "<p style=\"font-family: 'a:b'; quotes: 'a:b' 'x'\">x</p>",
    ],
    [
      'refused: text after a value continues its scheme',
      '<p style="background: \'{{ a }}:{{ b }}\'">x</p>',
      { a: 'javascript', b: 'x' },
      { code: 'TEMPLATE_AMBIGUOUS_URL', line: 1, column: 31 },
    ],
    [
      'refused: two values at the start',
      '<p style="background: \'{{ a }}{{ b }}\'">x</p>',
      { a: 'javascript', b: ':x' },
      { code: 'TEMPLATE_AMBIGUOUS_URL', line: 1, column: 31 },
    ],
  ],
};

const render = (template: string, data: Record<string, unknown>): string => renderString(template, data, { strict: true, name: 'page.html' });

/** A template object for `parts`, as JS builds one for a tagged template. */
function templateObject(parts: readonly string[]): TemplateStringsArray {
  return Object.freeze(Object.assign([...parts], { raw: Object.freeze([...parts]) })) as unknown as TemplateStringsArray;
}

/** The row through the html tag, or undefined when it uses more template syntax than `{{ name }}`. */
function viaTag(template: string, data: Record<string, unknown>): (() => string) | undefined {
  if (/\{%|\{\{(?! \w+ \}\})/.test(template)) return undefined;
  const pieces = template.split(/\{\{ (\w+) \}\}/);
  const parts = pieces.filter((_, i) => i % 2 === 0);
  const values = pieces.filter((_, i) => i % 2 === 1).map((n) => data[n]);
  const site = templateObject(parts);
  return () => html(site, ...values).toString();
}

for (const [point, rows] of Object.entries(HOLES)) {
  describe(point, () => {
    for (const [name, template, data, want] of rows) {
      test(name, () => {
        const tag = viaTag(template, data);
        if (typeof want === 'string') {
          assert.equal(render(template, data), want);
          if (tag !== undefined) assert.equal(tag(), want, 'the html tag');
          return;
        }
        assert.throws(
          () => render(template, data),
          (e: unknown) => {
            assert.ok(e instanceof TemplateError, String(e));
            assert.deepEqual({ code: e.code, line: e.line, column: e.column }, want, e.message);
            return true;
          },
        );
        if (tag !== undefined) {
          assert.throws(tag, (e: unknown) => e instanceof TemplateError && e.code === want.code, 'the html tag');
        }
      });
    }
  });
}

describe('2. blocks in layouts', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-holes-'));
    const files: Record<string, string> = {
      'layout.html': '<script>track({% block page %}"home"{% endblock %})</script>\n<h1>{% block title %}Home{% endblock %}</h1>',
      'twice.html': '<script>track({% block page %}"home"{% endblock %})</script>\n<h1>{% block page %}Home{% endblock %}</h1>',
      'page.html': '{% extends "layout.html" %}{% block title %}{{ name }}{% endblock %}',
      'page-twice.html': '{% extends "twice.html" %}{% block page %}{{ name }}{% endblock %}',
      'page-script.html': '{% extends "layout.html" %}{% block page %}{{ name }}{% endblock %}',
      'child-twice.html': '{% extends "layout.html" %}{% block title %}a{% endblock %}{% block title %}b{% endblock %}',
      'link.html': '<a href="{% block link %}/{% endblock %}">home</a>',
      'link-page.html': '{% extends "link.html" %}{% block link %}{{ url }}{% endblock %}',
      'scheme.html': '<a href="{% block proto %}https{% endblock %}://example.com/">home</a>',
      'super-elsewhere.html': '{% extends "layout.html" %}{% block title %}<b title="{{ super() }}">x</b>{% endblock %}',
      'super-script.html': '{% extends "layout.html" %}{% block page %}{{ super() }} + {{ v }}{% endblock %}',
    };
    for (const [n, text] of Object.entries(files)) writeFileSync(join(dir, n), text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a layout with a block in two places does not compile, so no page extends it', () => {
    const t = createTemplates({ dir, mode: 'test' });
    for (const name of ['twice.html', 'page-twice.html']) {
      assert.throws(
        () => t.render(name, { name: 'alert(document.domain)' }),
        (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_DUPLICATE_BLOCK' && e.file === 'twice.html' && e.line === 2 && e.column === 14,
      );
    }
  });

  test('a page block is escaped for the one place the layout writes it', () => {
    const t = createTemplates({ dir, mode: 'test' });
    assert.equal(t.render('page.html', { name: 'alert(document.domain)' }).toString(), '<script>track("home")</script>\n<h1>alert(document.domain)</h1>');
    assert.equal(
      t.render('page-script.html', { name: 'alert(document.domain)' }).toString(),
      '<script>track("alert(document.domain)")</script>\n<h1>Home</h1>',
    );
  });

  test('a child that defines a block twice does not compile', () => {
    const t = createTemplates({ dir, mode: 'test' });
    assert.throws(
      () => t.render('child-twice.html', {}),
      (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_DUPLICATE_BLOCK' && e.line === 1 && e.column === 69,
    );
  });

  test('a page may end a URL block with a value; a layout may not continue the URL of a block into a scheme', () => {
    const t = createTemplates({ dir, mode: 'test' });
    assert.equal(t.render('link-page.html', { url: J }).toString(), '<a href="about:invalid#palisade-unsafe">home</a>');
    assert.equal(t.render('link-page.html', { url: '/notes' }).toString(), '<a href="/notes">home</a>');
    assert.throws(
      () => t.render('scheme.html', {}),
      (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_AMBIGUOUS_URL' && e.line === 1 && e.column === 46,
    );
  });

  test('super() writes the block of the layout only where that block starts', () => {
    const t = createTemplates({ dir, mode: 'test' });
    assert.throws(
      () => t.render('super-elsewhere.html', {}),
      (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_BLOCK_CONTEXT',
    );
    assert.equal(t.render('super-script.html', { v: 'alert(1)' }).toString(), '<script>track("home" + "alert(1)")</script>\n<h1>Home</h1>');
  });
});
