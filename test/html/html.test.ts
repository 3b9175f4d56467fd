// The `html` tag: the shared context × payload table of test/escape/cases.ts must give the
// template engine's output byte for byte (one spec, two implementations), plus what only
// the tag has: nested results, arrays, null/false, refusing arrays that are not template
// objects, compile errors at the call site, caching per call site.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { html } from '../../src/html.js';
import { Markup, SafeURL, isMarkup } from '../../src/escape/markup.js';
import { TemplateError } from '../../src/errors.js';
import { renderString } from '../../src/templates/index.js';
import { runInScope } from '../../src/http/context.js';
import { ATTACKS, BENIGN, BENIGN_CSS, BENIGN_URLS, CONTEXTS, EXACT, HOLE } from '../escape/cases.js';

/** A template object for `parts`, as JS builds one for a tagged template. */
export function templateObject(parts: readonly string[]): TemplateStringsArray {
  return Object.freeze(Object.assign([...parts], { raw: Object.freeze([...parts]) })) as unknown as TemplateStringsArray;
}

const sites = new Map<string, TemplateStringsArray>();
/** Renders a case template with `html`, one template object per template (as a call site). */
export function viaTag(template: string, ...values: unknown[]): string {
  let s = sites.get(template);
  if (s === undefined) sites.set(template, (s = templateObject(template.split(HOLE))));
  return html(s, ...values).toString();
}

const shared = CONTEXTS.filter((c) => !c.templateOnly);

describe("the shared table: html gives the template engine's output", () => {
  test('every context × every payload', () => {
    let n = 0;
    for (const ctx of shared) {
      for (const p of [...ATTACKS, ...BENIGN, ...BENIGN_URLS, ...BENIGN_CSS]) {
        const want = renderString(ctx.template, { v: p.value }, { strict: true });
        assert.equal(viaTag(ctx.template, p.value), want, `${ctx.id} × ${p.id}`);
        n++;
      }
    }
    assert.ok(n > 1000, `ran ${n} cases`);
  });

  test('the exact outputs', () => {
    for (const [id, value, expected] of EXACT) {
      const ctx = shared.find((c) => c.id === id);
      if (ctx === undefined) continue; // templateOnly (|tojson)
      assert.equal(viaTag(ctx.template, value), expected, `${id} with ${JSON.stringify(value)}`);
    }
  });

  test('Markup, SafeURL and numbers as the engine treats them', () => {
    // (Booleans are not here: a template writes `True` as Jinja does, the tag `true` as JS does.)
    const values = [Markup.unsafeTrust('<b>a&amp;b</b>'), SafeURL.unsafeTrust('tel:+1 23'), 42, -1.5];
    for (const ctx of shared) {
      for (const v of values) {
        assert.equal(viaTag(ctx.template, v), renderString(ctx.template, { v }, { strict: true }), `${ctx.id} × ${String(v)}`);
      }
    }
  });
});

describe('values only the tag has', () => {
  test('nested html and arrays are HTML in text', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    assert.equal(html`<ul>${items}</ul>`.toString(), '<ul><li>a&lt;b</li><li>c</li></ul>');
    assert.equal(html`<div>${[[html`<i>x</i>`], ['<y>', null], false]}</div>`.toString(), '<div><i>x</i>&lt;y&gt;</div>');
    assert.ok(isMarkup(html`<p></p>`));
  });

  test('nested html outside text contributes its text, escaped', () => {
    const inner = html`<b>"hi"</b>`;
    assert.equal(html`<p title="${inner}">x</p>`.toString(), '<p title="&#34;hi&#34;">x</p>');
    assert.equal(html`<p title="${[inner, ' & ', 'x']}">x</p>`.toString(), '<p title="&#34;hi&#34; &amp; x">x</p>');
    assert.equal(html`<textarea>${inner}</textarea>`.toString(), '<textarea>\n&#34;hi&#34;</textarea>');
    assert.equal(html`<a href="/p?q=${['a b', 'c']}">x</a>`.toString(), '<a href="/p?q=a%20bc">x</a>');
    assert.equal(html`<script>var s = "${inner}";</script>`.toString(), '<script>var s = "\\u003cb\\u003e\\u0022hi\\u0022\\u003c\\/b\\u003e";</script>');
  });

  test('null, undefined and false write nothing; 0 and true are text', () => {
    for (const v of [null, undefined, false]) {
      assert.equal(html`<p>${v}</p>`.toString(), '<p></p>');
      assert.equal(html`<p title="${v}">x</p>`.toString(), '<p title="">x</p>');
      assert.equal(html`<a href=${v}>x</a>`.toString(), '<a href="">x</a>');
    }
    assert.equal(html`<p>${0}${true}</p>`.toString(), '<p>0true</p>');
    // In a script expression each value stays one JS value.
    assert.equal(html`<script>f(${null}, ${false}, ${[1, 'x']});</script>`.toString(), '<script>f(null, false, [1,"x"]);</script>');
  });

  test('a value in a comment is dropped', () => {
    assert.equal(html`<!-- ${'--><script>x</script>'} --><p></p>`.toString(), '<!--  --><p></p>');
  });

  test('CSP nonce and CSRF field inside a request, as in templates', () => {
    const scope = { request: null, nonce: 'n0nce', csrfToken: () => 'tok' };
    const out = runInScope(scope, () => html`<script>go(${'a'})</script><form method="post">${'x'}</form>`.toString());
    assert.equal(out, '<script nonce="n0nce">go("a")</script><form method="post"><input type="hidden" name="csrf_token" value="tok">x</form>');
    assert.equal(html`<script>go()</script>`.toString(), '<script>go()</script>');
  });

  test('the static text is not escaped, and a tag with no holes works', () => {
    assert.equal(html`<p class="a">&amp; ok</p>`.toString(), '<p class="a">&amp; ok</p>');
    assert.equal(html``.toString(), '');
  });
});

describe('only template objects are markup', () => {
  const fakes: [string, unknown][] = [
    ['a string', '<script>alert(1)</script>'],
    ['a plain array', ['<script>alert(1)</script>']],
    ['parsed JSON shaped like a template object', JSON.parse('{"0":"<b>","length":1,"raw":["<b>"]}')],
    ['an array from JSON with raw', Object.assign(JSON.parse('["<b>"]'), { raw: ['<b>'] })],
    ['a frozen array without raw', Object.freeze(['<b>'])],
    ['a frozen array with an unfrozen raw', Object.freeze(Object.assign(['<b>'], { raw: ['<b>'] }))],
    ['raw of another length', Object.freeze(Object.assign(['<b>', ''], { raw: Object.freeze(['<b>']) }))],
    ['null', null],
  ];
  for (const [what, fake] of fakes) {
    test(`refused: ${what}`, () => {
      assert.throws(
        () => (html as (...a: unknown[]) => Markup)(fake, 'x'),
        (e: unknown) => e instanceof TypeError && /must be used as a tag/.test(e.message),
      );
    });
  }

  test('control: the same text as a real template object is markup', () => {
    assert.equal((html as (...a: unknown[]) => Markup)(templateObject(['<b>']), 'x').toString(), '<b>');
  });
});

describe('compile errors', () => {
  const cases: [string, () => unknown, string, RegExp][] = [
    ['ends inside an attribute', () => html`<a href="${'x'}`, 'TEMPLATE_UNTERMINATED', /ends in URL/],
    ['ends inside a script', () => html`<script>var a = ${1};`, 'TEMPLATE_UNTERMINATED', /ends in JS/],
    ['a value as an attribute name', () => html`<input ${'disabled'}>`, 'TEMPLATE_VALUE_IN_TAG', /value \$\{…\} number 1/],
    ['a value inside an attribute name', () => html`<p data-${'x'}="1"></p>`, 'TEMPLATE_PARTIAL_NAME', /number 1/],
    ['a value in an end tag', () => html`<p></p ${'x'}>`, 'TEMPLATE_VALUE_IN_TAG', /number 1/],
    [
      'a dynamic script type',
      () => html`<script type="${'module'}"></script>`,
      'TEMPLATE_DYNAMIC_SCRIPT_TYPE',
      /before the first value, near "<script type=\\""/,
    ],
    ['a quote in a value Palisade quotes', () => html`<p title=${1}x"y>`, 'TEMPLATE_UNQUOTED_VALUE', /static text after value 1, near "x\\"y>"/],
  ];
  for (const [what, run, code, reason] of cases) {
    test(what, () => {
      let err: unknown;
      try {
        run();
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof TemplateError, `${what}: ${String(err)}`);
      assert.equal(err.code, code);
      assert.match(err.reason, reason);
      assert.match(err.file, /test\/html\/html\.test\.ts$/);
      // The position is the call site inside the case table above, not html.ts.
      assert.ok(err.line > 0 && err.column > 0);
      assert.ok(err.message.startsWith(`${err.file}:${err.line}:${err.column}: html\``), err.message);
    });
  }

  test('the error names the exact line and column of the call', () => {
    const f = (): unknown => html`<p title="${1}>`;
    const here = new Error().stack!.split('\n')[1]!;
    const line = Number(/:(\d+):\d+\)?$/.exec(here)![1]) - 1;
    assert.throws(f, (e: unknown) => e instanceof TemplateError && e.line === line && e.column === 30 && e.message.startsWith(`${e.file}:${line}:30: `));
  });

  test('the error is raised on every use, from the per-site cache (analysed once)', () => {
    const f = (): unknown => html`<p title="${1}>`;
    const first = (() => {
      try {
        f();
      } catch (e) {
        return e;
      }
    })();
    const second = (() => {
      try {
        f();
      } catch (e) {
        return e;
      }
    })();
    assert.ok(first instanceof TemplateError);
    assert.equal(second, first);
  });
});
