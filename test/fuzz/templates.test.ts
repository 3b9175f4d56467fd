// Fuzz: the template lexer, parser and context analysis (src/templates, renderString).
// Random sources → a string or a TemplateError with a position (line ≥ 1, column ≥ 1)
// inside the source, never another exception, never a hang. And for every template that
// compiles, the document structure it renders (elements, attributes, comments) is the
// same whatever the values: a value can never add markup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseFragment } from 'parse5';
import { TemplateError } from '../../src/errors.js';
import { renderString } from '../../src/templates/compile.js';
import { anyString, check, piecesOf } from './fuzz-options.js';

const TEMPLATE_PIECES = [
  '{{',
  '}}',
  '{%',
  '%}',
  '{#',
  '#}',
  '{{ x }}',
  '{{ n }}',
  '{{ items }}',
  '{{ o.a }}',
  '{{ x|upper }}',
  '{{ x|e }}',
  '{{ x|safe }}',
  '{{ missing }}',
  '{% if n %}',
  '{% elif x %}',
  '{% else %}',
  '{% endif %}',
  '{% for i in items %}',
  '{{ i }}',
  '{% endfor %}',
  '{% set y = 1 %}',
  '{% raw %}',
  '{% endraw %}',
  '{% block b %}',
  '{% endblock %}',
  '{% macro m(a) %}',
  '{% endmacro %}',
  '{{ m(1) }}',
  '{% include "x" %}',
  '{% nope %}',
  '{{ x|nofilter }}',
  '{{ n is odd }}',
  '{{ (1 + }}',
  '{{ "str }}',
  "{{ 'a' ~ x }}",
  '{{ [1, 2][0] }}',
  '{{ {"a": 1}.a }}',
  '<',
  '>',
  '</',
  '<a href="',
  '">',
  '<a href=',
  "<a title='",
  "'>",
  '<p>',
  '</p>',
  '<script>',
  '</script>',
  '<style>',
  '</style>',
  '<textarea>',
  '</textarea>',
  '<!--',
  '-->',
  '<img src="',
  '" onerror="',
  'onclick="',
  'style="',
  'javascript:',
  '"',
  "'",
  '=',
  ' ',
  '\n',
  'x',
  '/',
  '//',
  '/*',
  '*/',
  '`',
  '${',
  '\\',
  'é',
  '\u{1F600}',
  '\r\n',
  '\t',
  '\0',
];
const source = fc.oneof(piecesOf(TEMPLATE_PIECES, 30), anyString(80), fc.string({ maxLength: 60 }));
const CONTEXT = { x: '<b>"x"</b>', n: 3, items: [1, '<i>', 3], o: { a: '&' }, u: 'javascript:alert(1)' };

/** Renders, or returns the TemplateError; fails on any other exception or a very slow case. */
function renderOrError(src: string, ctx: Record<string, unknown>): { ok: true; html: string } | { ok: false; err: TemplateError } {
  const started = performance.now();
  try {
    const html = renderString(src, ctx, { strict: false });
    assert.equal(typeof html, 'string');
    return { ok: true, html };
  } catch (err) {
    assert.ok(err instanceof TemplateError, `not a TemplateError for ${JSON.stringify(src)}: ${err instanceof Error ? err.stack : String(err)}`);
    assert.ok(Number.isInteger(err.line) && err.line >= 1, `line ${err.line} for ${JSON.stringify(src)}`);
    assert.ok(Number.isInteger(err.column) && err.column >= 1, `column ${err.column} for ${JSON.stringify(src)}`);
    const lines = src.split(/\r\n|\r|\n/);
    assert.ok(err.line <= lines.length, `line ${err.line} past the end (${lines.length} lines) of ${JSON.stringify(src)}: ${err.message}`);
    return { ok: false, err };
  } finally {
    // A hang detector, not a speed test: the slowest honest case is far under this.
    const ms = performance.now() - started;
    assert.ok(ms < 2000, `rendering took ${Math.round(ms)} ms: ${JSON.stringify(src)}`);
  }
}

test('renderString: random sources give a string or a TemplateError with a position, never another exception', () => {
  check(
    fc.property(source, (src) => {
      renderOrError(src, CONTEXT);
    }),
    { scale: 6, params: { interruptAfterTimeLimit: 60_000 } },
  );
});

test('renderString: deep nesting and long inputs are refused or rendered without a stack overflow', () => {
  for (const n of [100, 1000, 10_000]) {
    renderOrError('{% if n %}'.repeat(n) + 'x' + '{% endif %}'.repeat(n), CONTEXT);
    renderOrError('{{ ' + '('.repeat(n) + '1' + ')'.repeat(n) + ' }}', CONTEXT);
    renderOrError('{{ ' + '['.repeat(n) + ' }}', CONTEXT);
    renderOrError('<a>'.repeat(n), CONTEXT);
    renderOrError('{{'.repeat(n), CONTEXT);
  }
});

interface P5Node {
  nodeName: string;
  attrs?: { name: string }[];
  childNodes?: P5Node[];
  content?: P5Node;
}

/** The shape of a document: element and comment nodes with their attribute names. */
function shape(html: string): string {
  const out: string[] = [];
  const walk = (n: P5Node, depth: number) => {
    if (n.nodeName === '#text') return;
    out.push(`${' '.repeat(depth)}${n.nodeName}${n.attrs?.length ? `[${n.attrs.map((a) => a.name).join(',')}]` : ''}`);
    for (const c of n.childNodes ?? []) walk(c, depth + 1);
    if (n.content) walk(n.content, depth + 1);
  };
  // As a fragment in <body>: a whole-document parse would drop a leading end tag only when
  // the text before it is empty, which is the parser's quirk, not an injection.
  walk(parseFragment(html) as unknown as P5Node, 0);
  return out.join('\n');
}

const HOSTILE_VALUES = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '</textarea><b>',
  '</style><b>',
  '</script><b>',
  '<!--',
  '-->',
  'javascript:alert(1)',
  '${alert(1)}',
  '`',
  '\\',
  '\u2028',
  '\0',
  '<',
  '&lt;',
  'a b=c',
  '=',
  '</title><b>',
];

test('a compiled template renders the same structure whatever the values (no value adds markup)', () => {
  const holes = ['{{ x }}', '{{ x|upper }}', '{{ items[1] }}', '{{ o.a }}'];
  const htmlPieces = TEMPLATE_PIECES.filter((p) => !p.startsWith('{') && p !== '\0');
  const templ = fc.array(fc.oneof(fc.constantFrom(...htmlPieces), fc.constantFrom(...holes)), { maxLength: 24 }).map((a) => a.join(''));
  check(
    fc.property(templ, fc.constantFrom(...HOSTILE_VALUES), fc.string({ maxLength: 10 }), (src, hostile, random) => {
      const benign = renderOrError(src, { x: 'a', items: [0, 'b', 0], o: { a: 'c' } });
      if (!benign.ok) return; // refused at compile time: nothing to compare
      for (const v of [hostile, random]) {
        const r = renderOrError(src, { x: v, items: [0, v, 0], o: { a: v } });
        assert.ok(r.ok, 'a template that compiled must render');
        if (r.ok) assert.equal(shape(r.html), shape(benign.html), `value ${JSON.stringify(v)} changed the structure of ${JSON.stringify(src)}:\n${r.html}`);
      }
    }),
    { scale: 6, params: { interruptAfterTimeLimit: 60_000 } },
  );
});
