// tojson: any JSON value written into <script> or a quoted attribute stays inside it, and
// reads back unchanged with JSON.parse and as a JS literal. HTML is parsed with parse5 (the
// HTML Living Standard's tokenizer) so "stays inside" is checked the way browsers decide it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'parse5';
import { tojson } from '../../src/index.js';

type Node = { nodeName: string; childNodes?: Node[]; value?: string; attrs?: { name: string; value: string }[] };

function find(node: Node, name: string): Node[] {
  const out: Node[] = node.nodeName === name ? [node] : [];
  for (const c of node.childNodes ?? []) out.push(...find(c, name));
  return out;
}

/** The text of each <script> element in the document, as a browser's parser sees it. */
function scripts(html: string): string[] {
  return find(parse(html) as unknown as Node, 'script').map((s) => (s.childNodes ?? []).map((t) => t.value ?? '').join(''));
}

/** JSON.parse(JSON.stringify(v)): what a JSON value should round-trip to. */
const norm = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** Evaluates JS text as an expression, the way a <script> would see it. */
const evalJS = (js: string): unknown => new Function(`return (${js});`)();

const hasProtoKey = (v: unknown): boolean =>
  v !== null && typeof v === 'object' && (Object.keys(v).includes('__proto__') || Object.values(v).some(hasProtoKey));

test('hostile strings cannot close the script, open a comment or leave the attribute', () => {
  const hostile = ['</script><script>alert(1)</script>', '<!--<script>', '</SCRIPT >', "' onload='x", '&quot;', '\u2028\u2029', ']]>', '<\/script>'];
  for (const s of hostile) {
    const out = tojson({ s });
    assert.doesNotMatch(out, /[<>&'\u2028\u2029]/, out);
    const page = `<script>var x = ${out};</script><p>after</p>`;
    assert.deepEqual(scripts(page), [`var x = ${out};`]);
    assert.equal(JSON.parse(out).s, s);
    assert.equal((evalJS(out) as { s: string }).s, s);
    const div = find(parse(`<div data-x='${out}'></div>`) as unknown as Node, 'div')[0]!;
    assert.equal(div.attrs![0]!.value, out);
  }
  // Control: plain JSON.stringify lets the value end the script element early.
  const plain = JSON.stringify({ s: '</script><script>alert(1)</script>' });
  assert.notDeepEqual(scripts(`<script>var x = ${plain};</script>`), [`var x = ${plain};`]);
});

test('any JSON value: stays in the script and round-trips through JSON.parse and as a JS literal', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const out = tojson(v);
      assert.deepEqual(scripts(`<script>x = ${out}</script>`), [`x = ${out}`]);
      assert.deepEqual(JSON.parse(out), norm(v));
      // As a JS object literal, a "__proto__" key sets the prototype instead of making a
      // property (ECMAScript §13.2.5.5), so such values only round-trip through JSON.parse.
      if (!hasProtoKey(norm(v))) assert.deepEqual(evalJS(out), norm(v));
    }),
    { numRuns: 2000 },
  );
});

test('strings made of the characters that matter round-trip too', () => {
  const chars = fc.constantFrom('<', '>', '&', "'", '"', '/', '\\', '!', '-', '\u2028', '\u2029', 's', 'c', 'r', 'i', 'p', 't', '\n');
  fc.assert(
    fc.property(
      fc.array(chars, { maxLength: 40 }).map((a) => a.join('')),
      (s) => {
        const out = tojson([s]);
        assert.deepEqual(scripts(`<script>${out}</script>`), [out]);
        assert.deepEqual(evalJS(out), [s]);
      },
    ),
    { numRuns: 2000 },
  );
});
