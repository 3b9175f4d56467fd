// Tokens of JS and CSS cut by a template tag (src/templates/code-tail.ts): text after the
// tag that would continue the token is refused, as is a value after a `\`; text that
// starts a new token, and values, are not. Found by the escaper fuzzer
// (`awai{% block %}t/{{ v }}/` read as a division) and by reading the transitions for
// the same class (`"a\{% if %}"` read as the string's end, where the browser reads `\"`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderString } from '../../src/templates/index.js';
import { assertCompileError } from './compile-error.js';

const REFUSED: readonly (readonly [string, number])[] = [
  // [template, column of the text or value that continues the token]
  ['<script>(async () => { awai{% if a %}t{% endif %} /{{ v }}/ })</script>', 38],
  ['<script>x = a /{% if a %}/{% endif %} {{ v }}\n</script>', 26],
  ['<script>x = a /{% if a %}*{% endif %} {{ v }} */</script>', 26],
  ['<script>x = /{% if a %}/{% endif %}{{ v }}</script>', 24],
  ['<script>x = a +{% if a %}+{% endif %} /{{ v }}/</script>', 26],
  ['<script>x = a -{% if a %}-{% endif %} /{{ v }}/</script>', 26],
  ['<script>x = a =={% if a %}>{% endif %} /{{ v }}/</script>', 27],
  ['<script>x = a ?{% if a %}.b{% endif %} : 1</script>', 26],
  ['<script>x <{% if a %}!-- {{ v }}{% endif %}</script>', 22],
  ['<script>/* a *{% if a %}/ x = "{% endif %}{{ v }}"</script>', 25],
  ['<script>var s = "a\\{% if a %}" + {{ v }} + "{% endif %} // ";</script>', 30],
  ['<script>var s = `a\\{% if a %}`; {{ v }}; `{% endif %}`;</script>', 30],
  ['<script>var s = /a\\{{ v }}/;</script>', 20],
  ['<script>var s = "a\\{{ v }}";</script>', 20],
  ['<a onclick="x = a /{% if a %}&#47;{% endif %} {{ v }}">x</a>', 30],
  ["<a onclick=\"var s = 'a&#92;{% if a %}' + {{ v }} + '{% endif %}'\">x</a>", 38],
  ['<style>/* a *{% if a %}/ p { color: {% endif %}{{ v }} }</style>', 24],
  ['<style>p { background: ur{% if a %}l({{ v }}){% endif %} }</style>', 36],
  ['<style>p { cont{% if a %}ent: "{{ v }}"{% endif %} }</style>', 26],
  ['<style>p { color: red }/{% if a %}*{% endif %} {{ v }}</style>', 35],
  ["<p style=\"content: 'a\\{% if a %}' {{ v }} '{% endif %}'\">x</p>", 33],
  ['<script>x = `${% if a %}{a}{% endif %}`</script>', 25],
  // An empty value leaves the `$` next to the text after it (found by the escaper fuzzer).
  ['<a onclick="x = String.raw`${{ v }}{`;">x</a>', 36],
  // HTML comments: a value in one is dropped, so it does not end the token either.
  ['<!-- a -{% if a %}-> <script>{% endif %} -->\n{{ v }}</script>', 19],
  ['<!-- a --{% if a %}> <p title="{% endif %}{{ v }}"> -->', 20],
  ['<!-- a --!{% if a %}> <p title="{% endif %}{{ v }}"> -->', 21],
  ['<!--{% if a %}> <p title="{% endif %}{{ v }}"> -->', 15],
  ['<!-- a -{{ v }}-> <p title="{{ v }}"> -->', 16],
  ['<!{% if a %}--{% endif %} <p title=">"> <script>--> \n{{ v }}</script>', 13],
  // A block's content follows the text before the block in the layout.
  ['<script>x = retur{% block b %}n /{{ v }}/{% endblock %}</script>', 31],
];

test('a token of a script or style cut by a template tag is refused where the text continues it', () => {
  for (const [source, column] of REFUSED) assertCompileError(source, 'TEMPLATE_PARTIAL_NAME', 1, column);
});

test('the message names the token and the fix', () => {
  assert.throws(
    () => renderString('<script>var s = "a\\{% if a %}" + {{ v }}{% endif %}";</script>', { a: true, v: 1 }),
    (e: Error) => {
      assert.match(e.message, /ends with "\\" and the text after it continues it into one token/);
      assert.match(e.message, /write the whole token in one piece of text, or put a space between its parts/);
      return true;
    },
  );
});

// What the rule must leave alone: text that starts a new token, and values.
const ALLOWED: readonly (readonly [string, Record<string, unknown>, string])[] = [
  ['<script>x = obj{% if a %}.child{% endif %}.y / {{ v }}</script>', { a: true, v: 2 }, '<script>x = obj.child.y / 2</script>'],
  ['<script>x = f({% for i in [1, 2] %}{{ i }},{% endfor %})</script>', {}, '<script>x = f(1,2,)</script>'],
  ['<script>x = a{% if a %} + b{% endif %}; y = /{{ v }}/</script>', { a: true, v: 'c' }, '<script>x = a + b; y = /c/</script>'],
  ['<script>x = n{{ v }} / 2</script>', { v: 1 }, '<script>x = n 1 / 2</script>'],
  // A value after a name is one token of its own: `typeof null`, not the name `typeofnull`.
  ['<script>x = typeof{{ v }}; y = a in{{ w }}</script>', { v: null, w: [1] }, '<script>x = typeof null; y = a in [1]</script>'],
  ['<script>function f() { return{{ v }} }</script>', { v: 1 }, '<script>function f() { return 1 }</script>'],
  ['<script>if (1) /{{ v }}/.test("")</script>', { v: 'a' }, '<script>if (1) /a/.test("")</script>'],
  ['<script>var s = "a\\\\{{ v }}";</script>', { v: 'b' }, '<script>var s = "a\\\\b";</script>'],
  ['<style>p{{ v }} { font: Arial }</style>', { v: '#main' }, '<style>p#main { font: Arial }</style>'],
  ['<style>p { margin: 1px {% if a %}2px{% endif %}; color: {{ v }} }</style>', { a: true, v: 'red' }, '<style>p { margin: 1px 2px; color: red }</style>'],
  ['<script>/* {{ v }} */ x = 1</script>', { v: 'a' }, '<script>/*  */ x = 1</script>'],
  ['<!-- a -{% if a %} b{% endif %} --><p>{{ v }}</p>', { a: true, v: 'c' }, '<!-- a - b --><p>c</p>'],
  ['<!-- {{ v }} --><p>{{ v }}</p>', { v: 'c' }, '<!--  --><p>c</p>'],
  // `$` + a value in a template literal: the value's `{` is written \u007b, not a substitution
  // (found by the escaper fuzzer: `${{ price }}` ran `{alert(1)}` as code).
  ['<script>x = `Price: ${{ v }}`</script>', { v: '{alert(1)}' }, '<script>x = `Price: $\\u007balert(1)}`</script>'],
  ['<p onclick="x = `${{ v }}`">', { v: '{alert(1)}' }, '<p onclick="x = `$\\u007balert(1)}`">'],
  ['<script>x = `${{ v }}`</script>', { v: '5' }, '<script>x = `$\\u0035`</script>'],
  ['<script>x = `${{ v }}{{ w }}`</script>', { v: '', w: '{a}' }, '<script>x = `$\\u007ba}`</script>'],
  ['<!--{{ v }}--><p>{{ v }}</p>', { v: 'c' }, '<!----><p>c</p>'],
];

test('text that starts a new token after a template tag, and values, still compile', () => {
  for (const [source, data, want] of ALLOWED) assert.equal(renderString(source, data), want, source);
});
