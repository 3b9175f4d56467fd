// A character reference cut by a value: where references are decoded (text, RCDATA,
// attribute values, srcdoc values at each level), static text that ends with `&`, `&#`,
// `&#3` or `&l` and a value that starts with `lt;`, `#39;` or `9;` would make one reference
// together (`&lt;`, `&#39;`), which a browser decodes to a character the value never had:
// a `<` that opens a tag in an srcdoc document, a `'` that ends a JS string in onclick.
// Palisade writes such a value's first character as a reference, which ends the one before
// it, and refuses static text after a value that would continue it. The template engine and
// the `html` tag agree on every case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { type P5, attrOf, byId, parseDoc, renderBoth, shape, textOf } from './read-back.js';
import { assertCompileError } from './compile-error.js';

const frame = (doc: P5, id: string): P5 => parseDoc(attrOf(byId(doc, id)!, 'srcdoc')!);

/** Elements and attribute names of a page and of the srcdoc documents in it. */
function deepShape(doc: P5, out: string[] = [], depth = 0): string[] {
  for (const s of shape(doc)) out.push(`${depth}:${s}`);
  const walk = (n: P5): void => {
    const srcdoc = n.attrs?.find((a) => a.name === 'srcdoc');
    if (srcdoc !== undefined) deepShape(parseDoc(srcdoc.value), out, depth + 1);
    for (const c of n.childNodes ?? []) walk(c);
  };
  walk(doc);
  return out;
}

const STARTS = ['&', '&#', '&#3', '&l', '&am', '&#x3'];
const ATTACKS = [
  'lt;img src=x onerror=alert(1)//',
  "#39;+alert(1)+'",
  "9;+alert(1)+'",
  'x3c;img src=x onerror=alert(1)>',
  'quot; onmouseover=alert(1) x=',
  'c;img src=x onerror=alert(1)>',
  't;img src=x onerror=alert(1)>',
  'p;lt;img src=x>',
];

// [id, template with START before the hole, reads the text that START and the value make]
const CASES: [string, string, ((doc: P5) => string) | null][] = [
  ['text', '<p id="t">START{{ v }}</p>', (d) => textOf(byId(d, 't')!)],
  ['title', '<title id="t">START{{ v }}</title>', (d) => textOf(byId(d, 't')!)],
  ['attribute', '<p id="t" title="START{{ v }}">x</p>', (d) => attrOf(byId(d, 't')!, 'title')!],
  ['unquoted attribute', '<p id="t" title=START{{ v }} class=k>x</p>', (d) => attrOf(byId(d, 't')!, 'title')!],
  [
    'onclick string',
    '<b id="t" onclick="window.__v = \'START{{ v }}\'">x</b>',
    (d) => {
      const window: { __v?: string } = {};
      runInNewContext(attrOf(byId(d, 't')!, 'onclick')!, { window });
      return window.__v!;
    },
  ],
  ['URL query', '<a id="t" href="/s?a=1START{{ v }}">x</a>', null],
  ['srcdoc text', '<iframe id="f" srcdoc="<p id=t>START{{ v }}</p>"></iframe>', (d) => textOf(byId(frame(d, 'f'), 't')!)],
  ['srcdoc attribute', '<iframe id="f" srcdoc="<p id=t title=&quot;START{{ v }}&quot;>x</p>"></iframe>', (d) => attrOf(byId(frame(d, 'f'), 't')!, 'title')!],
  [
    'nested srcdoc text',
    '<iframe id="f" srcdoc="<iframe id=g srcdoc=&quot;<p id=t>START{{ v }}</p>&quot;></iframe>"></iframe>',
    (d) => textOf(byId(frame(frame(d, 'f'), 'g'), 't')!),
  ],
];

/** What START decodes to on its own (a reference without `;` is decoded if it is complete). */
const alone = (start: string, where: (doc: P5) => string, template: string): string =>
  where(parseDoc(renderBoth(template.replace('START', start).replace('{{ v }}', ''), '')));

test('a value after the start of a reference cannot complete it: no element, attribute or script is added', () => {
  for (const [id, template] of CASES) {
    for (const start of STARTS) {
      const t = template.replace('START', start);
      const baseline = deepShape(parseDoc(renderBoth(t, 'x'))).join(' ');
      for (const v of ATTACKS) {
        const out = renderBoth(t, v);
        assert.equal(deepShape(parseDoc(out)).join(' '), baseline, `${id} × ${JSON.stringify(start)} × ${JSON.stringify(v)}: ${out}`);
      }
    }
  }
});

test('and the text reads back as the static start followed by the value', () => {
  for (const [id, template, read] of CASES) {
    if (read === null) continue;
    for (const start of STARTS) {
      const t = template.replace('START', start);
      // The start decodes as it would with an empty value (`&#3` is U+0003), then the value.
      const before = alone(start, read, template);
      for (const v of [...ATTACKS, 'amp;', 'x', '123', '#']) {
        const out = renderBoth(t, v);
        assert.equal(read(parseDoc(out)), before + v, `${id} × ${JSON.stringify(start)} × ${JSON.stringify(v)}: ${out}`);
      }
    }
  }
});

test('the URL a query value makes keeps its name', () => {
  const out = renderBoth('<a id="t" href="/s?a=1&{{ v }}=2">x</a>', 'lt x');
  assert.equal(new URL(attrOf(byId(parseDoc(out), 't')!, 'href')!, 'https://e.com/').searchParams.get('lt x'), '2', out);
});

test('exact outputs', () => {
  assert.equal(renderBoth('<p>&{{ v }}</p>', 'lt;'), '<p>&&#108;t;</p>');
  assert.equal(renderBoth('<iframe srcdoc="<p>&{{ v }}</p>"></iframe>', 'lt;b>'), '<iframe srcdoc="<p>&&amp;#108;t;b&amp;gt;</p>"></iframe>');
  assert.equal(renderBoth('<b onclick="x=\'&#3{{ v }}\'">', '9;'), '<b onclick="x=\'&#3&#57;;\'">');
  // Nothing to do when the value cannot continue the reference.
  assert.equal(renderBoth('<p>&{{ v }}</p>', ' x'), '<p>& x</p>');
});

const REFUSED: [string, string, number, number][] = [
  ['<p>&{{ v }}lt;</p>', 'TEMPLATE_PARTIAL_NAME', 1, 12],
  ['<p title="&#{% if v %}{% endif %}39;">', 'TEMPLATE_PARTIAL_NAME', 1, 34],
  ['<iframe srcdoc="<p>&{{ v }}lt;</p>"></iframe>', 'TEMPLATE_PARTIAL_NAME', 1, 28],
];

test('static text that would continue a reference left open before a value or tag is refused', () => {
  for (const [source, code, line, column] of REFUSED) {
    assertCompileError(source, code, line, column);
  }
  // A value then text that cannot continue it is fine, as is `&` before `=` in a query.
  assert.equal(renderBoth('<a href="?a=1&{{ v }}=2">', 'b'), '<a href="?a=1&&#98;=2">');
});
