// <noscript>: with scripting off (where it is shown) its content is HTML; with scripting on
// it is raw text up to the first `</noscript`. Palisade reads the content as HTML, so values
// get the escaping of their place (text, attribute, URL, …) and read back exactly where the
// noscript is shown, and it checks that both readings end the noscript at the same place.
// No escaper writes `</noscript`, so a value ends it in neither reading. parse5 parses each
// page both ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Markup } from '../../src/escape/markup.js';
import { runInScope } from '../../src/http/context.js';
import { renderString } from '../../src/templates/index.js';
import { ATTACKS, BENIGN } from '../escape/cases.js';
import { attrOf, byId, parseDoc, renderBoth, shape, textOf } from './read-back.js';
import { assertCompileError } from './compile-error.js';

const page = (fragment: string, scripting: boolean) => parseDoc('<!doctype html><body>' + fragment + '<p id="after">x</p>', scripting);

const CASES: [string, string, (t: NonNullable<ReturnType<typeof byId>>) => string | undefined][] = [
  ['text', '<noscript id="t">{{ v }}</noscript>', (t) => textOf(t)],
  ['text in a tag', '<noscript><p id="t">{{ v }}</p></noscript>', (t) => textOf(t)],
  ['quoted attribute', '<noscript><p id="t" title="{{ v }}">x</p></noscript>', (t) => attrOf(t, 'title')],
  ['unquoted attribute', '<noscript><p id="t" title={{ v }} class=k>x</p></noscript>', (t) => attrOf(t, 'title')],
  ['textarea', '<noscript><textarea id="t">{{ v }}</textarea></noscript>', (t) => textOf(t)],
];

test('noscript: benign values read back exactly where it is shown (scripting off)', () => {
  for (const [id, template, read] of CASES) {
    for (const p of BENIGN) {
      const out = renderBoth(template, p.value);
      const t = byId(page(out, false), 't');
      assert.ok(t, `${id} × ${p.id}: ${out}`);
      assert.equal(read(t), p.value, `${id} × ${p.id}: ${out}`);
    }
  }
});

test('noscript: no attack adds an element or an attribute, with scripting on or off', () => {
  for (const [id, template] of CASES) {
    for (const scripting of [true, false]) {
      const baseline = shape(page(renderBoth(template, 'x'), scripting)).join(' ');
      for (const p of [...ATTACKS, { id: 'close', value: '</noscript><img src=x onerror=alert(1)>' }]) {
        const out = renderBoth(template, p.value);
        assert.equal(shape(page(out, scripting)).join(' '), baseline, `${id} (scripting ${scripting}) × ${p.id}: ${out}`);
      }
    }
  }
  // A URL in a noscript is filtered as anywhere else.
  assert.equal(
    renderBoth('<noscript><a href="{{ v }}">x</a></noscript>', 'javascript:alert(1)'),
    '<noscript><a href="about:invalid#palisade-unsafe">x</a></noscript>',
  );
});

test('noscript: Markup is HTML; raw text inside Markup ends no noscript', () => {
  const m = Markup.unsafeTrust('<b>Tom &amp; Jerry</b> &lt;3');
  assert.equal(renderBoth('<noscript>{{ v }}</noscript>', m), '<noscript><b>Tom &amp; Jerry</b> &lt;3</noscript>');
  // A macro's raw text holds a value that tries to end a <noscript>; the macro's Markup is
  // then written into one.
  const out = renderString('{% macro show(code) %}<xmp>{{ code }}</xmp>{% endmacro %}<noscript>{{ show(v) }}</noscript><p id="after">x</p>', {
    v: '</noscript><img src=x onerror=alert(1)>',
  });
  for (const scripting of [true, false]) {
    const doc = parseDoc(out, scripting);
    assert.ok(byId(doc, 'after'), out);
    assert.deepEqual(
      shape(doc).filter((s) => s.startsWith('img')),
      [],
      out,
    );
  }
});

test('noscript: a POST form in it gets the CSRF field (it is what users without scripts submit)', () => {
  const out = runInScope({ request: null, csrfToken: () => 'tok' }, () =>
    renderBoth('<noscript><form method="post"><button>Go</button></form></noscript>', ''),
  );
  assert.equal(out, '<noscript><form method="post"><input type="hidden" name="csrf_token" value="tok"><button>Go</button></form></noscript>');
});

const REFUSED: [string, string, string, number, number][] = [
  ['</noscript> inside an attribute', '<noscript><p title="</noscript>">{{ v }}</p></noscript>', 'TEMPLATE_UNTERMINATED', 1, 21],
  ['</noscript> inside a comment', '<noscript><!-- </noscript> --></noscript>', 'TEMPLATE_UNTERMINATED', 1, 16],
  ['</noscript> inside a script', '<noscript><script>"</noscript>"</script></noscript>', 'TEMPLATE_UNTERMINATED', 1, 20],
  ['a noscript inside a noscript', '<noscript><noscript>x</noscript></noscript>', 'TEMPLATE_UNTERMINATED', 1, 22],
  ['a template that ends inside a noscript', '<noscript>{{ v }}', 'TEMPLATE_UNTERMINATED', 1, 18],
];

for (const [name, source, code, line, column] of REFUSED) {
  test(`noscript refused: ${name}`, () => {
    assertCompileError(source, code, line, column);
  });
}
