// The shared context × payload table through the template engine: exact outputs for the
// EXACT rows, and for every context and payload, a parse5 check that the value added no
// element and no attribute (the same check the browser test makes, without a browser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'parse5';
import { renderString } from '../../src/templates/index.js';
import { ATTACKS, BENIGN, BENIGN_CSS, BENIGN_URLS, CONTEXTS, EXACT } from './cases.js';

const render = (template: string, v: string): string => renderString(template, { v }, { strict: true });

test('exact outputs', () => {
  for (const [id, value, expected] of EXACT) {
    const ctx = CONTEXTS.find((c) => c.id === id);
    assert.ok(ctx, `no context ${id}`);
    assert.equal(render(ctx.template, value), expected, `${id} with ${JSON.stringify(value)}`);
  }
});

type El = { nodeName: string; attrs?: { name: string }[]; childNodes?: El[]; content?: El };
function shape(node: El, out: string[] = []): string[] {
  if (node.attrs !== undefined)
    out.push(
      `${node.nodeName}[${node.attrs
        .map((a) => a.name)
        .sort()
        .join(',')}]`,
    );
  for (const c of node.childNodes ?? []) shape(c, out);
  if (node.content) shape(node.content, out);
  return out;
}

test('no payload adds an element or an attribute, in any context', () => {
  for (const ctx of CONTEXTS) {
    const baseline = shape(parse(render(ctx.template, 'x')) as unknown as El).join(' ');
    for (const p of [...ATTACKS, ...BENIGN, ...BENIGN_URLS, ...BENIGN_CSS]) {
      const html = render(ctx.template, p.value);
      assert.equal(shape(parse(html) as unknown as El).join(' '), baseline, `${ctx.id} × ${p.id}: ${html}`);
      assert.ok(!/__pwned\(\d+\)<\/script>/.test(html.replace(/<script[^>]*>[^<]*<\/script>/g, '')) || ctx.id === 'html-comment', `${ctx.id} × ${p.id}`);
    }
  }
});

test('no URL context lets a javascript: or data: URL through', () => {
  for (const ctx of CONTEXTS.filter((c) => c.read.kind === 'href' || c.read.kind === 'srcset' || c.read.kind === 'css-url')) {
    for (const p of ATTACKS) {
      const html = render(ctx.template, p.value);
      assert.ok(!/(?:href="|srcset="|, |url\(')\s*(?:javascript|data):/i.test(html), `${ctx.id} × ${p.id}: ${html}`);
    }
  }
});
