// srcdoc documents: the value of `srcdoc` is an HTML document, which Palisade reads (after
// the attribute's character references are decoded, as the browser does) with the same
// context analysis as the page. A value anywhere in it is escaped for its place in the inner
// document, then for the attribute. The table puts every inner context inside double-quoted,
// single-quoted and unquoted srcdoc values, and inside an srcdoc inside an srcdoc; parse5
// (the HTML Standard's parser) reads the outer page, then the inner document, and the value
// must read back exactly. Attacks change neither document. The engine and the `html` tag
// agree on every case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { ERROR_CODES } from '../../src/errors.js';
import { escapeHTML, escapeHTMLUnquoted } from '../../src/escape/html.js';
import { Markup } from '../../src/escape/markup.js';
import { runInScope } from '../../src/http/context.js';
import { compileTemplate, renderString } from '../../src/templates/index.js';
import { ATTACKS, BENIGN, BENIGN_URLS } from '../escape/cases.js';
import { HOLE, type P5, attrOf, byId, parseDoc, renderBoth, shape, textOf } from './read-back.js';

/** How a case reads the value back from the inner document. */
type Read = (doc: P5) => unknown;

const BASE = 'https://example.com/dir/page';
const resolve = (u: string): string => {
  try {
    return new URL(u, BASE).href;
  } catch {
    return 'invalid';
  }
};
const scriptsOf = (n: P5, out: string[] = []): string[] => {
  if (n.nodeName === 'script') out.push(textOf(n));
  for (const c of n.childNodes ?? []) scriptsOf(c, out);
  return out;
};
/** Runs the inner document's scripts (they set window.__v) in a sandbox. */
const runScripts = (doc: P5): unknown => {
  const window: { __v?: unknown } = {};
  for (const s of scriptsOf(doc)) runInNewContext(s, { window });
  return window.__v;
};
const cssString = (s: string): string | null => {
  const m = /"((?:[^"\\]|\\[\s\S])*)"/.exec(s);
  if (m === null) return null;
  return m[1]!.replace(/\\([0-9a-fA-F]{1,6}) ?|\\([\s\S])/g, (_: string, h: string | undefined, c: string | undefined) =>
    h !== undefined ? String.fromCodePoint(parseInt(h, 16)) : c!,
  );
};

interface InnerCase {
  readonly id: string;
  /** The inner document, with HOLE where the value goes. */
  readonly doc: string;
  readonly read: Read;
  readonly benign: 'text' | 'url';
}

const t = (doc: P5): P5 => byId(doc, 't')!;
const INNER: readonly InnerCase[] = [
  { id: 'text', doc: `<p id="t">${HOLE}</p>`, read: (d) => textOf(t(d)), benign: 'text' },
  { id: 'attr-dq', doc: `<p id="t" title="${HOLE}">x</p>`, read: (d) => attrOf(t(d), 'title'), benign: 'text' },
  { id: 'attr-sq', doc: `<p id="t" title='${HOLE}'>x</p>`, read: (d) => attrOf(t(d), 'title'), benign: 'text' },
  { id: 'attr-unquoted', doc: `<p id="t" title=${HOLE} class=k>x</p>`, read: (d) => attrOf(t(d), 'title'), benign: 'text' },
  { id: 'url', doc: `<a id="t" href="${HOLE}">x</a>`, read: (d) => resolve(attrOf(t(d), 'href')!), benign: 'url' },
  { id: 'srcset', doc: `<img id="t" srcset="${HOLE} 2x, b.png 1x">`, read: (d) => resolve(attrOf(t(d), 'srcset')!.split(' ')[0]!), benign: 'url' },
  {
    id: 'url-query',
    doc: `<a id="t" href="/s?q=${HOLE}&amp;p=1">x</a>`,
    read: (d) => new URL(attrOf(t(d), 'href')!, BASE).searchParams.get('q'),
    benign: 'text',
  },
  { id: 'js-string', doc: `<script>window.__v = "${HOLE}";</script>`, read: runScripts, benign: 'text' },
  { id: 'js-expression', doc: `<script>window.__v = ${HOLE};</script>`, read: runScripts, benign: 'text' },
  {
    id: 'onclick',
    doc: `<b id="t" onclick="window.__v = '${HOLE}'">x</b>`,
    read: (d) => {
      const window: { __v?: unknown } = {};
      runInNewContext(attrOf(t(d), 'onclick')!, { window });
      return window.__v;
    },
    benign: 'text',
  },
  { id: 'css-string', doc: `<style>#t { quotes: "${HOLE}" "x"; }</style>`, read: (d) => cssString(scriptsOfStyle(d)), benign: 'text' },
  { id: 'title', doc: `<title id="t">${HOLE}</title>`, read: (d) => textOf(t(d)), benign: 'text' },
  { id: 'textarea', doc: `<textarea id="t">${HOLE}</textarea>`, read: (d) => textOf(t(d)), benign: 'text' },
  { id: 'xmp', doc: `<xmp id="t">${HOLE}</xmp>`, read: (d) => textOf(t(d)), benign: 'text' },
];

function scriptsOfStyle(n: P5): string {
  if (n.nodeName === 'style') return textOf(n);
  for (const c of n.childNodes ?? []) {
    const s = scriptsOfStyle(c);
    if (s !== '') return s;
  }
  return '';
}

/** The inner document written into an attribute with delimiter `q` (HOLE kept as it is). */
function asValue(doc: string, q: '"' | "'" | ''): string {
  const esc = q === '' ? escapeHTMLUnquoted : escapeHTML;
  return doc.split(HOLE).map(esc).join(HOLE);
}

interface Outer {
  readonly id: string;
  /** The page around the inner document (already written as an attribute value). */
  readonly wrap: (innerValue: (q: '"' | "'" | '') => string) => string;
  /** The innermost document of a parsed page. */
  readonly inner: (page: P5) => P5;
}

const frameDoc = (page: P5, id: string): P5 => parseDoc(attrOf(byId(page, id)!, 'srcdoc')!);
const OUTERS: readonly Outer[] = [
  { id: 'double-quoted', wrap: (v) => `<iframe id="f" srcdoc="${v('"')}"></iframe><p id="after">x</p>`, inner: (p) => frameDoc(p, 'f') },
  { id: 'single-quoted', wrap: (v) => `<iframe id="f" srcdoc='${v("'")}'></iframe><p id="after">x</p>`, inner: (p) => frameDoc(p, 'f') },
  { id: 'unquoted', wrap: (v) => `<iframe id="f" srcdoc=${v('')} title=k></iframe><p id="after">x</p>`, inner: (p) => frameDoc(p, 'f') },
  {
    id: 'srcdoc-in-srcdoc',
    wrap: (v) => `<iframe id="f" srcdoc="${asValue(`<iframe id="g" srcdoc="${v('"')}"></iframe>`, '"')}"></iframe><p id="after">x</p>`,
    inner: (p) => frameDoc(frameDoc(p, 'f'), 'g'),
  },
];

const templateFor = (o: Outer, c: InnerCase): string => o.wrap((q) => asValue(c.doc, q));

test('srcdoc: benign values read back exactly in every inner context, in every kind of srcdoc', () => {
  let n = 0;
  for (const o of OUTERS) {
    for (const c of INNER) {
      const template = templateFor(o, c);
      for (const p of c.benign === 'url' ? BENIGN_URLS : BENIGN) {
        const out = renderBoth(template, p.value);
        const page = parseDoc(out);
        assert.ok(byId(page, 'after'), `${o.id} × ${c.id} × ${p.id}: the page changed: ${out}`);
        const got = c.read(o.inner(page));
        const want = c.benign === 'url' ? resolve(p.value) : p.value;
        assert.deepEqual(got, want, `${o.id} × ${c.id} × ${p.id}: ${out}`);
        n++;
      }
    }
  }
  assert.ok(n > 400, `ran ${n} cases`);
});

test('srcdoc: no attack changes the page or the inner document, no unsafe URL gets in', () => {
  for (const o of OUTERS) {
    for (const c of INNER) {
      const template = templateFor(o, c);
      const base = renderBoth(template, 'x');
      const pageShape = shape(parseDoc(base)).join(' ');
      const innerShape = shape(o.inner(parseDoc(base))).join(' ');
      for (const p of ATTACKS) {
        const out = renderBoth(template, p.value);
        const page = parseDoc(out);
        assert.equal(shape(page).join(' '), pageShape, `${o.id} × ${c.id} × ${p.id}: the page changed: ${out}`);
        const inner = o.inner(page);
        assert.equal(shape(inner).join(' '), innerShape, `${o.id} × ${c.id} × ${p.id}: the inner document changed: ${out}`);
        if (c.id === 'url') assert.doesNotMatch(attrOf(t(inner), 'href')!, /^\s*(javascript|data|vbscript):/i, `${o.id} × ${p.id}`);
        if (c.id === 'js-expression' || c.id === 'js-string' || c.id === 'onclick') {
          const got = c.read(inner);
          assert.equal(got, p.value, `${o.id} × ${c.id} × ${p.id}: the script did not get exactly the value`);
        }
      }
    }
  }
});

test('srcdoc: Markup is HTML of the inner document, and text in its attributes', () => {
  const m = Markup.unsafeTrust('<b class="c">Tom &amp; Jerry</b>');
  assert.equal(
    renderBoth('<iframe srcdoc="<div>{{ v }}</div>"></iframe>', m),
    '<iframe srcdoc="<div>&lt;b class=&#34;c&#34;&gt;Tom &amp;amp; Jerry&lt;/b&gt;</div>"></iframe>',
  );
  const inner = frameDoc(parseDoc(renderBoth('<iframe id="f" srcdoc="<p id=t title=&quot;{{ v }}&quot;>{{ v }}</p>"></iframe>', m)), 'f');
  assert.equal(attrOf(t(inner), 'title'), 'Tom & Jerry');
  assert.deepEqual(shape(t(inner)), ['p[id,title]', 'b[class]']);
  assert.equal(textOf(t(inner)), 'Tom & Jerry');
});

test('srcdoc: scripts and styles in the inner document get the nonce, forms the CSRF field, escaped for the attribute', () => {
  const scope = { request: null, nonce: 'n+1/=', csrfToken: () => 't"&k' };
  const src = `<iframe id="f" srcdoc="<script>window.__v = {{ v }};</script><style>p{}</style><form method=post action=/save><input name=a></form>"></iframe>`;
  const out = runInScope(scope, () => renderBoth(src, 'x'));
  const inner = frameDoc(parseDoc(out), 'f');
  const els = shape(inner);
  assert.ok(els.includes('script[nonce]') && els.includes('style[nonce]'), els.join(' '));
  const all: P5[] = [];
  const walk = (n: P5): void => {
    all.push(n);
    (n.childNodes ?? []).forEach(walk);
  };
  walk(inner);
  assert.deepEqual(
    all.filter((n) => n.nodeName === 'script' || n.nodeName === 'style').map((n) => attrOf(n, 'nonce')),
    ['n+1/=', 'n+1/='],
  );
  const field = all.find((n) => n.nodeName === 'input' && attrOf(n, 'name') === 'csrf_token');
  assert.equal(field && attrOf(field, 'value'), 't"&k');
  // A nested srcdoc document gets them too, escaped twice.
  const nested = runInScope(scope, () => renderBoth('<iframe id="f" srcdoc="<iframe id=g srcdoc=&quot;<script>1</script>&quot;></iframe>"></iframe>', 'x'));
  const deep: P5[] = [];
  const walk2 = (n: P5): void => {
    deep.push(n);
    (n.childNodes ?? []).forEach(walk2);
  };
  walk2(frameDoc(frameDoc(parseDoc(nested), 'f'), 'g'));
  assert.equal(
    attrOf(
      deep.find((n) => n.nodeName === 'script')!,
      'nonce',
    ),
    'n+1/=',
    nested,
  );
});

test('srcdoc: exact outputs', () => {
  assert.equal(
    renderBoth('<iframe srcdoc="<p>{{ v }}</p>"></iframe>', `a&b <3 "q"`),
    '<iframe srcdoc="<p>a&amp;amp;b &amp;lt;3 &amp;#34;q&amp;#34;</p>"></iframe>',
  );
  assert.equal(
    renderBoth('<iframe srcdoc="<a href={{ v }}>x</a>"></iframe>', 'javascript:alert(1)'),
    '<iframe srcdoc="<a href=&#34;about:invalid#palisade-unsafe&#34;>x</a>"></iframe>',
  );
  assert.equal(
    renderBoth("<iframe srcdoc='<script>x = {{ v }}</script>'></iframe>", `'</script>`),
    "<iframe srcdoc='<script>x = &#34;\\u0027\\u003c\\/script\\u003e&#34;</script>'></iframe>",
  );
  assert.equal(renderBoth('<iframe srcdoc="<!-- {{ v }} -->"></iframe>', '--><script>alert(1)</script>'), '<iframe srcdoc="<!--  -->"></iframe>');
  // The whole value: a string is the inner document's text, as before.
  assert.equal(
    renderBoth('<iframe srcdoc="{{ v }}"></iframe>', '<b>"x"</b>'),
    '<iframe srcdoc="&amp;lt;b&amp;gt;&amp;#34;x&amp;#34;&amp;lt;/b&amp;gt;"></iframe>',
  );
});

test("srcdoc: ifs, loops and the inner document's own ambiguities", () => {
  const r = (src: string, ctx: Record<string, unknown>): string => renderString(src, ctx, { strict: true });
  assert.equal(
    r('<iframe srcdoc="<ul>{% for x in xs %}<li title={{ x }}>{{ x }}</li>{% endfor %}</ul>"></iframe>', { xs: ['a b', '<'] }),
    '<iframe srcdoc="<ul><li title=&#34;a b&#34;>a b</li><li title=&#34;&amp;lt;&#34;>&amp;lt;</li></ul>"></iframe>',
  );
  assert.equal(
    r('<iframe srcdoc="<input{% if on %} checked{% endif %} value={{ v }}{% if on %} disabled{% endif %}>"></iframe>', { on: true, v: 'a b' }),
    '<iframe srcdoc="<input checked value=&#34;a b&#34; disabled>"></iframe>',
  );
  const refused: [string, string, number, number][] = [
    ['<iframe srcdoc="<a href=&quot;{% if a %}/x{% endif %}{{ v }}&quot;>"></iframe>', 'TEMPLATE_AMBIGUOUS_URL', 1, 54],
    ['<iframe srcdoc="<p {{ v }}>"></iframe>', 'TEMPLATE_VALUE_IN_TAG', 1, 20],
    ['<iframe srcdoc="<{{ v }}>"></iframe>', 'TEMPLATE_PARTIAL_NAME', 1, 17],
    ['<iframe srcdoc="<p>{% if a %}<b title=&quot;{% endif %}&quot;></p>"></iframe>', 'TEMPLATE_BRANCH_CONTEXT', 1, 23],
    ['<iframe srcdoc="<script type=&quot;{{ v }}&quot;></script>"></iframe>', 'TEMPLATE_DYNAMIC_SCRIPT_TYPE', 1, 36],
  ];
  for (const [src, code, line, column] of refused) {
    assert.throws(
      () => compileTemplate(src, { name: 'p.html', strict: true }),
      (e: unknown) => {
        const err = e as { code: string; line: number; column: number; message: string };
        assert.deepEqual({ code: err.code, line: err.line, column: err.column }, { code, line, column }, err.message);
        return true;
      },
      src,
    );
  }
});

test('TEMPLATE_SRCDOC_MARKUP is retired: deprecated in the registry, raised nowhere, its page says so', () => {
  assert.equal((ERROR_CODES.TEMPLATE_SRCDOC_MARKUP as { deprecated?: boolean }).deprecated, true);
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(`${dir}/${d.name}`) : [`${dir}/${d.name}`]));
  const users = files('src').filter((f) => f !== 'src/errors.ts' && readFileSync(f, 'utf8').includes('TEMPLATE_SRCDOC_MARKUP'));
  assert.deepEqual(users, []);
  assert.match(readFileSync('docs/errors/TEMPLATE_SRCDOC_MARKUP.md', 'utf8'), /Deprecated: Palisade no longer raises this error/);
});
