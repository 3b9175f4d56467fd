// Broken templates and the exact error each one gets: code, line, column. Like the
// error table of Go's escape_test.go, the positions are part of the contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateError, compileTemplate, renderString } from '../../src/templates/index.js';

const COMPILE_ERRORS: [string, string, string, number, number][] = [
  // [name, template, code, line, column]
  ['unclosed if', '{% if x %}a', 'TEMPLATE_UNCLOSED', 1, 4],
  ['unclosed value', 'a {{ x', 'TEMPLATE_UNCLOSED', 1, 3],
  ['unclosed comment', 'a {# x', 'TEMPLATE_UNCLOSED', 1, 3],
  ['unclosed string', "{{ 'x }}", 'TEMPLATE_UNCLOSED', 1, 4],
  ['unknown filter', '{{ x | nope }}', 'TEMPLATE_UNKNOWN_FILTER', 1, 6],
  ['unknown test', '{% if x is nope %}{% endif %}', 'TEMPLATE_UNKNOWN_TEST', 1, 9],
  ['unknown tag', '{% frobnicate %}', 'TEMPLATE_UNKNOWN_TAG', 1, 4],
  ['missing operand', '{{ 1 + }}', 'TEMPLATE_SYNTAX', 1, 8],
  ['stray endif', 'x{% endif %}', 'TEMPLATE_SYNTAX', 1, 5],
  ['extends inside an if', '{% if a %}{% extends "l.html" %}{% endif %}', 'TEMPLATE_SYNTAX', 1, 14],
  ['position on line 2', '<p>\n  {{ x | nope }}</p>', 'TEMPLATE_UNKNOWN_FILTER', 2, 8],
  ['branches end in different contexts', '<a href="{% if x %}/a"{% endif %}>', 'TEMPLATE_BRANCH_CONTEXT', 1, 13],
  ['branches: attribute opened in one', '<p {% if x %}title="{% else %}id="a"{% endif %}>', 'TEMPLATE_BRANCH_CONTEXT', 1, 7],
  ['loop body changes context', '{% for x in xs %}<a href="{% endfor %}">', 'TEMPLATE_LOOP_CONTEXT', 1, 4],
  ['loop body opens a script', '{% for x in xs %}<script>{% endfor %}</script>', 'TEMPLATE_LOOP_CONTEXT', 1, 18],
  ['filter block ends inside an attribute', '{% filter upper %}<a href="{% endfilter %}">', 'TEMPLATE_UNTERMINATED', 1, 4],
  ['filter block without a filter', '{% filter %}x{% endfilter %}', 'TEMPLATE_SYNTAX', 1, 11],
  ['filter block with an unknown filter', '{% filter nope %}x{% endfilter %}', 'TEMPLATE_UNKNOWN_FILTER', 1, 11],
  ['unclosed filter block', '{% filter upper %}x', 'TEMPLATE_UNCLOSED', 1, 4],
  ['recursive loop in an attribute', '<a title="{% for n in xs recursive %}{{ n }}{% endfor %}">', 'TEMPLATE_LOOP_CONTEXT', 1, 14],
  ['loop() in an attribute', '{% for n in xs recursive %}<a title="{{ loop(n.kids) }}">{% endfor %}', 'TEMPLATE_LOOP_CONTEXT', 1, 38],
  ['recursive loop body ends in a tag', '{% for n in xs recursive %}<a {% endfor %}>', 'TEMPLATE_LOOP_CONTEXT', 1, 4],
  ['loop() in a loop that is not recursive', '{% for n in xs %}{{ loop(n.kids) }}{% endfor %}', 'TEMPLATE_SYNTAX', 1, 21],
  ['loop() of the inner, plain loop', '{% for n in xs recursive %}{% for m in n.kids %}{{ loop(m) }}{% endfor %}{% endfor %}', 'TEMPLATE_SYNTAX', 1, 52],
  ['loop() with two arguments', '{% for n in xs recursive %}{{ loop(n, 1) }}{% endfor %}', 'TEMPLATE_SYNTAX', 1, 31],
  ['unterminated attribute', '<div class="x', 'TEMPLATE_UNTERMINATED', 1, 14],
  ['unterminated script', '<script>var x = 1;', 'TEMPLATE_UNTERMINATED', 1, 19],
  ['unterminated comment', 'a <!-- b', 'TEMPLATE_UNTERMINATED', 1, 9],
  ['unterminated tag', '<p\n\n', 'TEMPLATE_UNTERMINATED', 2, 1],
  ['macro ends inside an attribute', '{% macro m() %}<b title="{% endmacro %}', 'TEMPLATE_UNTERMINATED', 1, 4],
  ['value in attribute-name position', '<p {{ n }}>', 'TEMPLATE_VALUE_IN_TAG', 1, 4],
  ['value after attribute name', '<input checked {{ n }}>', 'TEMPLATE_VALUE_IN_TAG', 1, 16],
  ['value in end tag', '</p {{ n|attrname }}>', 'TEMPLATE_VALUE_IN_TAG', 1, 5],
  ['value in tag name', '<{{ t }}>', 'TEMPLATE_PARTIAL_NAME', 1, 1],
  ['value in end tag name', 'x</{{ t }}>', 'TEMPLATE_PARTIAL_NAME', 1, 2],
  ['value continues attribute name', '<div on{{ e }}="x">', 'TEMPLATE_PARTIAL_NAME', 1, 8],
  ['an if adds half an attribute name', '<a {% if a %}on{% endif %}click="x">', 'TEMPLATE_PARTIAL_NAME', 1, 27],
  ['an if adds a name whose value follows', '<a {% if a %}title{% endif %}="x">', 'TEMPLATE_PARTIAL_NAME', 1, 30],
  ['tag name split by a tag', '<scr{% if x %}ipt{% endif %}>', 'TEMPLATE_PARTIAL_NAME', 1, 15],
  ['ambiguous URL start', '<a href="{% if a %}/x{% endif %}{{ u }}">', 'TEMPLATE_AMBIGUOUS_URL', 1, 33],
  ['ambiguous slash', '<script>{% if a %}x{% endif %}/ 2</script>', 'TEMPLATE_AMBIGUOUS_JS_SLASH', 1, 31],
  ['dynamic script type', '<script type="{{ t }}"></script>', 'TEMPLATE_DYNAMIC_SCRIPT_TYPE', 1, 15],
  ['dynamic script type, unquoted', '<script type={{ t }}></script>', 'TEMPLATE_DYNAMIC_SCRIPT_TYPE', 1, 14],
  ['quote in a compiler-quoted value', '<a href={{ u }}"x">', 'TEMPLATE_UNQUOTED_VALUE', 1, 16],
  ['include outside text', '<title>{% include "x.html" %}</title>', 'TEMPLATE_INCLUDE_CONTEXT', 1, 11],
  ['super outside a block', '{{ super() }}', 'TEMPLATE_SYNTAX', 1, 1],
  ['expressions nested too deep', '{{ ' + '('.repeat(300) + '1' + ')'.repeat(300) + ' }}', 'TEMPLATE_SYNTAX', 1, 204],
  ['statements nested too deep', '{% if a %}'.repeat(201), 'TEMPLATE_SYNTAX', 1, 1997],
];

for (const [name, source, code, line, column] of COMPILE_ERRORS) {
  test(`compile error: ${name}`, () => {
    assert.throws(
      () => compileTemplate(source, { name: 'page.html', strict: true }),
      (e: unknown) => {
        assert.ok(e instanceof TemplateError, String(e));
        assert.deepEqual({ code: e.code, file: e.file, line: e.line, column: e.column }, { code, file: 'page.html', line, column }, e.message);
        assert.ok(e.message.startsWith(`page.html:${line}:${column}: `), e.message);
        assert.ok(e.message.endsWith(`[${code}]`), e.message);
        return true;
      },
    );
  });
}

test('error messages name the contexts', () => {
  assert.throws(
    () => compileTemplate('<a href="{% if x %}/a"{% endif %}>', { name: 'p.html' }),
    /the branches of this if end in different contexts: HTML_TAG \(in <none>|HTML_TAG and URL \(attribute url, double-quoted, url part start\)/,
  );
  assert.throws(() => compileTemplate('<div class="x', { name: 'p.html' }), /ends in ATTR_TEXT \(attribute plain, double-quoted\)/);
});

const RENDER_ERRORS: [string, string, Record<string, unknown>, string, number, number][] = [
  ['undefined name', '<p>\n{{ missing }}</p>', {}, 'TEMPLATE_UNDEFINED', 2, 4],
  ['undefined name written', '<p>{{ user }}</p>', {}, 'TEMPLATE_UNDEFINED', 1, 7],
  ['attribute of undefined', '{{ a.b.c }}', { a: {} }, 'TEMPLATE_UNDEFINED', 1, 7],
  ['call of a non-function', '{{ x() }}', { x: 1 }, 'TEMPLATE_RUNTIME', 1, 4],
  ['csrf_token outside a request', '{{ csrf_token() }}', {}, 'TEMPLATE_CSRF_UNAVAILABLE', 1, 4],
  ['include without a loader', '{% include "x.html" %}', {}, 'TEMPLATE_NOT_FOUND', 1, 4],
  ['error thrown by a filter input', '{% for x in n %}{% endfor %}', { n: 5 }, 'TEMPLATE_RUNTIME', 1, 4],
];

for (const [name, source, ctx, code, line, column] of RENDER_ERRORS) {
  test(`render error: ${name}`, () => {
    assert.throws(
      () => renderString(source, ctx, { strict: true, name: 'r.html' }),
      (e: unknown) => {
        assert.ok(e instanceof TemplateError, String(e));
        assert.deepEqual({ code: e.code, file: e.file, line: e.line, column: e.column }, { code, file: 'r.html', line, column }, e.message);
        return true;
      },
    );
  });
}

test('undefined values are empty when not strict', () => {
  assert.equal(renderString('[{{ missing }}][{{ user.name }}][{{ a.b.c }}]', { user: {} }, { strict: false }), '[][][]');
});

test('strict mode follows PALISADE_ENV when not given', () => {
  const saved = process.env.PALISADE_ENV;
  try {
    process.env.PALISADE_ENV = 'production';
    assert.equal(renderString('[{{ nope_env_1 }}]'), '[]');
    process.env.PALISADE_ENV = 'development';
    assert.throws(() => renderString('[{{ nope_env_2 }}]'), /TEMPLATE_UNDEFINED/);
    process.env.PALISADE_ENV = 'test';
    assert.throws(() => renderString('[{{ nope_env_3 }}]'), /TEMPLATE_UNDEFINED/);
  } finally {
    process.env.PALISADE_ENV = saved;
  }
});
