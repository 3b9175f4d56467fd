// The filters and tags whose result is markup the engine writes as it is: |xmlattr (attribute
// names and values), |urlize (links), {{ self.name() }} (a block written again) and
// {% extends expr %} (a layout chosen when rendering). Each is attacked with values that
// try to add an event handler, a script URL or an element, and the page is read back with
// parse5 as the browser reads it. Each control writes the same values the way Jinja or a
// naive implementation would, and the same reading finds the attack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'parse5';
import { renderString } from '../../src/templates/index.js';
import { TemplateError } from '../../src/errors.js';
import { escapeHTML } from '../../src/escape/html.js';
import { Markup } from '../../src/escape/markup.js';
import { BaseEnv, type Template, compileWith } from '../../src/templates/compile.js';
import { RenderFault } from '../../src/templates/render-errors.js';

interface Node {
  nodeName: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
}

function elements(n: Node, out: Node[] = []): Node[] {
  if (n.attrs !== undefined) out.push(n);
  for (const c of n.childNodes ?? []) elements(c, out);
  return out;
}

/** What the browser would run or follow: event handlers, style, srcdoc, and URLs with a scheme that runs code. */
function dangers(page: string): string[] {
  const found: string[] = [];
  for (const el of elements(parse(page) as unknown as Node)) {
    for (const a of el.attrs ?? []) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcdoc' || name === 'formaction') found.push(`${el.nodeName} ${name}`);
      if (['href', 'src', 'action'].includes(name) && /^\s*(?:javascript|vbscript|data):/i.test(a.value)) found.push(`${el.nodeName} ${name}=${a.value}`);
    }
    if (el.nodeName === 'script' || el.nodeName === 'img' || el.nodeName === 'iframe') found.push(el.nodeName);
  }
  return found;
}

const r = (src: string, ctx: Record<string, unknown>): string => renderString(src, ctx, { strict: true });

const HOSTILE_ATTRS: Record<string, unknown>[] = [
  { onclick: 'alert(1)' },
  { OnMouseOver: 'alert(1)' },
  { style: 'background:url(javascript:alert(1))' },
  { href: 'javascript:alert(1)' },
  { srcdoc: '<script>alert(1)</script>' },
  { formaction: 'javascript:alert(1)' },
  { 'x onclick': 'alert(1)' },
  { 'x/onclick': 'alert(1)' },
  { 'x"><img src=x onerror=alert(1)>': '1' },
  { 'a=b onclick': 'alert(1)' },
  { title: '"><img src=x onerror=alert(1)>' },
  { 'data-x': "' onclick='alert(1)" },
];

test('|xmlattr: no mapping adds an event handler, a style, a script URL or an element', () => {
  for (const attrs of HOSTILE_ATTRS) {
    const page = r('<a{{ attrs|xmlattr }}>x</a><p {{ attrs|xmlattr }} class="c">y</p>', { attrs });
    assert.deepEqual(dangers(page), [], `${JSON.stringify(attrs)} → ${page}`);
    // Control: the pairs written as they come (Jinja checks only spaces, `/`, `>` and `=`).
    const naive = Object.entries(attrs)
      .map(([k, v]) => ` ${k}="${escapeHTML(String(v))}"`)
      .join('');
    if (!/[\s/>=]/.test(Object.keys(attrs)[0]!) && !('title' in attrs) && !('data-x' in attrs)) {
      assert.notDeepEqual(dangers(`<a${naive}>x</a>`), [], `control: ${naive}`);
    }
  }
});

test('|xmlattr is refused in an srcdoc document, and text after it may not give it a value', () => {
  assert.throws(
    () => r('<iframe srcdoc="<p {{ a|xmlattr }}>"></iframe>', { a: { class: 'x' } }),
    (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_VALUE_IN_TAG',
  );
  assert.throws(
    () => r('<iframe srcdoc="<p{{ a|xmlattr }}>"></iframe>', { a: { class: 'x' } }),
    (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_PARTIAL_NAME',
  );
  assert.throws(
    () => r('<p {{ a|xmlattr }}="x">', { a: { class: 'x' } }),
    (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_PARTIAL_NAME',
  );
  assert.throws(
    () => r('<p {{ a|xmlattr }}{{ b|xmlattr }}>', { a: {}, b: {} }),
    (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_PARTIAL_NAME',
  );
  assert.throws(() => renderString('x', {}, { filters: { xmlattr: () => ' onclick="x"' } }), /cannot be replaced/);
  assert.equal(r('<p{{ a|xmlattr }} id="i">', { a: { class: 'x y', hidden: null } }), '<p class="x y" id="i">');
});

const HOSTILE_TEXT = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'see javascript:alert(1) now',
  'http://x.org/"onmouseover="alert(1)',
  "http://x.org/'onmouseover='alert(1)",
  'www.x.org/"><script>alert(1)</script>',
  '<script>alert(1)</script> http://ok.org',
  'a@b.org"onclick="alert(1)',
  'mailto:x@y.org?"><img src=x onerror=alert(1)>',
  'vbscript:msgbox(1) data:text/html,<script>alert(1)</script>',
  '(http://x.org/a)"<img src=x onerror=alert(1)>',
];

test('|urlize: links only to http, https, mailto and the extra schemes, never out of their attribute', () => {
  for (const text of HOSTILE_TEXT) {
    for (const tpl of [
      '<p>{{ t|urlize }}</p>',
      '<p>{{ t|urlize(extra_schemes=["javascript:", "data:", "vbscript:", "tel:"]) }}</p>',
      '<p>{{ t|urlize(target="_blank\\" onclick=\\"alert(1)", rel="x\\" onclick=\\"y") }}</p>',
    ]) {
      const page = r(tpl, { t: text });
      assert.deepEqual(dangers(page), [], `${tpl} with ${text} → ${page}`);
      for (const el of elements(parse(page) as unknown as Node)) {
        for (const a of el.attrs ?? []) assert.ok(['href', 'rel', 'target'].includes(a.name), `${a.name} in ${page}`);
      }
    }
  }
  // Control: a link made of the text as it comes runs the script URL.
  assert.deepEqual(dangers(`<p><a href="${HOSTILE_TEXT[0]}">x</a></p>`), ['a href=javascript:alert(1)']);
  assert.equal(r('{{ "x tel:+1-2 ftp://h"|urlize(extra_schemes=["tel:"]) }}', {}), 'x <a href="tel:+1-2" rel="nofollow noopener">tel:+1-2</a> ftp://h');
});

// Markup given to a filter that changes its text: a macro's result, a {% filter %} block,
// the html tag. The data sits in attribute values of the Markup, where escaping leaves
// spaces, `=`, `/` and `(` as they are. Only the text between tags may change.
const BIO = 'x http://a.org/onmouseover=alert(1)// y';
const MARKUP_FILTER_ATTACKS: [string, Record<string, unknown>][] = [
  ['{% filter urlize %}<p title="{{ bio }}">hi</p>{% endfilter %}', { bio: BIO }],
  ['{% macro card(b) %}<p title="{{ b }}">hi</p>{% endmacro %}{{ card(bio)|urlize }}', { bio: BIO }],
  ['{% filter urlize %}<input title="{{ bio }}" name="a">{% endfilter %}', { bio: BIO.replace('http://', 'www.') }],
  ['{% filter urlize(extra_schemes=["tel:"]) %}<p title="a tel:1/onclick=alert(1)//">{% endfilter %}', {}],
  ['{% filter replace(q, n) %}<input name="a" title="{{ bio }}">{% endfilter %}', { bio: BIO, q: 'input', n: 'input onfocus=alert(1) autofocus x' }],
  ['{% filter replace(q|e, n) %}<input name="a" title="{{ bio }}">{% endfilter %}', { bio: BIO, q: 'name', n: 'onfocus=alert(1) name' }],
  ['{% filter indent(w) %}<p\ntitle="{{ bio }}">hi</p>{% endfilter %}', { bio: BIO, w: 'onclick=alert(1) ' }],
];

test('|urlize, |replace and |indent change only the text of Markup, never its tags', () => {
  for (const [tpl, ctx] of MARKUP_FILTER_ATTACKS) {
    const page = r(tpl, ctx);
    assert.deepEqual(dangers(page), [], `${tpl} → ${page}`);
  }
  // What they still do in the text of Markup.
  assert.equal(
    r('{% filter urlize %}<p title="http://a.org">see http://a.org</p>{% endfilter %}', {}),
    '<p title="http://a.org">see <a href="http://a.org" rel="nofollow noopener">http://a.org</a></p>',
  );
  assert.equal(r('{{ text|e|replace("\n", "<br>"|safe) }}', { text: 'a<\nb' }), 'a&lt;<br>b');
  assert.equal(r('{{ m|replace("<br>"|safe, " ") }}', { m: Markup.unsafeTrust('a<br>b') }), 'a b');
  assert.equal(r('{{ m|replace("a", "b", 2) }}', { m: Markup.unsafeTrust('<a title="a">a a a</a>') }), '<a title="a">b b a</a>');
  assert.equal(r('{% filter indent(2) %}<p\nid="x">\none</p>{% endfilter %}', {}), '<p\nid="x">\n  one</p>');
  // Control: the same filters applied to the whole of the Markup, as Jinja does, give the
  // data an event handler in every case.
  const whole: Record<string, (m: string, ctx: Record<string, unknown>) => string> = {
    urlize: (m) => m.replace(/(^|\s)((?:https?:\/\/|www\.|tel:)\S+)/g, (_x, sp: string, u: string) => `${sp}<a href="${u}" rel="nofollow noopener">${u}</a>`),
    replace: (m, ctx) => m.split(String(ctx.q)).join(escapeHTML(String(ctx.n))),
    indent: (m, ctx) => m.replace(/\n/g, `\n${escapeHTML(String(ctx.w))}`),
  };
  for (const [tpl, ctx] of MARKUP_FILTER_ATTACKS) {
    const name = /filter (\w+)|\|(\w+) }}/
      .exec(tpl)!
      .slice(1)
      .find((x) => x !== undefined)!;
    const inner = r(tpl.replace(/\{% filter [^%]*%\}|\{% endfilter %\}/g, '').replace(/\|urlize/, ''), ctx);
    assert.notDeepEqual(dangers(whole[name]!(inner, ctx)), [], `control ${tpl}: ${whole[name]!(inner, ctx)}`);
  }
});

test("|trim on Markup trims the text at its ends and never a tag's `>`", () => {
  // Trimming `>` off a macro's `<a href="/x">` left the tag open: the escaped text after it
  // (spaces and `=` are text) became the link's attributes.
  const tpl = '{% macro link() %}<a id="t" href="/x">{% endmacro %}{{ link()|trim(c) }}{{ v }}>go</a>';
  const ctx = { c: '>', v: ' onmouseover=alert(1) x=' };
  assert.deepEqual(dangers(r(tpl, ctx)), [], r(tpl, ctx));
  assert.equal(r('{{ m|trim("x") }}', { m: Markup.unsafeTrust('xx<b>x</b>xx') }), '<b>x</b>');
  assert.equal(r('{{ m|trim }}', { m: Markup.unsafeTrust(' \n <b> x </b>\t ') }), '<b> x </b>');
  assert.equal(r('{{ m|trim("ab") }}', { m: Markup.unsafeTrust('ab a') }), ' ');
  assert.equal(r('{{ m|trim("<>/b") }}', { m: Markup.unsafeTrust('<b>bold</b>') }), '<b>bold</b>');
  assert.equal(r('{{ s|trim("x") }}', { s: 'xx<b>xx' }), '&lt;b&gt;');
  // Control: the whole-string trim (Jinja's Markup.strip) gives the value an event handler.
  const whole = '<a id="t" href="/x">'.replace(/>+$/, '') + escapeHTML(ctx.v) + '>go</a>';
  assert.notDeepEqual(dangers(whole), [], whole);
});

/** Templates by name, for extends. */
class Files extends BaseEnv {
  readonly #cache = new Map<string, Template>();
  constructor(readonly files: Readonly<Record<string, string>>) {
    super({ strict: true });
  }
  override load(name: string): Template {
    let t = this.#cache.get(name);
    if (t === undefined) {
      if (!Object.hasOwn(this.files, name)) throw new RenderFault('TEMPLATE_NOT_FOUND', `no ${name}`);
      t = compileWith(this.files[name]!, name, this, null);
      this.#cache.set(name, t);
    }
    return t;
  }
}

test('{% extends expr %}: a layout that writes a page block in a script is refused when the page is rendered', () => {
  const files = {
    'text.html': '<main>{% block body %}{% endblock %}</main>',
    'script.html': '<script>{% block body %}{% endblock %}</script>',
    'attr.html': '<p title="{% block body %}{% endblock %}">',
    'page.html': '{% extends layout %}{% block body %}{{ v }}{% endblock %}',
  };
  const env = new Files(files);
  const page = env.load('page.html');
  const v = 'alert(document.cookie)';
  // In HTML text the value is text: that is what the page's block was escaped for.
  assert.equal(page.render({ layout: 'text.html', v }).toString(), `<main>${v}</main>`);
  for (const layout of ['script.html', 'attr.html']) {
    assert.throws(
      () => page.render({ layout, v }),
      (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_BLOCK_CONTEXT' && e.file === 'page.html' && e.line === 1 && e.column === 12,
      layout,
    );
  }
  // Control: the block's output, escaped for HTML text, is code inside the script layout.
  assert.equal(files['script.html'].replace('{% block body %}{% endblock %}', `${v}`), `<script>${v}</script>`);
  // A static extends of the same layout escapes the block for the script.
  const fixed = compileWith('{% extends "script.html" %}{% block body %}var s = {{ v }};{% endblock %}', 'fixed.html', env, null);
  assert.equal(
    fixed.render({ v: '</script><img src=x onerror=alert(1)>' }).toString(),
    '<script>var s = "\\u003c\\/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e";</script>',
  );
  // Every template it can name is compiled as any other: a broken one fails as it would.
  assert.throws(
    () => page.render({ layout: 'missing.html', v }),
    (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_NOT_FOUND',
  );
  assert.throws(
    () => page.render({ layout: 42, v }),
    (e: unknown) => e instanceof TemplateError && e.code === 'TEMPLATE_RUNTIME',
  );
});
